import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANY_CHAR, ANY_CHARS, text, type PatternPart } from "../compile/pattern";
import { parseSigmaString, printSigmaString } from "./sigma-string";

const star = ANY_CHARS;
const q = ANY_CHAR;

describe("parseSigmaString follows the spec's escaping rules", () => {
  it.each<[string, string, PatternPart[]]>([
    ["a plain backslash before a letter stays (Windows paths)", "C:\\Windows\\System32\\cmd.exe", [text("C:\\Windows\\System32\\cmd.exe")]],
    ["* and ? are wildcards", "prog?.exe*", [text("prog"), q, text(".exe"), star]],
    ["\\* is a literal asterisk", "\\*", [text("*")]],
    ["\\? is a literal question mark", "what\\?", [text("what?")]],
    ["\\\\ is one backslash", "a\\\\b", [text("a\\b")]],
    ["\\\\* is a backslash then a wildcard", "C:\\\\*", [text("C:\\"), star]],
    ["\\\\\\* is a backslash then a literal asterisk", "\\\\\\*", [text("\\*")]],
    ["three backslashes are two (spec)", "\\\\\\", [text("\\\\")]],
    ["four backslashes are two (spec)", "\\\\\\\\", [text("\\\\")]],
    ["a trailing lone backslash is literal", "dir\\", [text("dir\\")]],
    ["a backslash before * escapes it, even in a path: a literal asterisk", "C:\\Users\\*\\AppData", [text("C:\\Users*\\AppData")]],
    ["a path separator before a wildcard is written \\\\*", "C:\\Users\\\\*\\AppData", [text("C:\\Users\\"), star, text("\\AppData")]],
    ["the empty string has no parts", "", []],
    ["%placeholders% are plain text without |expand", "%Admins%", [text("%Admins%")]],
  ])("%s", (_name, raw, parts) => {
    expect(parseSigmaString(raw)).toEqual(parts);
  });

  it("printSigmaString(parseSigmaString(s)) parses back to the same parts (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ab\\*?%]{0,12}$/), (raw) => {
        const parts = parseSigmaString(raw);
        expect(parseSigmaString(printSigmaString(parts))).toEqual(parts);
      }),
      { numRuns: 3000 },
    );
  });
});
