import { describe, expect, it } from "vitest";
import { QuerySyntaxError, RuleValidationError, UnsupportedFeatureError } from "../errors";
import { DEFAULT_RULE_LIMITS, loadRules, type LoadContext } from "../rules/load-rules";
import { elasticRuleFormat, loadElasticRuleFile } from "./elastic-rule-format";

const context: LoadContext = { limits: DEFAULT_RULE_LIMITS, config: { placeholders: {} } };

function rule(fields: Record<string, string>, query: string, extra = ""): string {
  const lines = Object.entries({
    rule_id: '"aaaaaaaa-0000-0000-0000-000000000001"',
    name: '"Test rule"',
    description: '"Finds things."',
    severity: '"high"',
    risk_score: "73",
    type: '"query"',
    language: '"kuery"',
    ...fields,
  }).map(([k, v]) => `${k} = ${v}`);
  return `[metadata]\nmaturity = "production"\n\n[rule]\n${lines.join("\n")}\nquery = '''\n${query}\n'''\n${extra}`;
}

const load = (text: string, path = "rules/test.toml") => loadElasticRuleFile({ path, text }, context);

describe("elasticRuleFormat.claims", () => {
  it.each<[string, string, boolean]>([
    ["a.toml", "[rule]\nname = 'x'", true],
    ["a.TOML", "# c\n[metadata]\n", true],
    ["a.toml", "[tool.poetry]\n", false],
    ["a.yml", "[rule]\n", false],
    ["crlf.toml", "[metadata]\r\nmaturity = 'x'\r\n[rule]\r\n", true],
  ])("%s %j → %s", (path, text, claimed) => {
    expect(elasticRuleFormat.claims({ path, text })).toBe(claimed);
  });
});

describe("loading runnable rules", () => {
  it("a KQL query rule loads with its metadata and runs", () => {
    const r = load(rule({ tags: '["Windows"]', references: '["https://x"]', author: '["Elastic"]' }, "process.name:cmd.exe"));
    expect(r.errors).toEqual([]);
    const [loaded] = r.rules;
    expect(loaded!.meta).toMatchObject({
      id: "aaaaaaaa-0000-0000-0000-000000000001",
      name: "Test rule",
      format: "elastic",
      type: "query",
      severity: "high",
      riskScore: 73,
      tags: ["Windows"],
      references: ["https://x"],
      author: ["Elastic"],
      enabledByDefault: true,
    });
    expect(loaded!.source).toEqual({ path: "rules/test.toml", text: expect.any(String), line: 1 });
    expect(loaded!.detector!.test({ process: { name: "cmd.exe" } })).toBe(true);
    expect(loaded!.detector!.explain({ process: { name: "cmd.exe" } })).toEqual({
      details: [{ condition: "process.name:cmd.exe", field: "process.name", value: "cmd.exe" }],
      language: "kuery",
    });
  });

  it("an EQL rule loads and runs", () => {
    const r = load(rule({ type: '"eql"', language: '"eql"' }, 'process where process.name : "CMD.EXE"'));
    expect(r.errors).toEqual([]);
    expect(r.rules[0]!.meta.type).toBe("eql");
    expect(r.rules[0]!.detector!.test({ event: { category: ["process"] }, process: { name: "cmd.exe" } })).toBe(true);
  });

  const newTerms = (window: string, fields = '["host.id", "process.name"]') =>
    `\n[rule.new_terms]\nfield = "new_terms_fields"\nvalue = ${fields}\n[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "${window}"\n`;

  it("a new_terms rule is stateful: its query selects the candidates, new_terms_fields and the window form the spec", () => {
    const r = load(rule({ type: '"new_terms"' }, "process.name:bash", newTerms("now-7d")));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const loaded = r.rules[0]!;
    expect(loaded.meta.type).toBe("new_terms");
    expect(loaded.unsupported).toBeUndefined();
    const detector = loaded.detector!;
    expect(detector.kind).toBe("stateful");
    expect(detector.kind === "stateful" && detector.spec).toEqual({ kind: "novelty", fields: ["host.id", "process.name"], groupBy: [], windowMs: 7 * 86_400_000, learningMs: 0 });
    expect(detector.test({ process: { name: "bash" } })).toBe(true);
    expect(detector.test({ process: { name: "sh" } })).toBe(false);
    expect(detector.explain({ process: { name: "bash" } })).toEqual({
      details: [{ condition: "process.name:bash", field: "process.name", value: "bash" }],
      language: "kuery",
    });
    expect(detector.prefilter).toBeDefined();
    expect(r.models[0]!.newTerms).toEqual({ fields: ["host.id", "process.name"], historyWindowStart: "now-7d", historyWindowMs: 7 * 86_400_000 });
  });

  it.each<[string, number]>([
    ["now-7d", 7 * 86_400_000],
    ["now-14d", 14 * 86_400_000],
    ["now-2w", 14 * 86_400_000],
    ["now-1w-12h", 7.5 * 86_400_000],
    ["now-36H", 36 * 3_600_000],
    [" now-30m ", 1_800_000],
  ])("history_window_start %j is a window of %i ms (date math)", (window, ms) => {
    const r = load(rule({ type: '"new_terms"' }, "process.name:bash", newTerms(window)));
    expect(r.errors).toEqual([]);
    expect(r.models[0]!.newTerms!.historyWindowMs).toBe(ms);
  });

  it.each<[string, string]>([
    ["now-1M", "months have no fixed length"],
    ["now-7d/d", "rounding (/d)"],
    ["now+1d", "does not lie in the past"],
    ["now", "does not lie in the past"],
    ["2026-11-01", "not date math relative to now"],
    ["7d", "not date math relative to now"],
  ])("history_window_start %j is an error (%s)", (window, message) => {
    const r = load(rule({ type: '"new_terms"' }, "process.name:bash", newTerms(window)));
    expect(r.rules).toEqual([]);
    expect(r.errors.map((e) => e.code)).toEqual(["elastic_invalid_new_terms"]);
    expect(r.errors[0]!.summary).toContain(message);
  });

  it("maturity development or deprecated disables the rule by default", () => {
    for (const maturity of ["development", "deprecated"]) {
      const text = rule({}, "a:b").replace('maturity = "production"', `maturity = "${maturity}"`);
      expect(load(text).rules[0]!.meta.enabledByDefault).toBe(false);
    }
  });

  it("false positives from the file and from the guide's analysis section are merged", () => {
    const note = '"""### False positive analysis\\n\\n- Backups.\\n"""';
    const r = load(rule({ false_positives: '["Admins."]', note }, "a:b"));
    expect(r.rules[0]!.meta.falsePositives).toEqual(["Admins.", "Backups."]);
  });
});

describe("rules Vigil cannot run load as unsupported, with the reason", () => {
  it.each<[string, Record<string, string>, string, string]>([
    ["threshold", { type: '"threshold"' }, "a:b", "elastic_rule_type_unsupported"],
    ["machine_learning", { type: '"machine_learning"' }, "a:b", "elastic_rule_type_unsupported"],
    ["esql", { type: '"esql"', language: '"esql"' }, "from logs-*", "elastic_rule_type_unsupported"],
    ["threat_match", { type: '"threat_match"' }, "a:b", "elastic_rule_type_unsupported"],
    ["lucene", { language: '"lucene"' }, "a:b", "elastic_rule_type_unsupported"],
    ["EQL sequence", { type: '"eql"', language: '"eql"' }, "sequence [process where true] [file where true]", "eql_sequence"],
    ["EQL pipe", { type: '"eql"', language: '"eql"' }, "process where true | head 1", "eql_pipe"],
    ["KQL .text field", {}, "process.command_line.text:foo", "kql_text_field"],
  ])("%s", (_name, fields, query, code) => {
    const r = load(rule(fields, query));
    expect(r.errors).toEqual([]);
    const loaded = r.rules[0]!;
    expect(loaded.detector).toBeNull();
    expect(loaded.unsupported).toBeInstanceOf(UnsupportedFeatureError);
    expect(loaded.unsupported!.code).toBe(code);
    expect(loaded.unsupported!.source.file).toBe("rules/test.toml");
    // The rule keeps its own type, so the console never shows a threshold rule as a query rule.
    const declared = fields.type ? JSON.parse(fields.type) : "query";
    expect(loaded.meta.type).toBe(declared);
  });

  it("an unsupported construct inside the query points at it in the file", () => {
    const r = load(rule({ type: '"eql"', language: '"eql"' }, "process where true\n| head 1"));
    expect(r.rules[0]!.unsupported!.source).toMatchObject({ line: 14, column: 1 });
  });
});

describe("errors point into the file", () => {
  it("a KQL syntax error inside ''' is placed at its line and column, with a caret", () => {
    const r = load(rule({}, "process.name:(cmd.exe or\n  powershell.exe"));
    expect(r.rules).toEqual([]);
    const e = r.errors[0]!;
    expect(e).toBeInstanceOf(QuerySyntaxError);
    expect(e.source).toMatchObject({ file: "rules/test.toml", line: 14, column: 17 });
    expect(e.message).toBe("rules/test.toml:14:17: expected `and`, `or` or `)` but found end of query (opened at offset 13)\n  powershell.exe\n                ^");
  });

  it("an EQL error inside a basic \"\"\" string is placed through its escapes", () => {
    const text = rule({ type: '"eql"', language: '"eql"' }, "x").replace("query = '''\nx\n'''", 'query = """\nprocess where a == \\"\\\\\\\\x\\" and b = 1\n"""');
    const r = load(text);
    const e = r.errors[0]!;
    expect(e.code).toBe("eql_single_equals");
    const line = text.split("\n")[e.source.line! - 1]!;
    expect(line.slice(e.source.column! - 1)).toBe("= 1");
  });

  it("CRLF files load, and errors are still placed on the right line", () => {
    const good = load(rule({}, "process.name:cmd.exe").replace(/\n/g, "\r\n"));
    expect(good.errors).toEqual([]);
    expect(good.rules[0]!.detector!.test({ process: { name: "cmd.exe" } })).toBe(true);
    const bad = load(rule({}, "process.name:(cmd.exe or\n  powershell.exe").replace(/\n/g, "\r\n"));
    expect(bad.errors[0]!.source).toMatchObject({ line: 14, column: 17 });
  });

  it("a compile error (unknown function) is placed too", () => {
    const r = load(rule({ type: '"eql"', language: '"eql"' }, "process where\n  nope(a)"));
    expect(r.errors[0]).toBeInstanceOf(RuleValidationError);
    expect(r.errors[0]!.source).toMatchObject({ line: 14, column: 3 });
  });

  it("a query over the size limit is a LimitExceededError at the query", () => {
    const small: LoadContext = { ...context, limits: { ...DEFAULT_RULE_LIMITS, maxQueryLength: 10 } };
    const r = loadElasticRuleFile({ path: "x.toml", text: rule({}, "process.name:cmd.exe") }, small);
    expect(r.errors[0]!.code).toBe("query_too_long");
    expect(r.errors[0]!.source.file).toBe("x.toml");
  });

  it("malformed ATT&CK entries are errors at their table", () => {
    const threat = '\n[[rule.threat]]\nframework = "MITRE ATT&CK"\n[rule.threat.tactic]\nid = "TA00X"\nname = "Bad"\nreference = "https://attack.mitre.org/tactics/TA00X/"\n';
    const r = load(rule({}, "a:b", threat));
    const e = r.errors.find((x) => x.code === "mitre_threat_invalid_id");
    expect(e).toBeDefined();
    expect(e!.source).toMatchObject({ file: "rules/test.toml", line: 19 });
    expect(r.rules).toHaveLength(1);
  });
});

describe("through loadRules (the registry path the CLI uses)", () => {
  it("collects across files and reports duplicate ids", () => {
    const text = rule({}, "a:b");
    const result = loadRules(
      [
        { path: "one.toml", text },
        { path: "two.toml", text },
        { path: "broken.toml", text: "[rule]\nname = \n" },
      ],
      { loaders: [elasticRuleFormat] },
    );
    expect(result.rules).toHaveLength(1);
    expect(result.errors.map((e) => [e.source.file, e.code])).toEqual([
      ["two.toml", "duplicate_rule_id"],
      ["broken.toml", "toml_syntax"],
    ]);
  });
});
