import { describe, expect, it } from "vitest";
import { DetectionError, RuleValidationError, UnsupportedFeatureError } from "../errors";
import type { EcsEvent } from "../event/types";
import type { Prefilter } from "../rules/detector";
import { compileEql, dynamicCompare, eqlWildcard } from "./compile-eql";
import { parseEql } from "./parse-eql";

const compile = (q: string) => compileEql(parseEql(q), { source: q });
const where = (cond: string, e: EcsEvent) => compile(`any where ${cond}`).test(e);

const ev: EcsEvent = {
  "@timestamp": "2026-11-09T10:15:02.123Z",
  event: { category: ["process", "file"], type: ["start"], code: "4688" },
  process: {
    name: "CMD.exe",
    executable: "C:\\Windows\\System32\\cmd.exe",
    args: ["cmd.exe", "/C", "whoami"],
    args_count: 3,
    pid: 42,
    parent: { name: "w3wp.exe" },
    elevated: true,
  },
  source: { ip: "10.1.2.3" },
  destination: { ip: "2001:db8::1" },
  url: { domain: "subdomain.example.com" },
};

describe("compileEql: case rules (== case-sensitive, : insensitive)", () => {
  it.each<[string, boolean]>([
    ['process.name == "CMD.exe"', true],
    ['process.name == "cmd.exe"', false],
    ['process.name : "cmd.exe"', true],
    ['process.name : "cmd.*"', true],
    ['process.name : "?md.exe"', true],
    ['process.name != "cmd.exe"', true],
    ['process.name in ("cmd.exe")', false],
    ['process.name in~ ("cmd.exe")', true],
    ['process.name not in ("cmd.exe")', true],
    ['process.name not in~ ("cmd.exe")', false],
    ['process.name like "CMD*"', true],
    ['process.name like "cmd*"', false],
    ['process.name like~ "cmd*"', true],
    ['process.name regex "CMD\\\\.exe"', true],
    ['process.name regex "cmd\\\\.exe"', false],
    ['process.name regex~ "cmd\\\\.exe"', true],
    ['process.name regex "CMD"', false],
    ['process.name == "cmd*"', false],
    ['process.executable : "c:\\\\windows\\\\system32\\\\*"', true],
    ['process.executable : """C:\\Windows\\*"""', true],
  ])("%s → %s", (cond, expected) => {
    expect(where(cond, ev)).toBe(expected);
  });
});

describe("compileEql: functions (lower-case names, ~ variants)", () => {
  it.each<[string, boolean]>([
    ['cidrmatch(source.ip, "10.0.0.0/8")', true],
    ['cidrMatch(source.ip, "192.168.0.0/16", "10.1.0.0/16")', true],
    ['CIDRMATCH(destination.ip, "2001:db8::/32")', true],
    ['cidrmatch(destination.ip, "10.0.0.0/8")', false],
    ['stringcontains(process.name, "MD")', true],
    ['stringcontains(process.name, "md")', false],
    ['stringcontains~(process.name, "md")', true],
    ['stringContains(process.name, "")', false],
    ['startswith(process.name, "CMD")', true],
    ['startsWith~(process.name, "cmd")', true],
    ['endsWith(process.executable, "\\\\cmd.exe")', true],
    ['endsWith(process.executable, "\\\\CMD.EXE")', false],
    ['endsWith~(process.executable, "\\\\CMD.EXE")', true],
    ['indexOf(url.domain, "d") == 3', true],
    ['indexOf(url.domain, "D") == null', true],
    ['indexOf~(url.domain, "D") == 3', true],
    ['indexOf(url.domain, ".", 10) == 17', true],
    ['indexOf(url.domain, ".", 30) == null', true],
    ['between(process.executable, "System32\\\\", ".exe") == "cmd"', true],
    ['between~(process.executable, "system32\\\\", ".exe") == "cmd"', true],
    ['between(process.executable, "\\\\", "\\\\", true) == "Windows\\\\System32"', true],
    ["length(process.name) == 7", true],
    ["add(process.pid, 8) == 50", true],
    ["subtract(process.pid, 2) == 40", true],
    ["multiply(process.pid, 2) == 84", true],
    ["divide(process.pid, 4) == 10", true],
    ["divide(process.pid, 4.0) == 10.5", true],
    ["modulo(process.pid, 5) == 2", true],
    ["process.pid / 4 == 10", true],
    ["process.pid % 40 == 2", true],
    ['number("0x2a") == process.pid', true],
    ['number("2a", 16) == 42', true],
    ['number(event.code) == 4688', true],
    ['string(process.pid) == "42"', true],
    ['concat(process.name, "/", process.pid) == "CMD.exe/42"', true],
    ['substring(process.name, -4) == ".exe"', true],
    ['substring(process.name, 0, 3) == "CMD"', true],
    ['length(process.args) == 2', true],
    ["process.elevated", true],
    ["process.elevated == true", true],
  ])("%s → %s", (cond, expected) => {
    expect(where(cond, ev)).toBe(expected);
  });
});

describe("compileEql: null and missing fields", () => {
  it.each<[string, boolean, string]>([
    ['nope == "x"', false, "missing: no match"],
    ['nope != "x"', true, "!= is must_not term in Elasticsearch: a missing field matches"],
    ['not nope : "x"', true, "not of an index query over a missing field matches"],
    ['nope not in ("x")', true, "not in on a missing field matches"],
    ["nope == null", true, "== null: the field has no value"],
    ["nope != null", false, ""],
    ["?nope == null", true, "?field reads like field"],
    ["process.pid != null", true, ""],
    ["length(nope) > 1", false, "a script over a missing value is null"],
    ["not length(nope) > 1", false, "not null is null: no match"],
    ["not not length(nope) > 1", false, ""],
    ["not (length(nope) > 1 and true)", true, "and/or are index-query level: the null leaf is false there"],
    ['not startsWith(nope, "x")', true, "startsWith(field, constant) is a prefix query: must_not matches"],
    ['not stringContains(concat(nope, "a"), "x")', false, "over a computed value it is a script: null"],
    ["null", false, "a null condition never matches"],
    ['add(nope, 1) == null', true, "a computed null compares to null"],
  ])("%s → %s (%s)", (cond, expected) => {
    expect(where(cond, ev)).toBe(expected);
  });
});

describe("compileEql: arrays (any element; negation when none)", () => {
  it.each<[string, boolean]>([
    ['process.args == "whoami"', true],
    ['process.args : "/c"', true],
    ['process.args != "whoami"', false],
    ['process.args : ("x", "WHOAMI")', true],
    ['not process.args : "whoami"', false],
    ['length(process.args) == 6', true],
    ['stringContains(process.args, "hoa")', true],
    ['event.category == "file"', true],
  ])("%s → %s", (cond, expected) => {
    expect(where(cond, ev)).toBe(expected);
  });

  it("the category is any element of event.category; any matches every event", () => {
    expect(compile("file where true").test(ev)).toBe(true);
    expect(compile("network where true").test(ev)).toBe(false);
    expect(compile("any where true").test({})).toBe(true);
    expect(compile("process where true").test({})).toBe(false);
  });
});

describe("compileEql: comparisons", () => {
  it.each<[string, boolean]>([
    ["process.pid > 41", true],
    ["41 < process.pid", true],
    ["process.pid >= 43", false],
    ['process.name >= "CMD"', true],
    ['@timestamp > "2026-11-09"', true],
    ['@timestamp < "2026-11-09T10:15:02"', false],
    ["1 == 1", true],
    ['"a" == "b"', false],
    ['event.code == 4688', true],
  ])("%s → %s", (cond, expected) => {
    expect(where(cond, ev)).toBe(expected);
  });

  it("dynamic comparison types", () => {
    expect(dynamicCompare("==", 1, "1")).toBe(true);
    expect(dynamicCompare("<", "a", "b")).toBe(true);
    expect(dynamicCompare("==", true, "true")).toBe(false);
    expect(dynamicCompare("!=", true, 1)).toBe(true);
    expect(dynamicCompare("==", null, 1)).toBeNull();
  });

  it("wildcards: * and ? only; the backslash is literal", () => {
    expect(eqlWildcard("a\\*b?")).toEqual([{ type: "Text", text: "a\\" }, { type: "AnyChars" }, { type: "Text", text: "b" }, { type: "AnyChar" }]);
  });
});

describe("compileEql: what does not compile", () => {
  function error(q: string): DetectionError {
    try {
      compile(q);
    } catch (e) {
      if (e instanceof DetectionError) return e;
      throw e;
    }
    throw new Error(`expected ${q} to fail`);
  }

  it.each<[string, string, typeof RuleValidationError | typeof UnsupportedFeatureError, number]>([
    ["sequence [process where true] [file where true]", "eql_sequence", UnsupportedFeatureError, 0],
    ["sample by host.id [process where true] [file where true]", "eql_sample", UnsupportedFeatureError, 0],
    ["join [process where true] [file where true]", "eql_join", UnsupportedFeatureError, 0],
    ["process where true | head 5", "eql_pipe", UnsupportedFeatureError, 19],
    ["process where foo(a)", "eql_unknown_function", RuleValidationError, 14],
    ['process where cidrMatch~(a, "10.0.0.0/8")', "eql_not_case_aware", RuleValidationError, 14],
    ["process where length(a, b)", "eql_function_arity", RuleValidationError, 14],
    ["process where a == b", "eql_field_comparison", RuleValidationError, 14],
    ["process where length(a)", "eql_not_boolean", RuleValidationError, 14],
    ['process where "x"', "eql_not_boolean", RuleValidationError, 14],
    ["process where a : 5", "eql_pattern_not_string", RuleValidationError, 18],
    ["process where a in (b)", "eql_constant_required", RuleValidationError, 20],
    ['process where cidrMatch(a, "10.0.0.0/33")', "eql_invalid_cidr", RuleValidationError, 27],
    ['process where number(a, b) == 1', "eql_constant_required", RuleValidationError, 24],
    ['process where a regex "x~y"', "lucene_regex_operator", UnsupportedFeatureError, 22],
  ])("%s → %s", (q, code, Ctor, offset) => {
    const e = error(q);
    expect(e).toBeInstanceOf(Ctor);
    expect(e.code).toBe(code);
    expect(e.source).toMatchObject({ offset, line: 1, column: offset + 1 });
  });
});

describe("compileEql: explain and prefilter", () => {
  it("explains the positive clauses", () => {
    const c = compile('process where process.name : "cmd.exe" and not process.pid == 1');
    expect(c.explain(ev)).toEqual([
      { condition: "process where …", field: "event.category", value: "process" },
      { condition: 'process.name : "cmd.exe"', field: "process.name", value: "CMD.exe" },
    ]);
  });

  const strip = (p: Prefilter | undefined): unknown => JSON.parse(JSON.stringify(p ?? null, (_k, v) => (typeof v === "function" ? "fn" : v)));

  it("the category scope with the most specific value conjunct", () => {
    expect(strip(compile('process where event.type == "start" and process.name : ("CMD.exe", "*.ps1")').prefilter)).toEqual({
      kind: "scope",
      key: "elastic-category:event.category=process",
      test: "fn",
      within: {
        kind: "anyOf",
        of: [
          { kind: "equals", field: "process.name", values: ["cmd.exe"], caseInsensitive: true },
          { kind: "endswith", field: "process.name", values: [".ps1"], caseInsensitive: true },
        ],
      },
    });
  });

  it("any where with an equality gives a plain atom; an or gives none", () => {
    expect(strip(compile('any where process.pid == 42').prefilter)).toEqual({ kind: "equals", field: "process.pid", values: ["42"], caseInsensitive: false });
    expect(compile("any where a == 1 or b == 2").prefilter).toBeUndefined();
  });

  it("the prefilter is implied by the test (the scope test agrees with the category test)", () => {
    const c = compile("file where true");
    const p = c.prefilter;
    if (!p || p.kind !== "scope") throw new Error("expected a scope");
    for (const e of [ev, {}, { event: { category: "file" } }, { event: { category: ["network"] } }]) {
      if (c.test(e)) expect(p.test(e)).toBe(true);
    }
  });
});
