import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kql, stripLocations, type KqlField, type KqlNode, type KqlValue, type KqlValueExpression } from "./ast";
import { parseKql } from "./parse-kql";
import { printKql } from "./print-kql";

describe("printKql", () => {
  it.each<[string, string]>([
    ["process.name : cmd.exe", "process.name:cmd.exe"],
    ["a:(x)", "a:x"],
    ["A:1 AND b:2 OR NOT c:3", "A:1 and b:2 or not c:3"],
    ["(a:1 and b:2) or c:3", "a:1 and b:2 or c:3"],
    ["a:1 and (b:2 or c:3)", "a:1 and (b:2 or c:3)"],
    ["(a:1 or b:2) or c:3", "(a:1 or b:2) or c:3"],
    ["not (a:1)", "not a:1"],
    ["not (not a:1)", "not (not a:1)"],
    ["a:( x  or  y )", "a:(x or y)"],
    ["a:(not (x or y))", "a:(not (x or y))"],
    ["a:(not x)", "a:(not x)"],
    ["bytes>=10", "bytes >= 10"],
    ["a:{b:1}", "a:{ b:1 }"],
    ["a:(*)", "a:*"],
    ['a:"x\\"y\\\\z"', 'a:"x\\"y\\\\z"'],
    ["a:x\\:y", "a:x\\:y"],
    ["a:x \\or y", "a:x \\or y"],
    ["a:x or", "a:x \\or"],
    ["a:(or x)", "a:or x"],
    ["a:\\NOT x", "a:\\NOT x"],
    ["a:\\u006eot x", "a:\\u006eot x"],
    ["", ""],
  ])("%j prints as %j", (q, printed) => {
    expect(printKql(parseKql(q))).toBe(printed);
    expect(stripLocations(parseKql(printed))).toEqual(stripLocations(parseKql(q)));
  });

  it("rejects trees no query can produce", () => {
    expect(() => printKql(kql.is("a", kql.literal([" x"])))).toThrow(/blank/);
    expect(() => printKql(kql.is("a", kql.literal([""])))).toThrow(/empty/);
    expect(() => printKql(kql.and(kql.matchAll(), kql.is("a", "b")))).toThrow(/MatchAll/);
  });
});

// ---- property: parse(print(ast)) is ast, for generated trees --------------------------------

/** Text that exercises escaping: specials, blanks inside, keywords, backslashes, unicode. */
const piece = fc.constantFrom(
  "a",
  "b",
  "x1",
  "cmd.exe",
  "_",
  "-",
  "/",
  ".",
  "é",
  " ",
  "\t",
  "\\",
  ":",
  "(",
  ")",
  "<",
  ">",
  '"',
  "{",
  "}",
  "?",
  "or",
  "and",
  "not",
  "OR",
  "Not",
  " or ",
  " and ",
  "not ",
  "*",
);
const rawText = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(""));

/** Unquoted text: no blank at either end (KQL trims), not empty. */
const unquotedSegments = fc
  .array(rawText, { minLength: 1, maxLength: 3 })
  .filter((segs) => {
    const joined = segs.join("*");
    return joined !== "" && joined.trim() === joined;
  });

const value: fc.Arbitrary<KqlValue> = fc.oneof(
  rawText.map((t) => kql.quoted(t)),
  fc.string({ maxLength: 8 }).map((t) => kql.quoted(t)),
  unquotedSegments.map((segs) => kql.literal(segs)),
);

const field: fc.Arbitrary<KqlField> = fc.oneof(
  fc.constantFrom("process.name", "process.args", "event.category", "a", "process.*", "*").map((n) => kql.field(n)),
  unquotedSegments.map((segments) => ({ ...kql.field("x"), segments })),
  rawText.map((n) => kql.quotedField(n)),
);

const isLone = (v: KqlValueExpression) => v.type === "Value" && !v.quoted && v.segments.length === 2 && v.segments.every((s) => s === "");

const { valueExpr } = fc.letrec<{ valueExpr: KqlValueExpression }>((tie) => ({
  valueExpr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    value,
    fc.record({ op: fc.constantFrom("and" as const, "or" as const), operands: fc.array(tie("valueExpr"), { minLength: 2, maxLength: 3 }) }).map(({ op, operands }) =>
      op === "and" ? kql.allOf(...operands) : kql.anyOf(...operands),
    ),
    tie("valueExpr").map((v) => kql.none(v)),
  ),
}));

const { node } = fc.letrec<{ node: KqlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(field, valueExpr).map(([f, v]) => (isLone(v) ? kql.exists(f) : kql.is(f, v))),
    field.map((f) => kql.exists(f)),
    fc.tuple(field, fc.constantFrom("<" as const, "<=" as const, ">" as const, ">=" as const), value).map(([f, op, v]) => kql.range(f, op, v)),
    value.map((v) => kql.text(v)),
    fc.tuple(field, tie("node")).map(([f, q]) => kql.nested(f, q)),
    fc.record({ op: fc.constantFrom("and" as const, "or" as const), operands: fc.array(tie("node"), { minLength: 2, maxLength: 3 }) }).map(({ op, operands }) =>
      op === "and" ? kql.and(...operands) : kql.or(...operands),
    ),
    tie("node").map((n) => kql.not(n)),
  ),
}));

describe("printKql round trip (property)", () => {
  it("parse(print(ast)) equals ast for generated trees", () => {
    fc.assert(
      fc.property(node, (ast) => {
        const printed = printKql(ast);
        expect(stripLocations(parseKql(printed)), printed).toEqual(stripLocations(ast));
      }),
      { numRuns: 2000 },
    );
  });

  it("print(parse(q)) is a fixed point for generated queries", () => {
    fc.assert(
      fc.property(node, (ast) => {
        const once = printKql(parseKql(printKql(ast)));
        expect(printKql(parseKql(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
