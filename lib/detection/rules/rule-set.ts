import type { EcsEvent } from "../event/types";
import type { LoadedRule, QueryDetector, RuleMatch } from "./detector";
import type { RuleMeta } from "./model";

/**
 * The enabled, runnable rules compiled together, built once per rule change and shared by every
 * ingest request, worker and CLI run.
 */
export interface RuleSet {
  readonly rules: readonly RuleMeta[];
  /** Every rule that matches the event, in rule-set order. */
  match(event: EcsEvent): RuleMatch[];
}

interface Entry {
  meta: RuleMeta;
  detector: QueryDetector;
}

export function buildRuleSet(rules: readonly LoadedRule[]): RuleSet {
  const entries: Entry[] = [];
  for (const r of rules) {
    if (r.detector) entries.push({ meta: r.meta, detector: r.detector });
  }
  return {
    rules: entries.map((e) => e.meta),
    match(event) {
      const out: RuleMatch[] = [];
      for (const { meta, detector } of entries) {
        if (detector.test(event)) out.push({ rule: meta, explanation: detector.explain(event) });
      }
      return out;
    },
  };
}
