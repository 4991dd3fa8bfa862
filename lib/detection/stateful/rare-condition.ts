import { LimitExceededError, RuleValidationError, syntaxErrorAt, type DetectionError } from "../errors";
import { assertNever } from "../kql/ast";
import { MAX_DISTINCT_PER_DAY, type RareComparator, type RareCondition, type RareMetric } from "./types";

/**
 * A rare rule's condition over its trailing window: `count < 5 and distinct(host.id) == 1`.
 *
 *   condition  = or
 *   or         = and { "or" and }
 *   and        = unary { "and" unary }
 *   unary      = "not" unary | "(" or ")" | comparison
 *   comparison = metric ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) integer
 *   metric     = "count" | "distinct" "(" field ")"
 *
 * Precedence `not` > `and` > `or` (as KQL and EQL); keywords in any case; `and`/`or` are left
 * associative. `count` is the number of events of the group in the window (the event included),
 * `distinct(f)` the number of distinct values of `f` among them.
 */

export interface RareConditionLimits {
  maxLength: number;
  maxDepth: number;
}

export const DEFAULT_RARE_CONDITION_LIMITS: RareConditionLimits = { maxLength: 1024, maxDepth: 32 };

type Token =
  | { kind: "word"; text: string; start: number; end: number }
  | { kind: "number"; text: string; start: number; end: number }
  | { kind: "op"; text: RareComparator; start: number; end: number }
  | { kind: "punct"; text: "(" | ")"; start: number; end: number }
  | { kind: "eof"; text: ""; start: number; end: number };

const FIELD = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;

/**
 * Parse a rare condition.
 * @throws QuerySyntaxError (`rare_condition_*`) with offset, line, column and a caret;
 *   RuleValidationError `rare_condition_distinct_limit` when distinct() is compared with more
 *   than MAX_DISTINCT_PER_DAY; LimitExceededError `rare_condition_too_long` / `_too_deep`.
 */
export function parseRareCondition(text: string, limits: Partial<RareConditionLimits> = {}): RareCondition {
  const { maxLength, maxDepth } = { ...DEFAULT_RARE_CONDITION_LIMITS, ...limits };
  if (text.length > maxLength) {
    throw syntaxErrorAt("rare_condition_too_long", `condition is ${text.length} characters; the limit is ${maxLength}`, text, maxLength, 1, LimitExceededError);
  }
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isWord = (t: Token, w: string) => t.kind === "word" && t.text.toLowerCase() === w;
  const fail = (code: string, summary: string, at: Token | number, length?: number): DetectionError => {
    const offset = typeof at === "number" ? at : at.start;
    const len = length ?? (typeof at === "number" ? 1 : Math.max(at.end - at.start, 1));
    return syntaxErrorAt(code, summary, text, offset, len);
  };

  if (peek().kind === "eof") throw fail("rare_condition_empty", "empty condition: expected e.g. `count < 5 and distinct(host.id) == 1`", 0);

  // or = and { "or" and }
  const parseOr = (depth: number): RareCondition => {
    let left = parseAnd(depth);
    while (isWord(peek(), "or")) {
      next();
      const right = parseAnd(depth);
      left = { type: "Or", left, right, location: { start: left.location.start, end: right.location.end } };
    }
    return left;
  };
  // and = unary { "and" unary }
  const parseAnd = (depth: number): RareCondition => {
    let left = parseUnary(depth);
    while (isWord(peek(), "and")) {
      next();
      const right = parseUnary(depth);
      left = { type: "And", left, right, location: { start: left.location.start, end: right.location.end } };
    }
    return left;
  };
  // unary = "not" unary | "(" or ")" | comparison
  const parseUnary = (depth: number): RareCondition => {
    const t = peek();
    if (depth > maxDepth) {
      throw syntaxErrorAt("rare_condition_too_deep", `condition nests deeper than ${maxDepth}`, text, t.start, 1, LimitExceededError);
    }
    if (isWord(t, "not")) {
      next();
      const operand = parseUnary(depth + 1);
      return { type: "Not", operand, location: { start: t.start, end: operand.location.end } };
    }
    if (t.kind === "punct" && t.text === "(") {
      next();
      const inner = parseOr(depth + 1);
      const close = next();
      if (close.kind !== "punct" || close.text !== ")") throw fail("rare_condition_syntax", `expected \`)\` to close the \`(\` at offset ${t.start}`, close);
      return inner;
    }
    return parseComparison();
  };
  // comparison = metric op integer
  const parseComparison = (): RareCondition => {
    const m = next();
    let metric: RareMetric;
    if (isWord(m, "count")) {
      metric = { kind: "count" };
    } else if (isWord(m, "distinct")) {
      const open = next();
      if (open.kind !== "punct" || open.text !== "(") throw fail("rare_condition_syntax", "expected `(` after distinct: distinct(field)", open);
      const field = next();
      if (field.kind !== "word" || !FIELD.test(field.text)) throw fail("rare_condition_syntax", "expected a field name inside distinct( )", field);
      const close = next();
      if (close.kind !== "punct" || close.text !== ")") throw fail("rare_condition_syntax", "expected `)` after the field of distinct(", close);
      metric = { kind: "distinct", field: field.text };
    } else if (m.kind === "word" && !["and", "or", "not"].includes(m.text.toLowerCase())) {
      throw fail("rare_condition_unknown_metric", `unknown metric \`${m.text}\`: expected count or distinct(field)`, m);
    } else {
      throw fail(
        "rare_condition_syntax",
        m.kind === "eof" ? "the condition ends where a comparison was expected (count … or distinct(field) …)" : "expected a comparison such as `count < 5` or `distinct(host.id) == 1`",
        m,
      );
    }
    const op = next();
    if (op.kind !== "op") throw fail("rare_condition_syntax", "expected a comparison operator: <, <=, >, >=, == or !=", op);
    const value = next();
    if (value.kind !== "number") throw fail("rare_condition_syntax", "expected a non-negative integer after the operator", value);
    const n = Number(value.text);
    if (!Number.isSafeInteger(n)) throw fail("rare_condition_number", `${value.text} is too large`, value);
    if (metric.kind === "distinct" && n > MAX_DISTINCT_PER_DAY) {
      throw syntaxErrorAt(
        "rare_condition_distinct_limit",
        `distinct() is compared with ${n}; distinct values are counted exactly up to ${MAX_DISTINCT_PER_DAY} per day, so the constant must be at most ${MAX_DISTINCT_PER_DAY}`,
        text,
        value.start,
        value.end - value.start,
        RuleValidationError,
      );
    }
    return { type: "Comparison", metric, op: op.text, value: n, location: { start: m.start, end: value.end } };
  };

  const ast = parseOr(0);
  const rest = peek();
  if (rest.kind !== "eof") {
    throw fail("rare_condition_syntax", rest.kind === "punct" && rest.text === ")" ? "unbalanced `)`" : "expected `and`, `or` or the end of the condition", rest);
  }
  return ast;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (c === "(" || c === ")") {
      tokens.push({ kind: "punct", text: c, start, end: ++i });
      continue;
    }
    if (c === "<" || c === ">") {
      const op = (text[i + 1] === "=" ? `${c}=` : c) as RareComparator;
      i += op.length;
      tokens.push({ kind: "op", text: op, start, end: i });
      continue;
    }
    if (c === "=" || c === "!") {
      if (text[i + 1] !== "=") {
        throw syntaxErrorAt("rare_condition_syntax", c === "=" ? "use `==` to compare for equality" : "expected `!=`", text, start, 1);
      }
      i += 2;
      tokens.push({ kind: "op", text: `${c}=` as RareComparator, start, end: i });
      continue;
    }
    if (c >= "0" && c <= "9") {
      while (i < text.length && text[i]! >= "0" && text[i]! <= "9") i++;
      if (i < text.length && /[A-Za-z_.@]/.test(text[i]!)) {
        throw syntaxErrorAt("rare_condition_syntax", "expected a non-negative integer", text, start, i - start + 1);
      }
      tokens.push({ kind: "number", text: text.slice(start, i), start, end: i });
      continue;
    }
    if (/[A-Za-z_@]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_.@-]/.test(text[i]!)) i++;
      tokens.push({ kind: "word", text: text.slice(start, i), start, end: i });
      continue;
    }
    throw syntaxErrorAt("rare_condition_syntax", `unexpected character \`${c}\``, text, start, 1);
  }
  tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
  return tokens;
}

/** Canonical text: lower-case keywords, single blanks, only the parentheses the tree needs. */
export function printRareCondition(node: RareCondition): string {
  switch (node.type) {
    case "Comparison":
      return `${node.metric.kind === "count" ? "count" : `distinct(${node.metric.field})`} ${node.op} ${node.value}`;
    case "Not":
      return `not ${node.operand.type === "And" || node.operand.type === "Or" ? `(${printRareCondition(node.operand)})` : printRareCondition(node.operand)}`;
    case "And":
    case "Or": {
      const word = node.type === "And" ? "and" : "or";
      // Left-associative: a same-operator group on the right, or an `or` inside an `and`, needs parentheses.
      const wrap = (child: RareCondition, right: boolean) =>
        (node.type === "And" && child.type === "Or") || (right && child.type === node.type) ? `(${printRareCondition(child)})` : printRareCondition(child);
      return `${wrap(node.left, false)} ${word} ${wrap(node.right, true)}`;
    }
    default:
      return assertNever(node);
  }
}

/** What a condition is evaluated against: the window's event count and distinct-value counts. */
export interface RareMetrics {
  count: number;
  distinct(field: string): number;
}

/** Evaluate a condition. Total: every metric is a number. */
export function evaluateRareCondition(node: RareCondition, metrics: RareMetrics): boolean {
  switch (node.type) {
    case "Comparison": {
      const x = node.metric.kind === "count" ? metrics.count : metrics.distinct(node.metric.field);
      return compare(x, node.op, node.value);
    }
    case "Not":
      return !evaluateRareCondition(node.operand, metrics);
    case "And":
      return evaluateRareCondition(node.left, metrics) && evaluateRareCondition(node.right, metrics);
    case "Or":
      return evaluateRareCondition(node.left, metrics) || evaluateRareCondition(node.right, metrics);
    default:
      return assertNever(node);
  }
}

function compare(x: number, op: RareComparator, y: number): boolean {
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    case ">=":
      return x >= y;
    case "==":
      return x === y;
    case "!=":
      return x !== y;
    default:
      return assertNever(op);
  }
}

/** The fields a condition counts distinct values of, each once, in order of appearance. */
export function rareConditionFields(node: RareCondition): string[] {
  const out: string[] = [];
  const visit = (n: RareCondition) => {
    switch (n.type) {
      case "Comparison":
        if (n.metric.kind === "distinct" && !out.includes(n.metric.field)) out.push(n.metric.field);
        return;
      case "Not":
        return visit(n.operand);
      case "And":
      case "Or":
        visit(n.left);
        visit(n.right);
        return;
      default:
        return assertNever(n);
    }
  };
  visit(node);
  return out;
}

const NO_LOCATION = { start: 0, end: 0 };

/** Builders for expected trees in tests (locations zero; compare with stripLocations). */
export const rare = {
  count(op: RareComparator, value: number): RareCondition {
    return { type: "Comparison", metric: { kind: "count" }, op, value, location: NO_LOCATION };
  },
  distinct(field: string, op: RareComparator, value: number): RareCondition {
    return { type: "Comparison", metric: { kind: "distinct", field }, op, value, location: NO_LOCATION };
  },
  and(left: RareCondition, right: RareCondition): RareCondition {
    return { type: "And", left, right, location: NO_LOCATION };
  },
  or(left: RareCondition, right: RareCondition): RareCondition {
    return { type: "Or", left, right, location: NO_LOCATION };
  },
  not(operand: RareCondition): RareCondition {
    return { type: "Not", operand, location: NO_LOCATION };
  },
};
