import { describe, expect, it } from "vitest";
import { DetectionError, LimitExceededError, QuerySyntaxError, RuleValidationError, UnsupportedFeatureError } from "../errors";
import { cond, withoutLocations } from "./condition-ast";
import { parseSigmaFile, parseSigmaRule } from "./parse-rule";
import { problems, ruleText, TEST_RULE_ID } from "./test-support";

const FILE = "rules/test.yml";

describe("parseSigmaRule builds the typed model", () => {
  const text = `title: Whoami Execution
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
status: test
description: Detects a whoami.exe execution
references:
    - https://example.org/whoami
author: Florian Roth (Nextron Systems), Jane Doe
date: 2019-10-23
modified: 2024-01-02
tags:
    - attack.discovery
    - attack.t1033
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
        EventID:
            - 1
            - 4688
    keywords:
        - 'whoami /all'
    _helper:
        Field: null
    condition: selection or keywords
falsepositives:
    - Admin scripts
level: high
custom_attribute:
    nested: [1, 2]
`;
  const rule = parseSigmaRule(text, { file: FILE });

  it("reads the metadata", () => {
    expect(rule).toMatchObject({
      type: "SigmaRule",
      title: "Whoami Execution",
      id: "929a690e-bef0-4204-a928-ef5e620d6fcc",
      status: "test",
      level: "high",
      author: "Florian Roth (Nextron Systems), Jane Doe",
      date: "2019-10-23",
      modified: "2024-01-02",
      tags: ["attack.discovery", "attack.t1033"],
      references: ["https://example.org/whoami"],
      falsepositives: ["Admin scripts"],
      logsource: { category: "process_creation", product: "windows" },
      custom: { custom_attribute: { nested: [1, 2] } },
      source: { file: FILE, document: 0 },
    });
  });

  it("keeps search identifiers in order with maps as AllOf, keyword lists as items and null values", () => {
    const [selection, keywords, helper] = rule.detection.searches;
    expect(selection!.name).toBe("selection");
    expect(selection!.expression.type).toBe("AllOf");
    if (selection!.expression.type !== "AllOf") return;
    const [image, eventId] = selection!.expression.items;
    expect(image).toMatchObject({ field: "Image", modifiers: [{ name: "endswith" }], linking: "any", negated: false });
    expect(image!.values).toMatchObject([{ type: "String", value: "\\whoami.exe" }]);
    expect(eventId!.values).toMatchObject([
      { type: "Number", value: 1, raw: "1" },
      { type: "Number", value: 4688 },
    ]);
    expect(keywords!.expression).toMatchObject({ type: "DetectionItem", field: null, valueIsList: true });
    expect(helper!.expression).toMatchObject({ type: "AllOf", items: [{ field: "Field", values: [{ type: "Null" }] }] });
  });

  it("positions every node: line and column of the key", () => {
    const selection = rule.detection.searches[0]!;
    expect(selection.location).toMatchObject({ line: 17, column: 5 });
    if (selection.expression.type !== "AllOf") throw new Error("map");
    expect(selection.expression.items[0]!.modifiers[0]!.location).toMatchObject({ line: 18, column: 15 });
  });

  it("parses the condition into the AST", () => {
    expect(withoutLocations(rule.detection.conditions[0]!.ast)).toEqual(cond.or(cond.id("selection"), cond.id("keywords")));
  });

  it("accepts an already-parsed object", () => {
    const fromObject = parseSigmaRule({
      title: "t",
      id: TEST_RULE_ID,
      logsource: { product: "windows" },
      detection: { sel: { EventID: 1 }, condition: "sel" },
    });
    expect(fromObject.detection.searches[0]!.name).toBe("sel");
  });

  it("keeps a `__proto__` attribute as data, never as a prototype", () => {
    const r = parseSigmaRule(ruleText("sel:\n    F: x\ncondition: sel", undefined, "__proto__:\n    polluted: true\n"));
    expect(Object.getPrototypeOf(r.custom)).toBe(Object.prototype);
    expect(Object.hasOwn(r.custom, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads a list of maps as an OR of maps and a list-valued condition", () => {
    const r = parseSigmaRule(ruleText("sel:\n    - Image|endswith: '\\\\a.exe'\n    - Description|contains: 'Test'\nother: 'x'\ncondition:\n    - sel\n    - other"));
    expect(r.detection.searches[0]!.expression).toMatchObject({ type: "AnyOf", items: [{ type: "AllOf" }, { type: "AllOf" }] });
    expect(r.detection.conditions).toHaveLength(2);
  });

  it("reads Vigil's guide attribute", () => {
    const r = parseSigmaRule(
      ruleText("sel:\n    F: x\ncondition: sel", undefined, "vigil:\n    guide:\n        what_happened: 'x ran'\n        triage:\n            - one\n            - two\n        response: [stop it]\n        notes: n\n"),
    );
    expect(r.guide).toEqual({ whatHappened: "x ran", triage: ["one", "two"], response: ["stop it"], notes: "n" });
  });
});

function only(text: string): DetectionError {
  const all = problems(text, undefined, FILE);
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe("errors name the file, line and column", () => {
  it("a YAML syntax error", () => {
    const error = only(`title: t\nid: ${TEST_RULE_ID}\nlogsource: {product: windows\ndetection:\n    condition: sel\n`);
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect(error.code).toBe("yaml_syntax");
    expect(error.source).toMatchObject({ file: FILE, line: 4 });
    expect(error.message).toMatch(/^rules\/test\.yml:4:\d+: YAML syntax error/);
  });

  it("an undefined identifier in the condition, with a caret under it", () => {
    const error = only(ruleText("selection:\n    F: x\ncondition: selection and not filter"));
    expect(error).toBeInstanceOf(RuleValidationError);
    expect(error).toMatchObject({ code: "undefined_identifier", source: { file: FILE, line: 10, column: 34, length: 6 } });
    expect(error.message).toBe(
      "rules/test.yml:10:34: `filter` is not a search identifier of this rule\n    condition: selection and not filter\n                                 ^^^^^^",
    );
  });

  it("an undefined identifier in a quoted condition", () => {
    const error = only(ruleText("selection:\n    F: x\ncondition: 'selection or sel2'"));
    expect(error).toMatchObject({ code: "undefined_identifier", source: { line: 10, column: 30 } });
  });

  it("a condition keyword in upper case gets a hint", () => {
    expect(only(ruleText("a:\n    F: x\nb:\n    F: y\ncondition: a AND b")).message).toContain("operators are lower case");
  });

  it("a pattern that selects no identifier", () => {
    const error = only(ruleText("selection:\n    F: x\ncondition: selection and not 1 of filter_*"));
    expect(error).toMatchObject({ code: "pattern_matches_nothing", source: { line: 10, column: 34 } });
  });

  it("a condition syntax error", () => {
    const error = only(ruleText("selection:\n    F: x\ncondition: selection and"));
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect(error).toMatchObject({ code: "condition_syntax", source: { line: 10, column: 29 } });
  });

  it("a catastrophic regex is accepted and safe; one past RE2's budget is a limit error at the value", () => {
    expect(problems(ruleText("sel:\n    F|re: '(a+)+$'\ncondition: sel"))).toEqual([]);
    const error = only(ruleText("sel:\n    CommandLine|re: '((\\pL{30}){30})'\ncondition: sel"));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ code: "regex_too_complex", source: { file: FILE, line: 9, column: 26 } });
  });

  it("collects every error of a rule rather than stopping at the first", () => {
    const all = problems(ruleText("a:\n    F|nope: x\nb:\n    G|contains|all: y\ncondition: a or c", "product: windows").replace("level: medium", "level: severe"));
    expect(all.map((e) => e.code).sort()).toEqual(["all_single_value", "invalid_level", "undefined_identifier", "unknown_modifier"].sort());
  });

  it("a rule that fails anyway also reports its regex problems, in file order", () => {
    const all = problems(ruleText("a:\n    F|re: '(?<=x)y'\n    G|nope: x\ncondition: a"));
    expect(all.map((e) => [e.code, e.source.line])).toEqual([
      ["regex_lookaround", 9],
      ["unknown_modifier", 10],
    ]);
  });

  it("missing or wrongly typed attributes", () => {
    expect(problems("id: x\nlogsource: {product: windows}\ndetection: {condition: s, s: {F: 1}}\n").map((e) => e.code)).toEqual(
      expect.arrayContaining(["missing_attribute", "invalid_id"]),
    );
    expect(problems(ruleText("sel:\n    F: x\ncondition: sel", "product: windows").replace("status: test", "status: beta"))[0]).toMatchObject({ code: "invalid_status" });
    expect(problems(ruleText("sel:\n    F: x\n", "product: windows"))[0]).toMatchObject({ code: "missing_condition" });
    expect(problems(ruleText("sel: {}\ncondition: sel"))[0]).toMatchObject({ code: "empty_search" });
    expect(problems(ruleText("sel:\n    - null\ncondition: sel"))[0]).toMatchObject({ code: "keyword_null" });
    expect(problems(ruleText("sel:\n    F: x\ncondition: sel", "product: windows", "vigil:\n    guide:\n        triag: [x]\n"))[0]).toMatchObject({
      code: "unknown_attribute",
    });
  });

  it("the file never throws: non-YAML, non-mapping documents", () => {
    expect(parseSigmaFile("- a\n- b\n").errors[0]).toMatchObject({ code: "not_a_mapping" });
    expect(parseSigmaFile(": : :\n\t- x").errors.length).toBeGreaterThan(0);
  });

  it("parseSigmaRule throws the first error unless collecting", () => {
    expect(() => parseSigmaRule(ruleText("sel:\n    F: x\ncondition: nope"))).toThrow(RuleValidationError);
    const collected = parseSigmaRule(ruleText("sel:\n    F: x\ncondition: nope"), { collectErrors: true });
    expect(collected.rule).toBeUndefined();
    expect(collected.errors).toHaveLength(1);
  });

  it("aliases are resolved, with a budget against alias bombs", () => {
    const ok = parseSigmaFile(`title: t\nid: ${TEST_RULE_ID}\nlogsource: {product: windows}\ndetection:\n    a: &v {F: x}\n    b: *v\n    condition: a and b\n`);
    expect(ok.errors).toEqual([]);
    const bomb = ["a0: &a0 [x]", ...Array.from({ length: 12 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}]`)].join("\n");
    const result = parseSigmaFile(`title: t\nid: ${TEST_RULE_ID}\nlogsource: {product: windows}\nx:\n  ${bomb.replaceAll("\n", "\n  ")}\ndetection: {s: {F: 1}, condition: s}\n`);
    expect(result.errors[0]).toBeInstanceOf(LimitExceededError);
  });
});

describe("multi-document files", () => {
  it("hold several rules, each with its own line", () => {
    const text = `${ruleText("sel:\n    F: a\ncondition: sel")}---\n${ruleText("sel:\n    F: b\ncondition: sel").replace(TEST_RULE_ID, "00000000-0000-4000-8000-000000000002")}`;
    const result = parseSigmaFile(text, { file: FILE });
    expect(result.errors).toEqual([]);
    expect(result.rules.map((r) => [r.id, r.location.line])).toEqual([
      [TEST_RULE_ID, 1],
      ["00000000-0000-4000-8000-000000000002", 13],
    ]);
  });

  it("one broken rule does not cost the others", () => {
    const text = `${ruleText("sel:\n    F: a\ncondition: nope")}---\n${ruleText("sel:\n    F: b\ncondition: sel")}`;
    const result = parseSigmaFile(text);
    expect(result.rules).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
  });

  it("action: global is merged into the following rules; reset ends it; repeat repeats the previous rule", () => {
    const text = `action: global
title: Global title
status: test
logsource:
    product: windows
detection:
    filter:
        User: 'SYSTEM'
    condition: selection and not filter
level: high
---
id: 00000000-0000-4000-8000-00000000000a
logsource:
    service: security
detection:
    selection:
        EventID: 4625
---
action: repeat
id: 00000000-0000-4000-8000-00000000000b
detection:
    selection:
        EventID: 4624
---
action: reset
---
title: Standalone
id: 00000000-0000-4000-8000-00000000000c
logsource:
    product: windows
detection:
    selection:
        EventID: 1
    condition: selection
`;
    const result = parseSigmaFile(text, { file: FILE });
    expect(result.errors).toEqual([]);
    expect(result.rules.map((r) => [r.id, r.title, r.level, r.logsource.service, r.detection.searches.map((s) => s.name)])).toEqual([
      ["00000000-0000-4000-8000-00000000000a", "Global title", "high", "security", ["filter", "selection"]],
      ["00000000-0000-4000-8000-00000000000b", "Global title", "high", "security", ["filter", "selection"]],
      ["00000000-0000-4000-8000-00000000000c", "Standalone", undefined, undefined, ["selection"]],
    ]);
    expect(result.rules[0]!.source.text).toMatch(/^action: global[\s\S]*\n---\nid: 00000000-0000-4000-8000-00000000000a/);
  });

  it("correlation rules and meta filters are read and reported unsupported", () => {
    const text = `title: Many failed logons
id: 00000000-0000-4000-8000-0000000000cc
correlation:
    type: event_count
    rules: [failed_logon]
    group-by: [User]
    timespan: 5m
    condition: {gte: 10}
level: high
`;
    const result = parseSigmaFile(text, { file: FILE });
    expect(result.rules).toEqual([]);
    expect(result.unsupported[0]!.document).toMatchObject({ type: "SigmaCorrelation", title: "Many failed logons", level: "high" });
    expect(result.unsupported[0]!.reason).toBeInstanceOf(UnsupportedFeatureError);
    expect(result.unsupported[0]!.reason).toMatchObject({ code: "correlation_unsupported", source: { file: FILE, line: 1 } });
  });
});

describe("limits on user-authored rules", () => {
  it("refuse rules with too many values", () => {
    const values = Array.from({ length: 50 }, (_, i) => `        - v${i}`).join("\n");
    const result = parseSigmaFile(ruleText(`sel:\n    F:\n${values}\ncondition: sel`), { limits: { maxNodes: 10 } });
    expect(result.errors[0]).toBeInstanceOf(LimitExceededError);
  });
  it("refuse overlong conditions", () => {
    const result = parseSigmaFile(ruleText("sel:\n    F: x\ncondition: sel or sel or sel"), { limits: { maxQueryLength: 5 } });
    expect(result.errors[0]).toMatchObject({ code: "condition_too_long" });
  });
  it("every error is a DetectionError", () => {
    for (const e of problems("{{{")) expect(e).toBeInstanceOf(DetectionError);
  });
});
