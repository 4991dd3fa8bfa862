import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EcsEvent, FieldValue } from "../event/types";
import { eql, type EqlExpression } from "./ast";
import { compileEql } from "./compile-eql";
import { parseEql } from "./parse-eql";
import { printEql } from "./print-eql";

/**
 * Differential test (STYLE F8.6): compiled EQL against a slow reference interpreter of the
 * README's semantics: field predicates are two-valued index queries (a missing field is false,
 * its negation true); `length(field) > n` is a script (null when the field is missing, and `not`
 * keeps null); `and`/`or` read null as false.
 */

type Tri = boolean | null;

function leaves(v: FieldValue | undefined): (string | number | boolean)[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (typeof v === "object") return [];
  return [v];
}

function read(e: EcsEvent, path: string): FieldValue | undefined {
  let cur: FieldValue | undefined = e;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

const texts = (e: EcsEvent, f: string) => leaves(read(e, f)).map(String);
const glob = (pattern: string, ci: boolean) =>
  new RegExp(`^${[...pattern].map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`, ci ? "i" : "");

/** [value, scripted] */
function reference(x: EqlExpression, e: EcsEvent): [Tri, boolean] {
  const field = (y: EqlExpression) => (y.type === "Field" ? y.name : "");
  switch (x.type) {
    case "LogicalExpression": {
      const rs = x.operands.map((o) => reference(o, e)[0] === true);
      return [x.operator === "and" ? rs.every(Boolean) : rs.some(Boolean), false];
    }
    case "NotExpression": {
      const [r, scripted] = reference(x.operand, e);
      if (scripted) return [r === null ? null : !r, true];
      return [r !== true, false];
    }
    case "Comparison": {
      if (x.left.type === "FunctionCall") {
        const lengths = texts(e, field(x.left.args[0]!)).map((s) => s.length);
        if (lengths.length === 0) return [null, true];
        const n = (x.right as { value: number }).value;
        return [lengths.some((l) => (x.operator === ">" ? l > n : l === n)), true];
      }
      const eq = texts(e, field(x.left)).includes(String((x.right as { value: string }).value));
      return [x.operator === "==" ? eq : !eq, false];
    }
    case "InSet": {
      const ci = x.operator === "in~";
      const wanted = x.list.map((l) => String((l as { value: string }).value)).map((s) => (ci ? s.toLowerCase() : s));
      const hit = texts(e, field(x.value)).some((s) => wanted.includes(ci ? s.toLowerCase() : s));
      return [x.negated ? !hit : hit, false];
    }
    case "PatternMatch": {
      const ci = x.operator !== "like";
      const res = x.patterns.map((p) => glob(String((p as { value: string }).value), ci));
      return [texts(e, field(x.value)).some((s) => res.some((r) => r.test(s))), false];
    }
    case "FunctionCall": {
      const ci = x.caseInsensitive;
      const sub = String((x.args[1] as { value: string }).value);
      const n = ci ? sub.toLowerCase() : sub;
      const vals = texts(e, field(x.args[0]!)).map((s) => (ci ? s.toLowerCase() : s));
      const name = x.name.toLowerCase();
      return [vals.some((s) => (name === "startswith" ? s.startsWith(n) : name === "endswith" ? s.endsWith(n) : n !== "" && s.includes(n))), false];
    }
    default:
      throw new Error(`not generated: ${x.type}`);
  }
}

// ---- generators ----------------------------------------------------------------------------

const NAMES = ["cmd.exe", "CMD.EXE", "powershell.exe", "bash", "C:\\Windows\\cmd.exe", "a?b", "x*y", ""];
const event: fc.Arbitrary<EcsEvent> = fc.record(
  {
    event: fc.record({ category: fc.oneof(fc.subarray(["process", "file", "network"]), fc.constant("process")) }, { requiredKeys: [] }),
    process: fc.record(
      {
        name: fc.oneof(fc.constantFrom(...NAMES), fc.constant(null)),
        args: fc.array(fc.constantFrom(...NAMES, "-c", "/V:ON"), { maxLength: 4 }),
        parent: fc.record({ name: fc.constantFrom(...NAMES) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<EcsEvent>;

const field = fc.constantFrom("process.name", "process.args", "process.parent.name", "missing.field").map((n) => eql.field(n));
const text = fc.constantFrom(...NAMES, "CMD", "cmd", ".exe", "-c", "/v:on", "\\cmd.exe");
const pattern = fc.constantFrom("cmd*", "*.EXE", "?ash", "c:\\windows\\*", "*", "x*y", "a?b", "*cmd*");

const leaf: fc.Arbitrary<EqlExpression> = fc.oneof(
  fc.tuple(field, fc.constantFrom("==" as const, "!=" as const), text).map(([f, op, t]) => eql.compare(f, op, t)),
  fc.tuple(field, fc.array(text, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean()).map(([f, list, insensitive, negated]) => eql.in(f, list, { insensitive, negated })),
  fc.tuple(field, fc.constantFrom(":" as const, "like" as const, "like~" as const), fc.array(pattern, { minLength: 1, maxLength: 3 })).map(([f, op, ps]) => eql.match(f, op, ...ps)),
  fc.tuple(fc.constantFrom("startsWith", "endsWith", "stringContains", "STRINGCONTAINS"), fc.boolean(), field, text).map(([name, ci, f, t]) => ({ ...eql.call(name, f, t), caseInsensitive: ci })),
  fc.tuple(field, fc.constantFrom(">" as const, "==" as const), fc.integer({ min: 0, max: 12 })).map(([f, op, n]) => eql.compare(eql.call("length", f), op, n)),
);

const { expr } = fc.letrec<{ expr: EqlExpression }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("expr"), { minLength: 2, maxLength: 3 }).map((xs) => eql.and(...xs)),
    fc.array(tie("expr"), { minLength: 2, maxLength: 3 }).map((xs) => eql.or(...xs)),
    tie("expr").map((x) => eql.not(x)),
  ),
}));

describe("compileEql agrees with the reference interpreter", () => {
  it("on generated conditions and events", () => {
    fc.assert(
      fc.property(fc.constantFrom("process", null), expr, fc.array(event, { minLength: 1, maxLength: 8 }), (category, condition, events) => {
        const printed = printEql(eql.query(category, condition));
        const compiled = compileEql(parseEql(printed));
        for (const e of events) {
          const categories = leaves(read(e, "event.category")).map(String);
          const expected = (category === null || categories.includes(category)) && reference(condition, e)[0] === true;
          expect(compiled.test(e), `${printed} on ${JSON.stringify(e)}`).toBe(expected);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
