import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eql, stripLocations, type EqlExpression, type EqlLiteral } from "./ast";
import { parseEql } from "./parse-eql";
import { printEql, printFieldName, printString } from "./print-eql";

describe("printEql", () => {
  it.each<[string, string]>([
    ['process where process.name:"x"', 'process where process.name : "x"'],
    ['process where a:("x","y") and b in ("z")', 'process where a : ("x", "y") and b in ("z")'],
    ['process where a : ("x")', 'process where a : "x"'],
    ["process where (a == 1 and b == 2) or c == 3", "process where a == 1 and b == 2 or c == 3"],
    ["process where a == 1 and (b == 2 or c == 3)", "process where a == 1 and (b == 2 or c == 3)"],
    ["process where (a or b) or c", "process where (a or b) or c"],
    ["process where not (a == 1)", "process where not a == 1"],
    ["process where not (a or b)", "process where not (a or b)"],
    ["process where a - (b - c) == 1", "process where a - (b - c) == 1"],
    ["process where (a - b) - c == 1", "process where a - b - c == 1"],
    ["process where (a + b) * c == 1", "process where (a + b) * c == 1"],
    ["process where -(a + b) == 1", "process where -(a + b) == 1"],
    ["process where a == -5", "process where a == -5"],
    ["process where a == 4.0", "process where a == 4.0"],
    ["process where a not in~ (\"x\")", 'process where a not in~ ("x")'],
    ["process where ?`my-field`.`where`.x != null", "process where ?`my-field`.`where`.x != null"],
    ['"my-cat" where true', '"my-cat" where true'],
    ["any where STRINGCONTAINS~(a,\"b\")", 'any where STRINGCONTAINS~(a, "b")'],
    ['process where a == """C:\\x"""', 'process where a == """C:\\x"""'],
    ['process where a == "line\\nbreak"', 'process where a == "line\\nbreak"'],
    ["process where a == 1 // c\n | head 5 | tail 1", "process where a == 1 | head 5 | tail 1"],
    ["sequence by h with maxspan=1h [process where true] by p ![file where true] until [x where true]", "sequence by h with maxspan=1h [process where true] by p ![file where true] until [x where true]"],
  ])("%j prints as %j", (q, printed) => {
    expect(printEql(parseEql(q))).toBe(printed);
    expect(stripLocations(parseEql(printed))).toEqual(stripLocations(parseEql(q)));
  });

  it("quotes field parts that are not identifiers", () => {
    expect(printFieldName("process.name")).toBe("process.name");
    expect(printFieldName("a-b.c")).toBe("`a-b`.c");
    expect(printFieldName("a..b")).toBe("`a..b`");
    expect(printFieldName("x.sequence")).toBe("x.`sequence`");
    expect(printFieldName("a`b")).toBe("`a``b`");
  });

  it("escapes strings", () => {
    expect(printString('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u{01}"');
  });
});

// ---- property: parse(print(ast)) is ast, for generated trees --------------------------------

const fieldName = fc.constantFrom("a", "process.name", "process.args", "my-field.x", "event.sequence", "@timestamp", "a`b", "x1._y", "6start");
const field = fc.tuple(fieldName, fc.boolean()).map(([n, optional]) => eql.field(n, optional));

const rawSafe = (s: string) => !/[\r\n]/.test(s) && !s.includes('"""');
const literal: fc.Arbitrary<EqlLiteral> = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => eql.string(s)),
  fc.constantFrom("C:\\Windows\\*", 'say "hi"', "tab\there", "é😀", "\\", '"').map((s) => eql.string(s)),
  fc.string({ maxLength: 10 }).filter(rawSafe).map((s) => eql.raw(s)),
  fc.constantFrom('"a', 'a"', 'a""', '""', "C:\\x\\").map((s) => eql.raw(s)),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => eql.number(n, false)),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((d) => !Object.is(d, -0)).map((d) => eql.number(d, true)),
  fc.boolean().map((b) => eql.boolean(b)),
  fc.constant(eql.null()),
);

/** Pattern operands are bare constants in the grammar: no sign. */
const patternLiteral = literal.filter((l) => l.type !== "Number" || l.value >= 0);

const fnName = fc.constantFrom("length", "stringContains", "CIDRMATCH", "add", "between", "foo_2");

const { expression } = fc.letrec<{ expression: EqlExpression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    field,
    literal,
    fc.tuple(fnName, fc.boolean(), fc.array(tie("expression"), { maxLength: 3 })).map(([name, ci, args]) => ({ ...eql.call(name, ...args), caseInsensitive: ci })),
    fc
      .tuple(tie("expression"), fc.constantFrom("==" as const, "!=" as const, "<" as const, "<=" as const, ">" as const, ">=" as const), tie("expression"))
      .map(([l, op, r]) => eql.compare(l, op, r)),
    fc.tuple(tie("expression"), fc.array(tie("expression"), { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean()).map(([v, list, insensitive, negated]) => eql.in(v, list, { insensitive, negated })),
    fc
      .tuple(tie("expression"), fc.constantFrom(":" as const, "like" as const, "like~" as const, "regex" as const, "regex~" as const), fc.array(patternLiteral, { minLength: 1, maxLength: 3 }))
      .map(([v, op, patterns]) => eql.match(v, op, ...patterns)),
    fc.tuple(tie("expression"), fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const, "%" as const), tie("expression")).map(([l, op, r]) => eql.arith(l, op, r)),
    tie("expression")
      .filter((e) => e.type !== "Number")
      .map((e) => eql.neg(e)),
    fc.tuple(fc.constantFrom("and" as const, "or" as const), fc.array(tie("expression"), { minLength: 2, maxLength: 3 })).map(([op, ops]) => (op === "and" ? eql.and(...ops) : eql.or(...ops))),
    tie("expression").map((e) => eql.not(e)),
  ),
}));

const category = fc.constantFrom("process", "file", null, "my-category", "6x", "where");

describe("printEql round trip (property)", () => {
  it("parse(print(ast)) equals ast for generated trees", () => {
    fc.assert(
      fc.property(category, expression, (cat, condition) => {
        const ast = eql.query(cat, condition);
        const printed = printEql(ast);
        expect(stripLocations(parseEql(printed, { limits: { maxNodes: 100_000 } })), printed).toEqual(stripLocations(ast));
      }),
      { numRuns: 2000 },
    );
  });
});
