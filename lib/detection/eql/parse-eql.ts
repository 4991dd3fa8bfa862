import { QuerySyntaxError, UnsupportedFeatureError, syntaxErrorAt, type DetectionError, type SourceLocation } from "../errors";
import { ParseBudget, type ParseLimits } from "../kql/parse-budget";
import type {
  EqlComparisonOperator,
  EqlEventQuery,
  EqlExpression,
  EqlField,
  EqlJoinTerm,
  EqlLiteral,
  EqlPatternOperator,
  EqlPipe,
  EqlQuery,
  EqlSequenceTerm,
  EqlStatement,
  EqlTimeSpan,
} from "./ast";
import { EQL_KEYWORDS, lexEql, type EqlToken } from "./lexer";

export interface ParseEqlOptions {
  limits?: Partial<ParseLimits>;
}

/**
 * Parse an EQL query (Elasticsearch EQL) into its AST. The grammar is Elasticsearch's
 * EqlBase.g4, written out as recursive descent over the lexer's tokens:
 *
 *   statement  = query ('|' IDENT expression (',' expression)*)*
 *   query      = sequence | sample | join | eventQuery
 *   eventQuery = ('any' | IDENT | STRING) 'where' expression
 *   expression = or;  or = and ('or' and)*;  and = not ('and' not)*;  not = 'not' not | comparison
 *   comparison = additive (('=='|'!='|'<'|'<='|'>'|'>=') additive)?
 *   additive   = multiplicative (('+'|'-') multiplicative)*;  multiplicative = unary (('*'|'/'|'%') unary)*
 *   unary      = ('-'|'+') unary | primary predicate?
 *   predicate  = 'not'? ('in'|'in~') '(' expression (',' expression)* ')'
 *              | (':'|'like'|'like~'|'regex'|'regex~') (constant | '(' constant (',' constant)* ')')
 *   primary    = constant | NAME '(' args ')' | NAME~ '(' args ')' | '?'? qualifiedName | '(' expression ')'
 *
 * Precedence is not > and > or; comparisons do not chain (`a < b < c` is an error, as in
 * Elasticsearch). Keywords are lower-case only.
 *
 * @throws QuerySyntaxError with code, offset, line, column and a caret
 * @throws UnsupportedFeatureError for syntax Elasticsearch EQL parses but rejects (array indexes, lineage)
 * @throws LimitExceededError query_too_long, query_too_deep, query_too_many_nodes
 */
export function parseEql(text: string, options: ParseEqlOptions = {}): EqlStatement {
  const budget = new ParseBudget(text, "EQL", options.limits);
  return new EqlParser(text, lexEql(text), budget).statement();
}

/** Parse only a condition (what follows `where`), for tests and tools. */
export function parseEqlExpression(text: string, options: ParseEqlOptions = {}): EqlExpression {
  const budget = new ParseBudget(text, "EQL", options.limits);
  const p = new EqlParser(text, lexEql(text), budget);
  const e = p.expression(1);
  p.expectEnd("`and`, `or` or the end of the expression");
  return e;
}

const COMPARISONS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">="]);
const PATTERN_OPS: ReadonlySet<string> = new Set([":", "like", "like~", "regex", "regex~"]);

class EqlParser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: EqlToken[],
    private readonly budget: ParseBudget,
  ) {}

  // ---- token helpers ----------------------------------------------------------------------

  private peek(k = 0): EqlToken {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }

  private next(): EqlToken {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isKeyword(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "keyword" && t.text === word;
  }

  private isPunct(p: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "punct" && t.text === p;
  }

  private acceptKeyword(word: string): EqlToken | undefined {
    return this.isKeyword(word) ? this.next() : undefined;
  }

  private acceptPunct(p: string): EqlToken | undefined {
    return this.isPunct(p) ? this.next() : undefined;
  }

  private expectPunct(p: string, context: string): EqlToken {
    const t = this.acceptPunct(p);
    if (!t) throw this.unexpected(`\`${p}\` ${context}`);
    return t;
  }

  private expectKeyword(word: string, context: string): EqlToken {
    const t = this.acceptKeyword(word);
    if (!t) throw this.unexpected(`\`${word}\` ${context}`);
    return t;
  }

  private get prevEnd(): number {
    return this.tokens[Math.max(this.i - 1, 0)]!.end;
  }

  expectEnd(expected: string): void {
    if (this.peek().kind !== "eof") throw this.unexpected(expected);
  }

  // ---- queries ----------------------------------------------------------------------------

  // statement = query ('|' IDENT (expression (',' expression)*)?)* EOF
  statement(): EqlStatement {
    const query = this.query();
    const pipes: EqlPipe[] = [];
    while (this.isPunct("|")) {
      const bar = this.next();
      const name = this.peek();
      if (name.kind !== "ident") throw this.unexpected("a pipe name (head, tail, …) after `|`");
      this.next();
      const args: EqlExpression[] = [];
      if (!this.isPunct("|") && this.peek().kind !== "eof") {
        args.push(this.expression(1));
        while (this.acceptPunct(",")) args.push(this.expression(1));
      }
      this.budget.node(bar.start);
      pipes.push({ type: "Pipe", name: name.text, args, location: { start: bar.start, end: this.prevEnd } });
    }
    this.expectEnd("`and`, `or`, `|` or the end of the query");
    return { type: "Statement", query, pipes, location: { start: query.location.start, end: this.prevEnd } };
  }

  private query(): EqlQuery {
    if (this.isKeyword("sequence")) return this.sequence();
    if (this.isKeyword("sample")) return this.sample();
    if (this.isKeyword("join")) return this.join();
    return this.eventQuery(1);
  }

  // eventQuery = ('any' | IDENT | STRING) 'where' expression
  private eventQuery(depth: number): EqlEventQuery {
    const t = this.peek();
    let category: string | null;
    if (t.kind === "keyword" && t.text === "any") category = null;
    else if (t.kind === "ident" || t.kind === "string") category = t.text;
    else throw this.unexpected("an event category (process, file, network, …, any) or sequence");
    this.next();
    this.expectKeyword("where", `after the event category${t.kind === "ident" && t.text === "WHERE" ? " (keywords are lower-case)" : ""}`);
    const condition = this.expression(depth);
    this.budget.node(t.start);
    return { type: "EventQuery", category, condition, location: { start: t.start, end: condition.location.end } };
  }

  // sequence = 'sequence' ('by' keys ('with' 'maxspan' '=' span)? | 'with' 'maxspan' '=' span)? term+ ('until' term)?
  private sequence(): EqlQuery {
    const start = this.next().start;
    let by: EqlExpression[] = [];
    let maxspan: EqlTimeSpan | null = null;
    if (this.isKeyword("by")) {
      by = this.joinKeys();
      if (this.isKeyword("with") && this.isKeyword("maxspan", 1)) maxspan = this.maxspan();
    } else if (this.isKeyword("with")) {
      maxspan = this.maxspan();
      if (this.isKeyword("by")) {
        throw this.error(QuerySyntaxError, "eql_sequence_by_after_with", "write `sequence by …` before `with maxspan=…`, not after", this.peek().start, 2);
      }
    }
    const terms: EqlSequenceTerm[] = [];
    while (this.isPunct("[") || this.isPunct("![")) terms.push(this.sequenceTerm());
    if (terms.length === 0) throw this.unexpected("`[` starting a sequence term");
    const until = this.acceptKeyword("until") ? this.sequenceTerm() : null;
    this.budget.node(start);
    return { type: "Sequence", by, maxspan, terms, until, location: { start, end: this.prevEnd } };
  }

  // maxspan = 'with' 'maxspan' '=' NUMBER IDENT?
  private maxspan(): EqlTimeSpan {
    this.expectKeyword("with", "");
    this.expectKeyword("maxspan", "after `with`");
    this.expectPunct("=", "after `maxspan`");
    const n = this.peek();
    if (n.kind !== "number") throw this.unexpected("a time span such as 30s after `maxspan=`");
    this.next();
    let unit = "";
    if (this.peek().kind === "ident") unit = this.next().text;
    return { value: n.number!, unit };
  }

  // sequenceTerm = ('[' | '![') eventQuery ']' ('by' keys)? ('with' 'runs' '=' INTEGER)?
  private sequenceTerm(): EqlSequenceTerm {
    const open = this.next();
    const missing = open.text === "![";
    const query = this.eventQuery(2);
    this.expectPunct("]", "closing the sequence term");
    const by = this.isKeyword("by") ? this.joinKeys() : [];
    let runs: number | null = null;
    if (this.isKeyword("with") && this.peek(1).kind === "ident" && this.peek(1).text === "runs") {
      this.next();
      this.next();
      this.expectPunct("=", "after `runs`");
      const n = this.peek();
      if (n.kind !== "number" || n.decimal) throw this.unexpected("a whole number after `runs=`");
      runs = this.next().number!;
    }
    this.budget.node(open.start);
    return { type: "SequenceTerm", query, by, missing, runs, location: { start: open.start, end: this.prevEnd } };
  }

  // sample = 'sample' ('by' keys)? joinTerm+
  private sample(): EqlQuery {
    const start = this.next().start;
    const by = this.isKeyword("by") ? this.joinKeys() : [];
    const terms: EqlJoinTerm[] = [];
    while (this.isPunct("[")) terms.push(this.joinTerm());
    if (terms.length === 0) throw this.unexpected("`[` starting a sample term");
    this.budget.node(start);
    return { type: "Sample", by, terms, location: { start, end: this.prevEnd } };
  }

  // join = 'join' ('by' keys)? joinTerm joinTerm+ ('until' joinTerm)?
  private join(): EqlQuery {
    const start = this.next().start;
    const by = this.isKeyword("by") ? this.joinKeys() : [];
    const terms: EqlJoinTerm[] = [];
    while (this.isPunct("[")) terms.push(this.joinTerm());
    if (terms.length < 2) throw this.unexpected("`[` starting a join term (a join needs two or more)");
    const until = this.acceptKeyword("until") ? this.joinTerm() : null;
    this.budget.node(start);
    return { type: "Join", by, terms, until, location: { start, end: this.prevEnd } };
  }

  // joinTerm = '[' eventQuery ']' ('by' keys)?
  private joinTerm(): EqlJoinTerm {
    const open = this.expectPunct("[", "starting a term");
    const query = this.eventQuery(2);
    this.expectPunct("]", "closing the term");
    const by = this.isKeyword("by") ? this.joinKeys() : [];
    this.budget.node(open.start);
    return { type: "JoinTerm", query, by, location: { start: open.start, end: this.prevEnd } };
  }

  // keys = 'by' expression (',' expression)*
  private joinKeys(): EqlExpression[] {
    this.expectKeyword("by", "");
    const keys = [this.expression(2)];
    while (this.acceptPunct(",")) keys.push(this.expression(2));
    return keys;
  }

  // ---- expressions ------------------------------------------------------------------------

  expression(depth: number): EqlExpression {
    return this.or(depth);
  }

  // or = and ('or' and)*
  private or(depth: number): EqlExpression {
    const first = this.and(depth);
    if (!this.isKeyword("or")) return first;
    const operands = [first];
    while (this.acceptKeyword("or")) operands.push(this.and(depth));
    return this.logical("or", operands);
  }

  // and = not ('and' not)*
  private and(depth: number): EqlExpression {
    const first = this.not(depth);
    if (!this.isKeyword("and")) return first;
    const operands = [first];
    while (this.acceptKeyword("and")) operands.push(this.not(depth));
    return this.logical("and", operands);
  }

  private logical(operator: "and" | "or", operands: EqlExpression[]): EqlExpression {
    const location = { start: operands[0]!.location.start, end: operands[operands.length - 1]!.location.end };
    this.budget.node(location.start);
    return { type: "LogicalExpression", operator, operands, location };
  }

  // not = 'not' not | comparison
  private not(depth: number): EqlExpression {
    const t = this.peek();
    if (t.kind === "keyword" && t.text === "not") {
      this.next();
      this.budget.depth(depth + 1, t.start);
      const operand = this.not(depth + 1);
      this.budget.node(t.start);
      return { type: "NotExpression", operand, location: { start: t.start, end: operand.location.end } };
    }
    if (t.kind === "ident" && this.isKeyword("of", 1)) {
      throw this.error(UnsupportedFeatureError, "eql_lineage", `\`${t.text} of [...]\` (lineage) is not supported by Elasticsearch EQL`, t.start, t.end - t.start);
    }
    return this.comparison(depth);
  }

  // comparison = additive (('=='|'!='|'<'|'<='|'>'|'>=') additive)?   — `a < b < c` is an error, not a chain
  private comparison(depth: number): EqlExpression {
    const left = this.additive(depth);
    const op = this.peek();
    if (op.kind === "punct" && op.text === "=") {
      throw this.error(QuerySyntaxError, "eql_single_equals", "`=` is not an EQL operator: use `==` (case-sensitive) or `:` (case-insensitive)", op.start, 1);
    }
    if (op.kind !== "punct" || !COMPARISONS.has(op.text)) return left;
    this.next();
    const right = this.additive(depth);
    const after = this.peek();
    if (after.kind === "punct" && COMPARISONS.has(after.text)) {
      throw this.error(QuerySyntaxError, "eql_chained_comparison", "comparisons cannot be chained: write `a < b and b < c`", after.start, after.end - after.start);
    }
    this.budget.node(op.start);
    return {
      type: "Comparison",
      operator: op.text as EqlComparisonOperator,
      left,
      right,
      location: { start: left.location.start, end: right.location.end },
    };
  }

  // additive = multiplicative (('+'|'-') multiplicative)*
  private additive(depth: number): EqlExpression {
    let left = this.multiplicative(depth);
    while (this.isPunct("+") || this.isPunct("-")) {
      const op = this.next();
      const right = this.multiplicative(depth);
      left = this.arith(op, left, right);
    }
    return left;
  }

  // multiplicative = unary (('*'|'/'|'%') unary)*
  private multiplicative(depth: number): EqlExpression {
    let left = this.unary(depth);
    while (this.isPunct("*") || this.isPunct("/") || this.isPunct("%")) {
      const op = this.next();
      const right = this.unary(depth);
      left = this.arith(op, left, right);
    }
    return left;
  }

  private arith(op: EqlToken, left: EqlExpression, right: EqlExpression): EqlExpression {
    this.budget.node(op.start);
    return {
      type: "Arithmetic",
      operator: op.text as "+" | "-" | "*" | "/" | "%",
      left,
      right,
      location: { start: left.location.start, end: right.location.end },
    };
  }

  // unary = ('-'|'+') unary | primary predicate?
  private unary(depth: number): EqlExpression {
    const t = this.peek();
    if (t.kind === "punct" && (t.text === "-" || t.text === "+")) {
      this.next();
      this.budget.depth(depth + 1, t.start);
      const operand = this.unary(depth + 1);
      const location = { start: t.start, end: operand.location.end };
      this.budget.node(t.start);
      // A sign on a number literal is the literal (Elasticsearch folds it the same way).
      if (operand.type === "Number") return { ...operand, value: t.text === "-" ? -operand.value : operand.value, location };
      return { type: "Unary", operator: t.text, operand, location };
    }
    return this.predicated(depth);
  }

  // primary predicate?
  private predicated(depth: number): EqlExpression {
    const value = this.primary(depth);
    const t = this.peek();
    const negated = t.kind === "keyword" && t.text === "not" && (this.isKeyword("in", 1) || this.isKeyword("in~", 1));
    if (negated || (t.kind === "keyword" && (t.text === "in" || t.text === "in~"))) {
      if (negated) this.next();
      const op = this.next();
      const open = this.expectPunct("(", `after \`${op.text}\``);
      this.budget.depth(depth + 1, open.start);
      const list = [this.expression(depth + 1)];
      while (this.acceptPunct(",")) list.push(this.expression(depth + 1));
      this.expectPunct(")", "closing the list");
      this.budget.node(op.start);
      return {
        type: "InSet",
        operator: op.text as "in" | "in~",
        negated,
        value,
        list,
        location: { start: value.location.start, end: this.prevEnd },
      };
    }
    if ((t.kind === "punct" && t.text === ":") || (t.kind === "keyword" && PATTERN_OPS.has(t.text))) {
      this.next();
      const patterns: EqlLiteral[] = [];
      const open = this.acceptPunct("(");
      if (open) {
        this.budget.depth(depth + 1, open.start);
        patterns.push(this.constant(`after \`${t.text}\``));
        while (this.acceptPunct(",")) patterns.push(this.constant("in the list"));
        this.expectPunct(")", "closing the list");
      } else {
        patterns.push(this.constant(`after \`${t.text}\``));
      }
      this.budget.node(t.start);
      return {
        type: "PatternMatch",
        operator: t.text as EqlPatternOperator,
        value,
        patterns,
        location: { start: value.location.start, end: this.prevEnd },
      };
    }
    return value;
  }

  // constant = STRING | NUMBER | 'true' | 'false' | 'null'   (no sign: `: -1` is an error, as in EqlBase.g4)
  private constant(context: string): EqlLiteral {
    const t = this.peek();
    const lit = this.literal(t);
    if (!lit) throw this.unexpected(`a string, number, true, false or null ${context}`);
    this.next();
    return lit;
  }

  private literal(t: EqlToken): EqlLiteral | undefined {
    const location = { start: t.start, end: t.end };
    if (t.kind === "string") {
      this.budget.node(t.start);
      return { type: "String", value: t.text, raw: t.raw ?? false, location };
    }
    if (t.kind === "number") {
      this.budget.node(t.start);
      return { type: "Number", value: t.number!, decimal: t.decimal ?? false, location };
    }
    if (t.kind === "keyword" && (t.text === "true" || t.text === "false")) {
      this.budget.node(t.start);
      return { type: "Boolean", value: t.text === "true", location };
    }
    if (t.kind === "keyword" && t.text === "null") {
      this.budget.node(t.start);
      return { type: "Null", location };
    }
    return undefined;
  }

  // primary = constant | NAME '(' args ')' | NAME~ '(' args ')' | '?'? qualifiedName | '(' expression ')'
  private primary(depth: number): EqlExpression {
    const t = this.peek();
    const lit = this.literal(t);
    if (lit) {
      this.next();
      return lit;
    }
    if (t.kind === "punct" && t.text === "(") {
      this.next();
      this.budget.depth(depth + 1, t.start);
      const inner = this.expression(depth + 1);
      this.expectPunct(")", "closing `(`");
      return inner;
    }
    if ((t.kind === "ident" || t.kind === "tildeIdent") && this.isPunct("(", 1)) return this.call(depth);
    if (t.kind === "tildeIdent") throw this.unexpected("`(` after a case-insensitive function name", 1);
    if (t.kind === "punct" && t.text === "?") {
      this.next();
      const f = this.qualifiedName(true, t.start);
      return f;
    }
    if (t.kind === "ident" || t.kind === "quotedIdent") return this.qualifiedName(false, t.start);
    throw this.unexpected("a field, a value, a function call or `(`");
  }

  // call = (IDENT | TILDE_IDENT) '(' (expression (',' expression)*)? ')'
  private call(depth: number): EqlExpression {
    const name = this.next();
    const open = this.next(); // `(`
    this.budget.depth(depth + 1, open.start);
    const args: EqlExpression[] = [];
    if (!this.isPunct(")")) {
      args.push(this.expression(depth + 1));
      while (this.acceptPunct(",")) args.push(this.expression(depth + 1));
    }
    this.expectPunct(")", `closing the call to ${name.text}`);
    this.budget.node(name.start);
    return {
      type: "FunctionCall",
      name: name.text,
      caseInsensitive: name.kind === "tildeIdent",
      args,
      location: { start: name.start, end: this.prevEnd },
    };
  }

  // qualifiedName = identifier ('.' identifier)*
  private qualifiedName(optional: boolean, start: number): EqlField {
    const first = this.peek();
    if (first.kind !== "ident" && first.kind !== "quotedIdent") throw this.unexpected("a field name after `?`");
    this.next();
    const parts = [first.text];
    for (;;) {
      // `field[0]` (an index) versus `by field [process where …]` (the next term).
      if (this.isPunct("[") && this.peek(1).kind === "number") {
        const b = this.peek();
        throw this.error(UnsupportedFeatureError, "eql_array_index", "array indexes (`field[0]`) are not supported by Elasticsearch EQL", b.start, 1);
      }
      if (!this.isPunct(".")) break;
      this.next();
      const part = this.peek();
      // After a dot only a name can follow, so a keyword there (`event.sequence`) is a name too.
      if (part.kind !== "ident" && part.kind !== "quotedIdent" && part.kind !== "keyword") throw this.unexpected("a field name after `.`");
      this.next();
      parts.push(part.text);
    }
    this.budget.node(start);
    return { type: "Field", name: parts.join("."), optional, location: { start, end: this.prevEnd } };
  }

  // ---- errors -----------------------------------------------------------------------------

  private unexpected(expected: string, k = 0): DetectionError {
    const t = this.peek(k);
    const found = t.kind === "eof" ? "the end of the query" : `\`${this.text.slice(t.start, t.end)}\``;
    let summary = `expected ${expected} but found ${found}`;
    if (t.kind === "ident" && EQL_KEYWORDS.has(t.text.toLowerCase()) && t.text !== t.text.toLowerCase()) {
      summary += ` (EQL keywords are lower-case: \`${t.text.toLowerCase()}\`)`;
    }
    const code = t.kind === "eof" ? "eql_unexpected_end" : "eql_unexpected_token";
    return this.error(QuerySyntaxError, code, summary, t.start, Math.max(1, t.end - t.start));
  }

  private error(
    Ctor: new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError,
    code: string,
    summary: string,
    offset: number,
    length: number,
  ): DetectionError {
    return syntaxErrorAt(code, summary, this.text, offset, length, Ctor);
  }
}

