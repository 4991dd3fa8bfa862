import type {
  KqlAst,
  KqlField,
  KqlNode,
  KqlValue,
  KqlValueExpression,
  Location,
} from "./ast";
import { isLoneWildcard } from "./ast";
import { KqlLexer, type KqlLiteralToken } from "./lexer";
import { ParseBudget, type ParseLimits } from "./parse-budget";

export interface ParseKqlOptions {
  limits?: Partial<ParseLimits>;
}

/**
 * Parse a KQL query (Elastic `language = "kuery"`) into its AST. The grammar is Kibana's
 * (kbn-es-query grammar.peggy), written out as recursive descent:
 *
 *   query      = Space* or? Space*
 *   or         = and (Space+ 'or' Space+ and)*
 *   and        = not (Space+ 'and' Space+ not)*
 *   not        = 'not' Space+ sub | sub
 *   sub        = '(' Space* or Space* ')' | nested | expression
 *   nested     = field Space* ':' Space* '{' Space* or Space* '}'
 *   expression = field Space* rangeOp Space* literal | field Space* ':' Space* list | literal
 *   list       = '(' Space* orList Space* ')' | value        (orList/andList/notList as above)
 *
 * Precedence is not > and > or, at query level and inside value lists.
 *
 * @throws QuerySyntaxError with code, offset, line, column and a caret
 * @throws LimitExceededError query_too_long, query_too_deep, query_too_many_nodes
 */
export function parseKql(text: string, options: ParseKqlOptions = {}): KqlAst {
  const budget = new ParseBudget(text, "KQL", options.limits);
  return new KqlParser(text, budget).parse();
}

class KqlParser {
  private readonly lx: KqlLexer;

  constructor(
    private readonly text: string,
    private readonly budget: ParseBudget,
  ) {
    this.lx = new KqlLexer(text);
  }

  parse(): KqlAst {
    this.lx.skipSpaces();
    if (this.lx.atEnd()) {
      this.budget.node(0);
      return { type: "MatchAll", location: { start: 0, end: this.text.length } };
    }
    const query = this.parseOr(1);
    this.lx.skipSpaces();
    if (!this.lx.atEnd()) throw this.unexpected("`and`, `or` or the end of the query");
    return query;
  }

  // or = and (Space+ 'or' Space+ and)*
  private parseOr(depth: number): KqlNode {
    const first = this.parseAnd(depth);
    if (!this.lx.tryBinaryKeyword("or")) return first;
    const operands = [first, this.parseAnd(depth)];
    while (this.lx.tryBinaryKeyword("or")) operands.push(this.parseAnd(depth));
    return this.logical("or", operands);
  }

  // and = not (Space+ 'and' Space+ not)*
  private parseAnd(depth: number): KqlNode {
    const first = this.parseNot(depth);
    if (!this.lx.tryBinaryKeyword("and")) return first;
    const operands = [first, this.parseNot(depth)];
    while (this.lx.tryBinaryKeyword("and")) operands.push(this.parseNot(depth));
    return this.logical("and", operands);
  }

  // not = 'not' Space+ sub | sub
  private parseNot(depth: number): KqlNode {
    const start = this.lx.pos;
    if (!this.lx.tryNot()) return this.parseSub(depth);
    this.budget.depth(depth + 1, start);
    // `not not a` is not KQL: the operand of `not` is a sub-query, which cannot start with `not`.
    if (this.lx.atNot()) throw this.unexpected("a field, a value or `(` after `not` (write `not (not …)`)");
    const operand = this.parseSub(depth + 1);
    this.budget.node(start);
    return { type: "NotExpression", operand, location: { start, end: operand.location.end } };
  }

  // sub = '(' Space* or Space* ')' | nested | expression
  private parseSub(depth: number): KqlNode {
    const open = this.lx.pos;
    if (this.lx.tryChar("(")) {
      this.budget.depth(depth + 1, open);
      this.lx.skipSpaces();
      const inner = this.parseOr(depth + 1);
      this.lx.skipSpaces();
      if (!this.lx.tryChar(")")) throw this.unexpected("`and`, `or` or `)`", open);
      return inner;
    }
    return this.parseExpression(depth);
  }

  // expression = field Space* rangeOp Space* literal | field Space* ':' Space* ('{' … '}' | list) | literal
  private parseExpression(depth: number): KqlNode {
    const token = this.lx.readLiteral();
    if (!token) throw this.unexpected("a field name, a value or `(`");
    const afterLiteral = this.lx.pos;
    this.lx.skipSpaces();

    if (this.lx.tryChar(":")) {
      const field = this.field(token);
      this.lx.skipSpaces();
      const brace = this.lx.pos;
      if (this.lx.tryChar("{")) {
        // nested = field Space* ':' Space* '{' Space* or Space* '}'
        this.budget.depth(depth + 1, brace);
        this.lx.skipSpaces();
        const query = this.parseOr(depth + 1);
        this.lx.skipSpaces();
        if (!this.lx.tryChar("}")) throw this.unexpected("`and`, `or` or `}`", brace);
        this.budget.node(token.start);
        return { type: "Nested", field, query, location: { start: token.start, end: this.lx.pos } };
      }
      const value = this.parseList(depth);
      this.budget.node(token.start);
      // A parenthesised list ends at its `)`; a bare value at its last significant character.
      const location = { start: token.start, end: this.text[this.lx.pos - 1] === ")" ? this.lx.pos : value.location.end };
      // `field:*` (also `field:(*)`) is Kibana's exists query.
      if (value.type === "Value" && isLoneWildcard(value)) return { type: "Exists", field, location };
      return { type: "FieldMatch", field, value, location };
    }

    const operator = this.lx.tryRangeOperator();
    if (operator) {
      const field = this.field(token);
      this.lx.skipSpaces();
      const valueToken = this.lx.readLiteral();
      if (!valueToken) throw this.unexpected(`a value after \`${operator}\``);
      const value = this.value(valueToken);
      this.budget.node(token.start);
      return { type: "Range", field, operator, value, location: { start: token.start, end: value.location.end } };
    }

    // A literal with no field: free text. The blanks after it belong to whatever follows.
    this.lx.pos = afterLiteral;
    const value = this.value(token);
    this.budget.node(token.start);
    return { type: "FreeText", value, location: value.location };
  }

  // list = '(' Space* orList Space* ')' | value
  private parseList(depth: number): KqlValueExpression {
    const open = this.lx.pos;
    if (this.lx.tryChar("(")) {
      this.budget.depth(depth + 1, open);
      this.lx.skipSpaces();
      const inner = this.parseOrList(depth + 1);
      this.lx.skipSpaces();
      if (!this.lx.tryChar(")")) throw this.unexpected("`and`, `or` or `)`", open);
      return inner;
    }
    const token = this.lx.readLiteral();
    if (!token) {
      if (this.lx.atNot()) throw this.unexpected("a value (`not` goes inside a list: `field:(not value)` or before the field: `not field:value`)");
      throw this.unexpected("a value or `(`");
    }
    return this.value(token);
  }

  private parseOrList(depth: number): KqlValueExpression {
    const first = this.parseAndList(depth);
    if (!this.lx.tryBinaryKeyword("or")) return first;
    const operands = [first, this.parseAndList(depth)];
    while (this.lx.tryBinaryKeyword("or")) operands.push(this.parseAndList(depth));
    return this.valueLogical("or", operands);
  }

  private parseAndList(depth: number): KqlValueExpression {
    const first = this.parseNotList(depth);
    if (!this.lx.tryBinaryKeyword("and")) return first;
    const operands = [first, this.parseNotList(depth)];
    while (this.lx.tryBinaryKeyword("and")) operands.push(this.parseNotList(depth));
    return this.valueLogical("and", operands);
  }

  // notList = 'not' Space+ list | list
  private parseNotList(depth: number): KqlValueExpression {
    const start = this.lx.pos;
    if (!this.lx.tryNot()) return this.parseList(depth);
    this.budget.depth(depth + 1, start);
    if (this.lx.atNot()) throw this.unexpected("a value or `(` after `not` (write `not (not …)`)");
    const operand = this.parseList(depth + 1);
    this.budget.node(start);
    return { type: "ValueNot", operand, location: { start, end: operand.location.end } };
  }

  private logical(operator: "and" | "or", operands: KqlNode[]): KqlNode {
    const location = span(operands);
    this.budget.node(location.start);
    return { type: "LogicalExpression", operator, operands, location };
  }

  private valueLogical(operator: "and" | "or", operands: KqlValueExpression[]): KqlValueExpression {
    const location = span(operands);
    this.budget.node(location.start);
    return { type: "ValueLogical", operator, operands, location };
  }

  private field(token: KqlLiteralToken): KqlField {
    this.budget.node(token.start);
    return { type: "Field", segments: token.segments, quoted: token.quoted, location: { start: token.start, end: token.end } };
  }

  private value(token: KqlLiteralToken): KqlValue {
    this.budget.node(token.start);
    // An unquoted value made only of escaped blanks trims to "", which only a quoted value can
    // print; both are the term "" to Elasticsearch.
    const empty = !token.quoted && token.segments.length === 1 && token.segments[0] === "";
    return {
      type: "Value",
      segments: token.segments,
      quoted: token.quoted || empty,
      location: { start: token.start, end: token.end },
    };
  }

  /** "expected X but found Y" at the current position (after blanks). */
  private unexpected(expected: string, openedAt?: number) {
    const save = this.lx.pos;
    this.lx.skipSpaces();
    const at = this.lx.pos;
    this.lx.pos = save;
    const found = this.lx.describe(at);
    let summary = `expected ${expected} but found ${found}`;
    if (at >= this.text.length && openedAt !== undefined) summary += ` (opened at offset ${openedAt})`;
    if (this.text.slice(at, at + 4).toLowerCase().startsWith("not") && /\s/.test(this.text[at + 3] ?? "")) {
      summary += "; `not` inside an unquoted value is read as the keyword: quote the value or escape it (\\NOT, \\u006eot)";
    }
    const code = at >= this.text.length ? "kql_unexpected_end" : "kql_unexpected_token";
    return this.lx.error(code, summary, Math.min(at, this.text.length), 1);
  }
}

function span(nodes: readonly { location: Location }[]): Location {
  return { start: nodes[0]!.location.start, end: nodes[nodes.length - 1]!.location.end };
}
