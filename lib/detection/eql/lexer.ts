import { QuerySyntaxError, syntaxErrorAt, type DetectionError } from "../errors";

/**
 * The EQL lexer: a switch over the next character, every token with its offsets. Token rules are
 * Elasticsearch's EqlBase.g4: lower-case keywords only (`AND` is an identifier), `in~` / `like~` /
 * `regex~` as single tokens, `name~` as a case-insensitive function name, backtick identifiers
 * with doubled backticks, `"…"` strings with escapes, `"""…"""` raw strings on one line, numbers,
 * and line (`//`) and nested block comments skipped.
 */

export type EqlTokenKind = "ident" | "tildeIdent" | "quotedIdent" | "keyword" | "string" | "number" | "punct" | "eof";

export interface EqlToken {
  kind: EqlTokenKind;
  /** Keyword or punctuation text; identifier name (unquoted); string value; number lexeme. */
  text: string;
  start: number;
  end: number;
  /** Strings: written as `"""…"""`. */
  raw?: boolean;
  /** Numbers: the value, and whether it was written as a float. */
  number?: number;
  decimal?: boolean;
}

export const EQL_KEYWORDS: ReadonlySet<string> = new Set([
  "and",
  "any",
  "by",
  "false",
  "in",
  "in~",
  "join",
  "like",
  "like~",
  "maxspan",
  "not",
  "null",
  "of",
  "or",
  "regex",
  "regex~",
  "sample",
  "sequence",
  "true",
  "until",
  "where",
  "with",
]);

/** EqlBase.g4 IDENTIFIER: (LETTER | '_' | '@') (LETTER | DIGIT | '_')*. */
export const EQL_IDENTIFIER = /^[A-Za-z_@][A-Za-z0-9_]*$/;

const isLetter = (c: string | undefined) => c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isIdentPart = (c: string | undefined) => isLetter(c) || isDigit(c) || c === "_";

export function lexEql(text: string): EqlToken[] {
  return new Lexer(text).run();
}

class Lexer {
  private pos = 0;
  private readonly tokens: EqlToken[] = [];

  constructor(private readonly text: string) {}

  run(): EqlToken[] {
    const t = this.text;
    for (;;) {
      this.skipBlanksAndComments();
      const start = this.pos;
      const c = t[start];
      if (c === undefined) {
        this.tokens.push({ kind: "eof", text: "", start, end: start });
        return this.tokens;
      }
      switch (c) {
        case "(":
        case ")":
        case "]":
        case ",":
        case "|":
        case "+":
        case "-":
        case "*":
        case "/":
        case "%":
        case ":":
          this.punct(c, 1);
          break;
        case "[":
          this.punct("[", 1);
          break;
        case "!":
          if (t[start + 1] === "=") this.punct("!=", 2);
          else if (t[start + 1] === "[") this.punct("![", 2);
          else throw this.error("eql_unexpected_character", "`!` must be part of `!=` or `![`", start, 1);
          break;
        case "=":
          this.punct(t[start + 1] === "=" ? "==" : "=", t[start + 1] === "=" ? 2 : 1);
          break;
        case "<":
        case ">":
          if (t[start + 1] === "=") this.punct(`${c}=`, 2);
          else this.punct(c, 1);
          break;
        case "?":
          if (t[start + 1] === '"' || t[start + 1] === "'") {
            throw this.error("eql_old_raw_string", '?"…" raw strings are not Elasticsearch EQL: write """…"""', start, 2);
          }
          this.punct("?", 1);
          break;
        case ".":
          if (isDigit(t[start + 1])) this.number();
          else this.punct(".", 1);
          break;
        case '"':
          this.string();
          break;
        case "'":
          throw this.error("eql_single_quoted_string", "single-quoted strings are not supported in EQL: use double quotes", start, 1);
        case "`":
          this.quotedIdentifier();
          break;
        default:
          if (isDigit(c)) this.number();
          else if (isLetter(c) || c === "_" || c === "@") this.identifier();
          else throw this.error("eql_unexpected_character", `unexpected character ${JSON.stringify(c)}`, start, 1);
      }
    }
  }

  private punct(text: string, length: number): void {
    this.tokens.push({ kind: "punct", text, start: this.pos, end: this.pos + length });
    this.pos += length;
  }

  private skipBlanksAndComments(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === " " || c === "\t" || c === "\r" || c === "\n") {
        this.pos++;
      } else if (c === "/" && t[this.pos + 1] === "/") {
        while (this.pos < t.length && t[this.pos] !== "\n") this.pos++;
      } else if (c === "/" && t[this.pos + 1] === "*") {
        // BRACKETED_COMMENT nests: a block comment inside a block comment needs its own end.
        const start = this.pos;
        let depth = 0;
        while (this.pos < t.length) {
          if (t[this.pos] === "/" && t[this.pos + 1] === "*") {
            depth++;
            this.pos += 2;
          } else if (t[this.pos] === "*" && t[this.pos + 1] === "/") {
            depth--;
            this.pos += 2;
            if (depth === 0) break;
          } else {
            this.pos++;
          }
        }
        if (depth !== 0) throw this.error("eql_unterminated_comment", "unterminated /* comment", start, 2);
      } else {
        return;
      }
    }
  }

  private identifier(): void {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    while (isIdentPart(t[i])) i++;
    let word = t.slice(start, i);
    // TILDE_IDENTIFIER = LETTER (LETTER | DIGIT | '_')* '~': `in~`, `like~`, `regex~` are keywords.
    if (t[i] === "~" && isLetter(t[start])) {
      word += "~";
      i++;
      this.pos = i;
      this.tokens.push({ kind: EQL_KEYWORDS.has(word) ? "keyword" : "tildeIdent", text: EQL_KEYWORDS.has(word) ? word : word.slice(0, -1), start, end: i });
      return;
    }
    this.pos = i;
    this.tokens.push({ kind: EQL_KEYWORDS.has(word) ? "keyword" : "ident", text: word, start, end: i });
  }

  private quotedIdentifier(): void {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let name = "";
    for (;;) {
      const c = t[i];
      if (c === undefined) throw this.error("eql_unterminated_identifier", "unterminated `quoted` field name", start, 1);
      if (c === "`") {
        if (t[i + 1] === "`") {
          name += "`";
          i += 2;
          continue;
        }
        break;
      }
      name += c;
      i++;
    }
    this.pos = i + 1;
    if (name === "") throw this.error("eql_empty_identifier", "a quoted field name cannot be empty", start, 2);
    this.tokens.push({ kind: "quotedIdent", text: name, start, end: this.pos });
  }

  private number(): void {
    const t = this.text;
    const start = this.pos;
    let i = start;
    let decimal = false;
    while (isDigit(t[i])) i++;
    if (t[i] === ".") {
      // DIGIT+ DOT DIGIT* | DOT DIGIT+
      decimal = true;
      i++;
      while (isDigit(t[i])) i++;
    }
    if ((t[i] === "e" || t[i] === "E") && (isDigit(t[i + 1]) || ((t[i + 1] === "+" || t[i + 1] === "-") && isDigit(t[i + 2])))) {
      decimal = true;
      i += t[i + 1] === "+" || t[i + 1] === "-" ? 2 : 1;
      while (isDigit(t[i])) i++;
    }
    const lexeme = t.slice(start, i);
    this.pos = i;
    this.tokens.push({ kind: "number", text: lexeme, number: Number(lexeme), decimal, start, end: i });
  }

  private string(): void {
    const t = this.text;
    const start = this.pos;
    if (t.startsWith('"""', start)) {
      // '"""' (~[\r\n])*? '"""' '"'? '"'?  — the value is the token minus three quotes each side.
      const close = t.indexOf('"""', start + 3);
      const newline = t.slice(start + 3, close === -1 ? undefined : close).search(/[\r\n]/);
      if (close === -1 || newline !== -1) {
        throw this.error("eql_unterminated_string", 'unterminated """raw string""" (raw strings cannot span lines)', start, 3);
      }
      let end = close + 3;
      for (let k = 0; k < 2 && t[end] === '"'; k++) end++;
      this.pos = end;
      this.tokens.push({ kind: "string", text: t.slice(start + 3, end - 3), raw: true, start, end });
      return;
    }
    let i = start + 1;
    let value = "";
    for (;;) {
      const c = t[i];
      if (c === undefined || c === "\n" || c === "\r") {
        throw this.error("eql_unterminated_string", 'unterminated string: missing the closing " (strings cannot span lines)', start, 1);
      }
      if (c === '"') break;
      if (c === "\\") {
        const next = t[i + 1];
        const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "'": "'", "\\": "\\" };
        if (next !== undefined && simple[next] !== undefined) {
          value += simple[next];
          i += 2;
          continue;
        }
        if (next === "u" && t[i + 2] === "{") {
          const close = t.indexOf("}", i + 3);
          const hex = close === -1 ? "" : t.slice(i + 3, close);
          const code = /^[0-9a-fA-F]{2,8}$/.test(hex) ? parseInt(hex, 16) : NaN;
          if (Number.isNaN(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            throw this.error("eql_invalid_escape", "invalid unicode escape: write \\u{XX} with 2 to 8 hex digits naming a code point", i, Math.max(2, (close === -1 ? i + 2 : close + 1) - i));
          }
          value += String.fromCodePoint(code);
          i = close + 1;
          continue;
        }
        throw this.error(
          "eql_invalid_escape",
          `invalid escape \\${next ?? ""}: EQL strings allow \\n \\r \\t \\b \\f \\" \\' \\\\ and \\u{XXXX}; for backslashes without escaping use """raw""" strings`,
          i,
          2,
        );
      }
      value += c;
      i++;
    }
    this.pos = i + 1;
    this.tokens.push({ kind: "string", text: value, raw: false, start, end: this.pos });
  }

  private error(code: string, summary: string, offset: number, length: number): DetectionError {
    return syntaxErrorAt(code, summary, this.text, offset, length, QuerySyntaxError);
  }
}
