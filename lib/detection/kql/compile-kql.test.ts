import { describe, expect, it } from "vitest";
import { DetectionError, RuleValidationError, UnsupportedFeatureError } from "../errors";
import type { EcsEvent } from "../event/types";
import type { Prefilter } from "../rules/detector";
import { compileKql } from "./compile-kql";
import { parseKql } from "./parse-kql";

const compile = (q: string, now?: () => number) => compileKql(parseKql(q), { source: q, ...(now && { now }) });
const matches = (q: string, e: EcsEvent, now?: () => number) => compile(q, now).test(e);

const proc: EcsEvent = {
  "@timestamp": "2026-11-09T10:15:02.123Z",
  event: { category: ["process"], type: ["start"], code: 4688 },
  process: {
    name: "cmd.exe",
    args: ["cmd.exe", "/V:ON", "--header-html", "mode CON"],
    pid: 42,
    parent: { name: "Java", executable: "/u01/app/java" },
    command_line: 'cmd.exe /c "echo *"',
  },
  user: { name: "IIS APPPOOL\\Pool" },
  dns: { answers: [{ type: "A", data: "1.2.3.4" }, { type: "CNAME", data: "cdn" }] },
  empty: [],
  nothing: null,
};

describe("compileKql: name is the query", () => {
  it.each<[string, boolean]>([
    ["process.name:cmd.exe", true],
    ["process.name:Cmd.exe", false],
    ["process.name.caseless:CMD.EXE", true],
    ["process.parent.name.caseless:java", true],
    ["process.parent.name:java", false],
    ["process.name:c*", true],
    ["process.name:*.EXE", false],
    ["process.name.caseless:*.EXE", true],
    ["process.name:cmd?exe", false],
    ['process.name:"cmd*"', false],
    ["process.args:/V\\:ON", true],
    ['process.args:("/V:ON" and "--header-html")', true],
    ['process.args:("/V:ON" and "/nope")', false],
    ['process.args:("mode CON")', true],
    ["process.args:mode CON", true],
    ["process.args:(not cmd.exe)", false],
    ["not process.args:cmd.exe", false],
    ["not process.args:nope", true],
    ["not missing.field:x", true],
    ["missing.field:x", false],
    ["process.command_line:*", true],
    ["missing.field:*", false],
    ["nothing:*", false],
    ["empty:*", false],
    ["dns:*", true],
    ["event.code:4688", true],
    ["event.code:04688", false],
    ["process.pid:42", true],
    ["process.pid >= 42", true],
    ["process.pid > 42", false],
    ["process.pid < 100", true],
    ["process.name >= cmd", true],
    ["process.name < cmd", false],
    ['@timestamp >= "2026-11-09"', true],
    ['@timestamp >= "2026-11-09T10:15:03"', false],
    ['@timestamp <= "2026-11-09||/d"', true],
    ["process.*:Java", true],
    ["*.name:cmd.exe", true],
    ["process.p*.name:cmd.exe", false],
    ["cmd.exe", true],
    ["Java", true],
    ["4688", true],
    ["nope", false],
    ["cmd*", true],
    ['"mode CON"', true],
    ["dns.answers:{ type:CNAME and data:cdn }", true],
    ["dns.answers:{ type:CNAME and data:1.2.3.4 }", false],
    ["dns.answers:{ not type:A }", true],
    ["dns.answers.type:CNAME and dns.answers.data:1.2.3.4", true],
    ["user.name:IIS APPPOOL\\\\Pool", true],
    ["", true],
  ])("%s → %s", (q, expected) => {
    expect(matches(q, proc)).toBe(expected);
  });
});

describe("compileKql: dates and date math", () => {
  const now = () => Date.parse("2026-11-10T00:00:00Z");
  it.each<[string, boolean]>([
    ['@timestamp >= "now-1d"', true],
    ['@timestamp >= "now-12h"', false],
    // gt rounds up to the end of the day: the whole of 2026-11-09 is excluded; gte rounds down.
    ['@timestamp > "now-1d/d"', false],
    ['@timestamp >= "now-1d/d"', true],
    ['@timestamp < "now/d"', true],
  ])("%s → %s", (q, expected) => {
    expect(matches(q, proc, now)).toBe(expected);
  });
});

describe("compileKql: errors with positions", () => {
  function error(q: string): DetectionError {
    try {
      compile(q);
    } catch (e) {
      if (e instanceof DetectionError) return e;
      throw e;
    }
    throw new Error("expected an error");
  }

  it("an unquoted null is rejected at its position", () => {
    const e = error("a:x and b:null");
    expect(e).toBeInstanceOf(RuleValidationError);
    expect(e.code).toBe("kql_null_value");
    expect(e.source).toMatchObject({ offset: 10, line: 1, column: 11 });
  });

  it('a quoted "null" is text', () => {
    expect(matches('a:"null"', { a: "null" })).toBe(true);
  });

  it("analyzed .text multi-fields are reported unsupported, never silently never-matching", () => {
    const e = error("process.command_line.text:foo");
    expect(e).toBeInstanceOf(UnsupportedFeatureError);
    expect(e.code).toBe("kql_text_field");
    expect(e.source.offset).toBe(0);
  });
});

describe("compileKql: explain", () => {
  it("names the positive clauses, their fields and values", () => {
    const c = compile("process.name:cmd.exe and not process.name:x or process.pid:1");
    expect(c.explain(proc)).toEqual([{ condition: "process.name:cmd.exe", field: "process.name", value: "cmd.exe" }]);
  });

  it("drops clauses of a failed alternative", () => {
    const c = compile("(process.name:cmd.exe and process.pid:1) or event.code:4688");
    expect(c.explain(proc)).toEqual([{ condition: "event.code:4688", field: "event.code", value: 4688 }]);
  });

  it("a free-text match names the field it was found in", () => {
    expect(compile("Java").explain(proc)).toEqual([{ condition: "Java", field: "process.parent.name", value: "Java" }]);
  });

  it("a nested match names the element's fields under the path", () => {
    const details = compile("dns.answers:{ type:CNAME }").explain(proc);
    expect(details[0]).toEqual({ condition: "type:CNAME", field: "dns.answers.type", value: "CNAME" });
  });
});

describe("compileKql: prefilter", () => {
  const strip = (p: Prefilter | undefined): unknown => JSON.parse(JSON.stringify(p ?? null, (_k, v) => (typeof v === "function" ? "fn" : v)));

  it("a category conjunct becomes the shared scope, the most specific value conjunct its atom", () => {
    expect(strip(compile("event.category:process and host.os.type:linux and process.name:(bash or sh*)").prefilter)).toEqual({
      kind: "scope",
      key: "elastic-category:event.category=process",
      test: "fn",
      within: {
        kind: "anyOf",
        of: [
          { kind: "equals", field: "process.name", values: ["bash"], caseInsensitive: false },
          { kind: "startswith", field: "process.name", values: ["sh"], caseInsensitive: false },
        ],
      },
    });
  });

  it("caseless reads the base field, folded", () => {
    expect(strip(compile("process.name.caseless:CMD.EXE").prefilter)).toEqual({ kind: "equals", field: "process.name", values: ["cmd.exe"], caseInsensitive: true });
  });

  it("wildcards give prefix, suffix or contained text; a lone * gives nothing", () => {
    expect(strip(compile("a:*mimikatz*").prefilter)).toMatchObject({ kind: "contains", values: ["mimikatz"] });
    expect(strip(compile("a:*.exe").prefilter)).toMatchObject({ kind: "endswith", values: [".exe"] });
    expect(compile("a:(* or x)").prefilter).toBeUndefined();
    expect(compile("a:x or b:y").prefilter).toBeUndefined();
    expect(compile("not a:x").prefilter).toBeUndefined();
  });
});
