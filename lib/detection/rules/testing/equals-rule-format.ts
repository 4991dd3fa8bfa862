import { RuleValidationError } from "../../errors";
import { compileFieldGetter } from "../../event/fields";
import type { EcsEvent } from "../../event/types";
import { parseRareCondition, rareConditionFields } from "../../stateful/rare-condition";
import type { StatefulSpec } from "../../stateful/types";
import type { Detector, LoadedRule, QueryDetector } from "../detector";
import type { RuleFormatLoader } from "../load-rules";
import type { Severity } from "../model";
import { testRuleMeta } from "./rule-meta";

/**
 * A deliberately tiny rule format for tests of the rule seam (loading, the registry, the rule
 * set, ingest and storage) that must not depend on any real detection language:
 *
 *   {"equals_rule": 1, "id": "t-1", "name": "cmd", "field": "process.name", "values": ["cmd.exe"]}
 *
 * in a file ending .equals.json. A rule with "unsupported": "why" loads as unsupported. With
 * "novelty": {fields, groupBy?, windowDays, learningDays?} or "rarity": {groupBy, windowDays,
 * condition, learningDays?} the rule is stateful: the equality is its query.
 */
export const equalsRuleFormat: RuleFormatLoader = {
  format: "equals-test",
  claims: (file) => file.path.endsWith(".equals.json"),
  load(file) {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(file.text) as Record<string, unknown>;
    } catch (error) {
      return { rules: [], errors: [new RuleValidationError("invalid_json", String((error as Error).message), { file: file.path, line: 1, column: 1 })] };
    }
    const { id, name, field, values } = doc;
    if (typeof id !== "string" || typeof name !== "string" || typeof field !== "string" || !Array.isArray(values)) {
      return {
        rules: [],
        errors: [new RuleValidationError("missing_field", "id, name, field and values are required", { file: file.path, line: 1, column: 1 })],
      };
    }
    const severity = (typeof doc.severity === "string" ? doc.severity : "high") as Severity;
    const get = compileFieldGetter(field);
    const wanted = new Set(values.map(String));
    const test = (e: EcsEvent) => {
      const v = get(e);
      return Array.isArray(v) ? v.some((x) => wanted.has(String(x))) : v !== undefined && v !== null && wanted.has(String(v));
    };
    const query: QueryDetector = {
      kind: "query",
      test,
      explain: (e) => ({ details: [{ condition: `${field} in (${values.join(", ")})`, field, value: get(e) ?? null }] }),
    };
    const spec = statefulSpec(doc);
    const detector: Detector = spec ? { ...query, kind: "stateful", spec } : query;
    const rule: LoadedRule = {
      meta: testRuleMeta(id, { name, severity, type: spec ? (spec.kind === "novelty" ? "new_value" : "rare") : "query" }),

      source: { path: file.path, text: file.text, line: 1 },
      detector: typeof doc.unsupported === "string" ? null : detector,
      ...(typeof doc.unsupported === "string" && {
        unsupported: new RuleValidationError("unsupported", doc.unsupported, { file: file.path, line: 1 }),
      }),
    };
    return { rules: [rule], errors: [] };
  },
};

const DAY = 86_400_000;

function statefulSpec(doc: Record<string, unknown>): StatefulSpec | null {
  const n = doc.novelty as { fields: string[]; groupBy?: string[]; windowDays: number; learningDays?: number } | undefined;
  if (n) return { kind: "novelty", fields: n.fields, groupBy: n.groupBy ?? [], windowMs: n.windowDays * DAY, learningMs: (n.learningDays ?? 0) * DAY };
  const r = doc.rarity as { groupBy: string[]; windowDays: number; condition: string; learningDays?: number } | undefined;
  if (!r) return null;
  const condition = parseRareCondition(r.condition);
  return { kind: "rarity", groupBy: r.groupBy, windowDays: r.windowDays, condition, distinctFields: rareConditionFields(condition), learningMs: (r.learningDays ?? 0) * DAY };
}

export interface EqualsRuleFields {
  id: string;
  name: string;
  field: string;
  values: string[];
  severity?: Severity;
  unsupported?: string;
  novelty?: { fields: string[]; groupBy?: string[]; windowDays: number; learningDays?: number };
  rarity?: { groupBy: string[]; windowDays: number; condition: string; learningDays?: number };
}

/** The text of an equals-test rule file. */
export function equalsRule(fields: EqualsRuleFields): string {
  return JSON.stringify({ equals_rule: 1, ...fields });
}
