import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bool, FALSE, problemsOf, settle, TRUE, type BoolTree } from "./bool-tree";
import type { UnsupportedConstruct } from "./types";

const u = (name: string): BoolTree<string> => bool.unsupported({ construct: name, reason: "no counterpart" });
const x = (name: string): BoolTree<string> => bool.leaf(name);

describe("settle: an unsupported construct widens the query", () => {
  it("holds in an and: `a and ?` is `a`", () => {
    expect(settle(bool.and([x("a"), u("k")]))).toEqual(x("a"));
  });
  it("holds in an or: `a or ?` is everything", () => {
    expect(settle(bool.or([x("a"), u("k")]))).toEqual(TRUE);
  });
  it("does not hold under a not: `a and not ?` is `a`", () => {
    expect(settle(bool.and([x("a"), bool.not(u("k"))]))).toEqual(x("a"));
  });
  it("under two nots it holds again", () => {
    expect(settle(bool.or([x("a"), bool.not(bool.not(u("k")))]))).toEqual(TRUE);
  });
  it("`not (a or ?)` is `not a`, never `not true`", () => {
    expect(settle(bool.not(bool.or([x("a"), u("k")])))).toEqual(bool.not(x("a")));
  });
  it("merges same-operator children and drops repeats", () => {
    expect(settle(bool.or([x("a"), bool.or([x("b"), x("a")]), x("c")]))).toEqual({ type: "Or", operands: [x("a"), x("b"), x("c")] });
  });
  it("an empty or is false, an empty and is true", () => {
    expect(settle(bool.or<string>([]))).toEqual(FALSE);
    expect(settle(bool.and<string>([]))).toEqual(TRUE);
  });
  it("lists each unsupported construct once", () => {
    const k: UnsupportedConstruct = { construct: "k", reason: "r" };
    expect(problemsOf(bool.or([bool.unsupported(k), bool.not(bool.unsupported(k)), u("m")])).map((p) => p.construct)).toEqual(["k", "m"]);
  });
});

type T = BoolTree<string>;
const tree: fc.Arbitrary<T> = fc.letrec<{ t: T }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("x0", "x1", "x2").map(x),
    fc.constantFrom("u0", "u1").map(u),
    fc.array(tie("t"), { minLength: 1, maxLength: 3 }).map((o) => bool.and(o)),
    fc.array(tie("t"), { minLength: 1, maxLength: 3 }).map((o) => bool.or(o)),
    tie("t").map((o) => bool.not(o)),
  ),
})).t;

function evaluate(t: T, env: Record<string, boolean>): boolean {
  switch (t.type) {
    case "And":
      return t.operands.every((o) => evaluate(o, env));
    case "Or":
      return t.operands.some((o) => evaluate(o, env));
    case "Not":
      return !evaluate(t.operand, env);
    case "Const":
      return t.value;
    case "Leaf":
      return env[t.leaf]!;
    case "Unsupported":
      return env[t.problem.construct]!;
  }
}

describe("property: a settled tree holds wherever the tree could hold", () => {
  it("for every value of the converted leaves and of the unsupported ones", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const settled = settle(t);
        for (let bits = 0; bits < 32; bits++) {
          const env = { x0: !!(bits & 1), x1: !!(bits & 2), x2: !!(bits & 4), u0: !!(bits & 8), u1: !!(bits & 16) };
          if (evaluate(t, env)) expect(evaluate(settled, env)).toBe(true);
        }
        // With no unsupported construct, settling changes nothing but the shape.
        if (problemsOf(t).length === 0) {
          for (let bits = 0; bits < 8; bits++) {
            const env = { x0: !!(bits & 1), x1: !!(bits & 2), x2: !!(bits & 4) };
            expect(evaluate(settled, env)).toBe(evaluate(t, env));
          }
        }
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});
