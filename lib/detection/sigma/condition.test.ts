import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitExceededError, QuerySyntaxError, UnsupportedFeatureError } from "../errors";
import { cond, withoutLocations, type ConditionNode } from "./condition-ast";
import { identifierMatches, parseSigmaCondition, printSigmaCondition, resolveOfTargets } from "./condition";

const parse = (text: string) => withoutLocations(parseSigmaCondition(text));

describe("parseSigmaCondition", () => {
  it.each<[string, string, ConditionNode]>([
    ["a single identifier", "selection", cond.id("selection")],
    ["and binds tighter than or", "a or b and c", cond.or(cond.id("a"), cond.and(cond.id("b"), cond.id("c")))],
    ["and chains flatten into one node", "a and b and c", cond.and(cond.id("a"), cond.id("b"), cond.id("c"))],
    ["not binds tighter than and", "not a and b", cond.and(cond.not(cond.id("a")), cond.id("b"))],
    ["not applies to a whole of-expression", "not 1 of filter*", cond.not(cond.of("1", "filter*"))],
    ["not not is kept", "not not a", cond.not(cond.not(cond.id("a")))],
    ["parentheses override precedence", "(a or b) and c", cond.and(cond.or(cond.id("a"), cond.id("b")), cond.id("c"))],
    ["parentheses keep a same-operator group", "a and (b and c)", cond.and(cond.id("a"), cond.and(cond.id("b"), cond.id("c")))],
    ["1 of pattern", "1 of selection_*", cond.of("1", "selection_*")],
    ["any of pattern", "any of sel*", cond.of("any", "sel*")],
    ["all of pattern", "all of selection*", cond.of("all", "selection*")],
    ["1 of them", "1 of them", cond.of("1", "them")],
    ["all of them", "all of them", cond.of("all", "them")],
    [
      "the seed 001 condition",
      "1 of selection_webserver_* and selection_anomaly_children and not 1 of filter_main_*",
      cond.and(cond.of("1", "selection_webserver_*"), cond.id("selection_anomaly_children"), cond.not(cond.of("1", "filter_main_*"))),
    ],
    ["identifiers may contain dashes and digits", "sel-1 or 2nd", cond.or(cond.id("sel-1"), cond.id("2nd"))],
    ["a quantifier word without `of` is an identifier", "all or any", cond.or(cond.id("all"), cond.id("any"))],
    ["whitespace and line breaks are free", "  a\n  and\tb ", cond.and(cond.id("a"), cond.id("b"))],
  ])("%s: %s", (_name, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it("records spans in the condition text", () => {
    const ast = parseSigmaCondition("a and (b or c)");
    expect(ast.location).toEqual({ start: 0, end: 14 });
    if (ast.type !== "LogicalExpression") throw new Error("expected and");
    expect(ast.operands[1]!.location).toEqual({ start: 6, end: 14 });
  });

  it.each<[string, string, number, number]>([
    ["a and", "condition_syntax", 5, 1],
    ["a or or b", "condition_syntax", 5, 2],
    ["(a or b", "condition_syntax", 7, 1],
    ["a b", "condition_syntax", 2, 1],
    ["a AND b", "condition_syntax", 2, 3],
    ["2 of selection*", "condition_syntax", 0, 1],
    ["selection*", "condition_syntax", 0, 10],
    ["1 of", "condition_syntax", 4, 1],
    ["1 of (a)", "condition_syntax", 5, 1],
    [")", "condition_syntax", 0, 1],
    ["", "condition_empty", 0, 1],
  ])("%j is a syntax error (%s) at offset %i", (text, code, offset, length) => {
    try {
      parseSigmaCondition(text);
      throw new Error("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(QuerySyntaxError);
      expect(error).toMatchObject({ code, source: { offset, length } });
    }
  });

  it("hints that operators are lower case", () => {
    expect(() => parseSigmaCondition("a AND b")).toThrow(/lower case/);
  });

  it("reports the removed aggregation syntax as unsupported, with its position", () => {
    try {
      parseSigmaCondition("selection | count() by host > 5");
      throw new Error("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedFeatureError);
      expect(error).toMatchObject({ code: "condition_aggregation", source: { offset: 10 } });
    }
  });

  it("fails fast on pathological nesting and size (limits)", () => {
    const deep = `${"(".repeat(10_000)}a${")".repeat(10_000)}`;
    expect(() => parseSigmaCondition(deep)).toThrow(LimitExceededError);
    expect(() => parseSigmaCondition(`${"not ".repeat(500)}a`)).toThrow(LimitExceededError);
    expect(() => parseSigmaCondition("a or ".repeat(30_000) + "a")).toThrow(LimitExceededError);
    expect(() => parseSigmaCondition("a", { maxLength: 0, maxDepth: 10, maxNodes: 10 })).toThrow(LimitExceededError);
  });
});

describe("printSigmaCondition", () => {
  it.each([
    "a or b and c",
    "(a or b) and c",
    "not (a or b)",
    "a and (b and c)",
    "1 of selection_* and not 1 of filter_*",
    "all of them",
    "not not a",
  ])("prints %j canonically", (text) => {
    expect(printSigmaCondition(parseSigmaCondition(text))).toBe(text);
  });

  it("parse(print(ast)) rebuilds the tree (property)", () => {
    const leaf = fc.oneof(
      fc.constantFrom("a", "b", "sel_1", "filter").map((n) => cond.id(n)),
      fc.constantFrom<["1" | "any" | "all", string]>(["1", "them"], ["all", "sel*"], ["any", "filter_*"]).map(([q, t]) => cond.of(q, t)),
    );
    const tree = fc.letrec<{ node: ConditionNode }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.tuple(fc.constantFrom<"and" | "or">("and", "or"), fc.array(tie("node"), { minLength: 2, maxLength: 3 })).map(([op, operands]) =>
          op === "and" ? cond.and(...operands) : cond.or(...operands),
        ),
        tie("node").map((n) => cond.not(n)),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (ast) => {
        const printed = printSigmaCondition(ast);
        expect(printSigmaCondition(parseSigmaCondition(printed))).toBe(printed);
      }),
      { numRuns: 500 },
    );
  });
});

describe("of-expression targets", () => {
  const names = ["selection", "selection_img", "selection_cli", "filter_main", "_helper", "keywords"];
  it("them covers every identifier not starting with _", () => {
    expect(resolveOfTargets(cond.of("1", "them"), names)).toEqual(["selection", "selection_img", "selection_cli", "filter_main", "keywords"]);
  });
  it("patterns glob with * anywhere and match whole names", () => {
    expect(resolveOfTargets(cond.of("1", "selection_*"), names)).toEqual(["selection_img", "selection_cli"]);
    expect(resolveOfTargets(cond.of("1", "sel*"), names)).toEqual(["selection", "selection_img", "selection_cli"]);
    expect(resolveOfTargets(cond.of("1", "*_c*"), names)).toEqual(["selection_cli"]);
    expect(resolveOfTargets(cond.of("1", "_*"), names)).toEqual([]);
  });
  it.each([
    ["selection", "selection", true],
    ["selection", "selection_x", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "acb", false],
    ["*", "", true],
  ])("%s matches %s: %s", (pattern, name, expected) => {
    expect(identifierMatches(pattern, name)).toBe(expected);
  });
});
