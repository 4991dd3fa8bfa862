import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitExceededError, QuerySyntaxError, RuleValidationError, type DetectionError } from "../errors";
import { stripLocations } from "../kql/ast";
import { evaluateRareCondition, parseRareCondition, printRareCondition, rare, rareConditionFields } from "./rare-condition";
import type { RareComparator, RareCondition } from "./types";

const parse = (text: string) => stripLocations(parseRareCondition(text));

function errorOf(text: string): DetectionError {
  try {
    parseRareCondition(text);
  } catch (error) {
    return error as DetectionError;
  }
  throw new Error(`parsed: ${text}`);
}

describe("parsing", () => {
  it.each<[string, RareCondition]>([
    ["count < 5", rare.count("<", 5)],
    ["count<=5", rare.count("<=", 5)],
    ["distinct(host.id) == 1", rare.distinct("host.id", "==", 1)],
    ["distinct( user.name )!=0", rare.distinct("user.name", "!=", 0)],
    ["count < 5 and distinct(host.id) == 1", rare.and(rare.count("<", 5), rare.distinct("host.id", "==", 1))],
    ["COUNT > 1 AND NOT count >= 10", rare.and(rare.count(">", 1), rare.not(rare.count(">=", 10)))],
  ])("%s", (text, expected) => {
    expect(parse(text)).toEqual(stripLocations(expected));
  });

  it("and binds tighter than or", () => {
    expect(parse("count < 1 or count < 2 and count < 3")).toEqual(stripLocations(rare.or(rare.count("<", 1), rare.and(rare.count("<", 2), rare.count("<", 3)))));
  });

  it("not binds tighter than and", () => {
    expect(parse("not count < 1 and count < 2")).toEqual(stripLocations(rare.and(rare.not(rare.count("<", 1)), rare.count("<", 2))));
  });

  it("parentheses group, and and/or are left-associative", () => {
    expect(parse("(count < 1 or count < 2) and count < 3")).toEqual(stripLocations(rare.and(rare.or(rare.count("<", 1), rare.count("<", 2)), rare.count("<", 3))));
    expect(parse("count < 1 and count < 2 and count < 3")).toEqual(stripLocations(rare.and(rare.and(rare.count("<", 1), rare.count("<", 2)), rare.count("<", 3))));
  });

  it("records positions into the text", () => {
    const ast = parseRareCondition("count < 5 and distinct(host.id) == 1");
    expect(ast).toMatchObject({ type: "And", location: { start: 0, end: 36 }, left: { location: { start: 0, end: 9 } }, right: { location: { start: 14, end: 36 } } });
    expect(parseRareCondition("  not (count < 5)")).toMatchObject({ type: "Not", location: { start: 2, end: 16 } });
  });

  it("lists the fields distinct() counts, once each", () => {
    expect(rareConditionFields(parseRareCondition("distinct(host.id) == 1 or count < 2 and distinct(user.name) < 3 or distinct(host.id) > 4"))).toEqual(["host.id", "user.name"]);
  });
});

describe("syntax errors carry a code, offset, line and column, and render a caret", () => {
  it.each<[string, string, number, string]>([
    ["", "rare_condition_empty", 0, "empty condition"],
    ["count < ", "rare_condition_syntax", 8, "non-negative integer"],
    ["count 5", "rare_condition_syntax", 6, "comparison operator"],
    ["count = 5", "rare_condition_syntax", 6, "use `==`"],
    ["count < 5 and", "rare_condition_syntax", 13, "ends where a comparison was expected"],
    ["count < 5 distinct(x) == 1", "rare_condition_syntax", 10, "expected `and`, `or`"],
    ["counts < 5", "rare_condition_unknown_metric", 0, "unknown metric `counts`"],
    ["distinct host.id == 1", "rare_condition_syntax", 9, "expected `(` after distinct"],
    ["distinct(host.id == 1", "rare_condition_syntax", 17, "expected `)` after the field"],
    ["distinct() == 1", "rare_condition_syntax", 9, "field name"],
    ["(count < 5", "rare_condition_syntax", 10, "expected `)` to close"],
    ["count < 5)", "rare_condition_syntax", 9, "unbalanced `)`"],
    ["count < -1", "rare_condition_syntax", 8, "unexpected character `-`"],
    ["count < 5x", "rare_condition_syntax", 8, "non-negative integer"],
    ["count < 1.5", "rare_condition_syntax", 8, "non-negative integer"],
    ["count < 99999999999999999999", "rare_condition_number", 8, "too large"],
    ["and count < 1", "rare_condition_syntax", 0, "expected a comparison"],
  ])("%j → %s at %i", (text, code, offset, message) => {
    const e = errorOf(text);
    expect(e).toBeInstanceOf(QuerySyntaxError);
    expect(e.code).toBe(code);
    expect(e.source.offset).toBe(offset);
    expect(e.source.line).toBe(1);
    expect(e.source.column).toBe(offset + 1);
    expect(e.summary).toContain(message);
  });

  it("on a later line, the line and column of the offending character, with a caret under it", () => {
    const e = errorOf("count < 5 and\n  distinct(host.id) == x");
    expect(e.source).toMatchObject({ offset: 37, line: 2, column: 24 });
    expect(e.message).toBe("expected a non-negative integer after the operator (line 2, column 24)\n  distinct(host.id) == x\n                       ^");
  });

  it("distinct() compared with more than the per-day cap is a validation error at the number", () => {
    const e = errorOf("distinct(host.id) > 65");
    expect(e).toBeInstanceOf(RuleValidationError);
    expect(e.code).toBe("rare_condition_distinct_limit");
    expect(e.source).toMatchObject({ offset: 20, length: 2 });
    expect(parse("distinct(host.id) > 64")).toEqual(stripLocations(rare.distinct("host.id", ">", 64)));
    expect(parse("count < 1000")).toEqual(stripLocations(rare.count("<", 1000)));
  });

  it("limits: length and depth fail fast", () => {
    expect(errorOf("count < 5 ".repeat(200))).toMatchObject({ code: "rare_condition_too_long" });
    expect(errorOf("count < 5 ".repeat(200))).toBeInstanceOf(LimitExceededError);
    const deep = `${"(".repeat(10_000)}count < 1${")".repeat(10_000)}`;
    const e = errorOf(deep.slice(0, 1000));
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e.code).toBe("rare_condition_too_deep");
    expect(parseRareCondition(`${"not ".repeat(5)}count < 1`, { maxDepth: 5 })).toMatchObject({ type: "Not" });
    expect(() => parseRareCondition(`${"not ".repeat(6)}count < 1`, { maxDepth: 5 })).toThrow(/deeper than 5/);
  });
});

describe("printing", () => {
  it.each<[string, string]>([
    ["count<5 AND distinct(host.id)==1", "count < 5 and distinct(host.id) == 1"],
    ["(count < 1 or count < 2) and count < 3", "(count < 1 or count < 2) and count < 3"],
    ["count < 1 or (count < 2 and count < 3)", "count < 1 or count < 2 and count < 3"],
    ["count < 1 and (count < 2 and count < 3)", "count < 1 and (count < 2 and count < 3)"],
    ["not (count < 1 or count < 2)", "not (count < 1 or count < 2)"],
    ["not not count < 1", "not not count < 1"],
  ])("%s → %s", (text, printed) => {
    expect(printRareCondition(parseRareCondition(text))).toBe(printed);
  });

  const comparison = fc
    .tuple(fc.constantFrom("count", "host.id", "user.name", "@x_y-z"), fc.constantFrom<RareComparator>("<", "<=", ">", ">=", "==", "!="), fc.integer({ min: 0, max: 64 }))
    .map(([m, op, n]) => (m === "count" ? rare.count(op, n) : rare.distinct(m, op, n)));
  const tree = fc.letrec<{ node: RareCondition }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      comparison,
      fc.tuple(tie("node"), tie("node")).map(([l, r]) => rare.and(l, r)),
      fc.tuple(tie("node"), tie("node")).map(([l, r]) => rare.or(l, r)),
      tie("node").map((n) => rare.not(n)),
    ),
  })).node;

  it("parse(print(ast)) is ast, and print is a fixed point", () => {
    fc.assert(
      fc.property(tree, (ast) => {
        const printed = printRareCondition(ast);
        expect(stripLocations(parseRareCondition(printed, { maxLength: 1 << 20, maxDepth: 1000 }))).toEqual(stripLocations(ast));
        expect(printRareCondition(parseRareCondition(printed, { maxLength: 1 << 20, maxDepth: 1000 }))).toBe(printed);
      }),
      { numRuns: 300 },
    );
  });
});

describe("evaluation", () => {
  const metrics = (count: number, distinct: Record<string, number>) => ({ count, distinct: (f: string) => distinct[f] ?? 0 });

  it.each<[string, number, Record<string, number>, boolean]>([
    ["count < 5 and distinct(host.id) == 1", 1, { "host.id": 1 }, true],
    ["count < 5 and distinct(host.id) == 1", 5, { "host.id": 1 }, false],
    ["count < 5 and distinct(host.id) == 1", 2, { "host.id": 2 }, false],
    ["count <= 5", 5, {}, true],
    ["count > 5 or distinct(u) >= 3", 1, { u: 3 }, true],
    ["not count != 3", 3, {}, true],
    ["distinct(missing) == 0", 1, {}, true],
  ])("%s with count %i and %j → %s", (text, count, distinct, expected) => {
    expect(evaluateRareCondition(parseRareCondition(text), metrics(count, distinct))).toBe(expected);
  });
});
