import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANY_CHAR, ANY_CHARS, compilePattern, text, type PatternPart } from "./pattern";
import { compilePatternSet } from "./pattern-set";

const star = ANY_CHARS;

describe("compilePatternSet", () => {
  it("matches when any pattern matches, for every index strategy", () => {
    const suffixes = Array.from({ length: 40 }, (_, i) => [star, text(`\\tool${i}.exe`)]);
    const needles = Array.from({ length: 40 }, (_, i) => [star, text(`needle${i}`), star]);
    const prefixes = Array.from({ length: 40 }, (_, i) => [text(`c:\\dir${i}\\`), star]);
    const set = compilePatternSet([...suffixes, ...needles, ...prefixes, [text("exact")], [text("a"), ANY_CHAR]], {
      caseInsensitive: true,
    });
    expect(set.test("c:\\x\\tool17.exe")).toBe(true);
    expect(set.test("run needle39 now")).toBe(true);
    expect(set.test("c:\\dir3\\x")).toBe(true);
    expect(set.test("exact")).toBe(true);
    expect(set.test("ab")).toBe(true);
    expect(set.test("c:\\x\\tool40.exe")).toBe(false);
    expect(set.test("nothing")).toBe(false);
  });

  it("a lone * in the set matches every value", () => {
    expect(compilePatternSet([[text("x")], [star]], { caseInsensitive: false }).test("anything")).toBe(true);
  });

  it("equals the OR of the individual matchers (property)", () => {
    const part = fc.oneof(fc.constantFrom<PatternPart>(star, ANY_CHAR), fc.stringMatching(/^[abc]{1,3}$/).map((s) => text(s)));
    fc.assert(
      fc.property(
        fc.array(fc.array(part, { maxLength: 4 }), { maxLength: 30 }),
        fc.stringMatching(/^[abc]{0,8}$/),
        (patterns, value) => {
          const expected = patterns.some((p) => compilePattern(p, { caseInsensitive: false }).test(value));
          expect(compilePatternSet(patterns, { caseInsensitive: false }).test(value)).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
