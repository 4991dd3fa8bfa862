import { describe, expect, it } from "vitest";
import { RuleValidationError, UnsupportedFeatureError } from "../errors";
import { DEFAULT_RULE_LIMITS, loadRuleFile, loadRules } from "../rules/load-rules";
import { DEFAULT_RISK_SCORE } from "../rules/model";
import { splitAuthors } from "./rule-meta";
import { SIGMA_RULE_FORMAT } from "./sigma-loader";
import { ruleText, TEST_RULE_ID } from "./test-support";

const context = { limits: DEFAULT_RULE_LIMITS, config: { placeholders: {} } };
const load = (text: string, path = "rules/x.yml") => loadRuleFile({ path, text }, [SIGMA_RULE_FORMAT], context);

describe("SIGMA_RULE_FORMAT", () => {
  it("claims YAML files with a top-level detection or correlation", () => {
    expect(SIGMA_RULE_FORMAT.claims({ path: "a.yml", text: ruleText("s:\n    F: x\ncondition: s") })).toBe(true);
    expect(SIGMA_RULE_FORMAT.claims({ path: "a.yaml", text: "title: x\ncorrelation:\n  type: event_count\n" })).toBe(true);
    expect(SIGMA_RULE_FORMAT.claims({ path: "a.toml", text: ruleText("s:\n    F: x\ncondition: s") })).toBe(false);
    expect(SIGMA_RULE_FORMAT.claims({ path: "a.yml", text: "type: new_value\nquery: x\n" })).toBe(false);
  });

  it("turns a rule into the normalized rule record", () => {
    const text = ruleText(
      "s:\n    F: x\ncondition: s",
      "category: process_creation\n    product: windows",
      "description: Detects x\nauthor: Florian Roth (Nextron Systems), Zach Stanford @svch0st, Tim\nreferences:\n    - https://example.org\nfalsepositives:\n    - Admins\ntags:\n    - attack.execution\n    - attack.t1059.001\n",
    ).replace("level: medium", "level: critical");
    const { rules, errors } = load(text);
    expect(errors).toEqual([]);
    expect(rules[0]!.meta).toMatchObject({
      id: TEST_RULE_ID,
      name: "Test rule",
      description: "Detects x",
      format: "sigma",
      type: "query",
      severity: "critical",
      riskScore: DEFAULT_RISK_SCORE.critical,
      tags: ["attack.execution", "attack.t1059.001"],
      references: ["https://example.org"],
      falsePositives: ["Admins"],
      author: ["Florian Roth (Nextron Systems)", "Zach Stanford @svch0st", "Tim"],
      guide: { triage: [], response: [] },
      enabledByDefault: true,
    });
    expect(rules[0]!.meta.mitre).toMatchObject([{ tactic: { id: "TA0002" }, technique: { id: "T1059" }, subtechnique: { id: "T1059.001" } }]);
    expect(rules[0]!.source).toEqual({ path: "rules/x.yml", text, line: 1 });
  });

  it("defaults the severity to medium and disables deprecated and unsupported rules by default", () => {
    const base = ruleText("s:\n    F: x\ncondition: s").replace("level: medium\n", "");
    expect(load(base).rules[0]!.meta.severity).toBe("medium");
    expect(load(base.replace("status: test", "status: deprecated")).rules[0]!.meta.enabledByDefault).toBe(false);
    expect(load(base.replace("status: test", "status: unsupported")).rules[0]!.meta.enabledByDefault).toBe(false);
  });

  it("loads rules it cannot run with detector null and the reason", () => {
    const { rules, errors } = load(ruleText("s:\n    F: x\ncondition: s", "category: webserver"));
    expect(errors).toEqual([]);
    expect(rules[0]!.detector).toBeNull();
    expect(rules[0]!.unsupported).toBeInstanceOf(UnsupportedFeatureError);
    expect(rules[0]!.unsupported!.message).toMatch(/^rules\/x\.yml:4:1: logsource category: webserver is not supported/);
  });

  it("loads correlation rules as unsupported correlation records", () => {
    const { rules } = load(`title: Many\nid: ${TEST_RULE_ID}\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: 5m\n    condition: {gte: 3}\nlevel: high\n`);
    expect(rules[0]!.meta).toMatchObject({ type: "correlation", severity: "high" });
    expect(rules[0]!.detector).toBeNull();
  });

  it("does not load a rule without an id, or with an unconfigured placeholder", () => {
    const noId = load(ruleText("s:\n    F: x\ncondition: s").replace(`id: ${TEST_RULE_ID}\n`, ""));
    expect(noId.rules).toEqual([]);
    expect(noId.errors[0]).toMatchObject({ code: "missing_id", source: { file: "rules/x.yml", line: 1 } });
    const placeholder = load(ruleText("s:\n    F|expand: '%dc%'\ncondition: s"));
    expect(placeholder.rules).toEqual([]);
    expect(placeholder.errors[0]).toBeInstanceOf(RuleValidationError);
  });

  it("takes placeholder values from the engine configuration", () => {
    const r = loadRules([{ path: "x.yml", text: ruleText("s:\n    F|expand: '%dc%'\ncondition: s") }], { loaders: [SIGMA_RULE_FORMAT], config: { placeholders: { dc: ["dc1"] } } });
    expect(r.errors).toEqual([]);
    expect(r.rules[0]!.detector!.test({ host: { os: { type: "linux" } }, event: { category: ["process"], type: ["start"] }, F: "DC1" })).toBe(true);
  });

  it("reports each rule of a multi-document file at its own line", () => {
    const second = ruleText("s:\n    F: y\ncondition: s").replace(TEST_RULE_ID, "00000000-0000-4000-8000-000000000002");
    const { rules } = load(`${ruleText("s:\n    F: x\ncondition: s")}---\n${second}`);
    expect(rules.map((r) => r.source.line)).toEqual([1, 13]);
    expect(rules[1]!.source.text.startsWith("title: Test rule")).toBe(true);
  });
});

describe("warnings", () => {
  it("point at ATT&CK tags the catalogue does not know, and the rule still loads", () => {
    const text = ruleText("s:\n    F: x\ncondition: s", undefined, "tags:\n    - attack.execution\n    - attack.t9999\n    - cve.2021-44228\n");
    const result = load(text);
    expect(result.rules).toHaveLength(1);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings![0]).toMatchObject({ code: "unknown_attack_tag", source: { file: "rules/x.yml", line: 14, column: 7 } });
  });
  it("say that a timeframe does nothing on a single-event rule", () => {
    expect(load(ruleText("s:\n    F: x\ntimeframe: 5m\ncondition: s")).warnings![0]).toMatchObject({ code: "timeframe_ignored" });
  });
});

describe("splitAuthors", () => {
  it.each([
    ["Thomas Patzke, Florian Roth (Nextron Systems), Zach Stanford @svch0st", ["Thomas Patzke", "Florian Roth (Nextron Systems)", "Zach Stanford @svch0st"]],
    ["A (x, y), B", ["A (x, y)", "B"]],
    ["", []],
    [undefined, []],
  ])("%j", (input, expected) => {
    expect(splitAuthors(input)).toEqual(expected);
  });
});
