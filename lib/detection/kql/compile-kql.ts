import { compileRangeTest, type RangeOperator } from "../compile/compile-range-test";
import { ALL_FIELDS, fieldAccess, leafEntries, type FieldAccess, type Scalar } from "../compile/field-access";
import { foldCase } from "../compile/fold-case";
import { ANY_CHARS, compilePattern, text, type PatternPart } from "../compile/pattern";
import { compilePatternSet } from "../compile/pattern-set";
import { RuleValidationError, UnsupportedFeatureError, syntaxErrorAt, type DetectionError, type SourceLocation } from "../errors";
import { compileFieldGetter } from "../event/fields";
import type { EcsEvent, FieldValue } from "../event/types";
import type { MatchDetail, Prefilter } from "../rules/detector";
import {
  assertNever,
  isLoneWildcard,
  plainFieldName,
  type KqlAst,
  type KqlField,
  type KqlFieldMatch,
  type KqlNode,
  type KqlValue,
  type KqlValueExpression,
  type Location,
} from "./ast";
import type { CompiledQuery } from "./compiled-query";
import { categoryScope, mostSpecific, prefilterFromPatterns } from "./prefilter";
import { printKql } from "./print-kql";

export interface CompileKqlOptions {
  /** The query text the AST came from: errors then carry line, column and a caret. */
  source?: string;
  /** Clock for `now` in date-math range bounds (epoch ms); defaults to Date.now. */
  now?: () => number;
}

/**
 * Compile a KQL AST into closures, once (STYLE F2.6). Semantics are Elasticsearch's for a query
 * Kibana builds from the KQL, on ECS `keyword` fields (README "KQL semantics"):
 *
 * - `field:value` is a term query: exact and case-sensitive; numbers and booleans in the event
 *   compare in their text form, as a keyword field indexes them. Unquoted `*` is a wildcard (any
 *   run of characters); `?` is a literal character in KQL (Kibana escapes it).
 * - `<field>.caseless` is the lower-cased view of `<field>` (Elastic's lowercase-normalized
 *   multi-field): the field's values and the query's values are both lower-cased.
 * - Any element of an array field may satisfy a clause; `not` holds when none does, and also when
 *   the field is missing (Elasticsearch's `must_not`).
 * - `field:*` exists: the field holds at least one non-null value.
 * - Free text (no field) searches every field of the event (README).
 * - A wildcard field name (`process.*:cmd.exe`) reads every event field whose path matches.
 * - `path:{ … }` holds when one element of `path` (an object or an array of objects) satisfies the
 *   whole inner query, with inner field names relative to the element.
 *
 * @throws UnsupportedFeatureError kql_text_field for analyzed `.text` multi-fields
 * @throws RuleValidationError kql_null_value for an unquoted `null` value, which Elasticsearch rejects
 */
export function compileKql(ast: KqlAst, options: CompileKqlOptions = {}): CompiledQuery {
  const compiler = new KqlCompiler(options);
  const root = compiler.node(ast);
  return {
    test: root.test,
    explain(event) {
      const out: MatchDetail[] = [];
      root.explain(event, out);
      return out;
    },
    ...optional("prefilter", kqlPrefilter(ast)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

type Test = (event: EcsEvent) => boolean;
type Explain = (event: EcsEvent, out: MatchDetail[]) => boolean;

interface Compiled {
  test: Test;
  explain: Explain;
}

/** How a clause reads its field: values as text (folded for `.caseless`), scalars, presence. */
interface Reader {
  readonly path: string;
  readonly caseless: boolean;
  strings(event: EcsEvent): readonly string[];
  scalars(event: EcsEvent): readonly Scalar[] | undefined;
  exists(event: EcsEvent): boolean;
}

const CASELESS = ".caseless";

class KqlCompiler {
  constructor(private readonly options: CompileKqlOptions) {}

  node(n: KqlNode): Compiled {
    switch (n.type) {
      case "LogicalExpression":
        return this.logical(n.operator, n.operands.map((o) => this.node(o)));
      case "NotExpression": {
        const inner = this.node(n.operand).test;
        const test: Test = (e) => !inner(e);
        return { test, explain: test };
      }
      case "FieldMatch":
        return this.fieldMatch(n);
      case "Exists": {
        const reader = this.reader(n.field);
        const test: Test = (e) => reader.exists(e);
        return this.leaf(test, n, reader);
      }
      case "Range": {
        const reader = this.reader(n.field);
        const bound = n.value.segments.join("*");
        const range = compileRangeTest(RANGE_OPS[n.operator], reader.caseless ? foldCase(bound) : bound, this.options);
        const test: Test = (e) => {
          const values = reader.scalars(e);
          if (values === undefined) return false;
          for (const v of values) if (range(v)) return true;
          return false;
        };
        return this.leaf(test, n, reader);
      }
      case "Nested":
        return this.nested(n.field, this.node(n.query), n);
      case "FreeText": {
        const match = this.valueMatcher(n.value, false);
        const test: Test = (e) => match(ALL_FIELDS.strings(e));
        const explain: Explain = (e, out) => {
          if (!test(e)) return false;
          const hit = leafEntries(e).find(([, v]) => v !== null && match([String(v)]));
          out.push({ condition: printKql(n), ...(hit && { field: hit[0], value: hit[1] }) });
          return true;
        };
        return { test, explain };
      }
      case "MatchAll": {
        const test: Test = () => true;
        return { test, explain: test };
      }
      default:
        return assertNever(n);
    }
  }

  private logical(operator: "and" | "or", parts: Compiled[]): Compiled {
    const tests = parts.map((p) => p.test);
    const explains = parts.map((p) => p.explain);
    let test: Test;
    if (operator === "and") {
      const [a, b] = tests;
      test =
        tests.length === 2
          ? (e) => a!(e) && b!(e)
          : (e) => {
              for (const t of tests) if (!t(e)) return false;
              return true;
            };
      const explain: Explain = (e, out) => {
        const mark = out.length;
        for (const x of explains) {
          if (!x(e, out)) {
            out.length = mark;
            return false;
          }
        }
        return true;
      };
      return { test, explain };
    }
    const [a, b] = tests;
    test =
      tests.length === 2
        ? (e) => a!(e) || b!(e)
        : (e) => {
            for (const t of tests) if (t(e)) return true;
            return false;
          };
    const explain: Explain = (e, out) => {
      for (const x of explains) {
        const mark = out.length;
        if (x(e, out)) return true;
        out.length = mark;
      }
      return false;
    };
    return { test, explain };
  }

  private fieldMatch(n: KqlFieldMatch): Compiled {
    const reader = this.reader(n.field);
    const test = this.valueExpression(n.value, reader);
    return this.leaf(test, n, reader);
  }

  /** A clause on one field: its explanation names the clause, the field and the event's value. */
  private leaf(test: Test, n: KqlNode, reader: Reader): Compiled {
    const explain: Explain = (e, out) => {
      if (!test(e)) return false;
      const values = reader.scalars(e);
      out.push({
        condition: printKql(n),
        field: reader.path,
        value: values === undefined ? null : values.length === 1 ? values[0]! : [...values],
      });
      return true;
    };
    return { test, explain };
  }

  private valueExpression(v: KqlValueExpression, reader: Reader): Test {
    switch (v.type) {
      case "Value": {
        if (isLoneWildcard(v)) return (e) => reader.exists(e);
        const match = this.valueMatcher(v, reader.caseless);
        return (e) => match(reader.strings(e));
      }
      case "ValueNot": {
        const inner = this.valueExpression(v.operand, reader);
        return (e) => !inner(e);
      }
      case "ValueLogical": {
        // `field:(a or b or *c)`: one pattern set (Set / trie / automaton) instead of a loop.
        if (v.operator === "or" && v.operands.every((o) => o.type === "Value" && !isLoneWildcard(o))) {
          const values = v.operands as KqlValue[];
          values.forEach((o) => this.checkValue(o));
          const set = compilePatternSet(
            values.map((o) => patternOf(o)),
            { caseInsensitive: reader.caseless },
          );
          return (e) => {
            for (const s of reader.strings(e)) if (set.test(s)) return true;
            return false;
          };
        }
        const tests = v.operands.map((o) => this.valueExpression(o, reader));
        return v.operator === "and"
          ? (e) => {
              for (const t of tests) if (!t(e)) return false;
              return true;
            }
          : (e) => {
              for (const t of tests) if (t(e)) return true;
              return false;
            };
      }
      default:
        return assertNever(v);
    }
  }

  /** Any of the (already folded, for `.caseless`) texts matches the value. */
  private valueMatcher(v: KqlValue, caseInsensitive: boolean): (values: readonly string[]) => boolean {
    this.checkValue(v);
    const m = compilePattern(patternOf(v), { caseInsensitive });
    if (m.shape.kind === "equals") {
      const wanted = m.shape.value;
      return (values) => {
        for (const s of values) if (s === wanted) return true;
        return false;
      };
    }
    return (values) => {
      for (const s of values) if (m.test(s)) return true;
      return false;
    };
  }

  private checkValue(v: KqlValue): void {
    if (!v.quoted && v.segments.length === 1 && v.segments[0] === "null") {
      throw this.error(
        RuleValidationError,
        "kql_null_value",
        "an unquoted null is not a value Elasticsearch can search for: write `not field:*` for a missing field, or \"null\" for the text null",
        v.location,
      );
    }
  }

  private nested(field: KqlField, inner: Compiled, n: KqlNode): Compiled {
    const name = plainFieldName(field);
    if (name === undefined) {
      throw this.error(UnsupportedFeatureError, "kql_nested_wildcard", "a nested query needs a plain field name, not a wildcard", field.location);
    }
    const get = compileFieldGetter(name);
    const elements = (e: EcsEvent): EcsEvent[] => {
      const out: EcsEvent[] = [];
      const walk = (v: FieldValue | undefined) => {
        if (v === undefined || v === null || typeof v !== "object") return;
        if (Array.isArray(v)) for (const item of v) walk(item);
        else out.push(v);
      };
      walk(get(e));
      return out;
    };
    const test: Test = (e) => {
      for (const element of elements(e)) if (inner.test(element)) return true;
      return false;
    };
    const explain: Explain = (e, out) => {
      for (const element of elements(e)) {
        const mark = out.length;
        if (inner.explain(element, out)) {
          for (let i = mark; i < out.length; i++) {
            const d = out[i]!;
            out[i] = { ...d, ...(d.field !== undefined && { field: `${name}.${d.field}` }) };
          }
          out.push({ condition: printKql(n), field: name });
          return true;
        }
        out.length = mark;
      }
      return false;
    };
    return { test, explain };
  }

  private reader(field: KqlField): Reader {
    const name = plainFieldName(field);
    if (name === undefined) return globReader(field);
    if (name.endsWith(".text") && !field.quoted) {
      throw this.error(
        UnsupportedFeatureError,
        "kql_text_field",
        `${name} is an analyzed text multi-field; Vigil matches keyword values only (use ${name.slice(0, -5)} or ${name.slice(0, -5)}.caseless)`,
        field.location,
      );
    }
    if (name.endsWith(CASELESS) && name.length > CASELESS.length) {
      const base = name.slice(0, -CASELESS.length);
      const access = fieldAccess(base);
      const exists = existence(base);
      return {
        path: name,
        caseless: true,
        strings: (e) => access.folded(e),
        scalars: (e) => (access.scalars(e) === undefined ? undefined : access.folded(e)),
        exists,
      };
    }
    const access = fieldAccess(name);
    return { path: name, caseless: false, strings: (e) => access.strings(e), scalars: (e) => access.scalars(e), exists: existence(name) };
  }

  private error(
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

const RANGE_OPS: Record<"<" | "<=" | ">" | ">=", RangeOperator> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };

/** A KQL value as shared pattern parts: unescaped `*` is the only wildcard (`?` is literal). */
export function patternOf(v: KqlValue): PatternPart[] {
  const parts: PatternPart[] = [];
  v.segments.forEach((s, i) => {
    if (i > 0) parts.push(ANY_CHARS);
    if (s !== "") parts.push(text(s));
  });
  return parts;
}

/** Presence as Elasticsearch's `exists` query sees it: some non-null value, at any depth. */
function existence(path: string): (event: EcsEvent) => boolean {
  const get = compileFieldGetter(path);
  return (e) => hasValue(get(e));
}

function hasValue(v: FieldValue | undefined): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.some(hasValue);
  if (typeof v === "object") {
    for (const key in v) if (hasValue(v[key])) return true;
    return false;
  }
  return true;
}

/**
 * A wildcard field name reads every scalar leaf whose dotted path matches (`process.*` covers
 * `process.name` and `process.parent.name`), as Kibana expands it over the data view's fields.
 */
function globReader(field: KqlField): Reader {
  const pattern = field.segments.join("*");
  const matcher = compilePattern(patternOf({ ...field, type: "Value", quoted: false }), { caseInsensitive: false });
  const access: FieldAccess = fieldAccess(`\u0000kql-field-glob:${pattern}`, {
    get: (e) => {
      const out: FieldValue[] = [];
      for (const [path, value] of leafEntries(e)) if (matcher.test(path)) out.push(value);
      return out.length === 0 ? undefined : out;
    },
    pathOf: (e) => leafEntries(e).find(([path]) => matcher.test(path))?.[0],
  });
  return {
    path: pattern,
    caseless: false,
    strings: (e) => access.strings(e),
    scalars: (e) => access.scalars(e),
    exists: (e) => (access.scalars(e) ?? []).some((v) => v !== null),
  };
}

/**
 * A necessary condition for the rule index, from the top-level conjuncts: `field:(v1 or v2 …)`
 * on a plain field gives value atoms (prefix, suffix, contained text for wildcard values), and
 * `event.category:<value>` gives the shared category scope. The most specific conjunct wins:
 * a value atom on a field other than `event.*` (within the category scope when there is one).
 */
export function kqlPrefilter(ast: KqlAst): Prefilter | undefined {
  const conjuncts = ast.type === "LogicalExpression" && ast.operator === "and" ? ast.operands : [ast];
  let category: string | undefined;
  const atoms: Prefilter[] = [];
  for (const c of conjuncts) {
    if (c.type !== "FieldMatch") continue;
    const name = plainFieldName(c.field);
    if (name === "event.category" && !c.field.quoted && c.value.type === "Value" && c.value.segments.length === 1) {
      category ??= c.value.segments[0];
    }
    const p = fieldMatchPrefilter(c);
    if (p) atoms.push(p);
  }
  const best = mostSpecific(atoms);
  if (category !== undefined) return categoryScope("event.category", category, best);
  return best;
}

function fieldMatchPrefilter(n: KqlFieldMatch): Prefilter | undefined {
  let name = plainFieldName(n.field);
  if (name === undefined || name.endsWith(".text")) return undefined;
  const caseInsensitive = name.endsWith(CASELESS) && name.length > CASELESS.length;
  if (caseInsensitive) name = name.slice(0, -CASELESS.length);
  const values: KqlValue[] = [];
  const collect = (v: KqlValueExpression): boolean => {
    if (v.type === "Value") return values.push(v) > 0;
    if (v.type === "ValueLogical" && v.operator === "or") return v.operands.every(collect);
    return false;
  };
  if (!collect(n.value) || values.some((v) => isLoneWildcard(v))) return undefined;
  return prefilterFromPatterns(name, values.map(patternOf), caseInsensitive);
}
