import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EcsEvent, FieldValue } from "../event/types";
import { assertNever, kql, type KqlNode, type KqlValue, type KqlValueExpression } from "./ast";
import { compileKql } from "./compile-kql";
import { parseKql } from "./parse-kql";
import { printKql } from "./print-kql";

/**
 * Differential test (STYLE F8.6): the compiled predicate (pattern sets, tries, memoized folded
 * values, fast paths) must agree with this slow reference interpreter, written to be obviously
 * right, on generated queries and events.
 */

// ---- the reference interpreter -------------------------------------------------------------

function leaves(v: FieldValue | undefined): (string | number | boolean)[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (typeof v === "object") return Object.values(v).flatMap(leaves);
  return [v];
}

function read(e: EcsEvent, path: string): FieldValue | undefined {
  let cur: FieldValue[] = [e];
  for (const seg of path.split(".")) {
    const next: FieldValue[] = [];
    for (const c of cur) {
      for (const item of Array.isArray(c) ? c : [c]) {
        if (item !== null && typeof item === "object" && !Array.isArray(item) && item[seg] !== undefined) next.push(item[seg]!);
      }
    }
    cur = next;
  }
  return cur.length === 0 ? undefined : cur.length === 1 ? cur[0] : cur;
}

function values(e: EcsEvent, field: string): string[] {
  const caseless = field.endsWith(".caseless");
  const path = caseless ? field.slice(0, -".caseless".length) : field;
  const raw = read(e, path);
  const direct = raw !== undefined && typeof raw === "object" && raw !== null && !Array.isArray(raw) ? [] : leaves(raw);
  return direct.map((v) => (caseless ? String(v).toLowerCase() : String(v)));
}

function valueMatches(v: KqlValue, s: string, caseless: boolean): boolean {
  const fold = (x: string) => (caseless ? x.toLowerCase() : x);
  const re = new RegExp(`^${v.segments.map((seg) => fold(seg).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*")}$`);
  return re.test(s);
}

function evalValues(x: KqlValueExpression, vals: string[], caseless: boolean): boolean {
  switch (x.type) {
    case "Value":
      if (!x.quoted && x.segments.length === 2 && x.segments.every((s) => s === "")) return vals.length > 0;
      return vals.some((s) => valueMatches(x, s, caseless));
    case "ValueLogical":
      return x.operator === "and" ? x.operands.every((o) => evalValues(o, vals, caseless)) : x.operands.some((o) => evalValues(o, vals, caseless));
    case "ValueNot":
      return !evalValues(x.operand, vals, caseless);
    default:
      return assertNever(x);
  }
}

function reference(n: KqlNode, e: EcsEvent): boolean {
  switch (n.type) {
    case "LogicalExpression":
      return n.operator === "and" ? n.operands.every((o) => reference(o, e)) : n.operands.some((o) => reference(o, e));
    case "NotExpression":
      return !reference(n.operand, e);
    case "FieldMatch": {
      const f = n.field.segments[0]!;
      return evalValues(n.value, values(e, f), f.endsWith(".caseless"));
    }
    case "Exists":
      return values(e, n.field.segments[0]!).length > 0;
    case "Range": {
      // README "Ranges": numbers numerically; other text against the bound's text, by code unit.
      const text = n.value.segments[0]!;
      const bound = Number(text);
      const cmp = <T,>(x: T, y: T) => (n.operator === "<" ? x < y : n.operator === "<=" ? x <= y : n.operator === ">" ? x > y : x >= y);
      return leaves(read(e, n.field.segments[0]!)).some((v) => {
        if (typeof v === "boolean") return false;
        const x = typeof v === "number" ? v : v.trim() === "" ? NaN : Number(v);
        return Number.isNaN(x) ? cmp(String(v), text) : cmp(x, bound);
      });
    }
    case "FreeText":
      return leaves(e).some((v) => valueMatches(n.value, String(v), false));
    case "Nested":
    case "MatchAll":
      throw new Error("not generated");
    default:
      return assertNever(n);
  }
}

// ---- generators ----------------------------------------------------------------------------

const NAMES = ["cmd.exe", "CMD.EXE", "powershell.exe", "bash", "sh", "a*b", "x?y", "4688", "true"];
const ARGS = ["-c", "/V:ON", "--help", "mode CON", "whoami", "C:\\Temp\\a.ps1", "Bash"];

const event: fc.Arbitrary<EcsEvent> = fc.record(
  {
    event: fc.record({ category: fc.subarray(["process", "file", "network"]), code: fc.oneof(fc.constant(4688), fc.constant("4688"), fc.integer({ min: 0, max: 10 })) }),
    process: fc.record(
      {
        name: fc.oneof(fc.constantFrom(...NAMES), fc.constant(null)),
        args: fc.array(fc.constantFrom(...ARGS), { maxLength: 4 }),
        pid: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom("42", "x")),
        parent: fc.record({ name: fc.constantFrom(...NAMES) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<EcsEvent>;

const FIELDS = ["process.name", "process.name.caseless", "process.args", "process.args.caseless", "process.parent.name", "event.category", "event.code", "missing.field"];
const TEXTS = [...NAMES, ...ARGS, "cmd", "exe", "ON", "c", "process", "88"];

const value: fc.Arbitrary<KqlValue> = fc.oneof(
  fc.constantFrom(...TEXTS).map((t) => kql.quoted(t)),
  fc.constantFrom(...TEXTS).map((t) => kql.literal([t])),
  fc.tuple(fc.constantFrom("", ...TEXTS), fc.constantFrom("", ...TEXTS)).map(([a, b]) => kql.literal([a, b])),
  fc.tuple(fc.constantFrom(...TEXTS)).map(([a]) => kql.literal(["", a, ""])),
);

const { valueExpr } = fc.letrec<{ valueExpr: KqlValueExpression }>((tie) => ({
  valueExpr: fc.oneof(
    { depthSize: "small" },
    value,
    fc.array(value, { minLength: 2, maxLength: 5 }).map((vs) => kql.anyOf(...vs)),
    fc.array(tie("valueExpr"), { minLength: 2, maxLength: 3 }).map((vs) => kql.allOf(...vs)),
    tie("valueExpr").map((v) => kql.none(v)),
  ),
}));

const { node } = fc.letrec<{ node: KqlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.tuple(fc.constantFrom(...FIELDS), valueExpr).map(([f, v]) => kql.is(f, v)),
    fc.constantFrom(...FIELDS).map((f) => kql.exists(f)),
    fc.tuple(fc.constantFrom("process.pid", "event.code"), fc.constantFrom("<" as const, "<=" as const, ">" as const, ">=" as const), fc.integer({ min: 0, max: 50 })).map(([f, op, n]) =>
      kql.range(f, op, String(n)),
    ),
    value.map((v) => kql.text(v)),
    fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((ns) => kql.and(...ns)),
    fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((ns) => kql.or(...ns)),
    tie("node").map((n) => kql.not(n)),
  ),
}));

describe("compileKql agrees with the reference interpreter", () => {
  it("on generated queries and events", () => {
    fc.assert(
      fc.property(node, fc.array(event, { minLength: 1, maxLength: 8 }), (ast, events) => {
        const printed = printKql(ast);
        const compiled = compileKql(parseKql(printed));
        for (const e of events) expect(compiled.test(e), `${printed} on ${JSON.stringify(e)}`).toBe(reference(ast, e));
      }),
      { numRuns: 1500 },
    );
  });

  it("a matching event always satisfies the prefilter's atoms (the index never misses a match)", () => {
    fc.assert(
      fc.property(node, fc.array(event, { minLength: 1, maxLength: 8 }), (ast, events) => {
        const compiled = compileKql(ast);
        const p = compiled.prefilter;
        if (!p) return;
        for (const e of events) {
          if (!compiled.test(e)) continue;
          expect(holds(p, e), printKql(ast)).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

type AnyPrefilter = NonNullable<ReturnType<typeof compileKql>["prefilter"]>;

/** What the rule index checks, read naively: folded text against folded atoms. */
function holds(p: AnyPrefilter, e: EcsEvent): boolean {
  switch (p.kind) {
    case "anyOf":
      return p.of.some((x) => holds(x, e));
    case "scope":
      return p.test(e) && (p.within === undefined || holds(p.within, e));
    default: {
      const vals = leaves(read(e, p.field)).map((v) => String(v).toLowerCase());
      const atoms = p.values.map((v) => v.toLowerCase());
      return vals.some((v) =>
        atoms.some((a) => (p.kind === "equals" ? v === a : p.kind === "startswith" ? v.startsWith(a) : p.kind === "endswith" ? v.endsWith(a) : v.includes(a))),
      );
    }
  }
}
