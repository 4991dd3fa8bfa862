import { assertNever, type KqlAst, type KqlField, type KqlNode, type KqlValue, type KqlValueExpression } from "./ast";
import { isKqlSpace, isKqlSpecial } from "./lexer";

/**
 * Print a KQL AST as canonical query text: `print(parse(q))` is stable and `parse(print(ast))`
 * gives `ast` back (locations aside). Canonical means: one line, `field:value` without blanks
 * around `:`, value lists in parentheses, single blanks around `and`/`or`, and only the
 * parentheses the tree needs. A nested logical node of the same operator keeps its parentheses
 * (`(a or b) or c` is a different tree from `a or b or c`).
 *
 * @throws Error for trees no query text can produce (a value that starts or ends with a blank
 *   outside quotes, an empty unquoted value, MatchAll below the root): a programmer error.
 */
export function printKql(ast: KqlAst): string {
  if (ast.type === "MatchAll") return "";
  return printNode(ast);
}

function printNode(node: KqlNode): string {
  switch (node.type) {
    case "LogicalExpression":
      return node.operands
        .map((o) => (o.type === "LogicalExpression" && (node.operator === "and" || o.operator === "or") ? `(${printNode(o)})` : printNode(o)))
        .join(` ${node.operator} `);
    case "NotExpression": {
      const o = node.operand;
      return o.type === "LogicalExpression" || o.type === "NotExpression" ? `not (${printNode(o)})` : `not ${printNode(o)}`;
    }
    case "FieldMatch": {
      const v = node.value;
      const value = v.type === "Value" ? printValue(v) : `(${printValueExpression(v)})`;
      return `${printField(node.field)}:${value}`;
    }
    case "Exists":
      return `${printField(node.field)}:*`;
    case "Range":
      return `${printField(node.field)} ${node.operator} ${printValue(node.value)}`;
    case "Nested":
      return `${printField(node.field)}:{ ${printNode(node.query)} }`;
    case "FreeText":
      return printValue(node.value);
    case "MatchAll":
      throw new Error("MatchAll (the empty query) can only be the whole query");
    default:
      return assertNever(node);
  }
}

function printValueExpression(v: KqlValueExpression): string {
  switch (v.type) {
    case "Value":
      return printValue(v);
    case "ValueLogical":
      return v.operands
        .map((o) => (o.type === "ValueLogical" && (v.operator === "and" || o.operator === "or") ? `(${printValueExpression(o)})` : printValueExpression(o)))
        .join(` ${v.operator} `);
    case "ValueNot": {
      const o = v.operand;
      return o.type === "Value" ? `not ${printValue(o)}` : `not (${printValueExpression(o)})`;
    }
    default:
      return assertNever(v);
  }
}

function printField(f: KqlField): string {
  return printSegments(f.segments, f.quoted);
}

function printValue(v: KqlValue): string {
  return printSegments(v.segments, v.quoted);
}

function printSegments(segments: readonly string[], quoted: boolean): string {
  if (quoted) {
    if (segments.length !== 1) throw new Error("a quoted value cannot hold wildcards");
    return `"${escapeQuoted(segments[0]!)}"`;
  }
  const joined = segments.join("*");
  if (joined === "") throw new Error("an unquoted value cannot be empty; use a quoted value");
  if (joined.trim() !== joined) {
    throw new Error(`unquoted value ${JSON.stringify(joined)} starts or ends with a blank, which KQL trims; use a quoted value`);
  }
  return segments.map(escapeUnquoted).join("*");
}

function escapeQuoted(s: string): string {
  let out = "";
  for (const c of s) {
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (c === "\n") out += "\\n";
    else out += c;
  }
  return out;
}

/**
 * Escape one wildcard-free piece of an unquoted value so the lexer reads it back unchanged:
 * special characters and blanks that have escapes, and the words the lexer would take for
 * keywords (`not` before a blank or at the end, `or`/`and` between blanks or at the end after a
 * blank). `\not` would read as an escaped newline, so a lower-case `n` is written `\u006e`.
 */
function escapeUnquoted(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" || isKqlSpecial(c)) {
      out += `\\${c}`;
      continue;
    }
    if (c === "\t" || c === "\r" || c === "\n") {
      out += c === "\t" ? "\\t" : c === "\r" ? "\\r" : "\\n";
      continue;
    }
    const boundaryAfter = (len: number) => i + len >= s.length || s[i + len] === " " || s[i + len] === "\u00a0";
    const word3 = s.slice(i, i + 3).toLowerCase();
    if (word3 === "not" && boundaryAfter(3)) {
      out += c === "n" ? "\\u006e" : `\\${c}`;
      continue;
    }
    const afterBlank = i > 0 && isKqlSpace(s[i - 1]);
    if (afterBlank && s.slice(i, i + 2).toLowerCase() === "or" && boundaryAfter(2)) {
      out += `\\${s.slice(i, i + 2)}`;
      i += 1;
      continue;
    }
    if (afterBlank && word3 === "and" && boundaryAfter(3)) {
      out += `\\${s.slice(i, i + 3)}`;
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}
