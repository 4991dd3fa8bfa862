import {
  buildRuleSet,
  loadRules,
  RuleValidationError,
  type DetectionError,
  type RuleMeta,
  type RuleSet,
  type StatefulSpec,
} from "@/lib/detection";
import { findRuleSource, findRulesVersion, findRunnableRuleSources, findUploadedRules, syncRuleFiles, type RuleSyncSummary } from "@/lib/db/rules";
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
  /** The stateful rules' specs by rule id (state expiry, baselines). */
  stateful: Map<string, StatefulSpec>;
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
  // An uploaded rule owns its id: a file defining the same id is reported, never loaded over it.
  const uploaded = await findUploadedRules(loaded.rules.map((r) => r.meta.id));
  const rules = loaded.rules.filter((r) => {
    const upload = uploaded.get(r.meta.id);
    if (upload) {
      errors.push(
        new RuleValidationError("duplicate_rule_id", `rule id ${r.meta.id} belongs to the uploaded rule ${upload}; delete the upload or change the id`, {
          file: r.source.path,
          line: r.source.line,
          column: 1,
        }),
      );
    }
    return !upload;
  });
  const summary = await syncRuleFiles(rules, errors);
  for (const e of errors) log(`rule load error: ${e.message}`);
  for (const w of loaded.warnings) log(`rule warning: ${w.message}`);
  for (const r of rules) if (r.unsupported) log(`rule unsupported: ${r.source.path}: ${r.meta.name}: ${r.unsupported.summary}`);
  invalidateRuleSet();
  return { ...summary, errors };
}

/** After a change to the rules table here: the next getRuleSet() looks at the new version at once (other nodes within VERSION_CHECK_MS). */
export function invalidateRuleSet(): void {
  if (state.vigilRuleSet) state.vigilRuleSet.checkedAt = 0;
}

/** The compiled set of runnable, enabled rules; cheap to call per request. */
export async function getRuleSet(): Promise<RuleSet> {
  return (await current()).ruleSet;
}

/**
 * A stateful rule's spec, whether or not it is running now (a disabled rule's baseline can still
 * be looked at): from the live set, else compiled from the rule's stored source. Null when the
 * rule does not exist or is not stateful.
 */
export async function findStatefulSpec(ruleId: string): Promise<{ meta: RuleMeta; spec: StatefulSpec } | null> {
  const live = await current();
  const meta = live.ruleSet.rules.find((r) => r.id === ruleId);
  const spec = live.stateful.get(ruleId);
  if (meta && spec) return { meta, spec };
  const source = await findRuleSource(ruleId);
  if (!source) return null;
  const loaded = loadRules([{ path: source.sourcePath, text: source.source }], ruleLoadOptions(env().sigmaPlaceholders));
  const rule = loaded.rules.find((r) => r.meta.id === ruleId);
  return rule?.detector?.kind === "stateful" ? { meta: rule.meta, spec: rule.detector.spec } : null;
}

/** The stateful specs of the runnable, enabled rules, by rule id. */
export async function getStatefulSpecs(): Promise<Map<string, StatefulSpec>> {
  return (await current()).stateful;
}

async function current(): Promise<Cached> {
  const cached = state.vigilRuleSet;
  const now = Date.now();
  if (cached && now - cached.checkedAt < VERSION_CHECK_MS) return cached;
  const version = await findRulesVersion();
  if (cached && cached.version === version) {
    cached.checkedAt = now;
    return cached;
  }
  // One build at a time; concurrent requests share it.
  state.vigilRuleSetBuilding ??= buildFromDatabase(version).finally(() => {
    state.vigilRuleSetBuilding = undefined;
  });
  const built = await state.vigilRuleSetBuilding;
  state.vigilRuleSet = built;
  return built;
}

async function buildFromDatabase(version: string): Promise<Cached> {
  const rows = await findRunnableRuleSources();
  const wanted = new Set(rows.map((r) => r.id));
  // Rules of one Elastic or native file share the file's text: compile each distinct source once.
  // A Sigma file's rules each keep their own document, so the key is path and text, not the path
  // alone (which would keep only the last document of a multi-rule file).
  const files = new Map<string, { path: string; text: string }>();
  for (const r of rows) files.set(`${r.sourcePath}\u0000${r.source}`, { path: r.sourcePath, text: r.source });
  const loaded = loadRules([...files.values()], ruleLoadOptions(env().sigmaPlaceholders));
  const runnable = loaded.rules.filter((r) => wanted.has(r.meta.id) && r.detector);
  const stateful = new Map<string, StatefulSpec>();
  for (const r of runnable) if (r.detector?.kind === "stateful") stateful.set(r.meta.id, r.detector.spec);
  return { version, checkedAt: Date.now(), ruleSet: buildRuleSet(runnable), stateful };
}
