/**
 * Helpers for the ingest tests (not used by the server): the shipped rule set, loaded the way the
 * server loads `rules/`, the fast-check seed, byte and event builders.
 */
import path from "node:path";
import { buildRuleSet, loadRules, type RuleSet } from "@/lib/detection";
import type { PreparedEvent } from "@/lib/ingest/prepare-batch";
import { ruleLoadOptions } from "@/lib/rules/engine-options";
import { readRuleFiles } from "@/lib/rules/read-rule-files";

/**
 * Fixed, so CI runs the same cases every time; `FC_SEED=<n>` explores others. fast-check prints
 * the seed and path of a failure, which replays it.
 */
export const FC_SEED = Number(process.env.FC_SEED ?? 20261123);

let shipped: RuleSet | undefined;

/** Every runnable rule in the repository's `rules/` folder, compiled and indexed once per file. */
export function shippedRuleSet(): RuleSet {
  if (shipped) return shipped;
  const root = path.resolve(import.meta.dirname, "../..");
  const { files, unreadable } = readRuleFiles(["rules"], root);
  const loaded = loadRules(files, ruleLoadOptions());
  if (unreadable.length > 0 || loaded.errors.length > 0 || files.length === 0) {
    throw new Error(`rules/ did not load: ${[...unreadable.map((u) => u.error), ...loaded.errors.map((e) => e.message)].join("; ")}`);
  }
  shipped = buildRuleSet(loaded.rules.filter((r) => r.detector));
  return shipped;
}

/** The bytes of `parts`, one after another (bodies with invalid UTF-8 spliced in). */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** An accepted event with only what ingest statistics count (host, format, time), under a unique key. */
export function statsEvent(host: string | null, format: PreparedEvent["format"], timestamp: string): PreparedEvent {
  return {
    line: 1,
    key: `${host}-${timestamp}-${Math.random()}`,
    original: "{}",
    receivedAt: timestamp,
    timedByArrival: false,
    processStart: null,
    format,
    timestamp,
    hostName: host,
    event: {},
    matches: [],
    candidates: [],
  };
}
