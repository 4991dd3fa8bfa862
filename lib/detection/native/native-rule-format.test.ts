import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitExceededError, QuerySyntaxError, RuleValidationError, UnsupportedFeatureError } from "../errors";
import { elasticRuleFormat } from "../elastic/elastic-rule-format";
import { RULE_FORMAT_LOADERS } from "../rules/formats";
import { DEFAULT_RULE_LIMITS, loadRules, type LoadContext } from "../rules/load-rules";
import { SIGMA_RULE_FORMAT } from "../sigma/sigma-loader";
import { printRareCondition } from "../stateful/rare-condition";
import { DAY_MS } from "../stateful/types";
import { NATIVE_RULE_FORMAT, loadNativeRuleFile } from "./native-rule-format";

const context: LoadContext = { limits: DEFAULT_RULE_LIMITS, config: { placeholders: {} } };
const load = (text: string, path = "rules/native/test.yml") => loadNativeRuleFile({ path, text }, context);

const HEAD = `vigil: 1
id: 6c1f3b5e-1d2a-4c8b-9e7f-0a1b2c3d4e5f
name: Test rule
description: Finds things.
severity: high
`;

const NEW_VALUE = `${HEAD}type: new_value
query: process.name:(sh or bash)
new_value:
  fields: [process.name]
  group_by: [host.name]
  learning: 3d
  forget_after: 14d
`;

const RARE = `${HEAD}type: rare
query: |
  event.category:process and
  process.parent.name:apache2
rare:
  group_by: [process.parent.executable, process.executable]
  window: 5d
  condition: count < 3 and distinct(host.id) == 1
`;

const QUERY = `${HEAD}type: query
language: eql
query: process where process.name == "nc"
`;

/** The 1-based line and column of the first occurrence of `needle` in `text`. */
function where(text: string, needle: string, nth = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at);
  return { line: before.split("\n").length, column: at - before.lastIndexOf("\n") };
}

describe("claims: .yml/.yaml with a top-level `vigil: <version>`, and never a Sigma file", () => {
  it.each<[string, string, boolean]>([
    ["a.yml", NEW_VALUE, true],
    ["a.YAML", "# c\nvigil: 1\n", true],
    ["a.yml", "vigil: '1'\n", true],
    ["a.toml", NEW_VALUE, false],
    ["a.yml", "title: x\nvigil:\n  guide: {}\n", false],
    ["a.yml", "  vigil: 1\n", false],
    // A Sigma rule with Vigil's guide attribute is Sigma's, even with a scalar `vigil`.
    ["a.yml", "title: x\nlogsource: {}\ndetection:\n  sel: {a: 1}\n  condition: sel\nvigil: 1\n", false],
    ["a.yml", "action: global\nvigil: 1\n", false],
  ])("%s %j → %s", (path, text, claimed) => {
    expect(NATIVE_RULE_FORMAT.claims({ path, text })).toBe(claimed);
  });

  it("is registered after Sigma and Elastic", () => {
    expect(RULE_FORMAT_LOADERS.map((l) => l.format)).toEqual(["sigma", "elastic", "native"]);
  });

  it("no file is claimed by two loaders", () => {
    const line = fc.constantFrom(
      "vigil: 1",
      "vigil:\n  guide:\n    notes: x",
      "detection:\n  sel: {a: 1}\n  condition: sel",
      "correlation:\n  type: event_count",
      "action: global",
      "title: x",
      "[rule]",
      "[metadata]",
      "query: a:b",
      "# vigil: 1",
      "  vigil: 2",
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.constantFrom("r.yml", "r.yaml", "r.toml", "r.txt"), (lines, path) => {
        const file = { path, text: lines.join("\n") };
        const claimants = [SIGMA_RULE_FORMAT, elasticRuleFormat, NATIVE_RULE_FORMAT].filter((l) => l.claims(file));
        expect(claimants.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe("loading", () => {
  it("a new_value rule: a stateful novelty detector over its KQL query", () => {
    const r = load(NEW_VALUE);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const rule = r.rules[0]!;
    expect(rule.meta).toMatchObject({
      id: "6c1f3b5e-1d2a-4c8b-9e7f-0a1b2c3d4e5f",
      name: "Test rule",
      description: "Finds things.",
      format: "native",
      type: "new_value",
      severity: "high",
      riskScore: 73,
      enabledByDefault: true,
    });
    expect(rule.source).toEqual({ path: "rules/native/test.yml", text: NEW_VALUE, line: 1 });
    expect(rule.detector).toMatchObject({
      kind: "stateful",
      spec: { kind: "novelty", fields: ["process.name"], groupBy: ["host.name"], windowMs: 14 * DAY_MS, learningMs: 3 * DAY_MS },
    });
    expect(rule.detector!.test({ process: { name: "bash" } })).toBe(true);
    expect(rule.detector!.test({ process: { name: "zsh" } })).toBe(false);
    expect(rule.detector!.explain({ process: { name: "bash" } })).toEqual({
      details: [{ condition: "process.name:(sh or bash)", field: "process.name", value: "bash" }],
      language: "kuery",
    });
    expect(rule.detector!.prefilter).toBeDefined();
  });

  it("a rare rule: a stateful rarity detector with the parsed condition and its distinct fields", () => {
    const r = load(RARE);
    expect(r.errors).toEqual([]);
    const d = r.rules[0]!.detector!;
    expect(d.kind).toBe("stateful");
    if (d.kind !== "stateful" || d.spec.kind !== "rarity") throw new Error("not rarity");
    expect(d.spec).toMatchObject({ groupBy: ["process.parent.executable", "process.executable"], windowDays: 5, distinctFields: ["host.id"], learningMs: 5 * DAY_MS });
    expect(printRareCondition(d.spec.condition)).toBe("count < 3 and distinct(host.id) == 1");
    expect(r.rules[0]!.meta.type).toBe("rare");
  });

  it("a query rule in EQL is a plain query detector of type eql", () => {
    const r = load(QUERY);
    expect(r.errors).toEqual([]);
    expect(r.rules[0]!.meta.type).toBe("eql");
    expect(r.rules[0]!.detector!.kind).toBe("query");
    expect(r.rules[0]!.detector!.test({ event: { category: ["process"] }, process: { name: "nc" } })).toBe(true);
  });

  it("defaults: KQL, risk score by severity, learning 7d and forget-after 30d, a rare window of 7d learning as long, enabled", () => {
    const nv = load(`${HEAD}type: new_value\nquery: a:b\nnew_value: {fields: [a]}\n`);
    expect(nv.errors).toEqual([]);
    expect(nv.rules[0]!.detector).toMatchObject({ spec: { groupBy: [], learningMs: 7 * DAY_MS, windowMs: 30 * DAY_MS } });
    expect(nv.models[0]).toMatchObject({ language: "kuery", riskScore: 73, enabled: true });
    const rare = load(`${HEAD}type: rare\nquery: a:b\nrare: {group_by: [a], condition: count < 2}\n`);
    expect(rare.rules[0]!.detector).toMatchObject({ spec: { windowDays: 7, learningMs: 7 * DAY_MS, distinctFields: [] } });
  });

  it("metadata: tags, ATT&CK from tags and explicit entries, references, false positives, authors, guide, enabled", () => {
    const r = load(`${HEAD}type: query
query: a:b
risk_score: 50
enabled: false
tags: [attack.execution, attack.t1059.004, "Domain: Web"]
mitre:
  - {tactic: persistence, technique: T1505.003}
  - {tactic: TA0011, technique: T1071}
  - tactic: Initial Access
references: [https://example.org/a]
false_positives: [Backups.]
author: Alice, Bob
guide:
  what_happened: "\`{{ process.name }}\` ran on {{host.name}}"
  goal: Goal.
  strategy: Strategy.
  triage: [one, two]
  response: [three]
  notes: Notes.
x-vendor:
  anything: [1, 2]
`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const meta = r.rules[0]!.meta;
    expect(meta).toMatchObject({
      riskScore: 50,
      enabledByDefault: false,
      tags: ["attack.execution", "attack.t1059.004", "Domain: Web"],
      references: ["https://example.org/a"],
      falsePositives: ["Backups."],
      author: ["Alice", "Bob"],
      guide: { whatHappened: "`{{ process.name }}` ran on {{host.name}}", goal: "Goal.", strategy: "Strategy.", triage: ["one", "two"], response: ["three"], notes: "Notes." },
    });
    expect(meta.mitre.map((m) => [m.tactic.id, m.technique?.id, m.subtechnique?.id])).toEqual([
      ["TA0001", undefined, undefined],
      ["TA0002", "T1059", "T1059.004"],
      ["TA0003", "T1505", "T1505.003"],
      ["TA0011", "T1071", undefined],
    ]);
    expect(meta.mitre[1]!.subtechnique).toEqual({ id: "T1059.004", name: "Unix Shell", reference: "https://attack.mitre.org/techniques/T1059/004/" });
    expect(r.models[0]!.extensions).toEqual({ "x-vendor": { anything: [1, 2] } });
  });

  it("several documents are several rules, each at its line", () => {
    const second = NEW_VALUE.replace("6c1f3b5e-1d2a-4c8b-9e7f-0a1b2c3d4e5f", "6c1f3b5e-1d2a-4c8b-9e7f-0a1b2c3d4e60");
    const text = `${NEW_VALUE}---\n# the second\n${second}---\n`;
    const r = load(text);
    expect(r.errors).toEqual([]);
    expect(r.rules.map((x) => [x.meta.id.slice(-2), x.source.line])).toEqual([
      ["5f", 1],
      ["60", where(text, "vigil: 1", 1).line],
    ]);
  });

  it("a broken document costs only itself", () => {
    const text = `${NEW_VALUE}---\n${HEAD}type: rare\nquery: a:b\n`;
    const r = load(text);
    expect(r.rules).toHaveLength(1);
    expect(r.errors.map((e) => e.code)).toEqual(["missing_attribute"]);
  });

  it("an unsupported query construct loads the rule as unsupported, pointing at it", () => {
    const r = load(`${HEAD}type: query\nlanguage: eql\nquery: "sequence [process where true] [file where true]"\n`);
    expect(r.errors).toEqual([]);
    expect(r.rules[0]!.detector).toBeNull();
    expect(r.rules[0]!.unsupported).toBeInstanceOf(UnsupportedFeatureError);
    expect(r.rules[0]!.unsupported!.source).toMatchObject({ file: "rules/native/test.yml", line: 8, column: 9 });
  });

  it("through loadRules with every format: native files load next to Sigma and Elastic ones", () => {
    const r = loadRules([{ path: "rules/native/a.yml", text: NEW_VALUE }], { loaders: RULE_FORMAT_LOADERS });
    expect(r.errors).toEqual([]);
    expect(r.rules[0]!.meta.format).toBe("native");
  });
});

describe("errors carry file, line and column", () => {
  const cases: [string, string, string, string, string, number?][] = [
    // [name, text, code, needle (where the error points), summary fragment, nth occurrence]
    ["missing version", NEW_VALUE.replace("vigil: 1\n", ""), "missing_attribute", "id:", "`vigil: 1`"],
    ["wrong version", NEW_VALUE.replace("vigil: 1", "vigil: 2"), "invalid_version", "2", "expected `vigil: 1`"],
    ["id not a UUID", NEW_VALUE.replace("6c1f3b5e-1d2a-4c8b-9e7f-0a1b2c3d4e5f", "my-rule"), "invalid_id", "my-rule", "UUID"],
    ["unknown key with a suggestion", NEW_VALUE.replace("severity:", "severty:"), "unknown_attribute", "severty", "did you mean `severity`"],
    ["unknown nested key", NEW_VALUE.replace("forget_after", "forget_afer"), "unknown_attribute", "forget_afer", "`new_value.forget_after`"],
    ["bad type", NEW_VALUE.replace("type: new_value", "type: threshold"), "invalid_type", "threshold", "new_value, rare, query"],
    ["bad severity", NEW_VALUE.replace("severity: high", "severity: urgent"), "invalid_severity", "urgent", "informational, low"],
    ["bad language", NEW_VALUE.replace("type: new_value", "type: new_value\nlanguage: lucene"), "invalid_language", "lucene", "kuery, eql"],
    ["risk score out of range", NEW_VALUE.replace("type: new_value", "type: new_value\nrisk_score: 101"), "invalid_risk_score", "101", "0 to 100"],
    ["name not a string", NEW_VALUE.replace("name: Test rule", "name: [a]"), "invalid_attribute", "[a]", "`name` must be a string"],
    ["missing query", NEW_VALUE.replace("query: process.name:(sh or bash)\n", ""), "missing_attribute", "vigil", "`query` is required"],
    ["empty query", NEW_VALUE.replace("query: process.name:(sh or bash)", "query: ' '"), "invalid_query", "' '", "`query` is empty"],
    ["missing new_value", NEW_VALUE.replace(/new_value:\n[\s\S]*$/, ""), "missing_attribute", "vigil", "needs `new_value"],
    ["rare block on a new_value rule", `${NEW_VALUE}rare: {group_by: [a], condition: count < 1}\n`, "misplaced_attribute", "rare:", "belongs to rules of type rare"],
    ["no fields", NEW_VALUE.replace("fields: [process.name]", "fields: []"), "invalid_field", "[]", "at least 1 field"],
    ["six fields", NEW_VALUE.replace("fields: [process.name]", "fields: [a, b, c, d, e, f]"), "too_many_fields", "[a, b", "the limit is 5"],
    ["bad field path", NEW_VALUE.replace("fields: [process.name]", "fields: [process..name]"), "invalid_field", "process..name", "ECS field paths"],
    ["duplicate field", NEW_VALUE.replace("fields: [process.name]", "fields: [a, a]"), "duplicate_field", "a]", "listed twice"],
    ["field also grouped by", NEW_VALUE.replace("group_by: [host.name]", "group_by: [process.name]"), "duplicate_field", "[process.name]", "both a watched field and a group-by", 1],
    ["learning not a duration", NEW_VALUE.replace("learning: 3d", "learning: 3 days"), "invalid_duration", "3 days", "a duration such as 7d"],
    ["learning too long", NEW_VALUE.replace("learning: 3d", "learning: 31d"), "duration_out_of_range", "31d", "from 0 to 30d"],
    ["forget-after too short", NEW_VALUE.replace("forget_after: 14d", "forget_after: 12h"), "duration_out_of_range", "12h", "from 1d to 30d"],
    ["rare window not whole days", RARE.replace("window: 5d", "window: 36h"), "invalid_duration", "36h", "whole days"],
    ["rare window too long", RARE.replace("window: 5d", "window: 60d"), "duration_out_of_range", "60d", "from 1d to 30d"],
    ["rare without condition", RARE.replace("  condition: count < 3 and distinct(host.id) == 1\n", ""), "missing_attribute", "rare:", "`rare.condition` is required"],
    ["rare condition syntax", RARE.replace("count < 3 and", "count < 3 nd"), "rare_condition_syntax", "nd distinct", "expected `and`, `or`"],
    ["rare condition distinct over the cap", RARE.replace("== 1", "== 100"), "rare_condition_distinct_limit", "100", "at most 64"],
    ["mitre tactic mismatch", `${NEW_VALUE}mitre: [{tactic: TA0002, technique: T1190}]\n`, "mitre_tactic_mismatch", "T1190", "not a technique of TA0002 Execution"],
    ["mitre sub-technique of another technique", `${NEW_VALUE}mitre: [{tactic: TA0002, technique: T1059, subtechnique: T1505.003}]\n`, "invalid_mitre", "T1505.003", "not a sub-technique of T1059"],
    ["mitre entry without tactic", `${NEW_VALUE}mitre: [{technique: T1059}]\n`, "invalid_mitre", "{technique", "needs a `tactic`"],
    ["template never closed", `${NEW_VALUE}guide:\n  what_happened: "ran {{ process.name"\n`, "invalid_template", "{{ process", "never closed"],
    ["template around a non-field", `${NEW_VALUE}guide:\n  what_happened: "ran {{ 1 + 2 }}"\n`, "invalid_template", "{{ 1", "not a field placeholder"],
    ["guide unknown key", `${NEW_VALUE}guide:\n  triag: [x]\n`, "unknown_attribute", "triag", "did you mean `guide.triage`"],
    ["enabled not a boolean", `${NEW_VALUE}enabled: "yes"\n`, "invalid_attribute", '"yes"', "true or false"],
    ["YAML syntax (a key twice)", `${NEW_VALUE}tags: [a]\ntags: [b]\n`, "yaml_syntax", "tags: [b]", "YAML syntax error"],
    ["not a mapping", "vigil: 1\n---\n- a\n- b\n", "not_a_mapping", "- a", "a native rule is a YAML mapping"],
  ];

  it.each(cases)("%s → %s", (_name, text, code, needle, fragment, nth) => {
    const r = load(text);
    const e = r.errors.find((x) => x.code === code);
    expect(e, r.errors.map((x) => x.message).join("\n")).toBeDefined();
    expect(e!.summary).toContain(fragment);
    expect(e!.source).toMatchObject({ file: "rules/native/test.yml", ...where(text, needle, nth ?? 0) });
    expect(e!.message).toMatch(/^rules\/native\/test\.yml:\d+:\d+: /);
    expect(e!.message).toContain("^");
  });

  it("a KQL error in a multi-line `query: |` points at its character in the file", () => {
    const text = RARE.replace("  process.parent.name:apache2", "  process.parent.name:(apache2 or");
    const r = load(text);
    expect(r.rules).toEqual([]);
    const e = r.errors[0]!;
    expect(e).toBeInstanceOf(QuerySyntaxError);
    expect(e.source).toMatchObject({ line: 9, column: 34 });
    expect(e.message.split("\n").slice(1)).toEqual(["  process.parent.name:(apache2 or", "                                 ^"]);
  });

  it("an EQL error on a one-line query points at its column", () => {
    const r = load(QUERY.replace('== "nc"', '== "nc'));
    expect(r.errors[0]!.source).toMatchObject(where(QUERY, '"nc"'));
  });

  it("a query over the length limit is a LimitExceededError", () => {
    const r = loadNativeRuleFile({ path: "x.yml", text: NEW_VALUE }, { ...context, limits: { ...DEFAULT_RULE_LIMITS, maxQueryLength: 10 } });
    expect(r.errors[0]).toBeInstanceOf(LimitExceededError);
    expect(r.errors[0]!.code).toBe("query_too_long");
  });

  it("collects every problem of a rule at once", () => {
    const text = NEW_VALUE.replace("severity: high", "severity: urgent").replace("learning: 3d", "learning: 99d").replace("id: 6c1f3b5e-1d2a-4c8b-9e7f-0a1b2c3d4e5f", "id: x");
    expect(load(text).errors.map((e) => e.code)).toEqual(["invalid_id", "invalid_severity", "duration_out_of_range"]);
  });

  it("`x-` keys are free at every level; other unknown keys are errors", () => {
    const r = load(NEW_VALUE.replace("  learning: 3d", "  learning: 3d\n  x-note: tuned for web01").replace("type: new_value", "type: new_value\nx-owner: soc"));
    expect(r.errors).toEqual([]);
  });

  it("ATT&CK ids the catalogue does not know are warnings, and the rule loads", () => {
    const r = load(`${NEW_VALUE}tags: [attack.t9999]\nmitre: [{tactic: TA0002, technique: T1059.999}]\n`);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => [w.code, w.source.line])).toEqual([
      ["unknown_attack_tag", where(`${NEW_VALUE}tags: [attack.t9999]`, "attack.t9999").line],
      ["mitre_unknown_id", where(`${NEW_VALUE}tags: [attack.t9999]\nmitre`, "mitre").line],
    ]);
    expect(r.rules).toHaveLength(1);
  });

  it("error classes: validation for rule content, syntax for YAML and queries", () => {
    expect(load(NEW_VALUE.replace("severity: high", "severity: urgent")).errors[0]).toBeInstanceOf(RuleValidationError);
    expect(load(`${NEW_VALUE}tags: [a]\ntags: [b]\n`).errors[0]).toBeInstanceOf(QuerySyntaxError);
  });
});

describe("one pass reports everything", () => {
  it("a rule with metadata errors still has its query checked", () => {
    const text = RARE.replace("severity: high", "severity: hihg").replace("  process.parent.name:apache2", "  process.parent.name:(apache2 or");
    const r = load(text);
    expect(r.rules).toEqual([]);
    expect(r.errors.map((e) => [e.code, e.source.line])).toEqual([
      ["invalid_severity", 5],
      ["kql_unexpected_end", 9],
    ]);
  });
});
