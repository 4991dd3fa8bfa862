import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSafeRegex } from "../../compile/safe-regex";
import { luceneRegexpToRe2 } from "../../eql/lucene-regexp";
import { parseSigmaRegex, patternToLucene, patternToRe2, printLucene, printRe2, type RegexFlags } from "./sigma-regex";

const NO_FLAGS: RegexFlags = { ignoreCase: false, multiline: false, dotAll: false };

function lucene(pattern: string, flags: Partial<RegexFlags> = {}): string {
  const parsed = parseSigmaRegex(pattern, { ...NO_FLAGS, ...flags });
  if (!parsed.ok) throw new Error(parsed.reason);
  const out = printLucene(parsed.value);
  if (!out.ok) throw new Error(out.reason);
  return out.value;
}

function re2(pattern: string, flags: Partial<RegexFlags> = {}): string {
  const parsed = parseSigmaRegex(pattern, { ...NO_FLAGS, ...flags });
  if (!parsed.ok) throw new Error(parsed.reason);
  return printRe2(parsed.value);
}

function reason(pattern: string, flags: Partial<RegexFlags> = {}): string {
  const parsed = parseSigmaRegex(pattern, { ...NO_FLAGS, ...flags });
  if (!parsed.ok) return parsed.reason;
  const out = printLucene(parsed.value);
  return out.ok ? "" : out.reason;
}

describe("Lucene: the search becomes a whole-value match", () => {
  it.each([
    ["abc", ".*abc.*"],
    ["^abc", "abc.*"],
    ["abc$", ".*abc"],
    ["\\Aabc\\z", "abc"],
    ["^ab|cd$|ef", "ab.*|.*cd|.*ef.*"],
    ["\\A(?:a|b)", "(a|b).*"],
    ["(?:x+)\\z", ".*x+"],
    ["(^a|^b)", "a.*|b.*"],
    ["", ".*.*"],
  ])("%j → %j", (pattern, expected) => {
    expect(lucene(pattern)).toBe(expected);
  });
});

describe("Lucene: RE2 constructs written as Lucene has them", () => {
  it.each<[string, Partial<RegexFlags>, string]>([
    ["a.b", {}, ".*a[^\n]b.*"],
    ["a.b", { dotAll: true }, ".*a.b.*"],
    ["\\d\\D\\w\\W\\s\\S", {}, ".*[0-9][^0-9][0-9A-Za-z_][^0-9A-Za-z_][\t\n\f\r ][^\t\n\f\r ].*"],
    ["[\\d.a-c-]", {}, ".*[0-9\\.a-c\\-].*"],
    ["[^\\w]", {}, ".*[^0-9A-Za-z_].*"],
    ["a{2}b{1,}c{0,3}d*?", {}, ".*a{2}b+c{0,3}d*.*"],
    ["(ab)+", {}, ".*(ab)+.*"],
    ['"@#&<>~', {}, '.*\\"\\@\\#\\&\\<\\>\\~.*'],
    ["\\x41\\u00e9\\t", {}, ".*Aé\t.*"],
    ["a{,3}", {}, ".*a\\{\\,3\\}.*"],
  ])("%j %j → %j", (pattern, flags, expected) => {
    expect(lucene(pattern, flags)).toBe(expected);
  });

  it("a leading (?i) sets the flag", () => {
    const parsed = parseSigmaRegex("(?is)x", NO_FLAGS);
    expect(parsed.ok && parsed.value.flags).toEqual({ ignoreCase: true, multiline: false, dotAll: true });
  });
});

describe("what has no Lucene form is a reason, never a rewrite", () => {
  it.each<[string, Partial<RegexFlags>, RegExp]>([
    ["\\bsh\\b", {}, /word boundaries/],
    ["\\pL", {}, /Unicode classes/],
    ["[[:alpha:]]", {}, /POSIX/],
    ["^x", { multiline: true }, /`m` flag/],
    ["a^b", {}, /anywhere but at the start or end/],
    ["(a)\\1", {}, /backreferences/],
    ["(?=a)", {}, /lookaround/],
    ["a(?i)b", {}, /inline flags/],
    ["a*+", {}, /possessive/],
    ["[\\D]", {}, /inside a character class/],
    ["\\Qa\\E", {}, /quoted text/],
  ])("%j %j", (pattern, flags, expected) => {
    expect(reason(pattern, flags)).toMatch(expected);
  });
});

describe("RE2 (Kusto)", () => {
  it.each<[string, Partial<RegexFlags>, string]>([
    ["/php-fpm[0-9.]*$", {}, "/php-fpm[0-9.]*$"],
    ["(?i)^curl\\s+-[a-z]+", {}, "(?i)^curl\\s+-[a-z]+"],
    ["WGET.*HTTP", { ignoreCase: true }, "(?i)WGET.*HTTP"],
    ["^x", { multiline: true, dotAll: true }, "(?ms)^x"],
    ["(ab)?c", {}, "(?:ab)?c"],
    ["\\u0041\\x{e9}\\n", {}, "Aé\\x{a}"],
    ["\\bsh\\b|\\p{Greek}+", {}, "\\bsh\\b|\\p{Greek}+"],
    ["[\\]\\-^a]", {}, "[\\]\\-\\^a]"],
    ["a{,3}", {}, "a\\{,3\\}"],
  ])("%j %j → %j", (pattern, flags, expected) => {
    expect(re2(pattern, flags)).toBe(expected);
  });
});

describe("wildcard patterns as regular expressions", () => {
  const parts = [{ type: "Text" as const, text: "a.*" }, { type: "AnyChars" as const }, { type: "AnyChar" as const }, { type: "Text" as const, text: "\\b" }];
  it("Lucene", () => expect(patternToLucene(parts)).toBe("a\\.\\*.*.\\\\b"));
  it("RE2", () => expect(patternToRe2(parts)).toBe("\\Aa\\.\\*.*.\\\\b\\z"));
});

/** Small RE2 patterns over a small alphabet, so that random strings match them often. */
const atom = fc.oneof(
  fc.constantFrom("a", "b", "A", "/", "-", "é", " ", "\\.", "\\\\", "\\-", "\\/", "\\x41", "\\n"),
  fc.constantFrom(".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "[ab]", "[^a]", "[a-c]", "[\\d.]", "[^\\s/]", "[-a]", "[\\]]"),
);
const { pattern } = fc.letrec<{ pattern: string; seq: string; piece: string }>((tie) => ({
  pattern: fc.oneof({ weight: 3, arbitrary: tie("seq") }, { weight: 1, arbitrary: fc.tuple(tie("seq"), tie("seq")).map(([a, b]) => `${a}|${b}`) }),
  seq: fc.array(tie("piece"), { minLength: 0, maxLength: 4 }).map((p) => p.join("")),
  piece: fc.oneof(
    { weight: 4, arbitrary: atom },
    { weight: 2, arbitrary: fc.tuple(atom, fc.constantFrom("*", "+", "?", "{1,2}", "{2}", "*?")).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.tuple(tie("pattern"), fc.constantFrom("", "*", "?", "+")).map(([p, q]) => `(?:${p})${q}`) },
    { weight: 1, arbitrary: fc.tuple(tie("pattern"), fc.constantFrom("", "?")).map(([p, q]) => `(${p})${q}`) },
  ),
}));
const anchored = fc.tuple(fc.constantFrom("", "^", "\\A"), pattern, fc.constantFrom("", "$", "\\z")).map(([s, p, e]) => `${s}(?:${p})${e}`);
const flags = fc.record({ ignoreCase: fc.boolean(), multiline: fc.constant(false), dotAll: fc.boolean() });
const subject = fc.array(fc.constantFrom("a", "b", "A", "B", "/", "-", ".", "\\", "é", "É", " ", "\n", "\t", "1", "_", "x"), { maxLength: 10 }).map((c) => c.join(""));

describe("property: the conversions decide like the Sigma engine", () => {
  it("Lucene (through Vigil's EQL regex engine) matches exactly what the Sigma regex finds", () => {
    fc.assert(
      fc.property(fc.oneof(pattern, anchored), flags, fc.array(subject, { minLength: 5, maxLength: 5 }), (p, f, subjects) => {
        const sigma = compileSafeRegex(p, f);
        const parsed = parseSigmaRegex(p, f);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const out = printLucene(parsed.value);
        expect(out.ok).toBe(true);
        if (!out.ok) return;
        const eql = compileSafeRegex(luceneRegexpToRe2(out.value), { ignoreCase: parsed.value.flags.ignoreCase, dotAll: true });
        for (const s of subjects) expect(eql.test(s), `${p} → ${out.value} on ${JSON.stringify(s)}`).toBe(sigma.test(s));
      }),
      { numRuns: 600, seed: 42 },
    );
  });

  it("the RE2 spelling for Kusto (flags inline) matches exactly what the Sigma regex finds", () => {
    fc.assert(
      fc.property(fc.oneof(pattern, anchored), fc.record({ ignoreCase: fc.boolean(), multiline: fc.boolean(), dotAll: fc.boolean() }), fc.array(subject, { minLength: 5, maxLength: 5 }), (p, f, subjects) => {
        const sigma = compileSafeRegex(p, f);
        const parsed = parseSigmaRegex(p, f);
        if (!parsed.ok) throw new Error(parsed.reason);
        const kusto = compileSafeRegex(printRe2(parsed.value));
        for (const s of subjects) expect(kusto.test(s), `${p} → ${printRe2(parsed.value)} on ${JSON.stringify(s)}`).toBe(sigma.test(s));
      }),
      { numRuns: 600, seed: 7 },
    );
  });
});
