import { QuerySyntaxError, syntaxErrorAt, type DetectionError } from "../errors";
import type { KqlRangeOperator } from "./ast";

/**
 * The KQL lexer. KQL's keywords are whitespace-sensitive: `or` and `and` are keywords only with
 * whitespace on both sides, `not` only when followed by whitespace, and an unquoted value may hold
 * spaces (`process.name:foo bar` is the value "foo bar"). Which of those applies depends on where
 * the parser is, exactly as in Kibana's PEG grammar (grammar.peggy: `Or = Space+ 'or'i Space+`,
 * `Keyword` lookahead inside `UnquotedCharacter`), so the parser pulls tokens by asking for the
 * kind it can accept at that point rather than reading a pre-split token stream. Every token
 * records its offsets.
 */

export type KqlLiteralToken = {
  segments: string[];
  quoted: boolean;
  /** Offset of the first character (the opening quote for quoted text). */
  start: number;
  /** Offset after the last significant character (trailing blanks of unquoted text excluded). */
  end: number;
};

/** grammar.peggy `Space`. */
export function isKqlSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\u00a0";
}

/** grammar.peggy `SpecialCharacter`: `\():<>"*{}`. */
export function isKqlSpecial(c: string | undefined): boolean {
  switch (c) {
    case "\\":
    case "(":
    case ")":
    case ":":
    case "<":
    case ">":
    case '"':
    case "*":
    case "{":
    case "}":
      return true;
    default:
      return false;
  }
}

const HEX4 = /^[0-9a-fA-F]{4}$/;

export class KqlLexer {
  pos = 0;

  constructor(readonly text: string) {}

  peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** `Space*`; whether anything was skipped. */
  skipSpaces(): boolean {
    const start = this.pos;
    while (isKqlSpace(this.text[this.pos])) this.pos++;
    return this.pos > start;
  }

  tryChar(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  /** `Space+ word Space+` (word `or` or `and`, any case); restores the position on failure. */
  tryBinaryKeyword(word: "or" | "and"): boolean {
    const start = this.pos;
    if (!this.skipSpaces() || !this.wordAt(this.pos, word)) {
      this.pos = start;
      return false;
    }
    this.pos += word.length;
    if (!this.skipSpaces()) {
      this.pos = start;
      return false;
    }
    return true;
  }

  /** `'not'i Space+`. */
  tryNot(): boolean {
    if (!this.wordAt(this.pos, "not") || !isKqlSpace(this.text[this.pos + 3])) return false;
    this.pos += 3;
    this.skipSpaces();
    return true;
  }

  /** Whether `not` followed by a blank starts at the current position (for error hints). */
  atNot(): boolean {
    return this.wordAt(this.pos, "not") && isKqlSpace(this.text[this.pos + 3]);
  }

  tryRangeOperator(): KqlRangeOperator | undefined {
    const c = this.text[this.pos];
    if (c !== "<" && c !== ">") return undefined;
    if (this.text[this.pos + 1] === "=") {
      this.pos += 2;
      return c === "<" ? "<=" : ">=";
    }
    this.pos++;
    return c;
  }

  private wordAt(at: number, word: string): boolean {
    return this.text.slice(at, at + word.length).toLowerCase() === word;
  }

  /**
   * grammar.peggy `Keyword`, the lookahead that ends an unquoted literal: a blank followed by
   * `or`/`and` and a blank, or `not` followed by a blank.
   */
  private keywordAt(at: number): boolean {
    const c = this.text[at];
    if (isKqlSpace(c)) {
      if (this.wordAt(at + 1, "or") && isKqlSpace(this.text[at + 3])) return true;
      if (this.wordAt(at + 1, "and") && isKqlSpace(this.text[at + 4])) return true;
    }
    return this.wordAt(at, "not") && isKqlSpace(this.text[at + 3]);
  }

  /**
   * grammar.peggy `Literal = QuotedString / UnquotedLiteral`; undefined when neither starts here
   * (a special character, a keyword, or the end).
   *
   * @throws QuerySyntaxError kql_unterminated_string, kql_invalid_escape
   */
  readLiteral(): KqlLiteralToken | undefined {
    return this.text[this.pos] === '"' ? this.readQuoted() : this.readUnquoted();
  }

  private readQuoted(): KqlLiteralToken {
    const start = this.pos;
    let i = start + 1;
    let value = "";
    for (;;) {
      const c = this.text[i];
      if (c === undefined) {
        throw this.error("kql_unterminated_string", "unterminated quoted string: missing the closing \"", start, 1);
      }
      if (c === '"') break;
      if (c === "\\") {
        // QuotedCharacter = EscapedWhitespace / EscapedUnicodeSequence / '\\' [\\"] / [^"]
        const next = this.text[i + 1];
        const ws = next === "t" ? "\t" : next === "r" ? "\r" : next === "n" ? "\n" : undefined;
        if (ws !== undefined) {
          value += ws;
          i += 2;
          continue;
        }
        if (next === "u" && HEX4.test(this.text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(this.text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        if (next === "\\" || next === '"') {
          value += next;
          i += 2;
          continue;
        }
        // Any other backslash is itself: "C:\Windows" is the text C:\Windows.
      }
      value += c;
      i++;
    }
    this.pos = i + 1;
    return { segments: [value], quoted: true, start, end: this.pos };
  }

  private readUnquoted(): KqlLiteralToken | undefined {
    const start = this.pos;
    const segments: string[] = [];
    let current = "";
    let i = start;
    let significantEnd = start;
    for (;;) {
      const c = this.text[i];
      if (c === undefined) break;
      if (c === "\\") {
        // UnquotedCharacter = EscapedWhitespace / EscapedSpecialCharacter / EscapedUnicodeSequence
        //                   / EscapedKeyword / Wildcard / plain; PEG order matters: `\not` reads
        // as an escaped newline followed by "ot", exactly as in Kibana.
        const next = this.text[i + 1];
        const ws = next === "t" ? "\t" : next === "r" ? "\r" : next === "n" ? "\n" : undefined;
        if (ws !== undefined) {
          current += ws;
          i += 2;
          continue; // escaped blanks are blanks for the final trim, as in Kibana
        }
        if (isKqlSpecial(next)) {
          current += next;
          i += 2;
          significantEnd = i;
          continue;
        }
        if (next === "u" && HEX4.test(this.text.slice(i + 2, i + 6))) {
          const ch = String.fromCharCode(parseInt(this.text.slice(i + 2, i + 6), 16));
          current += ch;
          i += 6;
          if (ch.trim() !== "") significantEnd = i;
          continue;
        }
        const keyword = ["or", "and", "not"].find((k) => this.wordAt(i + 1, k));
        if (keyword !== undefined) {
          current += this.text.slice(i + 1, i + 1 + keyword.length);
          i += 1 + keyword.length;
          significantEnd = i;
          continue;
        }
        throw this.error(
          "kql_invalid_escape",
          next === undefined
            ? "a value cannot end with a lone backslash: write \\\\ for a backslash"
            : `invalid escape \\${next}: escape one of \\ ( ) : < > " * { } or write \\t \\r \\n \\uXXXX; for a backslash write \\\\`,
          i,
          next === undefined ? 1 : 2,
        );
      }
      if (c === "*") {
        segments.push(current);
        current = "";
        i++;
        significantEnd = i;
        continue;
      }
      if (isKqlSpecial(c) || this.keywordAt(i)) break;
      current += c;
      i++;
      if (!isKqlSpace(c) && c.trim() !== "") significantEnd = i;
    }
    if (i === start) return undefined;
    segments.push(current);
    // Kibana joins the characters and trims the result (`chars.join('').trim()`).
    segments[0] = segments[0]!.trimStart();
    segments[segments.length - 1] = segments[segments.length - 1]!.trimEnd();
    this.pos = i;
    return { segments, quoted: false, start, end: Math.max(significantEnd, start + 1) };
  }

  /** A syntax error at `offset` with a caret under `length` characters. */
  error(code: string, summary: string, offset: number, length = 1): DetectionError {
    return syntaxErrorAt(code, summary, this.text, offset, length, QuerySyntaxError);
  }

  /** A short description of what is at `offset`, for "but found …" messages. */
  describe(offset: number): string {
    if (offset >= this.text.length) return "end of query";
    const rest = this.text.slice(offset);
    const word = /^[^\s()":<>{}\\*]+/.exec(rest)?.[0];
    if (word) return `\`${word.length > 30 ? `${word.slice(0, 30)}…` : word}\``;
    return `\`${rest[0]}\``;
  }
}
