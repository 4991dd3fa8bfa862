import { describe, expect, it } from "vitest";
import { compileSafeRegex } from "../compile/safe-regex";
import { DetectionError, QuerySyntaxError, UnsupportedFeatureError } from "../errors";
import { luceneRegexpToRe2 } from "./lucene-regexp";

const matches = (pattern: string, value: string, ignoreCase = false) => compileSafeRegex(luceneRegexpToRe2(pattern), { dotAll: true, ignoreCase }).test(value);

describe("luceneRegexpToRe2", () => {
  it.each<[string, string, boolean]>([
    ["abc", "abc", true],
    ["abc", "xabcx", false],
    ["a.c", "a\nc", true],
    ["ab*", "abbb", true],
    ["ab+", "a", false],
    ["ab?c", "ac", true],
    ["a{2,3}", "aaa", true],
    ["a{2}", "aaa", false],
    ["(ab)|c", "c", true],
    ["[a-c]+", "abcab", true],
    ["[^a-c]", "d", true],
    ["[^a-c]", "a", false],
    ['"a.b"', "a.b", true],
    ['"a.b"', "axb", false],
    ["a\\.b", "a.b", true],
    ["@", "anything", true],
    ["a@", "abc", true],
    ["#", "", false],
    ["^a$", "^a$", true],
    ["\\d+", "123", true],
    ["\\w+\\s\\w+", "ab cd", true],
    ["a**", "aaa", true],
    ["a+?", "aa", true],
    ["[\\]]", "]", true],
    ["C:\\\\Windows\\\\.*", "C:\\Windows\\x", true],
  ])("%s against %j → %s", (pattern, value, expected) => {
    expect(matches(pattern, value)).toBe(expected);
  });

  it("case-insensitive", () => {
    expect(matches("cmd\\.exe", "CMD.EXE", true)).toBe(true);
    expect(matches("cmd\\.exe", "CMD.EXE")).toBe(false);
  });

  it.each<[string, string, number]>([
    ["a~b", "lucene_regex_operator", 1],
    ["a&b", "lucene_regex_operator", 1],
    ["<1-10>", "lucene_regex_operator", 0],
    ["(ab", "lucene_regex_syntax", 0],
    ["[ab", "lucene_regex_syntax", 0],
    ["*a", "lucene_regex_syntax", 0],
    ['"ab', "lucene_regex_syntax", 0],
    ["ab)", "lucene_regex_syntax", 2],
  ])("%s → %s at %i", (pattern, code, offset) => {
    let e: unknown;
    try {
      luceneRegexpToRe2(pattern);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DetectionError);
    expect(e).toBeInstanceOf(code === "lucene_regex_operator" ? UnsupportedFeatureError : QuerySyntaxError);
    expect((e as DetectionError).code).toBe(code);
    expect((e as DetectionError).source.offset).toBe(offset);
  });

  it("a pathological pattern runs in linear time", () => {
    expect(matches("(a+)+b", `${"a".repeat(50_000)}c`)).toBe(false);
  });
});
