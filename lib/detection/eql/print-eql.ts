import { assertNever } from "../kql/ast";
import type {
  EqlAst,
  EqlEventQuery,
  EqlExpression,
  EqlJoinTerm,
  EqlLiteral,
  EqlQuery,
  EqlSequenceTerm,
} from "./ast";
import { EQL_IDENTIFIER, EQL_KEYWORDS } from "./lexer";

/**
 * Print an EQL AST as canonical query text: one line, detection-rules' spacing (`field : "x"`,
 * `field in ("a", "b")`, `fn(a, b)`), only the parentheses the tree needs (a nested logical node
 * of the same operator keeps its own). `print(parse(q))` is stable and `parse(print(ast))` gives
 * `ast` back (locations aside).
 */
export function printEql(ast: EqlAst): string {
  const pipes = ast.pipes.map((p) => ` | ${p.name}${p.args.length ? ` ${p.args.map((a) => printExpression(a)).join(", ")}` : ""}`);
  return printQuery(ast.query) + pipes.join("");
}

function printQuery(q: EqlQuery): string {
  switch (q.type) {
    case "EventQuery":
      return printEventQuery(q);
    case "Sequence": {
      let out = "sequence";
      if (q.by.length) out += ` by ${printList(q.by)}`;
      if (q.maxspan) out += ` with maxspan=${q.maxspan.value}${q.maxspan.unit}`;
      for (const t of q.terms) out += ` ${printSequenceTerm(t)}`;
      if (q.until) out += ` until ${printSequenceTerm(q.until)}`;
      return out;
    }
    case "Sample":
      return `sample${q.by.length ? ` by ${printList(q.by)}` : ""} ${q.terms.map(printJoinTerm).join(" ")}`;
    case "Join":
      return `join${q.by.length ? ` by ${printList(q.by)}` : ""} ${q.terms.map(printJoinTerm).join(" ")}${q.until ? ` until ${printJoinTerm(q.until)}` : ""}`;
    default:
      return assertNever(q);
  }
}

function printEventQuery(q: EqlEventQuery): string {
  const category = q.category === null ? "any" : EQL_IDENTIFIER.test(q.category) && !EQL_KEYWORDS.has(q.category) ? q.category : printString(q.category);
  return `${category} where ${printExpression(q.condition)}`;
}

function printSequenceTerm(t: EqlSequenceTerm): string {
  return `${t.missing ? "![" : "["}${printEventQuery(t.query)}]${t.by.length ? ` by ${printList(t.by)}` : ""}${t.runs !== null ? ` with runs=${t.runs}` : ""}`;
}

function printJoinTerm(t: EqlJoinTerm): string {
  return `[${printEventQuery(t.query)}]${t.by.length ? ` by ${printList(t.by)}` : ""}`;
}

function printList(items: readonly EqlExpression[]): string {
  return items.map((e) => printExpression(e)).join(", ");
}

/** Binding strength: higher binds tighter. */
function precedence(e: EqlExpression): number {
  switch (e.type) {
    case "LogicalExpression":
      return e.operator === "or" ? 1 : 2;
    case "NotExpression":
      return 3;
    case "Comparison":
      return 4;
    case "Arithmetic":
      return e.operator === "+" || e.operator === "-" ? 5 : 6;
    case "Unary":
      return 7;
    case "InSet":
    case "PatternMatch":
      return 8;
    case "Number":
      // A negative literal prints with its sign, which binds like unary minus.
      return e.value < 0 || Object.is(e.value, -0) ? 7 : 9;
    default:
      return 9; // primaries
  }
}

function wrap(e: EqlExpression, needsParens: boolean): string {
  return needsParens ? `(${printExpression(e)})` : printExpression(e);
}

export function printExpression(e: EqlExpression): string {
  switch (e.type) {
    case "LogicalExpression":
      // A nested logical node prints in parentheses when it binds looser, or is the same operator
      // (kept as its own node rather than merged, so the tree survives a round trip).
      return e.operands.map((o) => wrap(o, o.type === "LogicalExpression" && precedence(o) <= precedence(e))).join(` ${e.operator} `);
    case "NotExpression":
      return `not ${wrap(e.operand, precedence(e.operand) < 3)}`;
    case "Comparison":
      // Comparison operands are arithmetic-level expressions; a predicate operand gets
      // parentheses for readability (`(a in (1)) == true`).
      return `${wrap(e.left, precedence(e.left) < 5 || precedence(e.left) === 8)} ${e.operator} ${wrap(e.right, precedence(e.right) < 5 || precedence(e.right) === 8)}`;
    case "Arithmetic": {
      const p = precedence(e);
      // Left-associative: the right operand needs parentheses at equal precedence too.
      return `${wrap(e.left, precedence(e.left) < p || precedence(e.left) === 8)} ${e.operator} ${wrap(e.right, precedence(e.right) <= p || precedence(e.right) === 8)}`;
    }
    case "Unary": {
      const o = e.operand;
      const needs = precedence(o) < 7 || precedence(o) === 8 || (o.type === "Number" && o.value < 0) || o.type === "Unary";
      return `${e.operator}${wrap(o, needs)}`;
    }
    case "InSet":
      return `${wrap(e.value, precedence(e.value) < 9)} ${e.negated ? "not " : ""}${e.operator} (${printList(e.list)})`;
    case "PatternMatch": {
      const v = wrap(e.value, precedence(e.value) < 9);
      const patterns = e.patterns.length === 1 ? printLiteral(e.patterns[0]!) : `(${e.patterns.map(printLiteral).join(", ")})`;
      return `${v} ${e.operator} ${patterns}`;
    }
    case "FunctionCall":
      return `${e.name}${e.caseInsensitive ? "~" : ""}(${printList(e.args)})`;
    case "Field":
      return `${e.optional ? "?" : ""}${printFieldName(e.name)}`;
    case "String":
    case "Number":
    case "Boolean":
    case "Null":
      return printLiteral(e);
    default:
      return assertNever(e);
  }
}

function printLiteral(l: EqlLiteral): string {
  switch (l.type) {
    case "String":
      return l.raw && canBeRaw(l.value) ? `"""${l.value}"""` : printString(l.value);
    case "Number": {
      if (!Number.isFinite(l.value)) throw new Error(`${l.value} cannot be written as an EQL number`);
      const s = Object.is(l.value, -0) ? "-0" : String(l.value);
      return l.decimal && !/[.eE]/.test(s) ? `${s}.0` : s;
    }
    case "Boolean":
      return String(l.value);
    case "Null":
      return "null";
    default:
      return assertNever(l);
  }
}

/** A raw string cannot hold a line break or `"""`, and may end with at most two `"`. */
function canBeRaw(v: string): boolean {
  return !/[\r\n]/.test(v) && !v.includes('"""') && !v.endsWith('"""');
}

export function printString(v: string): string {
  let out = '"';
  for (const c of v) {
    switch (c) {
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\b":
        out += "\\b";
        break;
      case "\f":
        out += "\\f";
        break;
      default: {
        const code = c.codePointAt(0)!;
        out += code < 0x20 || code === 0x7f ? `\\u{${code.toString(16).padStart(2, "0")}}` : c;
      }
    }
  }
  return `${out}"`;
}

/** Dotted parts that are identifiers print bare; others (and keywords) in backticks. */
export function printFieldName(name: string): string {
  const parts = name.split(".");
  if (parts.some((p) => p === "")) return quoteIdentifier(name);
  return parts.map((p) => (EQL_IDENTIFIER.test(p) && !EQL_KEYWORDS.has(p) ? p : quoteIdentifier(p))).join(".");
}

function quoteIdentifier(s: string): string {
  return `\`${s.replace(/`/g, "``")}\``;
}
