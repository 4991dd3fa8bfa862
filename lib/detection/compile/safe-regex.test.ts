import { describe, expect, it } from "vitest";
import { LimitExceededError, QuerySyntaxError, UnsupportedFeatureError } from "../errors";
import { compileSafeRegex } from "./safe-regex";

function errorOf(pattern: string): unknown {
  try {
    compileSafeRegex(pattern);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${pattern} to be rejected`);
}

describe("compileSafeRegex", () => {
  it("searches unanchored and is case-sensitive unless asked", () => {
    const re = compileSafeRegex("cmd\\.exe");
    expect(re.test("C:\\cmd.exe /c")).toBe(true);
    expect(re.test("CMD.EXE")).toBe(false);
    expect(compileSafeRegex("cmd\\.exe", { ignoreCase: true }).test("CMD.EXE")).toBe(true);
  });

  it("supports the m and s flags", () => {
    expect(compileSafeRegex("^b", {}).test("a\nb")).toBe(false);
    expect(compileSafeRegex("^b", { multiline: true }).test("a\nb")).toBe(true);
    expect(compileSafeRegex("a.b").test("a\nb")).toBe(false);
    expect(compileSafeRegex("a.b", { dotAll: true }).test("a\nb")).toBe(true);
  });

  it("runs a catastrophic-backtracking pattern in linear time (RE2)", () => {
    // A backtracking engine needs ~2^n steps here; with n = 100 000 it would never return.
    const re = compileSafeRegex("(a+)+$");
    expect(re.test(`${"a".repeat(100_000)}!`)).toBe(false);
    expect(compileSafeRegex("^(a|aa)+$").test(`${"a".repeat(100_000)}b`)).toBe(false);
    expect(compileSafeRegex("(x+x+)+y").test("x".repeat(50_000))).toBe(false);
  });

  it.each<[string, string, number, number]>([
    ["ab(?<=b)c", "regex_lookaround", 2, 4],
    ["(?<!x)y", "regex_lookaround", 0, 4],
    ["foo(?=bar)", "regex_lookaround", 3, 3],
    ["a(?!b)", "regex_lookaround", 1, 3],
    ["(a)\\1", "regex_backreference", 3, 2],
    ["(?<n>a)\\k<n>", "regex_backreference", 7, 3],
    ["(?>a+)b", "regex_atomic_group", 0, 3],
    ["a++b", "regex_possessive", 1, 2],
    ["a{2}+", "regex_possessive", 3, 2],
    ["abc\\Z", "regex_unsupported_escape", 3, 2],
    ["(?(1)a|b)", "regex_conditional", 0, 3],
    ["(?R)", "regex_recursion", 0, 3],
  ])("%s is unsupported (%s) at offset %i", (pattern, code, offset, length) => {
    const error = errorOf(pattern);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ code, source: { offset, length } });
  });

  it.each(["[(?=x)]", "\\(?=x\\)", "a+?b", "(?:a)", "(?P<name>a)", "(?<name>a)", "(?i)abc", "[]a]", "[^]a]"])(
    "%s is not mistaken for an unsupported construct",
    (pattern) => {
      expect(() => compileSafeRegex(pattern)).not.toThrow();
    },
  );

  it("reports RE2's own unsupported syntax without rewriting it", () => {
    expect(errorOf("a(?#comment)b")).toBeInstanceOf(UnsupportedFeatureError);
  });

  it("reports patterns that are not regular expressions as syntax errors", () => {
    const error = errorOf("(unclosed");
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect(error).toMatchObject({ code: "regex_syntax" });
  });

  it("refuses patterns past the length limit and programs past RE2's memory budget", () => {
    expect(() => compileSafeRegex("a".repeat(100), { maxLength: 10 })).toThrow(LimitExceededError);
    for (const pattern of ["((\\pL{30}){30})", "((a{100}){100}){100}"]) {
      const error = errorOf(pattern);
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(error).toMatchObject({ code: "regex_too_complex" });
    }
  });
});
