import { describe, expect, it } from "vitest";
import { LimitExceededError, RuleValidationError, UnsupportedFeatureError } from "../errors";
import type { EventObject } from "../event/types";
import { SIGMA_MODIFIERS } from "./modifiers";
import { parseSigmaFile } from "./parse-rule";
import { detect, lnx, problems, ruleText } from "./test-support";
import type { SigmaMatchValue } from "./types";

/** Whether the detection block matches an event with the given fields. */
function hit(detection: string, fields: EventObject, config?: { placeholders: Record<string, string[]> }): boolean {
  return detect(detection, config).test(lnx(fields));
}

function matchValues(detection: string): SigmaMatchValue[] {
  const parsed = parseSigmaFile(ruleText(detection));
  if (parsed.errors.length) throw parsed.errors[0];
  const search = parsed.rules[0]!.detection.searches[0]!.expression;
  const item = search.type === "AllOf" ? search.items[0]! : search;
  if (item.type !== "DetectionItem") throw new Error("expected an item");
  return item.matchValues;
}

function strings(values: SigmaMatchValue[]): string[] {
  return values.flatMap((v) =>
    v.type === "Expansion" ? strings([...v.values]) : v.type === "String" ? [v.parts.map((p) => (p.type === "Text" ? p.text : p.type === "AnyChars" ? "*" : "?")).join("")] : [],
  );
}

describe("the modifier registry", () => {
  it("has every modifier of the specification v2.1 (and pySigma's aliases)", () => {
    expect(Object.keys(SIGMA_MODIFIERS).sort()).toEqual(
      [
        "all",
        "base64",
        "base64offset",
        "cased",
        "cidr",
        "contains",
        "day",
        "dotall",
        "endswith",
        "exists",
        "expand",
        "fieldref",
        "gt",
        "gte",
        "hour",
        "i",
        "ignorecase",
        "lt",
        "lte",
        "m",
        "minute",
        "month",
        "multiline",
        "neq",
        "re",
        "s",
        "startswith",
        "utf16",
        "utf16be",
        "utf16le",
        "week",
        "wide",
        "windash",
        "year",
      ].sort(),
    );
  });
});

describe("contains / startswith / endswith", () => {
  it.each<[string, string, boolean]>([
    ["contains", "run MimiKatz now", true],
    ["contains", "mimi", false],
    ["startswith", "mimikatz.exe", true],
    ["startswith", "x mimikatz", false],
    ["endswith", "c:\\tools\\mimikatz", true],
    ["endswith", "mimikatz.exe", false],
  ])("%s 'mimikatz' on %j: %s", (modifier, value, expected) => {
    expect(hit(`sel:\n    Field|${modifier}: 'mimikatz'\ncondition: sel`, { Field: value })).toBe(expected);
  });

  it("keep wildcards inside the value", () => {
    expect(hit("sel:\n    Field|contains: 'a*c'\ncondition: sel", { Field: "xxabbbcxx" })).toBe(true);
    expect(hit("sel:\n    Field|endswith: '\\\\?.exe'\ncondition: sel", { Field: "c:\\x.exe" })).toBe(true);
  });

  it("apply to numbers as their text (`EventID|startswith: 46`)", () => {
    expect(hit("sel:\n    Field|startswith: 46\ncondition: sel", { Field: 4688 })).toBe(true);
  });

  it("on a regex anchor it (startswith → \\A, endswith → \\z) or leave it (contains)", () => {
    expect(strings(matchValues("sel:\n    F|re|startswith: 'ab'\ncondition: sel"))).toEqual([]);
    expect(hit("sel:\n    Field|re|startswith: 'b+'\ncondition: sel", { Field: "abb" })).toBe(false);
    expect(hit("sel:\n    Field|re|startswith: 'b+'\ncondition: sel", { Field: "bba" })).toBe(true);
    expect(hit("sel:\n    Field|re|endswith: 'a|b'\ncondition: sel", { Field: "bx" })).toBe(false);
    expect(hit("sel:\n    Field|re|endswith: 'a|b'\ncondition: sel", { Field: "xb" })).toBe(true);
    expect(hit("sel:\n    Field|re|contains: 'b'\ncondition: sel", { Field: "abc" })).toBe(true);
  });
});

describe("all", () => {
  const d = "sel:\n    Field|contains|all:\n        - 'sc'\n        - 'query'\ncondition: sel";
  it("requires every value", () => {
    expect(hit(d, { Field: "sc.exe query x" })).toBe(true);
    expect(hit(d, { Field: "sc.exe stop x" })).toBe(false);
  });
  it("lets each value match a different element of an array (any-element semantics per value)", () => {
    expect(hit(d, { Field: ["sc.exe", "query"] })).toBe(true);
  });
  it("on keywords requires each keyword somewhere in the event", () => {
    const k = "keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '\ncondition: keywords";
    expect(hit(k, { message: "Set-OabVirtualDirectory -ExternalUrl http://x" })).toBe(true);
    expect(hit(k, { message: "Set-OabVirtualDirectory", other: "a -ExternalUrl b" })).toBe(true);
    expect(hit(k, { message: "Set-OabVirtualDirectory" })).toBe(false);
  });
});

describe("exists", () => {
  it("tests presence, whatever the value (even null or empty)", () => {
    const d = "sel:\n    Field|exists: true\ncondition: sel";
    expect(hit(d, { Field: "" })).toBe(true);
    expect(hit(d, { Field: null })).toBe(true);
    expect(hit(d, {})).toBe(false);
    expect(hit("sel:\n    Field|exists: false\ncondition: sel", {})).toBe(true);
    expect(hit("sel:\n    Field|exists: false\ncondition: sel", { Field: null })).toBe(false);
  });
  it("needs a boolean", () => {
    expect(problems(ruleText("sel:\n    Field|exists: 'yes'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_type" });
  });
});

describe("cased", () => {
  it("compares case-sensitively; default comparisons are case-insensitive", () => {
    expect(hit("sel:\n    Field: 'CMD.exe'\ncondition: sel", { Field: "cmd.EXE" })).toBe(true);
    expect(hit("sel:\n    Field|cased: 'CMD.exe'\ncondition: sel", { Field: "cmd.EXE" })).toBe(false);
    expect(hit("sel:\n    Field|cased: 'CMD.exe'\ncondition: sel", { Field: "CMD.exe" })).toBe(true);
    expect(hit("sel:\n    Field|contains|cased: 'Mimi'\ncondition: sel", { Field: "xMimix" })).toBe(true);
    expect(hit("sel:\n    Field|contains|cased: 'Mimi'\ncondition: sel", { Field: "xmimix" })).toBe(false);
  });
});

describe("neq", () => {
  const d = "sel:\n    Field|neq:\n        - 'a'\n        - 'b'\ncondition: sel";
  it("holds when the field has a value that matches none of the values", () => {
    expect(hit(d, { Field: "c" })).toBe(true);
    expect(hit(d, { Field: "A" })).toBe(false);
    expect(hit(d, { Field: "b" })).toBe(false);
  });
  it("does not hold on a missing or null field", () => {
    expect(hit(d, {})).toBe(false);
    expect(hit(d, { Field: null })).toBe(false);
  });
  it("holds on an array only when no element matches", () => {
    expect(hit(d, { Field: ["c", "d"] })).toBe(true);
    expect(hit(d, { Field: ["c", "a"] })).toBe(false);
  });
  it("combines with numbers and with fieldref", () => {
    expect(hit("sel:\n    Port|neq: 443\ncondition: sel", { Port: 80 })).toBe(true);
    expect(hit("sel:\n    Port|neq: 443\ncondition: sel", { Port: 443 })).toBe(false);
    expect(hit("sel:\n    A|fieldref|neq: B\ncondition: sel", { A: "x", B: "y" })).toBe(true);
    expect(hit("sel:\n    A|fieldref|neq: B\ncondition: sel", { A: "x", B: "X" })).toBe(false);
  });
});

describe("windash", () => {
  it("varies a flag's leading dash or slash over -, /, en dash, em dash and horizontal bar", () => {
    expect(strings(matchValues("sel:\n    F|windash: '-enc'\ncondition: sel"))).toEqual(["-enc", "/enc", "\u2013enc", "\u2014enc", "\u2015enc"]);
  });
  it("varies only dashes that start a word (pySigma \\B[-/]\\b)", () => {
    expect(strings(matchValues("sel:\n    F|windash: 'a-b'\ncondition: sel"))).toEqual(["a-b"]);
    expect(strings(matchValues("sel:\n    F|windash: '-ab-cd'\ncondition: sel"))).toHaveLength(5);
    expect(strings(matchValues("sel:\n    F|windash: ' -a /b'\ncondition: sel"))).toHaveLength(25);
    expect(strings(matchValues("sel:\n    F|windash: 'x -'\ncondition: sel"))).toEqual(["x -"]);
  });
  it("matches every variant in events", () => {
    const d = "sel:\n    Field|contains|windash: ' -urlcache '\ncondition: sel";
    for (const flag of ["-", "/", "\u2013", "\u2014", "\u2015"]) expect(hit(d, { Field: `certutil ${flag}urlcache -f x` })).toBe(true);
    expect(hit(d, { Field: "certutil urlcache" })).toBe(false);
  });
  it("refuses values that would expand past the limit", () => {
    const many = Array.from({ length: 8 }, (_, i) => ` -a${i}`).join("");
    expect(problems(ruleText(`sel:\n    F|windash: '${many}'\ncondition: sel`))[0]).toBeInstanceOf(LimitExceededError);
  });
});

describe("re and its flags", () => {
  it("searches unanchored and case-sensitively", () => {
    expect(hit("sel:\n    Field|re: '\\s-c\\s'\ncondition: sel", { Field: "curl -c cookie" })).toBe(true);
    expect(hit("sel:\n    Field|re: '\\s-C\\s'\ncondition: sel", { Field: "curl -c cookie" })).toBe(false);
  });
  it("i, m and s (and ignorecase, multiline, dotall) set flags", () => {
    expect(hit("sel:\n    Field|re|i: 'NTUSER\\.DAT$'\ncondition: sel", { Field: "c:\\users\\x\\ntuser.dat" })).toBe(true);
    expect(hit("sel:\n    Field|re|ignorecase: 'ABC'\ncondition: sel", { Field: "abc" })).toBe(true);
    expect(hit("sel:\n    Field|re: '^b'\ncondition: sel", { Field: "a\nb" })).toBe(false);
    expect(hit("sel:\n    Field|re|m: '^b'\ncondition: sel", { Field: "a\nb" })).toBe(true);
    expect(hit("sel:\n    Field|re|multiline: '^b'\ncondition: sel", { Field: "a\nb" })).toBe(true);
    expect(hit("sel:\n    Field|re: 'a.b'\ncondition: sel", { Field: "a\nb" })).toBe(false);
    expect(hit("sel:\n    Field|re|s: 'a.b'\ncondition: sel", { Field: "a\nb" })).toBe(true);
    expect(hit("sel:\n    Field|re|dotall: 'a.b'\ncondition: sel", { Field: "a\nb" })).toBe(true);
  });
  it("reads the value as written: * and ? are regex syntax, not wildcards", () => {
    expect(hit("sel:\n    Field|re: 'ab*c'\ncondition: sel", { Field: "ac" })).toBe(true);
  });
  it("supports inline flags as in SigmaHQ rules", () => {
    expect(hit("sel:\n    Field|re: '(?i)\\s(-u|--user)\\s*:'\ncondition: sel", { Field: "curl --USER :" })).toBe(true);
  });
  it("must come first, and flags must follow it", () => {
    expect(problems(ruleText("sel:\n    F|contains|re: 'x'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_order" });
    expect(problems(ruleText("sel:\n    F|i: 'x'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_order" });
    expect(problems(ruleText("sel:\n    F|re|cased: 'x'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_type" });
  });
});

describe("base64 and base64offset", () => {
  it("base64 encodes the UTF-8 text", () => {
    expect(strings(matchValues("sel:\n    F|base64: 'http://'\ncondition: sel"))).toEqual(["aHR0cDovLw=="]);
  });
  it("base64offset gives pySigma's three shifted encodings", () => {
    expect(strings(matchValues("sel:\n    F|base64offset: 'foobar'\ncondition: sel"))).toEqual(["Zm9vYmFy", "Zvb2Jhc", "mb29iYX"]);
    expect(strings(matchValues("sel:\n    F|base64offset|contains: 'http://'\ncondition: sel"))).toEqual(["*aHR0cDovL*", "*h0dHA6Ly*", "*odHRwOi8v*"]);
  });
  it("finds the value at any offset of an encoded command line", () => {
    const d = "sel:\n    Field|base64offset|contains: 'IEX (New-Object'\ncondition: sel";
    for (const prefix of ["", "a", "ab", "abc"]) {
      const encoded = Buffer.from(`${prefix}IEX (New-Object Net.WebClient)`).toString("base64");
      expect(hit(d, { Field: `powershell -enc ${encoded}` })).toBe(true);
    }
    expect(hit(d, { Field: `powershell -enc ${Buffer.from("Get-Date").toString("base64")}` })).toBe(false);
  });
  it("refuse wildcards", () => {
    expect(problems(ruleText("sel:\n    F|base64: 'a*'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_wildcard" });
    expect(problems(ruleText("sel:\n    F|contains|base64offset: 'a'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_wildcard" });
  });
});

describe("utf16le / wide / utf16be / utf16", () => {
  it("encode the text, keeping wildcards", () => {
    expect(strings(matchValues("sel:\n    F|utf16le: 'cmd'\ncondition: sel"))).toEqual(["c\0m\0d\0"]);
    expect(strings(matchValues("sel:\n    F|wide: 'cmd'\ncondition: sel"))).toEqual(["c\0m\0d\0"]);
    expect(strings(matchValues("sel:\n    F|utf16be: 'cmd'\ncondition: sel"))).toEqual(["\0c\0m\0d"]);
    expect(strings(matchValues("sel:\n    F|utf16: 'cmd'\ncondition: sel"))).toEqual(["\u00ff\u00fec\0m\0d\0"]);
    expect(strings(matchValues("sel:\n    F|wide|contains: 'cmd'\ncondition: sel"))).toEqual(["*c\0m\0d\0*"]);
  });
  it("feed base64 the encoded bytes (the usual PowerShell -EncodedCommand detection)", () => {
    const d = "sel:\n    Field|wide|base64offset|contains: 'Invoke-Mimikatz'\ncondition: sel";
    const encoded = Buffer.from("IEX; Invoke-Mimikatz -DumpCreds", "utf16le").toString("base64");
    expect(hit(d, { Field: `powershell.exe -EncodedCommand ${encoded}` })).toBe(true);
    expect(strings(matchValues("sel:\n    F|utf16|base64: 'a'\ncondition: sel"))).toEqual([Buffer.from([0xff, 0xfe, 0x61, 0x00]).toString("base64")]);
  });
  it("encode non-ASCII characters correctly (pySigma refuses them)", () => {
    const d = "sel:\n    Field|wide|base64offset|contains: 'Passwörter'\ncondition: sel";
    expect(hit(d, { Field: Buffer.from("x Passwörter y", "utf16le").toString("base64") })).toBe(true);
  });
});

describe("lt / lte / gt / gte", () => {
  it.each<[string, unknown, boolean]>([
    ["lt", 4, true],
    ["lt", 5, false],
    ["lte", 5, true],
    ["gt", 6, true],
    ["gt", "6", true],
    ["gt", "0x10", true],
    ["gte", 5, true],
    ["gte", 4.5, false],
    ["gt", "abc", false],
    ["gt", true, false],
    ["gt", [1, 9], true],
  ])("%s 5 on %j: %s", (modifier, value, expected) => {
    expect(hit(`sel:\n    Field|${modifier}: 5\ncondition: sel`, { Field: value as never })).toBe(expected);
  });
  it("never match a missing field", () => {
    expect(hit("sel:\n    Field|lt: 5\ncondition: sel", {})).toBe(false);
  });
  it("need numbers", () => {
    expect(problems(ruleText("sel:\n    F|gt: 'abc'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_type" });
  });
});

describe("minute / hour / day / week / month / year", () => {
  const ts = { "@timestamp": "2026-11-09T03:15:02.123Z" } as EventObject;
  it.each<[string, number, boolean]>([
    ["minute", 15, true],
    ["hour", 3, true],
    ["hour", 4, false],
    ["day", 9, true],
    ["week", 46, true],
    ["month", 11, true],
    ["year", 2026, true],
  ])("%s %i of 2026-11-09T03:15Z: %s", (unit, value, expected) => {
    expect(hit(`sel:\n    '@timestamp|${unit}': ${value}\ncondition: sel`, ts)).toBe(expected);
  });
  it("read Sysmon's zone-less UtcTime as UTC and epoch numbers", () => {
    expect(hit("sel:\n    UtcTime|hour: 10\ncondition: sel", { UtcTime: "2026-11-09 10:15:02.123" })).toBe(true);
    expect(hit("sel:\n    T|year: 2026\ncondition: sel", { T: Date.UTC(2026, 0, 1) })).toBe(true);
    expect(hit("sel:\n    T|year: 2026\ncondition: sel", { T: "not a date" })).toBe(false);
  });
  it("refuse values outside the unit's range", () => {
    expect(problems(ruleText("sel:\n    F|hour: 24\ncondition: sel"))[0]).toMatchObject({ code: "modifier_range" });
  });
});

describe("cidr", () => {
  const d = "sel:\n    DestinationIp|cidr:\n        - '10.0.0.0/8'\n        - 'fc00::/7'\ncondition: sel";
  it.each([
    ["10.20.30.40", true],
    ["11.0.0.1", false],
    ["fd00::1", true],
    ["2001:db8::1", false],
    ["::ffff:10.1.1.1", true],
    ["not-an-ip", false],
  ])("%s: %s", (ip, expected) => {
    expect(hit(d, { DestinationIp: ip })).toBe(expected);
  });
  it("reports an invalid network at the value", () => {
    const [error] = problems(ruleText("sel:\n    F|cidr: '10.0.0.0/33'\ncondition: sel"));
    expect(error).toBeInstanceOf(RuleValidationError);
    expect(error).toMatchObject({ code: "invalid_cidr", source: { line: 9, column: 17 } });
  });
  it("must be the first modifier", () => {
    expect(problems(ruleText("sel:\n    F|contains|cidr: '10.0.0.0/8'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_order" });
  });
});

describe("expand", () => {
  const d = "sel:\n    Account|expand: '%Admins%'\ncondition: sel";
  it("replaces a placeholder with each configured value (values may use wildcards)", () => {
    const config = { placeholders: { Admins: ["root", "adm_*"] } };
    expect(hit(d, { Account: "ROOT" }, config)).toBe(true);
    expect(hit(d, { Account: "adm_jane" }, config)).toBe(true);
    expect(hit(d, { Account: "jane" }, config)).toBe(false);
  });
  it("combines placeholders and keeps \\% literal", () => {
    const config = { placeholders: { a: ["x", "y"], b: ["1"] } };
    expect(hit("sel:\n    F|expand: '%a%-%b%\\%'\ncondition: sel", { F: "y-1%" }, config)).toBe(true);
  });
  it("leaves %name% literal without the modifier", () => {
    expect(hit("sel:\n    F: '%Admins%'\ncondition: sel", { F: "%admins%" })).toBe(true);
  });
  it("reports an unconfigured placeholder with its position; the rule does not load", () => {
    const [error, ...rest] = problems(ruleText(d));
    expect(rest).toEqual([]);
    expect(error).toBeInstanceOf(RuleValidationError);
    expect(error).toMatchObject({ code: "unconfigured_placeholder", source: { file: "rules/test.yml", line: 9, column: 25 } });
  });
});

describe("fieldref", () => {
  it("compares with another field, case-insensitively unless cased", () => {
    expect(hit("sel:\n    SubjectUserName|fieldref: TargetUserName\ncondition: sel", { SubjectUserName: "Bob", TargetUserName: "bob" })).toBe(true);
    expect(hit("sel:\n    SubjectUserName|fieldref|cased: TargetUserName\ncondition: sel", { SubjectUserName: "Bob", TargetUserName: "bob" })).toBe(false);
    expect(hit("sel:\n    A|fieldref: B\ncondition: sel", { A: "x" })).toBe(false);
  });
  it("combines with contains, startswith and endswith", () => {
    expect(hit("sel:\n    A|fieldref|contains: B\ncondition: sel", { A: "c:\\x\\evil.exe run", B: "EVIL.exe" })).toBe(true);
    expect(hit("sel:\n    A|fieldref|startswith: B\ncondition: sel", { A: "abc", B: "ab" })).toBe(true);
    expect(hit("sel:\n    A|fieldref|endswith: B\ncondition: sel", { A: "abc", B: "ab" })).toBe(false);
  });
  it("refuses wildcards and keywords", () => {
    expect(problems(ruleText("sel:\n    A|fieldref: 'B*'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_wildcard" });
    expect(problems(ruleText("sel:\n    '|fieldref': 'B'\ncondition: sel"))[0]).toMatchObject({ code: "modifier_needs_field" });
  });
});

describe("modifier errors", () => {
  it("an unknown modifier is an error at its position, with a suggestion", () => {
    const [error] = problems(ruleText("sel:\n    Image|endswith|contain: 'x'\ncondition: sel"));
    expect(error).toBeInstanceOf(RuleValidationError);
    expect(error).toMatchObject({ code: "unknown_modifier", source: { file: "rules/test.yml", line: 9, column: 24 } });
    expect(error!.message).toContain("did you mean `contains`?");
    expect(error!.message).toContain("rules/test.yml:9:24");
  });
  it("|all on a single value is an error at the modifier", () => {
    for (const value of ["'x'", "\n            - 'x'"]) {
      const [error] = problems(ruleText(`sel:\n    CommandLine|contains|all: ${value}\ncondition: sel`));
      expect(error).toMatchObject({ code: "all_single_value", source: { line: 9, column: 30 } });
    }
  });
  it("an object value is refused (modifiers want scalars)", () => {
    expect(problems(ruleText("sel:\n    F:\n        a: b\ncondition: sel"))[0]).toMatchObject({ code: "invalid_value" });
  });
  it("null takes no string modifiers", () => {
    expect(problems(ruleText("sel:\n    F|contains: null\ncondition: sel"))[0]).toMatchObject({ code: "modifier_type" });
  });
  it("a lookbehind is unsupported, reported at its position in the file", () => {
    const [error] = problems(ruleText("sel:\n    CommandLine|re: 'abc(?<=c)d'\ncondition: sel"));
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ code: "regex_lookaround", source: { file: "rules/test.yml", line: 9, column: 29, length: 4 } });
  });
});
