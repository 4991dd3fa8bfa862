import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EcsEvent } from "../event/types";
import type { LoadedRule, Prefilter, QueryDetector } from "./detector";
import type { RuleMeta } from "./model";
import { buildRuleSet } from "./rule-set";
import { testRuleMeta } from "./testing/rule-meta";

/**
 * Candidates come out of the index in probe order and are put back in rule-set order with an
 * in-place sort (insertion sort for short lists, the built-in for long ones): matches must be
 * in rule-set order whatever the mix of index kinds and however many rules hit one event.
 */

function rule(id: string, prefilter: Prefilter | undefined): LoadedRule {
  const detector: QueryDetector = { kind: "query", test: () => true, explain: () => ({ details: [] }), ...(prefilter && { prefilter }) };
  const meta: RuleMeta = testRuleMeta(id);
  return { meta, source: { path: `${id}.yml`, text: "", line: 1 }, detector };
}

const PREFILTERS: (Prefilter | undefined)[] = [
  undefined,
  { kind: "equals", field: "process.name", values: ["cmd.exe"], caseInsensitive: true },
  { kind: "endswith", field: "process.name", values: [".exe"], caseInsensitive: true },
  { kind: "startswith", field: "process.name", values: ["cmd"], caseInsensitive: true },
  { kind: "contains", field: "process.command_line", values: ["whoami"], caseInsensitive: true },
  { kind: "equals", field: "process.name", values: ["other"], caseInsensitive: true },
];

/** The prefilter the event never meets. */
const OTHER = PREFILTERS.length - 1;

describe("RuleSet.match order", () => {
  it("returns every matching rule in rule-set order, for short and long candidate lists (property)", () => {
    const event: EcsEvent = { process: { name: "cmd.exe", command_line: "cmd.exe /c whoami" } };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: PREFILTERS.length - 1 }), { maxLength: 120 }), (kinds) => {
        const rules = kinds.map((k, i) => rule(`r${i}`, PREFILTERS[k]));
        const set = buildRuleSet(rules);
        const expected = rules.filter((_, i) => kinds[i] !== OTHER).map((r) => r.meta.id);
        // Twice: the index reuses its candidate list from event to event.
        expect(set.match(event).map((m) => m.rule.id)).toEqual(expected);
        expect(set.match({ ...event }).map((m) => m.rule.id)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
