/**
 * A small syntax highlighter for rule sources (YAML for Sigma and native rules, TOML for Elastic
 * rules): it splits the text into lines of typed tokens, and components/source-view.tsx renders
 * each token as a React text child, so the source is never interpreted as HTML. Total and linear:
 * every character lands in exactly one token (joining a line's tokens gives the line back), each
 * line is scanned once with no backtracking regexes, and text past MAX_HIGHLIGHT_CHARS is left
 * plain. It colours, it does not validate: the loaders report errors, with positions.
 */

export type TokenKind =
  | "plain"
  | "comment"
  | "key"
  /** A Sigma field modifier in a key: `|contains`, `|all`. */
  | "modifier"
  | "string"
  | "number"
  /** true, false, null, ~ */
  | "literal"
  | "punctuation"
  /** A TOML table header: [rule], [[rule.threat]]. */
  | "header"
  /** A YAML document marker (---, ...), anchor (&a), alias (*a) or tag (!t). */
  | "meta";

export interface Token {
  kind: TokenKind;
  text: string;
}

export type SourceLanguage = "yaml" | "toml";

/** Longer sources are shown unhighlighted (still as text): colour is not worth a slow page. */
export const MAX_HIGHLIGHT_CHARS = 256 * 1024;

/** The language a rule's source is written in, from its format. */
export function sourceLanguage(format: string): SourceLanguage {
  return format === "elastic" ? "toml" : "yaml";
}

/** The source as lines of tokens (line breaks removed; "\r\n" and "\n" both end a line). */
export function highlightSource(text: string, language: SourceLanguage): Token[][] {
  const lines = text.split(/\r?\n/);
  if (text.length > MAX_HIGHLIGHT_CHARS) return lines.map((line) => (line ? [{ kind: "plain" as const, text: line }] : []));
  return language === "toml" ? highlightToml(lines) : highlightYaml(lines);
}

/** Collects tokens, merging neighbours of the same kind. */
class LineTokens {
  readonly tokens: Token[] = [];
  push(kind: TokenKind, text: string): void {
    if (text === "") return;
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.kind === kind) last.text += text;
    else this.tokens.push({ kind, text });
  }
}

const isSpace = (c: string | undefined) => c === " " || c === "\t";
const YAML_LITERAL = /^(?:true|false|yes|no|on|off|null|~)$/i;
const YAML_NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i;

/** Emits the run of blanks at `i` as plain text; returns where it ends. */
function pushSpaces(line: string, i: number, out: LineTokens): number {
  const start = i;
  while (isSpace(line[i])) i++;
  out.push("plain", line.slice(start, i));
  return i;
}

function indentOf(line: string): number {
  let i = 0;
  while (isSpace(line[i])) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------
// YAML

function highlightYaml(lines: readonly string[]): Token[][] {
  /** Inside a block scalar (`key: |`): lines indented deeper than this are its text. */
  let blockParent: number | null = null;
  return lines.map((line) => {
    const out = new LineTokens();
    if (blockParent !== null) {
      const indent = indentOf(line);
      if (indent === line.length || indent > blockParent) {
        out.push("plain", line.slice(0, indent));
        out.push("string", line.slice(indent));
        return out.tokens;
      }
      blockParent = null;
    }
    blockParent = yamlLine(line, out);
    return out.tokens;
  });
}

/** Tokenizes one YAML line; returns the indentation a block scalar started here hangs from, else null. */
function yamlLine(line: string, out: LineTokens): number | null {
  let i = indentOf(line);
  out.push("plain", line.slice(0, i));
  if (i === 0 && /^(?:---|\.\.\.)(?=\s|$)/.test(line)) {
    out.push("meta", line.slice(0, 3));
    i = 3;
  }
  // "- " sequence entries, possibly nested on one line ("- - a").
  let parent = i;
  while (line[i] === "-" && (isSpace(line[i + 1]) || i + 1 === line.length)) {
    parent = i;
    out.push("punctuation", "-");
    i++;
    const start = i;
    while (isSpace(line[i])) i++;
    out.push("plain", line.slice(start, i));
  }
  if (line[i] === "#") {
    out.push("comment", line.slice(i));
    return null;
  }
  const key = yamlKeyEnd(line, i);
  if (key !== null) {
    yamlKey(line.slice(i, key.end), out);
    out.push("plain", line.slice(key.end, key.colon));
    out.push("punctuation", ":");
    parent = i;
    i = key.colon + 1;
  }
  return yamlValue(line, i, out) ? parent : null;
}

/** Where a mapping key starting at `i` ends and where its ":" is, or null when the line has none there. */
function yamlKeyEnd(line: string, i: number): { end: number; colon: number } | null {
  const c = line[i];
  if (c === undefined || "[]{},&*!|>%@`#".includes(c)) return null;
  let j = i;
  if (c === '"' || c === "'") {
    j = quotedEnd(line, i);
    if (j < 0) return null;
  } else {
    // A plain key runs up to ": " (or ":" at the end); "#" after a space starts a comment.
    while (j < line.length) {
      if (line[j] === ":" && (isSpace(line[j + 1]) || j + 1 === line.length)) break;
      if (line[j] === "#" && isSpace(line[j - 1])) return null;
      j++;
    }
    if (j >= line.length) return null;
    let end = j;
    while (end > i && isSpace(line[end - 1])) end--;
    return { end, colon: j };
  }
  let k = j;
  while (isSpace(line[k])) k++;
  return line[k] === ":" && (isSpace(line[k + 1]) || k + 1 === line.length) ? { end: j, colon: k } : null;
}

/** A key; in a plain key, Sigma's `field|modifier|modifier` parts are told apart. */
function yamlKey(text: string, out: LineTokens): void {
  if (text.startsWith('"') || text.startsWith("'")) {
    out.push("key", text);
    return;
  }
  const bar = text.indexOf("|");
  if (bar <= 0) {
    out.push("key", text);
    return;
  }
  out.push("key", text.slice(0, bar));
  out.push("modifier", text.slice(bar));
}

/** The end (exclusive) of a quoted scalar starting at `i`, or -1 when it does not close on this line. */
function quotedEnd(line: string, i: number): number {
  const quote = line[i];
  let j = i + 1;
  while (j < line.length) {
    const c = line[j];
    if (quote === '"' && c === "\\") {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && line[j + 1] === "'") {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return -1;
}

/** Tokenizes a value from `i` to the end of the line; true when it opens a block scalar (| or >). */
function yamlValue(line: string, i: number, out: LineTokens): boolean {
  let first = true;
  let depth = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (isSpace(c)) {
      i = pushSpaces(line, i, out);
      continue;
    }
    if (c === "#" && (i === 0 || isSpace(line[i - 1]))) {
      out.push("comment", line.slice(i));
      return false;
    }
    if (first && (c === "|" || c === ">")) {
      let j = i + 1;
      while (j < line.length && /[-+0-9]/.test(line[j]!)) j++;
      let k = j;
      while (isSpace(line[k])) k++;
      if (k === line.length || line[k] === "#") {
        out.push("punctuation", line.slice(i, j));
        out.push("plain", line.slice(j, k));
        if (k < line.length) out.push("comment", line.slice(k));
        return true;
      }
    }
    first = false;
    if (c === '"' || c === "'") {
      const end = quotedEnd(line, i);
      const stop = end < 0 ? line.length : end;
      out.push("string", line.slice(i, stop));
      i = stop;
      continue;
    }
    if (c === "&" || c === "*" || c === "!") {
      let j = i + 1;
      while (j < line.length && !isSpace(line[j]) && !",[]{}".includes(line[j]!)) j++;
      out.push("meta", line.slice(i, j));
      i = j;
      continue;
    }
    if ("[]{},".includes(c)) {
      if (c === "[" || c === "{") depth++;
      else if (c !== "," && depth > 0) depth--;
      out.push("punctuation", c);
      i++;
      continue;
    }
    // A plain scalar: to the end of the line, a comment, or (inside [ ] / { }) a flow indicator.
    let j = i;
    while (j < line.length) {
      const d = line[j]!;
      if (d === "#" && isSpace(line[j - 1])) break;
      if (depth > 0 && ",[]{}".includes(d)) break;
      j++;
    }
    let end = j;
    while (end > i && isSpace(line[end - 1])) end--;
    const scalar = line.slice(i, end);
    out.push(YAML_LITERAL.test(scalar) ? "literal" : YAML_NUMBER.test(scalar) ? "number" : "plain", scalar);
    i = end;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// TOML

const TOML_NUMBER = /^(?:[-+]?(?:\d[\d_]*(?:\.[\d_]+)?(?:[eE][-+]?\d+)?|0x[\da-fA-F_]+|0o[0-7_]+|0b[01_]+|inf|nan))$/;
const TOML_DATE = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[-+]\d{2}:\d{2})?)?$/;
const TOML_BARE = /[A-Za-z0-9_-]/;

function highlightToml(lines: readonly string[]): Token[][] {
  /** The delimiter of a multi-line string left open on an earlier line. */
  let open: '"""' | "'''" | null = null;
  return lines.map((line) => {
    const out = new LineTokens();
    let i = 0;
    if (open) {
      const end = multilineEnd(line, 0, open);
      if (end < 0) {
        out.push("string", line);
        return out.tokens;
      }
      out.push("string", line.slice(0, end));
      i = end;
      open = null;
    }
    open = tomlLine(line, i, out, i === 0);
    return out.tokens;
  });
}

/** The end (exclusive) of the closing `delim` at or after `from`, or -1. */
function multilineEnd(line: string, from: number, delim: '"""' | "'''"): number {
  let j = from;
  while (j < line.length) {
    if (delim === '"""' && line[j] === "\\") {
      j += 2;
      continue;
    }
    if (line.startsWith(delim, j)) {
      // """" ends with the last three quotes ("a""""  is a" plus "").
      let end = j + 3;
      while (line[end] === delim[0] && end - j < 5) end++;
      return end;
    }
    j++;
  }
  return -1;
}

/** Tokenizes a TOML line from `i`; returns the delimiter of a multi-line string it leaves open. */
function tomlLine(line: string, i: number, out: LineTokens, lineStart: boolean): '"""' | "'''" | null {
  /** A key may start here: at the start of a line, or after "{" / "," in an inline table. */
  let expectKey = lineStart;
  let inlineTables = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (isSpace(c)) {
      i = pushSpaces(line, i, out);
      continue;
    }
    if (c === "#") {
      out.push("comment", line.slice(i));
      return null;
    }
    if (expectKey && lineStart && c === "[" && inlineTables === 0) {
      const close = line.indexOf("]", i);
      let end = close < 0 ? line.length : close + 1;
      if (line[i + 1] === "[" && line[end] === "]") end++;
      out.push("header", line.slice(i, end));
      i = end;
      expectKey = false;
      continue;
    }
    if (expectKey) {
      const end = tomlKeyEnd(line, i);
      if (end > i) {
        out.push("key", line.slice(i, end));
        i = end;
        expectKey = false;
        continue;
      }
    }
    expectKey = false;
    if (c === '"' || c === "'") {
      const delim = c === '"' ? '"""' : "'''";
      if (line.startsWith(delim, i)) {
        const end = multilineEnd(line, i + 3, delim);
        if (end < 0) {
          out.push("string", line.slice(i));
          return delim;
        }
        out.push("string", line.slice(i, end));
        i = end;
        continue;
      }
      const end = quotedEndToml(line, i);
      out.push("string", line.slice(i, end));
      i = end;
      continue;
    }
    if ("[]{},=".includes(c)) {
      if (c === "{") inlineTables++;
      if (c === "}" && inlineTables > 0) inlineTables--;
      out.push("punctuation", c);
      i++;
      if (inlineTables > 0 && (c === "{" || c === ",")) expectKey = true;
      continue;
    }
    // A bare value: number, date, boolean, or anything else up to a delimiter.
    let j = i;
    while (j < line.length && !isSpace(line[j]) && !"[]{},=#".includes(line[j]!)) j++;
    // A date-time's space ("1979-05-27 07:32:00Z") belongs to the value.
    if (line[j] === " " && /^\d{4}-\d{2}-\d{2}$/.test(line.slice(i, j)) && /^\d{2}:/.test(line.slice(j + 1, j + 4))) {
      j++;
      while (j < line.length && !isSpace(line[j]) && !"[]{},=#".includes(line[j]!)) j++;
    }
    const word = line.slice(i, j);
    out.push(word === "true" || word === "false" ? "literal" : TOML_NUMBER.test(word) || TOML_DATE.test(word) ? "number" : "plain", word);
    i = j;
  }
  return null;
}

/** A (dotted, possibly quoted) key at `i` followed by "=": its end, or `i` when there is none. */
function tomlKeyEnd(line: string, i: number): number {
  let j = i;
  for (;;) {
    const c = line[j];
    if (c === '"' || c === "'") j = quotedEndToml(line, j);
    else if (c !== undefined && TOML_BARE.test(c)) while (j < line.length && TOML_BARE.test(line[j]!)) j++;
    else return i;
    let k = j;
    while (isSpace(line[k])) k++;
    if (line[k] === ".") {
      j = k + 1;
      while (isSpace(line[j])) j++;
      continue;
    }
    return line[k] === "=" ? j : i;
  }
}

/** The end (exclusive) of a one-line TOML string at `i` (its line end when unterminated). */
function quotedEndToml(line: string, i: number): number {
  const quote = line[i];
  let j = i + 1;
  while (j < line.length) {
    if (quote === '"' && line[j] === "\\") {
      j += 2;
      continue;
    }
    if (line[j] === quote) return j + 1;
    j++;
  }
  return line.length;
}
