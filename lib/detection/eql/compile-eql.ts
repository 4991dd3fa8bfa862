import { compileCidrMatcher, parseCidr, type Cidr } from "../compile/cidr";
import { compileRangeTest, type RangeOperator } from "../compile/compile-range-test";
import { fieldAccess } from "../compile/field-access";
import { foldCase } from "../compile/fold-case";
import { ANY_CHAR, ANY_CHARS, text, type PatternPart } from "../compile/pattern";
import { compilePatternSet } from "../compile/pattern-set";
import { compileSafeRegex, type SafeRegex } from "../compile/safe-regex";
import { DetectionError, RuleValidationError, UnsupportedFeatureError, syntaxErrorAt, type SourceLocation } from "../errors";
import type { EcsEvent } from "../event/types";
import { assertNever } from "../kql/ast";
import type { CompiledQuery } from "../kql/compiled-query";
import { categoryScope, mostSpecific, prefilterFromPatterns } from "../kql/prefilter";
import type { MatchDetail, Prefilter } from "../rules/detector";
import type {
  EqlAst,
  EqlComparison,
  EqlComparisonOperator,
  EqlExpression,
  EqlField,
  EqlFunctionCall,
  EqlInSet,
  EqlLiteral,
  EqlPatternMatch,
  Location,
} from "./ast";
import { EQL_FUNCTIONS, asText, type EqlFunction, type EqlValue } from "./functions";
import { luceneRegexpToRe2 } from "./lucene-regexp";
import { printExpression } from "./print-eql";

export interface CompileEqlOptions {
  /** The query text the AST came from: errors then carry line, column and a caret. */
  source?: string;
  /** Clock for `now` in date comparisons (epoch ms); defaults to Date.now. */
  now?: () => number;
  /** Elasticsearch's `event_category_field`; default `event.category`. */
  categoryField?: string;
}

/**
 * Compile a single-event EQL query (`category where condition`) into closures, once. Semantics
 * are Elasticsearch EQL's (README "EQL semantics"):
 *
 * - `==`, `!=`, `in`, `like`, `regex` are case-sensitive; `:`, `in~`, `like~`, `regex~` and
 *   `fn~(…)` are case-insensitive. `:` and `like` take `*` and `?` wildcards; a backslash in a
 *   pattern is a literal backslash (Windows paths). `regex` is a Lucene regular expression over
 *   the whole value, run on RE2.
 * - The category is matched against any element of `event.category`; `any` matches every event.
 * - A condition on an array field holds when any element satisfies it.
 * - Null: Elasticsearch turns a condition on a field with constants into an index query, and one
 *   over computed values (functions, arithmetic) into a script. An index query on a missing field
 *   is false, and its negation (`not`, `!=`, `not in`) is true, as `must_not` is. A script over a
 *   missing value is null; `not` of null stays null; a null condition never matches. `field ==
 *   null` is "has no value", `field != null` "has a value"; `?field` reads like `field` (an event
 *   has no mapping to make an optional field null).
 *
 * Sequences, samples, joins and pipes are reported unsupported (never run as something else).
 *
 * @throws UnsupportedFeatureError eql_sequence, eql_sample, eql_join, eql_pipe, lucene_regex_operator, regex_*
 * @throws RuleValidationError eql_unknown_function, eql_function_arity, eql_not_case_aware,
 *   eql_field_comparison, eql_not_boolean, eql_pattern_not_string, eql_constant_required, eql_invalid_cidr
 */
export function compileEql(ast: EqlAst, options: CompileEqlOptions = {}): CompiledQuery {
  const c = new EqlCompiler(options);
  if (ast.pipes.length > 0) {
    const pipe = ast.pipes[0]!;
    throw c.error(UnsupportedFeatureError, "eql_pipe", `pipes (\`| ${pipe.name}\`) are not supported for detection rules yet`, pipe.location);
  }
  const q = ast.query;
  switch (q.type) {
    case "EventQuery":
      break;
    case "Sequence":
      throw c.error(UnsupportedFeatureError, "eql_sequence", "sequence queries parse but do not run yet (single-event EQL only)", q.location);
    case "Sample":
      throw c.error(UnsupportedFeatureError, "eql_sample", "sample queries parse but do not run yet (single-event EQL only)", q.location);
    case "Join":
      throw c.error(UnsupportedFeatureError, "eql_join", "join queries are not supported (Elasticsearch rejects them too)", q.location);
    default:
      return assertNever(q);
  }

  const condition = c.bool(q.condition);
  const category = q.category;
  const categories = fieldAccess(options.categoryField ?? "event.category");
  const inCategory = (e: EcsEvent) => category === null || categories.strings(e).includes(category);
  const cond = condition.test;
  return {
    test: (e) => inCategory(e) && cond(e) === true,
    explain(e) {
      const out: MatchDetail[] = [];
      if (category !== null) out.push({ condition: `${category} where …`, field: options.categoryField ?? "event.category", value: category });
      condition.explain(e, out);
      return out;
    },
    ...withPrefilter(eqlPrefilter(q.category, q.condition, options.categoryField ?? "event.category")),
  };
}

function withPrefilter(p: Prefilter | undefined): { prefilter?: Prefilter } {
  return p === undefined ? {} : { prefilter: p };
}

type Tri = boolean | null;
type Explain = (e: EcsEvent, out: MatchDetail[]) => Tri;

interface Bool {
  test: (e: EcsEvent) => Tri;
  explain: Explain;
  /**
   * Evaluated as a script in Elasticsearch (null-propagating), rather than as an index query
   * (two-valued). Decides what `not` does with a missing value.
   */
  scripted: boolean;
}

interface Val {
  /** Candidate values: every element of a multi-valued field; [null] when missing. */
  values: (e: EcsEvent) => readonly EqlValue[];
  /** Set when the expression reads no field: its one value, folded at compile time. */
  constant?: { value: EqlValue };
  /** A float by type (decimal literal or float arithmetic), for integer division. */
  float: boolean;
  returns: "boolean" | "string" | "number" | "null" | "unknown";
}

const NULL_VALUES: readonly EqlValue[] = Object.freeze([null]);
/** Most argument-value combinations one function call explores on multi-valued fields. */
const MAX_COMBINATIONS = 1024;

class EqlCompiler {
  constructor(private readonly options: CompileEqlOptions) {}

  // ---- conditions -------------------------------------------------------------------------

  bool(x: EqlExpression): Bool {
    switch (x.type) {
      case "LogicalExpression": {
        const parts = x.operands.map((o) => this.bool(o));
        const tests = parts.map((p) => p.test);
        if (x.operator === "and") {
          return {
            scripted: false,
            test: (e) => {
              for (const t of tests) if (t(e) !== true) return false;
              return true;
            },
            explain: (e, out) => {
              const mark = out.length;
              for (const p of parts) {
                if (p.explain(e, out) !== true) {
                  out.length = mark;
                  return false;
                }
              }
              return true;
            },
          };
        }
        return {
          scripted: false,
          test: (e) => {
            for (const t of tests) if (t(e) === true) return true;
            return false;
          },
          explain: (e, out) => {
            for (const p of parts) {
              const mark = out.length;
              if (p.explain(e, out) === true) return true;
              out.length = mark;
            }
            return false;
          },
        };
      }
      case "NotExpression": {
        const inner = this.bool(x.operand);
        const t = inner.test;
        // An index query negates to must_not (a missing field makes it true); a script keeps null.
        const test = inner.scripted
          ? (e: EcsEvent): Tri => {
              const r = t(e);
              return r === null ? null : !r;
            }
          : (e: EcsEvent): Tri => t(e) !== true;
        return { scripted: inner.scripted, test, explain: test };
      }
      case "Comparison":
        return this.comparison(x);
      case "InSet":
        return this.inSet(x);
      case "PatternMatch":
        return this.patternMatch(x);
      case "FunctionCall":
        return this.functionCondition(x);
      case "Field": {
        // A boolean field used as a condition: a term query for true.
        const access = fieldAccess(x.name);
        const test = (e: EcsEvent): Tri => {
          const values = access.scalars(e);
          return values !== undefined && values.some((v) => v === true || v === "true");
        };
        return this.leaf(test, false, x, x.name);
      }
      case "Boolean": {
        const v = x.value;
        return { scripted: false, test: () => v, explain: () => v };
      }
      case "Null":
        return { scripted: true, test: () => null, explain: () => null };
      case "String":
      case "Number":
      case "Arithmetic":
      case "Unary":
        throw this.notBoolean(x);
      default:
        return assertNever(x);
    }
  }

  private leaf(test: (e: EcsEvent) => Tri, scripted: boolean, x: EqlExpression, field?: string): Bool {
    const access = field === undefined ? undefined : fieldAccess(field);
    const explain: Explain = (e, out) => {
      const r = test(e);
      if (r === true) {
        const values = access?.scalars(e);
        out.push({
          condition: printExpression(x),
          ...(field !== undefined && { field }),
          ...(values !== undefined && { value: values.length === 1 ? values[0]! : [...values] }),
        });
      }
      return r;
    };
    return { test, scripted, explain };
  }

  private comparison(x: EqlComparison): Bool {
    let left = x.left;
    let right = x.right;
    let op = x.operator;
    let leftFields = readsField(left);
    let rightFields = readsField(right);
    if (leftFields && rightFields) {
      throw this.error(
        RuleValidationError,
        "eql_field_comparison",
        "comparing a field with another field is not supported (Elasticsearch rejects it): compare each with a constant",
        x.location,
      );
    }
    if (!leftFields && rightFields) {
      [left, right] = [right, left];
      [leftFields, rightFields] = [rightFields, leftFields];
      op = FLIPPED[op];
    }
    const rv = this.value(right);
    const constant = rv.constant!.value;
    if (!leftFields) {
      const lv = this.value(left).constant!.value;
      const r = dynamicCompare(op, lv, constant);
      return { scripted: true, test: () => r, explain: () => r };
    }

    if (left.type === "Field") {
      // An index query: term / range / exists on the field.
      const access = fieldAccess(left.name);
      let test: (e: EcsEvent) => Tri;
      if (constant === null) {
        const exists = (e: EcsEvent) => (access.scalars(e) ?? []).some((v) => v !== null);
        if (op === "==") test = (e) => !exists(e);
        else if (op === "!=") test = exists;
        else test = () => false;
      } else if (op === "==" || op === "!=") {
        const wanted = String(constant);
        const eq = (e: EcsEvent) => access.strings(e).includes(wanted);
        test = op === "==" ? eq : (e) => !eq(e);
      } else if (typeof constant === "boolean") {
        test = () => false;
      } else {
        const range = compileRangeTest(RANGE[op], constant, this.options);
        test = (e) => {
          const values = access.scalars(e);
          if (values === undefined) return false;
          for (const v of values) if (range(v)) return true;
          return false;
        };
      }
      return this.leaf(test, false, x, left.name);
    }

    // A script over computed values.
    const lv = this.value(left);
    const values = lv.values;
    if (constant === null) {
      // `expr == null` / `expr != null` test for a value (IsNull / IsNotNull), never unknown.
      const hasValue = (e: EcsEvent) => values(e).some((v) => v !== null);
      const test = op === "==" ? (e: EcsEvent): Tri => !hasValue(e) : op === "!=" ? hasValue : (): Tri => false;
      return this.leaf(test, true, x, firstField(left));
    }
    const test = (e: EcsEvent): Tri => {
      let sawValue = false;
      for (const v of values(e)) {
        const r = dynamicCompare(op, v, constant);
        if (r === true) return true;
        if (r === false) sawValue = true;
      }
      return sawValue ? false : null;
    };
    return this.leaf(test, true, x, firstField(left));
  }

  private inSet(x: EqlInSet): Bool {
    const list = x.list.map((item) => {
      if (readsField(item)) {
        throw this.error(RuleValidationError, "eql_constant_required", "`in` lists must hold constants, not fields", item.location);
      }
      return this.value(item).constant!.value;
    });
    const ci = x.operator === "in~";
    const wanted = new Set(list.filter((v): v is string | number | boolean => v !== null).map((v) => (ci ? foldCase(String(v)) : String(v))));
    let test: (e: EcsEvent) => Tri;
    let scripted: boolean;
    if (x.value.type === "Field") {
      const access = fieldAccess(x.value.name);
      const strings = ci ? (e: EcsEvent) => access.folded(e) : (e: EcsEvent) => access.strings(e);
      const hit = (e: EcsEvent) => {
        for (const s of strings(e)) if (wanted.has(s)) return true;
        return false;
      };
      test = x.negated ? (e) => !hit(e) : hit;
      scripted = false;
    } else {
      const values = this.value(x.value).values;
      const hit = (e: EcsEvent): Tri => {
        let sawValue = false;
        for (const v of values(e)) {
          const s = asText(v);
          if (s === null) continue;
          sawValue = true;
          if (wanted.has(ci ? foldCase(s) : s)) return true;
        }
        return sawValue ? false : null;
      };
      test = x.negated
        ? (e) => {
            const r = hit(e);
            return r === null ? null : !r;
          }
        : hit;
      scripted = true;
    }
    return this.leaf(test, scripted, x, firstField(x.value));
  }

  private patternMatch(x: EqlPatternMatch): Bool {
    const patterns = x.patterns.map((p) => {
      if (p.type !== "String") {
        throw this.error(RuleValidationError, "eql_pattern_not_string", `\`${x.operator}\` compares strings: write the value in double quotes`, p.location);
      }
      return p;
    });
    const ci = x.operator === ":" || x.operator.endsWith("~");
    let matches: (s: string) => boolean;
    if (x.operator === "regex" || x.operator === "regex~") {
      const regexes: SafeRegex[] = patterns.map((p) => this.regex(p.value, ci, p.location));
      matches = (s) => {
        for (const r of regexes) if (r.test(s)) return true;
        return false;
      };
    } else {
      const set = compilePatternSet(
        patterns.map((p) => eqlWildcard(p.value)),
        { caseInsensitive: ci },
      );
      matches = (s) => set.test(s);
    }
    // Regexes fold through their own flag; wildcard sets expect folded values.
    const foldValues = ci && x.operator !== "regex~";
    if (x.value.type === "Field") {
      const access = fieldAccess(x.value.name);
      const strings = foldValues ? (e: EcsEvent) => access.folded(e) : (e: EcsEvent) => access.strings(e);
      const test = (e: EcsEvent): Tri => {
        for (const s of strings(e)) if (matches(s)) return true;
        return false;
      };
      return this.leaf(test, false, x, x.value.name);
    }
    const values = this.value(x.value).values;
    const test = (e: EcsEvent): Tri => {
      let sawValue = false;
      for (const v of values(e)) {
        const s = asText(v);
        if (s === null) continue;
        sawValue = true;
        if (matches(foldValues ? foldCase(s) : s)) return true;
      }
      return sawValue ? false : null;
    };
    return this.leaf(test, true, x, firstField(x.value));
  }

  private regex(pattern: string, ignoreCase: boolean, at: Location): SafeRegex {
    try {
      return compileSafeRegex(luceneRegexpToRe2(pattern), { ignoreCase, dotAll: true });
    } catch (error) {
      if (error instanceof DetectionError) {
        const Ctor = error.constructor as new (c: string, s: string, l: SourceLocation, r?: string) => DetectionError;
        throw this.error(Ctor, error.code, `${error.summary} in ${JSON.stringify(pattern)}`, at);
      }
      throw error;
    }
  }

  private functionCondition(x: EqlFunctionCall): Bool {
    const fn = this.resolveFunction(x);
    if (fn.returns !== "boolean") throw this.notBoolean(x);
    const key = fn.name.toLowerCase();
    const [subject, ...rest] = x.args;
    const restConstant = rest.every((a) => !readsField(a));
    if (subject?.type === "Field" && restConstant) {
      // Elasticsearch runs these as index queries (prefix, wildcard, terms on an ip field).
      const access = fieldAccess(subject.name);
      const constants = rest.map((a) => this.value(a).constant!.value);
      if (key === "cidrmatch") {
        const networks = constants.map((c, i) => this.cidr(c, rest[i]!.location));
        const matcher = compileCidrMatcher(networks);
        const test = (e: EcsEvent): Tri => access.strings(e).some((s) => matcher.test(s));
        return this.leaf(test, false, x, subject.name);
      }
      const sub = asText(constants[0] ?? null);
      if (sub !== null) {
        const needle = x.caseInsensitive ? foldCase(sub) : sub;
        const strings = x.caseInsensitive ? (e: EcsEvent) => access.folded(e) : (e: EcsEvent) => access.strings(e);
        const check =
          key === "startswith"
            ? (s: string) => s.startsWith(needle)
            : key === "endswith"
              ? (s: string) => s.endsWith(needle)
              : (s: string) => needle !== "" && s.includes(needle);
        const test = (e: EcsEvent): Tri => {
          for (const s of strings(e)) if (check(s)) return true;
          return false;
        };
        return this.leaf(test, false, x, subject.name);
      }
    }
    const values = this.value(x).values;
    const test = (e: EcsEvent): Tri => {
      let sawValue = false;
      for (const v of values(e)) {
        if (v === true) return true;
        if (v === false) sawValue = true;
      }
      return sawValue ? false : null;
    };
    return this.leaf(test, true, x, firstField(x));
  }

  private cidr(value: EqlValue, at: Location): Cidr {
    const parsed = value === null ? undefined : parseCidr(String(value));
    if (!parsed || !parsed.ok) {
      throw this.error(RuleValidationError, "eql_invalid_cidr", parsed && !parsed.ok ? parsed.reason : "cidrMatch needs CIDR blocks such as \"10.0.0.0/8\"", at);
    }
    return parsed.cidr;
  }

  // ---- values -----------------------------------------------------------------------------

  value(x: EqlExpression): Val {
    const v = this.valueUnfolded(x);
    if (v.constant !== undefined || readsField(x)) return v;
    // No field anywhere: fold to the constant now (one evaluation, never per event).
    const folded = v.values({});
    const value = folded[0] ?? null;
    return { values: () => [value], constant: { value }, float: v.float, returns: v.returns };
  }

  private valueUnfolded(x: EqlExpression): Val {
    switch (x.type) {
      case "String":
      case "Number":
      case "Boolean":
      case "Null": {
        const value = literalValue(x);
        return {
          values: () => [value],
          constant: { value },
          float: x.type === "Number" && x.decimal,
          returns: x.type === "String" ? "string" : x.type === "Number" ? "number" : x.type === "Boolean" ? "boolean" : "null",
        };
      }
      case "Field": {
        const access = fieldAccess(x.name);
        return {
          values: (e) => {
            const s = access.scalars(e);
            return s === undefined || s.length === 0 ? NULL_VALUES : s;
          },
          float: false,
          returns: "unknown",
        };
      }
      case "Arithmetic": {
        const fn = EQL_FUNCTIONS[ARITHMETIC[x.operator]]!;
        return this.apply(fn, [x.left, x.right], false);
      }
      case "Unary": {
        const operand = this.value(x.operand);
        const sign = x.operator === "-" ? -1 : 1;
        return {
          values: (e) =>
            operand.values(e).map((v) => {
              const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
              return v === null || Number.isNaN(n) ? null : sign * n;
            }),
          float: operand.float,
          returns: "number",
        };
      }
      case "FunctionCall": {
        const fn = this.resolveFunction(x);
        return this.apply(fn, x.args, x.caseInsensitive);
      }
      case "LogicalExpression":
      case "NotExpression":
      case "Comparison":
      case "InSet":
      case "PatternMatch": {
        const b = this.bool(x);
        return { values: (e) => [b.test(e)], float: false, returns: "boolean" };
      }
      default:
        return assertNever(x);
    }
  }

  /** A function over every combination of its arguments' values (any-element semantics). */
  private apply(fn: EqlFunction, args: readonly EqlExpression[], ci: boolean): Val {
    const vals = args.map((a) => this.value(a));
    const floats = vals.map((v) => v.float);
    const float = fn.returns === "number" && floats.some(Boolean);
    const single = vals.every((v) => v.constant !== undefined);
    if (single) {
      const result = fn.evaluate(
        vals.map((v) => v.constant!.value),
        ci,
        floats,
      );
      return { values: () => [result], constant: { value: result }, float, returns: fn.returns };
    }
    const readers = vals.map((v) => v.values);
    return {
      values: (e) => {
        const lists = readers.map((r) => r(e));
        const out: EqlValue[] = [];
        const combo: EqlValue[] = new Array<EqlValue>(lists.length);
        let budget = MAX_COMBINATIONS;
        const walk = (i: number) => {
          if (budget <= 0) return;
          if (i === lists.length) {
            budget--;
            out.push(fn.evaluate(combo, ci, floats));
            return;
          }
          for (const v of lists[i]!) {
            combo[i] = v;
            walk(i + 1);
          }
        };
        walk(0);
        return out.length === 0 ? NULL_VALUES : out;
      },
      float,
      returns: fn.returns,
    };
  }

  private resolveFunction(x: EqlFunctionCall): EqlFunction {
    const fn = EQL_FUNCTIONS[x.name.toLowerCase()];
    const nameAt = { start: x.location.start, end: x.location.start + x.name.length + (x.caseInsensitive ? 1 : 0) };
    if (!fn) {
      throw this.error(
        RuleValidationError,
        "eql_unknown_function",
        `unknown function ${x.name}(); EQL has ${Object.values(EQL_FUNCTIONS)
          .map((f) => f.name)
          .join(", ")}`,
        nameAt,
      );
    }
    if (x.caseInsensitive && !fn.caseAware) {
      throw this.error(RuleValidationError, "eql_not_case_aware", `${fn.name} has no case-insensitive (~) variant`, nameAt);
    }
    if (x.args.length < fn.minArgs || x.args.length > fn.maxArgs) {
      const expected =
        fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      throw this.error(RuleValidationError, "eql_function_arity", `${fn.name} takes ${expected} arguments, not ${x.args.length}`, x.location);
    }
    for (const i of fn.constantArgs ?? []) {
      const arg = x.args[i];
      if (arg && readsField(arg)) {
        throw this.error(RuleValidationError, "eql_constant_required", `argument ${i + 1} of ${fn.name} must be a constant, not a field`, arg.location);
      }
    }
    return fn;
  }

  private notBoolean(x: EqlExpression): DetectionError {
    return this.error(
      RuleValidationError,
      "eql_not_boolean",
      `\`${printExpression(x)}\` is not a condition: compare it (==, :, in, …) or use a function that returns true or false`,
      x.location,
    );
  }

  error(
    Ctor: new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError,
    code: string,
    summary: string,
    at: Location,
  ): DetectionError {
    const length = Math.max(1, at.end - at.start);
    if (this.options.source !== undefined) return syntaxErrorAt(code, summary, this.options.source, at.start, length, Ctor);
    return new Ctor(code, summary, { offset: at.start, length });
  }
}

const FLIPPED: Record<EqlComparisonOperator, EqlComparisonOperator> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const RANGE: Record<"<" | "<=" | ">" | ">=", RangeOperator> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };
const ARITHMETIC: Record<"+" | "-" | "*" | "/" | "%", string> = { "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "modulo" };

function literalValue(l: EqlLiteral): EqlValue {
  switch (l.type) {
    case "String":
    case "Number":
    case "Boolean":
      return l.value;
    case "Null":
      return null;
    default:
      return assertNever(l);
  }
}

/** Whether the expression reads any event field. */
function readsField(x: EqlExpression): boolean {
  switch (x.type) {
    case "Field":
      return true;
    case "String":
    case "Number":
    case "Boolean":
    case "Null":
      return false;
    case "LogicalExpression":
      return x.operands.some(readsField);
    case "NotExpression":
      return readsField(x.operand);
    case "Comparison":
    case "Arithmetic":
      return readsField(x.left) || readsField(x.right);
    case "Unary":
      return readsField(x.operand);
    case "InSet":
      return readsField(x.value) || x.list.some(readsField);
    case "PatternMatch":
      return readsField(x.value);
    case "FunctionCall":
      return x.args.some(readsField);
    default:
      return assertNever(x);
  }
}

function firstField(x: EqlExpression): string | undefined {
  const found: EqlField[] = [];
  const walk = (y: EqlExpression): void => {
    if (found.length > 0) return;
    if (y.type === "Field") found.push(y);
    else if (y.type === "FunctionCall") y.args.forEach(walk);
    else if (y.type === "Arithmetic" || y.type === "Comparison") {
      walk(y.left);
      walk(y.right);
    } else if (y.type === "Unary" || y.type === "NotExpression") walk(y.operand);
    else if (y.type === "InSet" || y.type === "PatternMatch") walk(y.value);
    else if (y.type === "LogicalExpression") y.operands.forEach(walk);
  };
  walk(x);
  return found[0]?.name;
}

/**
 * A comparison between two computed values, as Elasticsearch's scripts do it: numbers (and numeric
 * text against a number) numerically, strings by code unit, booleans for equality only; null on
 * either side is null; mismatched types are unequal.
 */
export function dynamicCompare(op: EqlComparisonOperator, a: EqlValue, b: EqlValue): Tri {
  if (a === null || b === null) return null;
  let x: number | string | boolean = a;
  let y: number | string | boolean = b;
  if (typeof x === "number" && typeof y === "string") {
    const n = Number(y);
    if (y.trim() === "" || Number.isNaN(n)) return op === "!=";
    y = n;
  } else if (typeof x === "string" && typeof y === "number") {
    const n = Number(x);
    if (x.trim() === "" || Number.isNaN(n)) return op === "!=";
    x = n;
  } else if (typeof x !== typeof y) {
    return op === "!=";
  }
  switch (op) {
    case "==":
      return x === y;
    case "!=":
      return x !== y;
    default:
      if (typeof x === "boolean") return false;
      return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  }
}

/** An EQL `:` / `like` pattern: `*` any run, `?` one character, everything else (backslash too) literal. */
export function eqlWildcard(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let buf = "";
  for (const c of pattern) {
    if (c === "*" || c === "?") {
      if (buf) parts.push(text(buf));
      buf = "";
      parts.push(c === "*" ? ANY_CHARS : ANY_CHAR);
    } else {
      buf += c;
    }
  }
  if (buf) parts.push(text(buf));
  return parts;
}

/**
 * A necessary condition for the rule index: the category as the shared category scope, within
 * it the most specific top-level conjunct on one field with literal values
 * (`process.name : ("a", "b")`, `x == "y"`, `x in (…)`, wildcard patterns by their literal parts).
 */
export function eqlPrefilter(category: string | null, condition: EqlExpression, categoryField: string): Prefilter | undefined {
  const conjuncts = condition.type === "LogicalExpression" && condition.operator === "and" ? condition.operands : [condition];
  const atoms = conjuncts.map(conjunctPrefilter).filter((p): p is Prefilter => p !== undefined);
  const best = mostSpecific(atoms);
  if (category !== null) return categoryScope(categoryField, category, best);
  return best;
}

function conjunctPrefilter(c: EqlExpression): Prefilter | undefined {
  if (c.type === "Comparison" && c.operator === "==" && c.left.type === "Field" && isScalarLiteral(c.right)) {
    return prefilterFromPatterns(c.left.name, [[text(String(c.right.value))]], false);
  }
  if (c.type === "InSet" && !c.negated && c.value.type === "Field" && c.list.every(isScalarLiteral)) {
    const values = c.list.map((l) => String((l as { value: string | number | boolean }).value));
    return prefilterFromPatterns(c.value.name, values.map((v) => [text(v)]), c.operator === "in~");
  }
  if (c.type === "PatternMatch" && (c.operator === ":" || c.operator === "like" || c.operator === "like~") && c.value.type === "Field") {
    if (!c.patterns.every((p) => p.type === "String")) return undefined;
    return prefilterFromPatterns(
      c.value.name,
      c.patterns.map((p) => eqlWildcard((p as { value: string }).value)),
      c.operator !== "like",
    );
  }
  return undefined;
}

function isScalarLiteral(x: EqlExpression): x is Extract<EqlExpression, { type: "String" | "Number" | "Boolean" }> {
  return x.type === "String" || x.type === "Number" || x.type === "Boolean";
}
