/// <reference types="vite/client" />
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { EcsEvent } from "../../event/types";
import { loadRules } from "../../rules/load-rules";
import { buildRuleSet } from "../../rules/rule-set";
import { SIGMA_RULE_FORMAT } from "../sigma-loader";

/**
 * The Sigma conformance corpus (STYLE F8.4): events.jsonl holds normalized ECS events with stable
 * ids (`event.id`), each *.cases.yaml a list of {rule | rule_file, expected_event_ids, note}.
 * Every case runs twice: through the indexed rule set and by evaluating the detector on every
 * event; both must give exactly the expected ids.
 */
interface Case {
  rule?: string;
  rule_file?: string;
  expected_event_ids: string[];
  note: string;
}

const raw = import.meta.glob("./*.{jsonl,yaml}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const ruleFiles = import.meta.glob("../../../../rules/sigma/*.yml", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const events: EcsEvent[] = raw["./events.jsonl"]!
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as EcsEvent);
const idOf = (e: EcsEvent) => (e.event as { id: string }).id;

const cases = Object.entries(raw)
  .filter(([path]) => path.endsWith(".cases.yaml"))
  .flatMap(([path, text]) => (parse(text) as Case[]).map((c, i) => ({ ...c, where: `${path.slice(2)}#${i + 1}` })));

describe("Sigma conformance corpus", () => {
  it("has unique event ids", () => {
    const ids = events.map(idOf);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(cases)("$where: $note", (c) => {
    const text = c.rule ?? ruleFiles[`../../../../${c.rule_file}`];
    expect(text, `${c.where}: no rule text for ${c.rule_file}`).toBeDefined();
    const loaded = loadRules([{ path: c.rule_file ?? `${c.where.replace("#", "-")}.yml`, text: text! }], { loaders: [SIGMA_RULE_FORMAT] });
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    const [rule] = loaded.rules;
    expect(rule?.detector, rule?.unsupported?.message).toBeTruthy();
    for (const id of c.expected_event_ids) expect(events.some((e) => idOf(e) === id), `${c.where}: unknown event id ${id}`).toBe(true);

    const expected = [...c.expected_event_ids].sort();
    const ruleSet = buildRuleSet(loaded.rules);
    expect(events.filter((e) => ruleSet.match(e).length > 0).map(idOf).sort()).toEqual(expected);
    expect(events.filter((e) => rule!.detector!.test(e)).map(idOf).sort()).toEqual(expected);
  });
});
