import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ANY_CHAR,
  ANY_CHARS,
  compilePattern,
  globMatch,
  literalOf,
  normalizePattern,
  patternShape,
  patternToRegexSource,
  text,
  type PatternPart,
} from "./pattern";

const star = ANY_CHARS;
const q = ANY_CHAR;

describe("normalizePattern", () => {
  it("merges adjacent texts, drops empty ones and collapses runs of *", () => {
    expect(normalizePattern([text("a"), text(""), text("b"), star, star, q, star])).toEqual([text("ab"), star, q, star]);
  });
});

describe("patternShape picks the fast path", () => {
  it.each<[string, PatternPart[], string]>([
    ["plain text is equality", [text("cmd.exe")], "equals"],
    ["the empty pattern is equality with the empty string", [], "equals"],
    ["text then * is a prefix test", [text("c:\\"), star], "startsWith"],
    ["* then text is a suffix test", [star, text("\\cmd.exe")], "endsWith"],
    ["* text * is a substring test", [star, text("mimikatz"), star], "includes"],
    ["text * text is prefix and suffix", [text("c:\\"), star, text(".exe")], "startsAndEndsWith"],
    ["a lone * matches anything", [star], "anything"],
    ["? needs the glob matcher", [text("prog"), q, text(".exe")], "glob"],
    ["two inner * need the glob matcher", [star, text("a"), star, text("b"), star], "glob"],
  ])("%s", (_name, parts, kind) => {
    expect(patternShape(parts).kind).toBe(kind);
  });
});

describe("compilePattern", () => {
  it("folds the pattern once and expects folded values when case-insensitive", () => {
    const m = compilePattern([star, text("\\CMD.exe")], { caseInsensitive: true });
    expect(m.shape).toEqual({ kind: "endsWith", value: "\\cmd.exe" });
    expect(m.test("c:\\windows\\system32\\cmd.exe")).toBe(true);
  });

  it("compares exactly when case-sensitive", () => {
    const m = compilePattern([text("CMD.exe")], { caseInsensitive: false });
    expect(m.test("CMD.exe")).toBe(true);
    expect(m.test("cmd.exe")).toBe(false);
  });

  it("prefix and suffix must not overlap", () => {
    const m = compilePattern([text("ab"), star, text("ba")], { caseInsensitive: false });
    expect(m.test("aba")).toBe(false);
    expect(m.test("abba")).toBe(true);
  });

  it.each<[string, PatternPart[], string, boolean]>([
    ["? matches exactly one character", [text("prog"), q, text(".exe")], "progA.exe", true],
    ["? does not match zero characters", [text("prog"), q, text(".exe")], "prog.exe", false],
    ["? counts an astral character once", [text("a"), q, text("b")], "a😀b", true],
    ["inner * backtracks", [star, text("ab"), star, text("abc")], "xxababxabc", true],
    ["inner * fails cleanly", [star, text("ab"), star, text("abc")], "xxababxab", false],
    ["trailing ? after *", [text("a"), star, q], "a", false],
    ["trailing ? after * with one character", [text("a"), star, q], "ab", true],
  ])("glob: %s", (_name, parts, value, expected) => {
    expect(compilePattern(parts, { caseInsensitive: false }).test(value)).toBe(expected);
  });

  it("agrees with an anchored regular expression on random patterns (property)", () => {
    const part = fc.oneof(
      fc.constantFrom<PatternPart>(star, q),
      fc.stringMatching(/^[ab\\.]{1,3}$/).map((s) => text(s)),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), fc.stringMatching(/^[ab\\.]{0,10}$/), (parts, value) => {
        const reference = new RegExp(patternToRegexSource(parts), "u").test(value);
        expect(globMatch(normalizePattern(parts), value)).toBe(reference);
        expect(compilePattern(parts, { caseInsensitive: false }).test(value)).toBe(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it("stays fast on adversarial globs (no exponential backtracking)", () => {
    const parts: PatternPart[] = [];
    for (let i = 0; i < 20; i++) parts.push(star, text("a"));
    parts.push(text("b"));
    expect(compilePattern(parts, { caseInsensitive: false }).test("a".repeat(5000))).toBe(false);
  });
});

describe("literalOf", () => {
  it("returns the text of wildcard-free patterns only", () => {
    expect(literalOf([text("a"), text("b")])).toBe("ab");
    expect(literalOf([text("a"), star])).toBeUndefined();
  });
});
