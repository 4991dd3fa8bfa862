import fs from "node:fs";
import path from "node:path";
import {
  MemoryStateStore,
  buildRuleSet,
  evaluateStateful,
  getString,
  loadRules,
  normalizeEvent,
  type EcsEvent,
  type MatchExplanation,
  type RuleMatch,
  type StatefulCandidate,
} from "@/lib/detection";
import { bodyKind, DEFAULT_BODY_LIMITS, IngestRejection, parseIngestBody } from "@/lib/ingest/parse-body";
import { ruleLoadOptions } from "@/lib/rules/engine-options";
import { readRuleFiles } from "@/lib/rules/read-rule-files";
import { EXIT, UsageError, parseArgs, type Output } from "./output";

export const HUNT_USAGE = "usage: vigil hunt [--json] --rules PATH... --events FILE...";

/** An event some rule's query matched, kept until the stateful rules are decided. */
interface Hit {
  file: string;
  line: number;
  event: EcsEvent;
  /** In rule-set order; stateful ones are candidates until decided. */
  matches: RuleMatch[];
}

/**
 * `vigil hunt [--json] --rules PATH... --events FILE...`: run rules offline over event files in
 * any ingest format, with the same loader, normalizer and rule set as the server. One line per
 * match; with --json, one JSON object per match: {rule: {id, name}, file, line, event}, plus
 * `new_terms` and `newTerms` (new_terms / new_value rules) or `rare` (rare rules).
 * Event files are NDJSON (one event per line) or a JSON array/object.
 *
 * Stateful rules see every event of every file in event-time order, with an in-memory store that
 * starts empty: all events are read first, then the stateful candidates are decided in one pass,
 * and matches are printed in file and line order.
 */
export async function hunt(args: readonly string[], io: Output, placeholders: Record<string, string[]> = {}): Promise<number> {
  const { flags, lists, positional } = parseArgs(args, { flags: ["json"], lists: ["rules", "events"] });
  const rulePaths = lists.rules ?? [];
  const eventFiles = [...(lists.events ?? []), ...positional];
  if (rulePaths.length === 0 || eventFiles.length === 0) throw new UsageError(HUNT_USAGE);
  const json = flags.has("json");

  const { files, unreadable } = readRuleFiles(rulePaths);
  const loaded = loadRules(files, ruleLoadOptions(placeholders));
  for (const u of unreadable) io.err(`${u.path}: ${u.error}`);
  for (const e of loaded.errors) io.err(`rule error: ${e.message}`);
  for (const w of loaded.warnings) io.err(`rule warning: ${w.message}`);
  for (const r of loaded.rules) if (r.unsupported) io.err(`rule unsupported: ${r.source.path}:${r.source.line}: ${r.meta.name}: ${r.unsupported.summary}`);
  const ruleSet = buildRuleSet(loaded.rules);
  if (ruleSet.rules.length === 0) {
    io.err("no runnable rules");
    return EXIT.problems;
  }

  let events = 0;
  let problems = 0;
  const receivedAt = new Date();
  // Only events that matched something are kept: memory grows with matches, not with input.
  const hits: Hit[] = [];
  const candidates: StatefulCandidate[] = [];
  for (const file of eventFiles) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      io.err(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error)}`);
      problems++;
      continue;
    }
    let parsed;
    try {
      parsed = parseIngestBody(bytes, sniffKind(bytes, file), { ...DEFAULT_BODY_LIMITS, maxLineBytes: 16 * 1024 * 1024 });
    } catch (error) {
      if (!(error instanceof IngestRejection)) throw error;
      io.err(`${file}: ${error.message}`);
      problems++;
      continue;
    }
    for (const e of parsed.errors) {
      io.err(`${file}:${e.line}: ${e.error}`);
      problems++;
    }
    for (const record of parsed.records) {
      const result = normalizeEvent(record.value, { receivedAt });
      if (!result.ok) {
        io.err(`${file}:${record.line}: ${result.error}`);
        problems++;
        continue;
      }
      events++;
      const matches = ruleSet.match(result.event);
      if (matches.length === 0) continue;
      const index = hits.length;
      hits.push({ file, line: record.line, event: result.event, matches });
      const time = Date.parse(getString(result.event, "@timestamp")!);
      for (const match of matches) {
        if (match.stateful) candidates.push({ index, event: result.event, match, ruleId: match.rule.id, time });
      }
    }
  }

  // One pass over every candidate of every file, in event time (evaluateStateful sorts them).
  const verdicts = new Map<RuleMatch, { alert: boolean; explanation: MatchExplanation }>();
  for (const v of await evaluateStateful(candidates, new MemoryStateStore())) verdicts.set(v.candidate.match, v);

  let matches = 0;
  for (const hit of hits) {
    for (const match of hit.matches) {
      const verdict = match.stateful ? verdicts.get(match) : undefined;
      if (match.stateful && !verdict?.alert) continue;
      matches++;
      const extras = verdict ? statefulExtras(verdict.explanation) : {};
      if (json) {
        io.out(JSON.stringify({ rule: { id: match.rule.id, name: match.rule.name }, file: hit.file, line: hit.line, event: hit.event, ...extras }));
      } else {
        const what = getString(hit.event, "process.command_line") ?? getString(hit.event, "process.executable") ?? "";
        io.out(`${hit.file}:${hit.line}  ${match.rule.name}  ${getString(hit.event, "host.name") ?? "-"}  ${what}${verdict ? `  ${statefulSummary(verdict.explanation)}` : ""}`);
      }
    }
  }
  const stateful = candidates.length > 0 ? `, ${candidates.length} stateful candidate(s)` : "";
  io.err(`hunted ${events} event(s) in ${eventFiles.length} file(s) with ${ruleSet.rules.length} rule(s): ${matches} match(es)${stateful}${problems ? `, ${problems} problem(s)` : ""}`);
  return EXIT.ok;
}

/** The stateful verdict's part of an explanation, for --json. */
function statefulExtras(explanation: MatchExplanation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ["new_terms", "newTerms", "rare"]) if (explanation[key] !== undefined) out[key] = explanation[key];
  return out;
}

/** One line about why a stateful rule alerted: `new_terms: [curl]`, `rare: count=1 distinct(host.name)=1`. */
function statefulSummary(explanation: MatchExplanation): string {
  if (Array.isArray(explanation.new_terms)) return `new_terms: [${(explanation.new_terms as string[]).join(", ")}]`;
  const rare = explanation.rare as { count: number; distinct: Record<string, number | string> } | undefined;
  if (rare) return `rare: count=${rare.count}${Object.entries(rare.distinct).map(([f, n]) => ` distinct(${f})=${n}`).join("")}`;
  return "";
}

/** A .json file or one whose first non-blank byte opens an array is JSON; anything else NDJSON. */
function sniffKind(bytes: Buffer, file: string) {
  if (path.extname(file).toLowerCase() === ".json") {
    const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    // A .json file holding NDJSON (one object per line) is common; only arrays need the JSON parser.
    if (first === 0x5b) return bodyKind("application/json");
  }
  return bodyKind("application/x-ndjson");
}
