import { LimitExceededError, QuerySyntaxError, UnsupportedFeatureError, type DetectionError } from "../errors";
import { assertNever, type ConditionNode, type OfExpression, type Span } from "./condition-ast";

/**
 * The Sigma condition language, by hand (STYLE F7): a small lexer that records positions and a
 * precedence-climbing parser. Precedence, least to most binding (spec "Condition"):
 * `or` < `and` < `not` < `x of …` < `( … )`.
 *
 * Keywords are lower case, as in the specification and pySigma; `AND` is read as an identifier and
 * then reported as undefined, with a hint.
 */

export interface ConditionLimits {
  maxLength: number;
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_CONDITION_LIMITS: ConditionLimits = { maxLength: 64 * 1024, maxDepth: 100, maxNodes: 20_000 };

type TokenKind = "word" | "lparen" | "rparen" | "pipe" | "eof";

interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

function isWordChar(c: string): boolean {
  return c !== "(" && c !== ")" && c !== "|" && !/\s/.test(c);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "|") {
      tokens.push({ kind: c === "(" ? "lparen" : c === ")" ? "rparen" : "pipe", text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isWordChar(text[i]!)) i++;
    tokens.push({ kind: "word", text: text.slice(start, i), start, end: i });
  }
  tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
  return tokens;
}

const KEYWORDS = new Set(["and", "or", "not", "of"]);
const QUANTIFIERS = new Set(["1", "any", "all"]);

/**
 * Parse a condition. Offsets in the tree and in errors are relative to `text`.
 * @throws QuerySyntaxError `condition_syntax` (with offset and length), `condition_empty`
 * @throws UnsupportedFeatureError `condition_aggregation` for the deprecated `| count() …` syntax
 * @throws LimitExceededError `condition_too_long`, `condition_too_deep`, `condition_too_large`
 */
export function parseSigmaCondition(text: string, limits: ConditionLimits = DEFAULT_CONDITION_LIMITS): ConditionNode {
  if (text.length > limits.maxLength) {
    throw new LimitExceededError("condition_too_long", `condition is ${text.length} characters; the limit is ${limits.maxLength}`, {
      offset: 0,
      length: text.length,
    });
  }
  const tokens = tokenize(text);
  let pos = 0;
  let nodes = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const fail = (code: string, summary: string, at: Token): DetectionError =>
    new QuerySyntaxError(code, summary, { offset: at.start, length: Math.max(at.end - at.start, 1) });
  const count = (at: Token) => {
    if (++nodes > limits.maxNodes) {
      throw new LimitExceededError("condition_too_large", `condition has more than ${limits.maxNodes} nodes`, { offset: at.start, length: 1 });
    }
  };
  const isKeyword = (t: Token, word: string) => t.kind === "word" && t.text === word;
  const describe = (t: Token) => (t.kind === "eof" ? "the end of the condition" : `\`${t.text}\``);

  if (peek().kind === "eof") throw new QuerySyntaxError("condition_empty", "condition is empty", { offset: 0, length: 1 });

  // or_expr = and_expr { "or" and_expr }
  const parseOr = (depth: number): ConditionNode => {
    const first = parseAnd(depth);
    if (!isKeyword(peek(), "or")) return first;
    const operands = [first];
    while (isKeyword(peek(), "or")) {
      next();
      operands.push(parseAnd(depth));
    }
    return { type: "LogicalExpression", operator: "or", operands, location: span(first.location.start, operands.at(-1)!.location.end) };
  };

  // and_expr = not_expr { "and" not_expr }
  const parseAnd = (depth: number): ConditionNode => {
    const first = parseNot(depth);
    if (!isKeyword(peek(), "and")) return first;
    const operands = [first];
    while (isKeyword(peek(), "and")) {
      next();
      operands.push(parseNot(depth));
    }
    return { type: "LogicalExpression", operator: "and", operands, location: span(first.location.start, operands.at(-1)!.location.end) };
  };

  // not_expr = "not" not_expr | primary
  const parseNot = (depth: number): ConditionNode => {
    const t = peek();
    if (isKeyword(t, "not")) {
      checkDepth(depth, t);
      next();
      count(t);
      const operand = parseNot(depth + 1);
      return { type: "NotExpression", operand, location: span(t.start, operand.location.end) };
    }
    return parsePrimary(depth);
  };

  const checkDepth = (depth: number, at: Token) => {
    if (depth >= limits.maxDepth) {
      throw new LimitExceededError("condition_too_deep", `condition nests deeper than ${limits.maxDepth} levels`, { offset: at.start, length: 1 });
    }
  };

  // primary = "(" or_expr ")" | quantifier "of" target | identifier
  const parsePrimary = (depth: number): ConditionNode => {
    const t = next();
    count(t);
    if (t.kind === "lparen") {
      checkDepth(depth, t);
      const inner = parseOr(depth + 1);
      const close = next();
      if (close.kind !== "rparen") {
        throw fail("condition_syntax", `expected \`)\` to close the \`(\` at column ${t.start + 1}, found ${describe(close)}`, close);
      }
      // Parentheses leave no node of their own; the inner node's span grows to cover them.
      return { ...inner, location: span(t.start, close.end) };
    }
    if (t.kind === "pipe") {
      throw new UnsupportedFeatureError(
        "condition_aggregation",
        "the `| count() …` aggregation syntax was removed in Sigma 2; write a Sigma correlation rule instead",
        { offset: t.start, length: text.length - t.start },
      );
    }
    if (t.kind !== "word" || KEYWORDS.has(t.text)) {
      throw fail("condition_syntax", `expected a search identifier, \`(\`, \`not\` or \`1 of\`/\`all of\`, found ${describe(t)}`, t);
    }
    // "all of them" vs a search identifier named "all": a quantifier word is one only when `of`
    // follows, so `condition: all` still refers to an identifier called `all`.
    if (isKeyword(peek(), "of")) {
      next();
      if (!QUANTIFIERS.has(t.text)) {
        throw fail("condition_syntax", `\`${t.text} of\` is not a Sigma quantifier: use \`1 of\`, \`any of\` or \`all of\``, t);
      }
      const target = next();
      if (target.kind !== "word" || KEYWORDS.has(target.text)) {
        throw fail("condition_syntax", `expected \`them\` or a search identifier pattern after \`of\`, found ${describe(target)}`, target);
      }
      const node: OfExpression = {
        type: "OfExpression",
        quantifier: t.text as OfExpression["quantifier"],
        target: target.text === "them" ? { type: "Them" } : { type: "Pattern", pattern: target.text },
        location: span(t.start, target.end),
      };
      return node;
    }
    if (t.text.includes("*")) {
      throw fail("condition_syntax", `\`${t.text}\` is a pattern: write \`1 of ${t.text}\` or \`all of ${t.text}\``, t);
    }
    return { type: "Identifier", name: t.text, location: span(t.start, t.end) };
  };

  const tree = parseOr(0);
  const rest = peek();
  if (rest.kind === "pipe") {
    throw new UnsupportedFeatureError(
      "condition_aggregation",
      "the `| count() …` aggregation syntax was removed in Sigma 2; write a Sigma correlation rule instead",
      { offset: rest.start, length: text.length - rest.start },
    );
  }
  if (rest.kind !== "eof") {
    const hint = rest.kind === "word" && /^(AND|OR|NOT)$/i.test(rest.text) ? " (operators are lower case)" : "";
    throw fail("condition_syntax", `expected \`and\`, \`or\` or the end of the condition, found ${describe(rest)}${hint}`, rest);
  }
  return tree;
}

function span(start: number, end: number): Span {
  return { start, end };
}

const PRECEDENCE = { or: 1, and: 2, not: 3, atom: 4 } as const;

function precedence(node: ConditionNode): number {
  switch (node.type) {
    case "LogicalExpression":
      return PRECEDENCE[node.operator];
    case "NotExpression":
      return PRECEDENCE.not;
    case "Identifier":
    case "OfExpression":
      return PRECEDENCE.atom;
    default:
      return assertNever(node);
  }
}

/**
 * Canonical text of a condition: lower-case operators, single spaces, parentheses only where
 * precedence needs them or where the source grouped a same-operator chain, so
 * `parseSigmaCondition(printSigmaCondition(ast))` rebuilds `ast`.
 */
export function printSigmaCondition(node: ConditionNode): string {
  switch (node.type) {
    case "LogicalExpression": {
      const own = PRECEDENCE[node.operator];
      return node.operands
        .map((operand) => {
          const p = precedence(operand);
          const printed = printSigmaCondition(operand);
          return p < own || (p === own && operand.type === "LogicalExpression") ? `(${printed})` : printed;
        })
        .join(` ${node.operator} `);
    }
    case "NotExpression": {
      const printed = printSigmaCondition(node.operand);
      return node.operand.type === "LogicalExpression" ? `not (${printed})` : `not ${printed}`;
    }
    case "Identifier":
      return node.name;
    case "OfExpression":
      return `${node.quantifier} of ${node.target.type === "Them" ? "them" : node.target.pattern}`;
    default:
      return assertNever(node);
  }
}

/** Glob match of a search identifier against a `1 of` pattern: `*` is any run, the rest literal. */
export function identifierMatches(pattern: string, identifier: string): boolean {
  const pieces = pattern.split("*");
  if (pieces.length === 1) return pattern === identifier;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (!identifier.startsWith(first) || identifier.length < first.length + last.length || !identifier.endsWith(last)) return false;
  let at = first.length;
  const end = identifier.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = identifier.indexOf(pieces[i]!, at);
    if (found < 0 || found + pieces[i]!.length > end) return false;
    at = found + pieces[i]!.length;
  }
  return true;
}

/**
 * The search identifiers an `of` expression covers: `them` and patterns skip identifiers that
 * start with `_` (spec: excluded by convention).
 */
export function resolveOfTargets(node: OfExpression, identifiers: readonly string[]): string[] {
  return identifiers.filter(
    (name) => !name.startsWith("_") && (node.target.type === "Them" || identifierMatches(node.target.pattern, name)),
  );
}
