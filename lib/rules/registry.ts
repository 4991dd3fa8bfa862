import {
  buildRuleSet,
  loadRules,
  RuleValidationError,
  type DetectionError,
  type RuleSet,
} from "@/lib/detection";
import { findRulesVersion, findRunnableRuleSources, syncRuleFiles, type RuleSyncSummary } from "@/lib/db/rules";
import { env } from "@/lib/env";
import { ruleLoadOptions } from "./engine-options";
import { readRuleFiles } from "./read-rule-files";

/**
 * The live rule set of this process. Rule files are synced into the database at start-up and on
 * demand; the compiled set is built from the database (so uploaded rules and `enabled` choices
 * made on another node apply here too) and rebuilt when the database's rules version changes.
 */

const VERSION_CHECK_MS = 2_000;

interface Cached {
  version: string;
  checkedAt: number;
  ruleSet: RuleSet;
}

const state = globalThis as unknown as { vigilRuleSet?: Cached; vigilRuleSetBuilding?: Promise<Cached> };

export async function syncRulesFromDisk(log: (line: string) => void = () => {}): Promise<RuleSyncSummary & { errors: DetectionError[] }> {
  const { rulesDir, sigmaPlaceholders } = env();
  const { files, unreadable } = readRuleFiles([rulesDir]);
  const loaded = loadRules(files, ruleLoadOptions(sigmaPlaceholders));
  const errors: DetectionError[] = [
    ...unreadable.map((u) => new RuleValidationError("unreadable_rule_file", u.error, { file: u.path })),
    ...loaded.errors,
  ];
  const summary = await syncRuleFiles(loaded.rules, errors);
  for (const e of errors) log(`rule load error: ${e.message}`);
  for (const w of loaded.warnings) log(`rule warning: ${w.message}`);
  for (const r of loaded.rules) if (r.unsupported) log(`rule unsupported: ${r.source.path}: ${r.meta.name}: ${r.unsupported.summary}`);
  // Force the next getRuleSet() to look at the new version immediately.
  if (state.vigilRuleSet) state.vigilRuleSet.checkedAt = 0;
  return { ...summary, errors };
}

/** The compiled set of runnable, enabled rules; cheap to call per request. */
export async function getRuleSet(): Promise<RuleSet> {
  const cached = state.vigilRuleSet;
  const now = Date.now();
  if (cached && now - cached.checkedAt < VERSION_CHECK_MS) return cached.ruleSet;
  const version = await findRulesVersion();
  if (cached && cached.version === version) {
    cached.checkedAt = now;
    return cached.ruleSet;
  }
  // One build at a time; concurrent requests share it.
  state.vigilRuleSetBuilding ??= buildFromDatabase(version).finally(() => {
    state.vigilRuleSetBuilding = undefined;
  });
  const built = await state.vigilRuleSetBuilding;
  state.vigilRuleSet = built;
  return built.ruleSet;
}

async function buildFromDatabase(version: string): Promise<Cached> {
  const rows = await findRunnableRuleSources();
  const wanted = new Set(rows.map((r) => r.id));
  // A file may hold several rules; compile each file once.
  const files = new Map<string, string>();
  for (const r of rows) files.set(r.sourcePath, r.source);
  const loaded = loadRules(
    [...files].map(([path, text]) => ({ path, text })),
    ruleLoadOptions(env().sigmaPlaceholders),
  );
  const ruleSet = buildRuleSet(loaded.rules.filter((r) => wanted.has(r.meta.id) && r.detector));
  return { version, checkedAt: Date.now(), ruleSet };
}
