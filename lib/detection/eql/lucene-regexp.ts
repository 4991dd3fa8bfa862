import { QuerySyntaxError, UnsupportedFeatureError, type DetectionError } from "../errors";
import { escapeRegex } from "../compile/pattern";

/**
 * EQL `regex` / `regex~` patterns are Lucene regular expressions (Elasticsearch runs them as a
 * `regexp` query, flags ALL), not PCRE. This translates one into an RE2 pattern with the same
 * meaning, anchored at both ends (a Lucene regexp always matches the whole value):
 *
 * - `.` any character (line breaks too), `?` `*` `+` `{n}` `{n,}` `{n,m}`, `|`, `( )`, `[…]`,
 *   `[^…]`, `\` escaping any character, `\d \D \s \S \w \W` (Lucene 9).
 * - `"text"` is literal text; `@` any string; `#` the empty language (matches nothing).
 * - `^` and `$` are ordinary characters in Lucene, so they are escaped.
 * - Complement `~`, intersection `&` and intervals / named automata `<…>` have no RE2 form: the
 *   rule is reported unsupported (with the position), never rewritten into something else.
 * - A repetition of a repetition (`a**`, valid Lucene) is grouped (`(?:a*)*`) for RE2.
 *
 * @throws UnsupportedFeatureError lucene_regex_operator
 * @throws QuerySyntaxError lucene_regex_syntax (offsets relative to the pattern)
 */
export function luceneRegexpToRe2(pattern: string): string {
  const t = new Translator(pattern);
  const body = t.union();
  if (t.pos < pattern.length) throw t.syntax(`unexpected ${JSON.stringify(pattern[t.pos])}`, t.pos);
  return `^(?:${body})$`;
}

const CLASS_ESCAPES = new Set(["d", "D", "s", "S", "w", "W"]);

class Translator {
  pos = 0;

  constructor(private readonly p: string) {}

  // union = sequence ('|' sequence)*
  union(): string {
    const parts = [this.sequence()];
    while (this.p[this.pos] === "|") {
      this.pos++;
      parts.push(this.sequence());
    }
    return parts.join("|");
  }

  // sequence = (atom quantifier*)*
  private sequence(): string {
    let out = "";
    for (;;) {
      const c = this.p[this.pos];
      if (c === undefined || c === "|" || c === ")") return out;
      const atom = this.atom();
      let text = atom.text;
      let quantified = false;
      let grouped = atom.single;
      for (;;) {
        const q = this.quantifier();
        if (q === undefined) break;
        if (quantified || !grouped) text = `(?:${text})`;
        text += q;
        quantified = true;
        grouped = true;
      }
      out += text;
    }
  }

  private quantifier(): string | undefined {
    const c = this.p[this.pos];
    if (c === "*" || c === "+" || c === "?") {
      this.pos++;
      return c;
    }
    if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.pos));
      if (!m) throw this.syntax("a repetition is {n}, {n,} or {n,m}", this.pos);
      this.pos += m[0].length;
      return m[0];
    }
    return undefined;
  }

  /** One atom; `single` when it is one RE2 unit a quantifier can follow directly. */
  private atom(): { text: string; single: boolean } {
    const start = this.pos;
    const c = this.p[this.pos]!;
    switch (c) {
      case "(": {
        this.pos++;
        const inner = this.union();
        if (this.p[this.pos] !== ")") throw this.syntax("missing )", start);
        this.pos++;
        return { text: `(?:${inner})`, single: true };
      }
      case "[":
        return { text: this.charClass(), single: true };
      case ".":
        this.pos++;
        return { text: ".", single: true };
      case "@":
        this.pos++;
        return { text: "(?:.*)", single: true };
      case "#":
        this.pos++;
        return { text: "[^\\x00-\\x{10FFFF}]", single: true };
      case '"': {
        const close = this.p.indexOf('"', this.pos + 1);
        if (close < 0) throw this.syntax('unterminated "quoted" text', start);
        const literal = this.p.slice(this.pos + 1, close);
        this.pos = close + 1;
        return { text: escapeRegex(literal), single: [...literal].length === 1 };
      }
      case "\\": {
        const next = this.p[this.pos + 1];
        if (next === undefined) throw this.syntax("a pattern cannot end with a lone backslash", start);
        this.pos += 2;
        return { text: CLASS_ESCAPES.has(next) ? `\\${next}` : escapeRegex(next), single: true };
      }
      case "~":
      case "&":
      case "<":
        throw this.unsupported(c, start);
      case "*":
      case "+":
      case "?":
      case "{":
        throw this.syntax(`nothing to repeat before ${JSON.stringify(c)}`, start);
      default: {
        const ch = String.fromCodePoint(this.p.codePointAt(this.pos)!);
        this.pos += ch.length;
        return { text: escapeRegex(ch), single: true };
      }
    }
  }

  // '[' '^'? (charexp ('-' charexp)?)+ ']'
  private charClass(): string {
    const start = this.pos;
    this.pos++;
    let out = "[";
    if (this.p[this.pos] === "^") {
      out += "^";
      this.pos++;
    }
    let members = 0;
    for (;;) {
      const c = this.p[this.pos];
      if (c === undefined) throw this.syntax("missing ]", start);
      if (c === "]") {
        if (members === 0) throw this.syntax("empty character class", start);
        this.pos++;
        return `${out}]`;
      }
      const from = this.classChar();
      if (from.escape) {
        out += from.text;
      } else if (this.p[this.pos] === "-" && this.p[this.pos + 1] !== "]" && this.p[this.pos + 1] !== undefined) {
        this.pos++;
        const to = this.classChar();
        if (to.escape) throw this.syntax("a range cannot end in a class escape", this.pos - 2);
        out += `${from.text}-${to.text}`;
      } else {
        out += from.text;
      }
      members++;
    }
  }

  private classChar(): { text: string; escape: boolean } {
    let c = this.p[this.pos]!;
    if (c === "\\") {
      const next = this.p[this.pos + 1];
      if (next === undefined) throw this.syntax("a pattern cannot end with a lone backslash", this.pos);
      this.pos += 2;
      if (CLASS_ESCAPES.has(next)) return { text: `\\${next}`, escape: true };
      c = next;
    } else {
      c = String.fromCodePoint(this.p.codePointAt(this.pos)!);
      this.pos += c.length;
    }
    return { text: /[\\\][^-]/.test(c) ? `\\${c}` : c, escape: false };
  }

  syntax(summary: string, offset: number): DetectionError {
    return new QuerySyntaxError("lucene_regex_syntax", `invalid regular expression: ${summary}`, { offset, length: 1 });
  }

  private unsupported(op: string, offset: number): DetectionError {
    const what = op === "~" ? "complement (~)" : op === "&" ? "intersection (&)" : "intervals and named automata (<…>)";
    return new UnsupportedFeatureError(
      "lucene_regex_operator",
      `Lucene regular expression ${what} has no equivalent in the safe regex engine; escape the character (\\${op}) if it is meant literally`,
      { offset, length: 1 },
    );
  }
}
