/**
 * The EQL AST (Elasticsearch EQL, as Elastic's detection rules write it): a public, versioned data
 * structure (README). Plain JSON-serialisable objects discriminated on `type`, every node with
 * `location` (0-based offsets, end exclusive). Sequences, samples, joins and pipes parse into it;
 * the compiler reports them unsupported rather than running something else.
 */
import type { Location } from "../kql/ast";

export type { Location } from "../kql/ast";
export { stripLocations } from "../kql/ast";

export interface EqlStatement {
  type: "Statement";
  query: EqlQuery;
  pipes: EqlPipe[];
  location: Location;
}

export type EqlQuery = EqlEventQuery | EqlSequence | EqlSample | EqlJoin;

/** `category where condition`; `category` null is `any`. */
export interface EqlEventQuery {
  type: "EventQuery";
  category: string | null;
  condition: EqlExpression;
  location: Location;
}

export interface EqlTimeSpan {
  value: number;
  /** As written: ms, s, m, h, d (Elasticsearch time units). */
  unit: string;
}

export interface EqlSequence {
  type: "Sequence";
  by: EqlExpression[];
  maxspan: EqlTimeSpan | null;
  terms: EqlSequenceTerm[];
  until: EqlSequenceTerm | null;
  location: Location;
}

export interface EqlSequenceTerm {
  type: "SequenceTerm";
  query: EqlEventQuery;
  by: EqlExpression[];
  /** `![ … ]`: a missing event. */
  missing: boolean;
  /** `with runs=N`. */
  runs: number | null;
  location: Location;
}

export interface EqlSample {
  type: "Sample";
  by: EqlExpression[];
  terms: EqlJoinTerm[];
  location: Location;
}

export interface EqlJoin {
  type: "Join";
  by: EqlExpression[];
  terms: EqlJoinTerm[];
  until: EqlJoinTerm | null;
  location: Location;
}

export interface EqlJoinTerm {
  type: "JoinTerm";
  query: EqlEventQuery;
  by: EqlExpression[];
  location: Location;
}

export interface EqlPipe {
  type: "Pipe";
  name: string;
  args: EqlExpression[];
  location: Location;
}

export interface EqlLogical {
  type: "LogicalExpression";
  operator: "and" | "or";
  operands: EqlExpression[];
  location: Location;
}

export interface EqlNot {
  type: "NotExpression";
  operand: EqlExpression;
  location: Location;
}

export type EqlComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

export interface EqlComparison {
  type: "Comparison";
  operator: EqlComparisonOperator;
  left: EqlExpression;
  right: EqlExpression;
  location: Location;
}

/** `value in (…)`, `value not in~ (…)`. */
export interface EqlInSet {
  type: "InSet";
  operator: "in" | "in~";
  negated: boolean;
  value: EqlExpression;
  list: EqlExpression[];
  location: Location;
}

export type EqlPatternOperator = ":" | "like" | "like~" | "regex" | "regex~";

/** `value : "a*"`, `value like~ ("a", "b")`, `value regex "…"`: patterns are constants. */
export interface EqlPatternMatch {
  type: "PatternMatch";
  operator: EqlPatternOperator;
  value: EqlExpression;
  patterns: EqlLiteral[];
  location: Location;
}

export interface EqlFunctionCall {
  type: "FunctionCall";
  /** As written; function names are case-insensitive. */
  name: string;
  /** Written `name~(…)`. */
  caseInsensitive: boolean;
  args: EqlExpression[];
  location: Location;
}

export type EqlArithmeticOperator = "+" | "-" | "*" | "/" | "%";

export interface EqlArithmetic {
  type: "Arithmetic";
  operator: EqlArithmeticOperator;
  left: EqlExpression;
  right: EqlExpression;
  location: Location;
}

export interface EqlUnary {
  type: "Unary";
  operator: "-" | "+";
  operand: EqlExpression;
  location: Location;
}

export interface EqlField {
  type: "Field";
  /** The dotted path (backtick-quoted parts already unquoted). */
  name: string;
  /** `?field`: optional. */
  optional: boolean;
  location: Location;
}

export interface EqlString {
  type: "String";
  value: string;
  /** Written as `"""raw"""`. */
  raw: boolean;
  location: Location;
}

export interface EqlNumber {
  type: "Number";
  value: number;
  /** Written with a decimal point or exponent (a float to Elasticsearch; `4.0 / 3` is not integer division). */
  decimal: boolean;
  location: Location;
}

export interface EqlBoolean {
  type: "Boolean";
  value: boolean;
  location: Location;
}

export interface EqlNull {
  type: "Null";
  location: Location;
}

export type EqlLiteral = EqlString | EqlNumber | EqlBoolean | EqlNull;

export type EqlExpression =
  | EqlLogical
  | EqlNot
  | EqlComparison
  | EqlInSet
  | EqlPatternMatch
  | EqlFunctionCall
  | EqlArithmetic
  | EqlUnary
  | EqlField
  | EqlLiteral;

export type EqlAst = EqlStatement;

const L: Location = Object.freeze({ start: 0, end: 0 }) as Location;

function expr(v: EqlExpression | string | number | boolean | null): EqlExpression {
  if (v === null) return eql.null();
  if (typeof v === "string") return eql.string(v);
  if (typeof v === "number") return eql.number(v);
  if (typeof v === "boolean") return eql.boolean(v);
  return v;
}

function literal(v: EqlLiteral | string | number | boolean | null): EqlLiteral {
  return expr(v) as EqlLiteral;
}

/** Builders for expected trees in tests; compare with `stripLocations`. Plain JS values become literals. */
export const eql = {
  statement(query: EqlQuery, pipes: EqlPipe[] = []): EqlStatement {
    return { type: "Statement", query, pipes, location: L };
  },
  where(category: string | null, condition: EqlExpression): EqlEventQuery {
    return { type: "EventQuery", category, condition, location: L };
  },
  /** A whole single-event query: `category where condition`. */
  query(category: string | null, condition: EqlExpression): EqlStatement {
    return eql.statement(eql.where(category, condition));
  },
  sequence(terms: EqlSequenceTerm[], opts: { by?: EqlExpression[]; maxspan?: EqlTimeSpan; until?: EqlSequenceTerm } = {}): EqlSequence {
    return { type: "Sequence", by: opts.by ?? [], maxspan: opts.maxspan ?? null, terms, until: opts.until ?? null, location: L };
  },
  term(query: EqlEventQuery, opts: { by?: EqlExpression[]; missing?: boolean; runs?: number } = {}): EqlSequenceTerm {
    return { type: "SequenceTerm", query, by: opts.by ?? [], missing: opts.missing ?? false, runs: opts.runs ?? null, location: L };
  },
  pipe(name: string, ...args: EqlExpression[]): EqlPipe {
    return { type: "Pipe", name, args, location: L };
  },
  and(...operands: EqlExpression[]): EqlLogical {
    return { type: "LogicalExpression", operator: "and", operands, location: L };
  },
  or(...operands: EqlExpression[]): EqlLogical {
    return { type: "LogicalExpression", operator: "or", operands, location: L };
  },
  not(operand: EqlExpression): EqlNot {
    return { type: "NotExpression", operand, location: L };
  },
  compare(left: EqlExpression | string, operator: EqlComparisonOperator, right: EqlExpression | string | number | boolean | null): EqlComparison {
    return { type: "Comparison", operator, left: typeof left === "string" ? eql.field(left) : left, right: expr(right), location: L };
  },
  in(value: EqlExpression | string, list: (EqlExpression | string | number | boolean | null)[], opts: { insensitive?: boolean; negated?: boolean } = {}): EqlInSet {
    return {
      type: "InSet",
      operator: opts.insensitive ? "in~" : "in",
      negated: opts.negated ?? false,
      value: typeof value === "string" ? eql.field(value) : value,
      list: list.map(expr),
      location: L,
    };
  },
  match(value: EqlExpression | string, operator: EqlPatternOperator, ...patterns: (EqlLiteral | string | number | boolean | null)[]): EqlPatternMatch {
    return { type: "PatternMatch", operator, value: typeof value === "string" ? eql.field(value) : value, patterns: patterns.map(literal), location: L };
  },
  call(name: string, ...args: (EqlExpression | string | number | boolean | null)[]): EqlFunctionCall {
    const ci = name.endsWith("~");
    return { type: "FunctionCall", name: ci ? name.slice(0, -1) : name, caseInsensitive: ci, args: args.map(expr), location: L };
  },
  arith(left: EqlExpression | string | number, operator: EqlArithmeticOperator, right: EqlExpression | string | number): EqlArithmetic {
    const side = (v: EqlExpression | string | number) => (typeof v === "string" ? eql.field(v) : expr(v));
    return { type: "Arithmetic", operator, left: side(left), right: side(right), location: L };
  },
  neg(operand: EqlExpression): EqlUnary {
    return { type: "Unary", operator: "-", operand, location: L };
  },
  field(name: string, optional = false): EqlField {
    return { type: "Field", name, optional, location: L };
  },
  optionalField(name: string): EqlField {
    return eql.field(name, true);
  },
  string(value: string): EqlString {
    return { type: "String", value, raw: false, location: L };
  },
  raw(value: string): EqlString {
    return { type: "String", value, raw: true, location: L };
  },
  number(value: number, decimal = !Number.isInteger(value)): EqlNumber {
    return { type: "Number", value, decimal, location: L };
  },
  boolean(value: boolean): EqlBoolean {
    return { type: "Boolean", value, location: L };
  },
  null(): EqlNull {
    return { type: "Null", location: L };
  },
};
