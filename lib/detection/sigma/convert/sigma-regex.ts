/**
 * Sigma `|re` patterns (RE2 syntax, searched unanchored, flags i/m/s) read into a small AST and
 * written out again for the targets:
 *
 * - `printRe2` for Kusto's `matches regex`, which is RE2 too: a canonical spelling (escapes that
 *   only the JavaScript front end of node-re2 knows, such as `\u0041`, become RE2's `\x{41}`).
 * - `printLucene` for EQL `regex` / `regex~`, which is a Lucene regular expression matched against
 *   the whole value: the search becomes `.*(…).*` except where the pattern is anchored, `.` without
 *   `s` becomes "anything but a line feed", and Perl classes become explicit ones.
 *
 * What a target cannot say comes back as a reason, never as a rewritten pattern that matches
 * something else: word boundaries, anchors in the middle of a pattern or with `m`, backreferences,
 * lookaround, Unicode classes, inline flags after the start, POSIX classes, `\Q…\E`.
 */

export type RegexNode =
  | { type: "Alternation"; branches: RegexNode[] }
  | { type: "Sequence"; items: RegexNode[] }
  | { type: "Repeat"; node: RegexNode; min: number; max: number | null }
  | { type: "Group"; node: RegexNode }
  | { type: "Literal"; char: string }
  | { type: "AnyChar" }
  | { type: "Class"; negated: boolean; items: ClassItem[] }
  | { type: "Perl"; name: PerlClass }
  /** `^` / `\A` (start), `$` / `\z` (end); `token` is how it was written. */
  | { type: "Assertion"; at: "start" | "end"; token: "^" | "$" | "\\A" | "\\z" }
  /** RE2 syntax Lucene has no form for (`\b`, `\pL`, `\p{Greek}`), kept as written for Kusto. */
  | { type: "Re2Only"; text: string; what: string };

export type PerlClass = "d" | "D" | "s" | "S" | "w" | "W";
export type ClassItem =
  | { type: "Char"; char: string }
  | { type: "Range"; from: string; to: string }
  | { type: "Perl"; name: PerlClass }
  | { type: "Re2Only"; text: string; what: string };

export interface RegexFlags {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
}

export interface ParsedRegex {
  root: RegexNode;
  /** The modifiers' flags plus a leading inline `(?i)`, `(?s)`, `(?m)` (or a combination). */
  flags: RegexFlags;
}

export type RegexResult<T> = { ok: true; value: T } | { ok: false; reason: string };

class Unsupported extends Error {}

/**
 * Read a Sigma regular expression.
 * regex = alternation; alternation = sequence ("|" sequence)*; sequence = (atom quantifier*)*
 */
export function parseSigmaRegex(pattern: string, flags: RegexFlags): RegexResult<ParsedRegex> {
  const p = new RegexParser(pattern);
  try {
    const merged = { ...flags };
    p.leadingFlags(merged);
    const root = p.alternation();
    if (p.pos < pattern.length) throw new Unsupported(`unbalanced ")" at offset ${p.pos}`);
    return { ok: true, value: { root, flags: merged } };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

const PERL = new Set(["d", "D", "s", "S", "w", "W"]);
const CONTROL_ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f", v: "\v", a: "\u0007" };

class RegexParser {
  pos = 0;
  constructor(private readonly p: string) {}

  /** `(?i)`, `(?ms)`, … at the very start set flags for the whole pattern. */
  leadingFlags(flags: RegexFlags): void {
    const m = /^\(\?([ims]+)\)/.exec(this.p);
    if (!m) return;
    for (const f of m[1]!) {
      if (f === "i") flags.ignoreCase = true;
      else if (f === "m") flags.multiline = true;
      else flags.dotAll = true;
    }
    this.pos = m[0].length;
  }

  alternation(): RegexNode {
    const branches = [this.sequence()];
    while (this.p[this.pos] === "|") {
      this.pos++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { type: "Alternation", branches };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.p[this.pos];
      if (c === undefined || c === "|" || c === ")") break;
      let atom = this.atom();
      for (;;) {
        const q = this.quantifier();
        if (!q) break;
        if (atom.type === "Assertion") throw new Unsupported(`a quantifier after the anchor ${atom.token}`);
        atom = { type: "Repeat", node: atom, min: q.min, max: q.max };
      }
      items.push(atom);
    }
    return items.length === 1 ? items[0]! : { type: "Sequence", items };
  }

  private quantifier(): { min: number; max: number | null } | undefined {
    const c = this.p[this.pos];
    let q: { min: number; max: number | null } | undefined;
    if (c === "*") q = { min: 0, max: null };
    else if (c === "+") q = { min: 1, max: null };
    else if (c === "?") q = { min: 0, max: 1 };
    if (q) {
      this.pos++;
    } else if (c === "{") {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.p.slice(this.pos));
      // RE2 reads a `{` that does not start a repetition as a literal.
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === "" ? null : Number(m[3]);
      if (max !== null && max < min) throw new Unsupported(`the repetition ${m[0]} has its bounds reversed`);
      this.pos += m[0].length;
      q = { min, max };
    } else {
      return undefined;
    }
    // Lazy (`*?`) and greedy repetition decide the same "is there a match", which is all a rule asks.
    if (this.p[this.pos] === "?") this.pos++;
    else if (this.p[this.pos] === "+") throw new Unsupported("possessive quantifiers (`*+`)");
    return q;
  }

  private atom(): RegexNode {
    const c = this.p[this.pos]!;
    switch (c) {
      case "(":
        return this.group();
      case "[":
        return this.charClass();
      case ".":
        this.pos++;
        return { type: "AnyChar" };
      case "^":
        this.pos++;
        return { type: "Assertion", at: "start", token: "^" };
      case "$":
        this.pos++;
        return { type: "Assertion", at: "end", token: "$" };
      case "\\":
        return this.escape();
      case "*":
      case "+":
      case "?":
        throw new Unsupported(`nothing to repeat before "${c}"`);
      default: {
        const ch = String.fromCodePoint(this.p.codePointAt(this.pos)!);
        this.pos += ch.length;
        return { type: "Literal", char: ch };
      }
    }
  }

  private group(): RegexNode {
    const rest = this.p.slice(this.pos);
    let open: number;
    if (rest.startsWith("(?:")) open = 3;
    else if (/^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.test(rest)) open = rest.indexOf(">") + 1;
    else if (rest.startsWith("(?=") || rest.startsWith("(?!") || rest.startsWith("(?<=") || rest.startsWith("(?<!")) throw new Unsupported("lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`)");
    else if (rest.startsWith("(?")) throw new Unsupported("inline flags or group options other than at the start of the pattern");
    else open = 1;
    this.pos += open;
    const inner = this.alternation();
    if (this.p[this.pos] !== ")") throw new Unsupported("a missing )");
    this.pos++;
    return { type: "Group", node: inner };
  }

  private escape(): RegexNode {
    const next = this.p[this.pos + 1];
    if (next === undefined) throw new Unsupported("a trailing backslash");
    if (PERL.has(next)) {
      this.pos += 2;
      return { type: "Perl", name: next as PerlClass };
    }
    if (next === "A" || next === "z") {
      this.pos += 2;
      return { type: "Assertion", at: next === "A" ? "start" : "end", token: next === "A" ? "\\A" : "\\z" };
    }
    if (next === "b" || next === "B") {
      this.pos += 2;
      return { type: "Re2Only", text: `\\${next}`, what: "word boundaries (`\\b`, `\\B`)" };
    }
    const unicode = this.unicodeClass();
    if (unicode) return unicode;
    return { type: "Literal", char: this.escapedChar(false) };
  }

  /** `\pL`, `\p{Greek}`, `\PN`, `\P{Greek}` (RE2 Unicode classes). */
  private unicodeClass(): { type: "Re2Only"; text: string; what: string } | undefined {
    const m = /^\\[pP](?:[A-Za-z]|\{\^?[A-Za-z_]+\})/.exec(this.p.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return { type: "Re2Only", text: m[0], what: "Unicode classes (`\\p{…}`)" };
  }

  /** The character an escape stands for (the backslash at `pos`); throws for escapes with no literal meaning. */
  private escapedChar(inClass: boolean): string {
    const next = this.p[this.pos + 1]!;
    if (Object.hasOwn(CONTROL_ESCAPES, next)) {
      this.pos += 2;
      return CONTROL_ESCAPES[next]!;
    }
    const hex = /^\\x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.p.slice(this.pos)) ?? /^\\u(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{4}))/.exec(this.p.slice(this.pos));
    if (hex) {
      const code = parseInt(hex[1] ?? hex[2]!, 16);
      if (code > 0x10ffff) throw new Unsupported(`the escape ${hex[0]} is beyond Unicode`);
      this.pos += hex[0].length;
      return String.fromCodePoint(code);
    }
    if (/[A-Za-z0-9]/.test(next)) {
      const what =
        next === "b" && inClass
          ? "`\\b` inside a character class"
          : /[1-9]/.test(next)
            ? "backreferences"
            : next === "Q"
              ? "quoted text (`\\Q…\\E`)"
              : `the escape \\${next}`;
      throw new Unsupported(what);
    }
    // Any other escaped character stands for itself (`\.`, `\\`, `\/`, `\-`).
    const ch = String.fromCodePoint(this.p.codePointAt(this.pos + 1)!);
    this.pos += 1 + ch.length;
    return ch;
  }

  private charClass(): RegexNode {
    this.pos++;
    let negated = false;
    if (this.p[this.pos] === "^") {
      negated = true;
      this.pos++;
    }
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      const c = this.p[this.pos];
      if (c === undefined) throw new Unsupported("a missing ]");
      if (c === "]" && !first) {
        this.pos++;
        return { type: "Class", negated, items };
      }
      first = false;
      const posix = c === "[" ? /^\[:\^?[a-z]+:\]/.exec(this.p.slice(this.pos)) : null;
      if (posix) {
        this.pos += posix[0].length;
        items.push({ type: "Re2Only", text: posix[0], what: "POSIX classes (`[[:alpha:]]`)" });
        continue;
      }
      const from = this.classAtom();
      if (from.type === "Perl" || from.type === "Re2Only") {
        items.push(from);
        continue;
      }
      if (this.p[this.pos] === "-" && this.p[this.pos + 1] !== "]" && this.p[this.pos + 1] !== undefined) {
        this.pos++;
        const to = this.classAtom();
        if (to.type !== "Char") throw new Unsupported("a class range ending in a class");
        if (to.char.codePointAt(0)! < from.char.codePointAt(0)!) throw new Unsupported(`the class range ${from.char}-${to.char} is reversed`);
        items.push({ type: "Range", from: from.char, to: to.char });
      } else {
        items.push(from);
      }
    }
  }

  private classAtom(): { type: "Char"; char: string } | { type: "Perl"; name: PerlClass } | { type: "Re2Only"; text: string; what: string } {
    const c = this.p[this.pos]!;
    if (c === "\\") {
      const next = this.p[this.pos + 1];
      if (next !== undefined && PERL.has(next)) {
        this.pos += 2;
        return { type: "Perl", name: next as PerlClass };
      }
      const unicode = this.unicodeClass();
      if (unicode) return unicode;
      if (next === undefined) throw new Unsupported("a trailing backslash");
      return { type: "Char", char: this.escapedChar(true) };
    }
    const ch = String.fromCodePoint(this.p.codePointAt(this.pos)!);
    this.pos += ch.length;
    return { type: "Char", char: ch };
  }
}

// ---------------------------------------------------------------------------------------------
// RE2 (Kusto)

/** The pattern in RE2 syntax with its flags in front (`(?i)…`), for Kusto's `matches regex`. */
export function printRe2(parsed: ParsedRegex): string {
  const f = parsed.flags;
  const flags = `${f.ignoreCase ? "i" : ""}${f.multiline ? "m" : ""}${f.dotAll ? "s" : ""}`;
  return `${flags ? `(?${flags})` : ""}${re2(parsed.root)}`;
}

const RE2_META = new Set([..."\\.+*?()|[]{}^$"]);

function re2(n: RegexNode): string {
  switch (n.type) {
    case "Alternation":
      return n.branches.map(re2).join("|");
    case "Sequence":
      return n.items.map((i) => (i.type === "Alternation" ? `(?:${re2(i)})` : re2(i))).join("");
    case "Repeat": {
      const single = ["Literal", "AnyChar", "Class", "Perl", "Group"].includes(n.node.type) || (n.node.type === "Re2Only" && n.node.text.startsWith("\\p"));
      const inner = single ? re2(n.node) : `(?:${re2(n.node)})`;
      return inner + quantifier(n.min, n.max);
    }
    case "Group":
      return `(?:${re2(n.node)})`;
    case "Literal":
      return RE2_META.has(n.char) ? `\\${n.char}` : re2Char(n.char);
    case "AnyChar":
      return ".";
    case "Class":
      return `[${n.negated ? "^" : ""}${n.items.map(re2ClassItem).join("")}]`;
    case "Perl":
      return `\\${n.name}`;
    case "Assertion":
      return n.token;
    case "Re2Only":
      return n.text;
  }
}

function re2ClassItem(i: ClassItem): string {
  const ch = (c: string) => (c === "\\" || c === "]" || c === "[" || c === "^" || c === "-" ? `\\${c}` : re2Char(c));
  if (i.type === "Perl") return `\\${i.name}`;
  if (i.type === "Re2Only") return i.text;
  if (i.type === "Range") return `${ch(i.from)}-${ch(i.to)}`;
  return ch(i.char);
}

/** Control characters as `\x{…}`, so the pattern fits in a one-line verbatim string. */
function re2Char(c: string): string {
  const code = c.codePointAt(0)!;
  return code < 0x20 || code === 0x7f ? `\\x{${code.toString(16)}}` : c;
}

function quantifier(min: number, max: number | null): string {
  if (min === 0 && max === null) return "*";
  if (min === 1 && max === null) return "+";
  if (min === 0 && max === 1) return "?";
  if (max === null) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

// ---------------------------------------------------------------------------------------------
// Lucene (Elasticsearch EQL `regex`)

/** Lucene's reserved characters (RegExp syntax with flags ALL); `^` and `$` are escaped too, to be safe. */
const LUCENE_META = new Set([..."\\.?+*|{}[]()\"#@&<>~^$"]);
/** RE2's Perl classes, ASCII as RE2 defines them. */
const PERL_CLASS: Record<"d" | "s" | "w", string> = { d: "0-9", s: "\t\n\f\r ", w: "0-9A-Za-z_" };

/**
 * The search as a Lucene regular expression over the whole value: `.*` on each side the pattern
 * is not anchored on, per top-level alternative (`^a|b$` → `a.*|.*b`).
 */
export function printLucene(parsed: ParsedRegex): RegexResult<string> {
  try {
    const root = ungroup(parsed.root);
    const branches = root.type === "Alternation" ? root.branches : [root];
    const out = branches.map((b) => luceneBranch(b, parsed.flags));
    return { ok: true, value: out.join("|") };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Groups only group: flatten them into their sequence (a repeated group keeps its parentheses at print time). */
function ungroup(n: RegexNode): RegexNode {
  switch (n.type) {
    case "Group":
      return ungroup(n.node);
    case "Alternation":
      return { type: "Alternation", branches: n.branches.map(ungroup).flatMap((b) => (b.type === "Alternation" ? b.branches : [b])) };
    case "Sequence": {
      const items = n.items.map(ungroup).flatMap((i) => (i.type === "Sequence" ? i.items : [i]));
      return items.length === 1 ? items[0]! : { type: "Sequence", items };
    }
    case "Repeat":
      return { ...n, node: ungroup(n.node) };
    default:
      return n;
  }
}

function luceneBranch(branch: RegexNode, flags: RegexFlags): string {
  const items = branch.type === "Sequence" ? [...branch.items] : [branch];
  let start = false;
  let end = false;
  while (items[0]?.type === "Assertion" && items[0].at === "start") {
    items.shift();
    start = true;
  }
  while (items.length > 0 && items[items.length - 1]!.type === "Assertion" && (items[items.length - 1] as { at: string }).at === "end") {
    items.pop();
    end = true;
  }
  if ((start || end) && flags.multiline) throw new Unsupported("anchors with the `m` flag (they match at every line break)");
  const body = items.map((i) => lucene(i, flags, true)).join("");
  return `${start ? "" : ".*"}${body}${end ? "" : ".*"}`;
}

function lucene(n: RegexNode, flags: RegexFlags, inSequence: boolean): string {
  switch (n.type) {
    case "Alternation": {
      const s = n.branches.map((b) => lucene(b, flags, false)).join("|");
      return inSequence ? `(${s})` : s;
    }
    case "Sequence":
      return n.items.map((i) => lucene(i, flags, true)).join("");
    case "Group":
      return `(${lucene(n.node, flags, false)})`;
    case "Repeat": {
      const single = n.node.type === "Literal" || n.node.type === "AnyChar" || n.node.type === "Class" || n.node.type === "Perl";
      const inner = lucene(n.node, flags, false);
      return `${single ? inner : `(${inner})`}${quantifier(n.min, n.max)}`;
    }
    case "Literal":
      return luceneChar(n.char);
    case "AnyChar":
      // Lucene's `.` matches line breaks; RE2's only with `s`.
      return flags.dotAll ? "." : "[^\n]";
    case "Perl": {
      const body = PERL_CLASS[n.name.toLowerCase() as "d" | "s" | "w"];
      return `[${n.name === n.name.toUpperCase() ? "^" : ""}${body}]`;
    }
    case "Class": {
      const items = n.items.map((i) => {
        if (i.type === "Perl") {
          if (i.name === i.name.toUpperCase()) throw new Unsupported(`\\${i.name} inside a character class`);
          return PERL_CLASS[i.name as "d" | "s" | "w"];
        }
        if (i.type === "Re2Only") throw new Unsupported(i.what);
        if (i.type === "Range") return `${luceneChar(i.from)}-${luceneChar(i.to)}`;
        return luceneChar(i.char);
      });
      return `[${n.negated ? "^" : ""}${items.join("")}]`;
    }
    case "Assertion":
      throw new Unsupported(`the anchor ${n.token} anywhere but at the start or end of the pattern`);
    case "Re2Only":
      throw new Unsupported(n.what);
  }
}

/** ASCII punctuation is escaped (Lucene reads `\` + any character as that character); letters and digits never are (`\d` is a class). */
function luceneChar(c: string): string {
  return LUCENE_META.has(c) || /^[!-/:-@[-`{-~]$/.test(c) ? `\\${c}` : c;
}

/** A Sigma wildcard pattern as a Lucene regular expression over the whole value (`*` → `.*`, `?` → `.`). */
export function patternToLucene(parts: readonly ({ type: "Text"; text: string } | { type: "AnyChars" } | { type: "AnyChar" })[]): string {
  let out = "";
  for (const p of parts) {
    if (p.type === "AnyChars") out += ".*";
    else if (p.type === "AnyChar") out += ".";
    else for (const c of p.text) out += luceneChar(c);
  }
  return out;
}

/** A Sigma wildcard pattern as an anchored RE2 pattern (`*` → `.*`, `?` → `.`; the caller adds `(?s)`). */
export function patternToRe2(parts: readonly ({ type: "Text"; text: string } | { type: "AnyChars" } | { type: "AnyChar" })[]): string {
  let out = "\\A";
  for (const p of parts) {
    if (p.type === "AnyChars") out += ".*";
    else if (p.type === "AnyChar") out += ".";
    else for (const c of p.text) out += RE2_META.has(c) ? `\\${c}` : re2Char(c);
  }
  return `${out}\\z`;
}
