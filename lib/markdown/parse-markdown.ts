/**
 * A small, safe Markdown parser for untrusted text: detection-rule investigation guides and
 * analysts' notes. It turns a string into a typed AST that components/markdown.tsx renders with
 * plain React elements. Hand-written rather than a library because the rules are strict: raw HTML
 * is never interpreted (it stays literal text), a link survives only with an http(s) URL, and the
 * cost stays linear on hostile input (forward scanners and CommonMark's delimiter stack, no
 * backtracking regexes, input capped at MAX_MARKDOWN_LENGTH, nesting capped).
 *
 * Supported: paragraphs, ATX headings, bullet / ordered lists (nested by indentation), fenced
 * code, blockquotes, horizontal rules; inline code, **strong**, *em* / _em_, [text](url),
 * <https://autolinks>, bare http(s) URLs, hard line breaks (two trailing spaces or a backslash).
 */

/** Longer input is cut here and ends with "…". */
export const MAX_MARKDOWN_LENGTH = 100_000;
/** Blockquotes / list items deeper than this are read as plain paragraphs. */
const MAX_BLOCK_DEPTH = 6;
/** Strong / em / link nesting deeper than this is flattened to its text. */
const MAX_INLINE_DEPTH = 8;
/** How far a link's "(destination "title")" or an <autolink> may run. */
const MAX_LINK_TAIL = 2_048;
/** CommonMark's limit on nested parentheses in a bare link destination. */
const MAX_DESTINATION_PARENS = 32;
const MAX_LANGUAGE_LENGTH = 32;

export type Inline =
  | { type: "text"; value: string }
  | { type: "code"; value: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "link"; href: string; title?: string; children: Inline[] }
  | { type: "break" };

/**
 * A heading's rank on the page: the document's shallowest heading is 3 (the page's own h3) and
 * deeper ones follow (4, 5, 6), so a guide starting at "##" never outranks the page around it.
 */
export type HeadingLevel = 3 | 4 | 5 | 6;

export interface ListItem {
  children: Block[];
}

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "heading"; level: HeadingLevel; children: Inline[] }
  | { type: "list"; ordered: boolean; start: number; items: ListItem[] }
  | { type: "code"; language: string | null; value: string }
  | { type: "blockquote"; children: Block[] }
  | { type: "rule" };

export type HeadingBlock = Extract<Block, { type: "heading" }>;

/** Parses `source` (untrusted) into blocks. Never throws. */
export function parseMarkdown(source: string): Block[] {
  const ctx: BlockContext = { headings: [] };
  const blocks = parseBlocks(splitLines(limitLength(source)), 0, ctx);
  rankHeadings(ctx.headings);
  return blocks;
}

/** One line of plain text for labels (e.g. a checklist item): formatting dropped, link text kept. */
export function markdownToPlainText(source: string): string {
  return parseMarkdown(source).map(blockText).join(" ").replace(/\s+/g, " ").trim();
}

/**
 * The href to use for a link written as `raw`, or null when it must render as text. Only absolute
 * http(s) URLs pass. The scheme is checked both on `raw` stripped of every control, space and
 * invisible character a browser might skip ("java\tscript:", " JaVaScRiPt:") and on the WHATWG
 * URL parser's reading of it, and the parser's normalized href is what gets rendered.
 */
export function safeHref(raw: string): string | null {
  if (!/^https?:/i.test(stripIgnorable(raw))) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

// ---------------------------------------------------------------------------------------------
// Shared character helpers

const WHITESPACE = /\s/;
const PUNCTUATION = /[\p{P}\p{S}]/u;
const ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

function isWhitespace(ch: string): boolean {
  return ch === "" || WHITESPACE.test(ch);
}

function isPunctuation(ch: string): boolean {
  return ch !== "" && PUNCTUATION.test(ch);
}

function isAsciiPunctuation(ch: string): boolean {
  return ch !== "" && ASCII_PUNCTUATION.includes(ch);
}

function isSpaceOrControl(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** Characters a browser may drop or ignore around or inside a URL's scheme. */
function isIgnorable(code: number): boolean {
  return (
    code <= 0x20 ||
    (code >= 0x7f && code <= 0xa0) ||
    code === 0xad ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    code === 0xfeff
  );
}

function stripIgnorable(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isIgnorable(code)) out += text.charAt(i);
  }
  return out;
}

function runLength(text: string, start: number, ch: string): number {
  let end = start;
  while (text.charAt(end) === ch) end++;
  return end - start;
}

// ---------------------------------------------------------------------------------------------
// Blocks

interface BlockContext {
  headings: { block: HeadingBlock; depth: number }[];
}

interface Read {
  block: Block;
  next: number;
}

function limitLength(source: string): string {
  if (source.length <= MAX_MARKDOWN_LENGTH) return source;
  let end = MAX_MARKDOWN_LENGTH;
  const last = source.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // never split a surrogate pair
  return `${source.slice(0, end)}…`;
}

function splitLines(source: string): string[] {
  return source.replaceAll("\u0000", "\uFFFD").split(/\r\n|\r|\n/);
}

function lineAt(lines: string[], i: number): string {
  return lines[i] ?? "";
}

function isBlank(line: string): boolean {
  return line.trim() === "";
}

function leadingSpaces(line: string): number {
  return runLength(line, 0, " ");
}

/** Width of the leading whitespace, tabs to the next multiple of 4. */
function indentWidth(line: string): number {
  let col = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (ch === " ") col += 1;
    else if (ch === "\t") col += 4 - (col % 4);
    else break;
  }
  return col;
}

/** Removes up to `columns` columns of leading whitespace. */
function stripColumns(line: string, columns: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < columns) {
    const ch = line.charAt(i);
    if (ch === " ") {
      col += 1;
    } else if (ch === "\t") {
      const next = col + 4 - (col % 4);
      if (next > columns) return " ".repeat(next - columns) + line.slice(i + 1);
      col = next;
    } else {
      break;
    }
    i++;
  }
  return line.slice(i);
}

function parseBlocks(lines: string[], depth: number, ctx: BlockContext): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    if (isBlank(lineAt(lines, i))) {
      i++;
      continue;
    }
    const read = readBlock(lines, i, depth, ctx);
    blocks.push(read.block);
    i = read.next;
  }
  return blocks;
}

function readBlock(lines: string[], i: number, depth: number, ctx: BlockContext): Read {
  const line = lineAt(lines, i);
  const fence = openFence(line);
  if (fence) return readFence(lines, i, fence);
  const heading = headingLine(line);
  if (heading) return { block: makeHeading(heading, ctx), next: i + 1 };
  if (isRule(line)) return { block: { type: "rule" }, next: i + 1 };
  if (depth < MAX_BLOCK_DEPTH) {
    if (quoteContent(line) !== null) return readQuote(lines, i, depth, ctx);
    const marker = listMarker(line);
    if (marker && marker.indent <= 3) return readList(lines, i, marker, depth, ctx);
  }
  return readParagraph(lines, i, depth);
}

/** Whether `line` ends a paragraph (or a lazy continuation) by starting another block. */
function startsBlock(line: string, depth: number): boolean {
  if (openFence(line) || headingLine(line) || isRule(line)) return true;
  if (depth >= MAX_BLOCK_DEPTH) return false;
  if (quoteContent(line) !== null) return true;
  const marker = listMarker(line);
  return marker !== null && marker.indent <= 3 && marker.text !== "" && (!marker.ordered || marker.start === 1);
}

// Fenced code

interface Fence {
  marker: string;
  length: number;
  indent: number;
  language: string | null;
}

function openFence(line: string): Fence | null {
  const indent = leadingSpaces(line);
  const marker = line.charAt(indent);
  if (indent > 3 || (marker !== "`" && marker !== "~")) return null;
  const length = runLength(line, indent, marker);
  if (length < 3) return null;
  const info = line.slice(indent + length).trim();
  if (marker === "`" && info.includes("`")) return null;
  return { marker, length, indent, language: fenceLanguage(info) };
}

function fenceLanguage(info: string): string | null {
  let end = 0;
  while (end < info.length && end < MAX_LANGUAGE_LENGTH && !isWhitespace(info.charAt(end))) end++;
  return end === 0 ? null : info.slice(0, end);
}

function closesFence(line: string, fence: Fence): boolean {
  const indent = leadingSpaces(line);
  if (indent > 3) return false;
  const length = runLength(line, indent, fence.marker);
  return length >= fence.length && isBlank(line.slice(indent + length));
}

/** A fence runs to its closing fence, or to the end of the container when there is none. */
function readFence(lines: string[], start: number, fence: Fence): Read {
  const body: string[] = [];
  let i = start + 1;
  while (i < lines.length && !closesFence(lineAt(lines, i), fence)) {
    body.push(stripColumns(lineAt(lines, i), fence.indent));
    i++;
  }
  return { block: { type: "code", language: fence.language, value: body.join("\n") }, next: Math.min(i + 1, lines.length) };
}

// Headings and rules

function headingLine(line: string): { depth: number; text: string } | null {
  const indent = leadingSpaces(line);
  if (indent > 3) return null;
  const depth = runLength(line, indent, "#");
  const after = line.charAt(indent + depth);
  if (depth < 1 || depth > 6 || (after !== "" && after !== " " && after !== "\t")) return null;
  return { depth, text: stripClosingHashes(line.slice(indent + depth).trim()) };
}

/** "## Title ##" → "Title"; "## C#" keeps its hash (no space before it). */
function stripClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charAt(end - 1) === "#") end--;
  if (end === 0) return "";
  if (end === text.length) return text;
  const before = text.charAt(end - 1);
  return before === " " || before === "\t" ? text.slice(0, end).trimEnd() : text;
}

function makeHeading(heading: { depth: number; text: string }, ctx: BlockContext): HeadingBlock {
  const block: HeadingBlock = { type: "heading", level: 3, children: parseInline(heading.text) };
  ctx.headings.push({ block, depth: heading.depth });
  return block;
}

const HEADING_LEVELS: readonly HeadingLevel[] = [3, 4, 5, 6];

/** Shifts headings so the shallowest one in the document is level 3. */
function rankHeadings(headings: BlockContext["headings"]): void {
  const shallowest = headings.reduce((min, h) => Math.min(min, h.depth), 6);
  for (const { block, depth } of headings) block.level = HEADING_LEVELS[Math.min(3, depth - shallowest)] ?? 6;
}

function isRule(line: string): boolean {
  if (leadingSpaces(line) > 3) return false;
  let marker = "";
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (ch === " " || ch === "\t") continue;
    if (marker === "" && (ch === "-" || ch === "*" || ch === "_")) marker = ch;
    if (ch !== marker) return false;
    count++;
  }
  return count >= 3;
}

// Blockquotes

function quoteContent(line: string): string | null {
  const indent = leadingSpaces(line);
  if (indent > 3 || line.charAt(indent) !== ">") return null;
  const rest = line.slice(indent + 1);
  return rest.startsWith(" ") || rest.startsWith("\t") ? rest.slice(1) : rest;
}

function readQuote(lines: string[], start: number, depth: number, ctx: BlockContext): Read {
  const body: string[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lineAt(lines, i);
    const content = quoteContent(line);
    if (content !== null) {
      body.push(content);
    } else if (isBlank(line) || isBlank(body.at(-1) ?? "") || startsBlock(line, depth)) {
      break;
    } else {
      body.push(line); // lazy continuation of a quoted paragraph
    }
    i++;
  }
  return { block: { type: "blockquote", children: parseBlocks(body, depth + 1, ctx) }, next: i };
}

// Lists

interface Marker {
  indent: number;
  ordered: boolean;
  start: number;
  /** The column where the item's content starts; continuation lines are de-indented by it. */
  offset: number;
  text: string;
}

function markerHead(rest: string): { ordered: boolean; start: number; length: number } | null {
  const first = rest.charAt(0);
  if (first === "-" || first === "*" || first === "+") return { ordered: false, start: 1, length: 1 };
  let digits = 0;
  while (digits < 10 && rest.charAt(digits) >= "0" && rest.charAt(digits) <= "9") digits++;
  const delimiter = rest.charAt(digits);
  if (digits === 0 || digits > 9 || (delimiter !== "." && delimiter !== ")")) return null;
  return { ordered: true, start: Number(rest.slice(0, digits)), length: digits + 1 };
}

function listMarker(line: string): Marker | null {
  const indent = indentWidth(line);
  const rest = stripColumns(line, indent);
  const head = markerHead(rest);
  if (!head) return null;
  const after = rest.slice(head.length);
  if (after !== "" && !after.startsWith(" ") && !after.startsWith("\t")) return null;
  const base = { indent, ordered: head.ordered, start: head.start };
  const gap = indentWidth(after);
  if (isBlank(after)) return { ...base, offset: indent + head.length + 1, text: "" };
  if (gap > 4) return { ...base, offset: indent + head.length + 1, text: stripColumns(after, 1) };
  return { ...base, offset: indent + head.length + gap, text: stripColumns(after, gap) };
}

/** A marker of the list's kind at (about) the list's indentation: the next item. */
function siblingMarker(line: string, first: Marker): Marker | null {
  if (isRule(line)) return null;
  const marker = listMarker(line);
  return marker && marker.indent <= first.indent + 1 ? marker : null;
}

function continuesList(line: string, first: Marker): boolean {
  const sibling = siblingMarker(line, first);
  if (sibling) return sibling.ordered === first.ordered;
  return indentWidth(line) >= first.indent + 2;
}

function nextNonBlank(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (!isBlank(lineAt(lines, i))) return i;
  return -1;
}

function readList(lines: string[], start: number, first: Marker, depth: number, ctx: BlockContext): Read {
  const items: string[][] = [];
  let current = [first.text];
  let offset = first.offset;
  let i = start + 1;
  while (i < lines.length) {
    const line = lineAt(lines, i);
    if (isBlank(line)) {
      const next = nextNonBlank(lines, i);
      if (next === -1 || !continuesList(lineAt(lines, next), first)) break;
      for (; i < next; i++) current.push("");
      continue;
    }
    const sibling = siblingMarker(line, first);
    if (sibling) {
      if (sibling.ordered !== first.ordered) break;
      items.push(current);
      current = [sibling.text];
      offset = sibling.offset;
    } else if (indentWidth(line) >= first.indent + 2) {
      current.push(stripColumns(line, offset));
    } else if (isBlank(lineAt(lines, i - 1)) || startsBlock(line, depth)) {
      break;
    } else {
      current.push(line); // lazy continuation of the item's paragraph
    }
    i++;
  }
  items.push(current);
  const parsed = items.map((body) => ({ children: parseBlocks(body, depth + 1, ctx) }));
  return { block: { type: "list", ordered: first.ordered, start: first.start, items: parsed }, next: i };
}

// Paragraphs

function readParagraph(lines: string[], start: number, depth: number): Read {
  const body = [lineAt(lines, start).trimStart()];
  let i = start + 1;
  while (i < lines.length && !isBlank(lineAt(lines, i)) && !startsBlock(lineAt(lines, i), depth)) {
    body.push(lineAt(lines, i).trimStart());
    i++;
  }
  return { block: { type: "paragraph", children: parseInline(body.join("\n").trimEnd()) }, next: i };
}

// ---------------------------------------------------------------------------------------------
// Inlines: a doubly linked list of pieces plus CommonMark's delimiter and bracket stacks, so
// emphasis and links are matched in (near) linear time however the delimiters are arranged.

type PieceKind = "text" | "code" | "break" | "strong" | "em" | "link" | "plain";

interface Chain {
  first: Piece | null;
  last: Piece | null;
}

/** A node under construction; containers (strong, em, link, plain) hold their children as a chain. */
interface Piece extends Chain {
  kind: PieceKind;
  value: string;
  href: string;
  title: string | undefined;
  prev: Piece | null;
  next: Piece | null;
}

interface Delimiter {
  piece: Piece;
  char: string;
  count: number;
  length: number;
  canOpen: boolean;
  canClose: boolean;
  prev: Delimiter | null;
  next: Delimiter | null;
}

interface Bracket {
  piece: Piece;
  /** The delimiter stack's top when "[" was read: emphasis inside the link text stays above it. */
  bottom: Delimiter | null;
}

function newPiece(kind: PieceKind, value = ""): Piece {
  return { kind, value, href: "", title: undefined, first: null, last: null, prev: null, next: null };
}

function append(chain: Chain, piece: Piece): void {
  piece.prev = chain.last;
  piece.next = null;
  if (chain.last) chain.last.next = piece;
  else chain.first = piece;
  chain.last = piece;
}

function insertAfter(chain: Chain, ref: Piece, piece: Piece): void {
  piece.prev = ref;
  piece.next = ref.next;
  if (ref.next) ref.next.prev = piece;
  else chain.last = piece;
  ref.next = piece;
}

function unlink(chain: Chain, piece: Piece): void {
  if (piece.prev) piece.prev.next = piece.next;
  else chain.first = piece.next;
  if (piece.next) piece.next.prev = piece.prev;
  else chain.last = piece.prev;
  piece.prev = null;
  piece.next = null;
}

/** Cuts out the pieces strictly between `a` and `b` (both in the same chain). */
function detachBetween(a: Piece, b: Piece): Chain {
  const first = a.next === b ? null : a.next;
  const last = first ? b.prev : null;
  a.next = b;
  b.prev = a;
  if (first) first.prev = null;
  if (last) last.next = null;
  return { first, last };
}

/** Cuts out every piece after `ref`. */
function detachAfter(chain: Chain, ref: Piece): Chain {
  const first = ref.next;
  const last = first ? chain.last : null;
  ref.next = null;
  chain.last = ref;
  if (first) first.prev = null;
  return { first, last };
}

function linkPiece(href: string, title: string | undefined, children: Chain): Piece {
  const link = newPiece(href ? "link" : "plain");
  link.href = href;
  link.title = title;
  link.first = children.first;
  link.last = children.last;
  return link;
}

function textChain(value: string): Chain {
  const text = newPiece("text", value);
  return { first: text, last: text };
}

/** Left/right-flanking rules for a run of `*` or `_` between `before` and `after`. */
function flanking(ch: string, before: string, after: string): { canOpen: boolean; canClose: boolean } {
  const left = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before));
  const right = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after));
  if (ch === "*") return { canOpen: left, canClose: right };
  return { canOpen: left && (!right || isPunctuation(before)), canClose: right && (!left || isPunctuation(after)) };
}

/** CommonMark's "rule of 3" for runs that can both open and close. */
function isOddMatch(opener: Delimiter, closer: Delimiter): boolean {
  return (
    (opener.canClose || closer.canOpen) &&
    (opener.length + closer.length) % 3 === 0 &&
    !(opener.length % 3 === 0 && closer.length % 3 === 0)
  );
}

/** Closers that share a key also share the point below which no opener can match them. */
function floorKey(closer: Delimiter): number {
  return (closer.char === "*" ? 0 : 6) + (closer.canOpen ? 3 : 0) + (closer.length % 3);
}

function findOpener(closer: Delimiter, bottom: Delimiter | null, floor: Delimiter | null): Delimiter | null {
  for (let d = closer.prev; d && d !== bottom && d !== floor; d = d.prev) {
    if (d.char === closer.char && d.canOpen && !isOddMatch(d, closer)) return d;
  }
  return null;
}

function hasScheme(body: string): boolean {
  const colon = body.indexOf(":");
  if (colon < 2 || colon > 32 || !/[A-Za-z]/.test(body.charAt(0))) return false;
  for (let i = 1; i < colon; i++) if (!/[A-Za-z0-9+.-]/.test(body.charAt(i))) return false;
  return true;
}

function codeSpanContent(raw: string): string {
  const text = raw.replaceAll("\n", " ");
  const padded = text.length >= 2 && text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "";
  return padded ? text.slice(1, -1) : text;
}

function trailingSpaces(text: string): number {
  let n = 0;
  while (text.charAt(text.length - 1 - n) === " ") n++;
  return n;
}

/** Start positions of every maximal backtick run, by length, for O(1) amortized closer lookups. */
class BacktickRuns {
  private readonly starts = new Map<number, number[]>();
  private readonly cursors = new Map<number, number>();

  constructor(text: string) {
    for (let i = text.indexOf("`"); i !== -1; ) {
      const length = runLength(text, i, "`");
      const list = this.starts.get(length) ?? [];
      list.push(i);
      this.starts.set(length, list);
      i = text.indexOf("`", i + length);
    }
  }

  /** The first run of exactly `length` starting at or after `from` (calls come in text order). */
  next(from: number, length: number): number {
    const list = this.starts.get(length);
    if (!list) return -1;
    let cursor = this.cursors.get(length) ?? 0;
    while (cursor < list.length && (list[cursor] ?? from) < from) cursor++;
    this.cursors.set(length, cursor);
    return list[cursor] ?? -1;
  }
}

interface LinkTail {
  destination: string;
  title: string | undefined;
  end: number;
}

class InlineParser {
  private readonly text: string;
  private readonly chain: Chain = { first: null, last: null };
  private readonly brackets: Bracket[] = [];
  /** Brackets below this index may no longer open a link (links do not nest). */
  private linkFloor = 0;
  private top: Delimiter | null = null;
  private pos = 0;
  private pending = "";
  private backticks: BacktickRuns | null = null;
  private readonly lastParen: number;

  constructor(text: string) {
    this.text = text;
    this.lastParen = text.lastIndexOf(")");
  }

  parse(): Inline[] {
    while (this.pos < this.text.length) this.step();
    this.flush();
    this.processEmphasis(null);
    return linkBareUrls(toInlines(this.chain));
  }

  private step(): void {
    const ch = this.text.charAt(this.pos);
    if (ch === "\\") this.escape();
    else if (ch === "`") this.codeSpan();
    else if (ch === "*" || ch === "_") this.delimiterRun(ch);
    else if (ch === "[") this.openBracket();
    else if (ch === "]") this.closeBracket();
    else if (ch === "<") this.autolink();
    else if (ch === "\n") this.lineEnd();
    else this.plainRun();
  }

  /** Ordinary text up to the next special character; spaces before a newline are left to lineEnd. */
  private plainRun(): void {
    let end = this.pos + 1;
    while (end < this.text.length && !"\\`*_[]<\n".includes(this.text.charAt(end))) end++;
    const run = this.text.slice(this.pos, end);
    this.literal(this.text.charAt(end) === "\n" ? run.slice(0, run.length - trailingSpaces(run)) : run, end);
  }

  /** Adds `value` as text and moves to `end`. */
  private literal(value: string, end: number): void {
    this.pending += value;
    this.pos = end;
  }

  private flush(): void {
    if (this.pending === "") return;
    append(this.chain, newPiece("text", this.pending));
    this.pending = "";
  }

  private add(piece: Piece): void {
    this.flush();
    append(this.chain, piece);
  }

  private escape(): void {
    const next = this.text.charAt(this.pos + 1);
    if (next === "\n") {
      this.add(newPiece("break"));
      this.pos += 2;
    } else if (isAsciiPunctuation(next)) {
      this.literal(next, this.pos + 2);
    } else {
      this.literal("\\", this.pos + 1);
    }
  }

  /** A newline: a hard break after two or more spaces, otherwise a soft one (kept as "\n"). */
  private lineEnd(): void {
    if (trailingSpaces(this.text.slice(Math.max(0, this.pos - 2), this.pos)) === 2) this.add(newPiece("break"));
    else this.pending += "\n";
    this.pos += 1;
  }

  private codeSpan(): void {
    const length = runLength(this.text, this.pos, "`");
    this.backticks ??= new BacktickRuns(this.text);
    const close = this.backticks.next(this.pos + length, length);
    if (close === -1) return this.literal(this.text.slice(this.pos, this.pos + length), this.pos + length);
    this.add(newPiece("code", codeSpanContent(this.text.slice(this.pos + length, close))));
    this.pos = close + length;
  }

  private delimiterRun(ch: string): void {
    const length = runLength(this.text, this.pos, ch);
    const { canOpen, canClose } = flanking(ch, this.text.charAt(this.pos - 1), this.text.charAt(this.pos + length));
    const piece = newPiece("text", ch.repeat(length));
    this.add(piece);
    this.pos += length;
    if (!canOpen && !canClose) return;
    const delimiter: Delimiter = { piece, char: ch, count: length, length, canOpen, canClose, prev: this.top, next: null };
    if (this.top) this.top.next = delimiter;
    this.top = delimiter;
  }

  private openBracket(): void {
    const piece = newPiece("text", "[");
    this.add(piece);
    this.brackets.push({ piece, bottom: this.top });
    this.pos += 1;
  }

  private popBracket(): void {
    this.brackets.pop();
    this.linkFloor = Math.min(this.linkFloor, this.brackets.length);
  }

  private closeBracket(): void {
    const opener = this.brackets.at(-1);
    const active = opener !== undefined && this.brackets.length - 1 >= this.linkFloor;
    const tail = active ? this.linkTail(this.pos + 1) : null;
    if (!opener || !tail) {
      if (opener) this.popBracket();
      return this.literal("]", this.pos + 1);
    }
    this.flush();
    this.processEmphasis(opener.bottom);
    const children = detachAfter(this.chain, opener.piece);
    unlink(this.chain, opener.piece);
    this.popBracket();
    const href = safeHref(tail.destination) ?? "";
    this.add(linkPiece(href, tail.title, href && !children.first ? textChain(tail.destination) : children));
    this.linkFloor = this.brackets.length;
    this.pos = tail.end;
  }

  /** Reads `(destination "title")` at `start`, or null when the text there is not a link tail. */
  private linkTail(start: number): LinkTail | null {
    const text = this.text;
    if (text.charAt(start) !== "(") return null;
    const limit = Math.min(text.length, start + MAX_LINK_TAIL, this.lastParen + 1);
    const destination = readDestination(text, skipSpace(text, start + 1, limit), limit);
    if (!destination) return null;
    let i = skipSpace(text, destination.end, limit);
    let title: string | undefined;
    const quoted = i > destination.end ? readTitle(text, i, limit) : null;
    if (quoted) {
      title = quoted.value;
      i = skipSpace(text, quoted.end, limit);
    }
    if (i >= limit || text.charAt(i) !== ")") return null;
    return { destination: destination.value, title, end: i + 1 };
  }

  private autolink(): void {
    const text = this.text;
    const start = this.pos + 1;
    const limit = Math.min(text.length, start + MAX_LINK_TAIL);
    let end = start;
    while (end < limit && !"<>".includes(text.charAt(end)) && !isSpaceOrControl(text.charAt(end))) end++;
    const body = text.slice(start, end);
    if (text.charAt(end) !== ">" || !hasScheme(body)) return this.literal("<", start);
    const href = safeHref(body);
    if (!href) return this.literal(body, end + 1);
    this.add(linkPiece(href, undefined, textChain(body)));
    this.pos = end + 1;
  }

  /** CommonMark's "process emphasis" over the delimiters above `bottom`, which are then dropped. */
  private processEmphasis(bottom: Delimiter | null): void {
    const floors: (Delimiter | null | undefined)[] = []; // CommonMark's openers_bottom, by floorKey
    let closer = this.firstAbove(bottom);
    while (closer) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const key = floorKey(closer);
      const opener = findOpener(closer, bottom, floors[key] === undefined ? bottom : floors[key]);
      if (opener) {
        closer = this.wrapEmphasis(opener, closer);
        continue;
      }
      floors[key] = closer.prev;
      const next: Delimiter | null = closer.next;
      if (!closer.canOpen) this.removeDelimiter(closer);
      closer = next;
    }
    while (this.top && this.top !== bottom) this.removeDelimiter(this.top);
  }

  private firstAbove(bottom: Delimiter | null): Delimiter | null {
    let d = this.top;
    if (!d || d === bottom) return null;
    while (d.prev && d.prev !== bottom) d = d.prev;
    return d;
  }

  /** Wraps what lies between a matched opener and closer; returns the closer to continue with. */
  private wrapEmphasis(opener: Delimiter, closer: Delimiter): Delimiter | null {
    const used = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
    opener.count -= used;
    closer.count -= used;
    opener.piece.value = opener.char.repeat(opener.count);
    closer.piece.value = closer.char.repeat(closer.count);
    const wrapper = newPiece(used === 2 ? "strong" : "em");
    const inner = detachBetween(opener.piece, closer.piece);
    wrapper.first = inner.first;
    wrapper.last = inner.last;
    insertAfter(this.chain, opener.piece, wrapper);
    opener.next = closer; // the delimiters in between can no longer match anything
    closer.prev = opener;
    if (opener.count === 0) {
      unlink(this.chain, opener.piece);
      this.removeDelimiter(opener);
    }
    if (closer.count > 0) return closer;
    const next = closer.next;
    unlink(this.chain, closer.piece);
    this.removeDelimiter(closer);
    return next;
  }

  private removeDelimiter(d: Delimiter): void {
    if (d.prev) d.prev.next = d.next;
    if (d.next) d.next.prev = d.prev;
    if (this.top === d) this.top = d.prev;
  }
}

function skipSpace(text: string, i: number, limit: number): number {
  while (i < limit && " \t\n".includes(text.charAt(i))) i++;
  return i;
}

/** `<...>` or a bare destination with balanced parentheses; backslash escapes resolved. */
function readDestination(text: string, start: number, limit: number): { value: string; end: number } | null {
  const angled = text.charAt(start) === "<";
  let value = "";
  let depth = 0;
  let i = angled ? start + 1 : start;
  for (; i < limit; i++) {
    const ch = text.charAt(i);
    const next = text.charAt(i + 1);
    if (ch === "\\" && isAsciiPunctuation(next)) {
      value += next;
      i++;
      continue;
    }
    if (angled) {
      if (ch === ">") return { value, end: i + 1 };
      if (ch === "<" || ch === "\n") return null;
    } else if (ch === "(") {
      if (++depth > MAX_DESTINATION_PARENS) return null;
    } else if (ch === ")") {
      if (depth === 0) break;
      depth--;
    } else if (isSpaceOrControl(ch)) {
      break;
    }
    value += ch;
  }
  return angled || depth !== 0 ? null : { value, end: i };
}

function readTitle(text: string, start: number, limit: number): { value: string; end: number } | null {
  const open = text.charAt(start);
  if (open !== '"' && open !== "'" && open !== "(") return null;
  const close = open === "(" ? ")" : open;
  let value = "";
  for (let i = start + 1; i < limit; i++) {
    const ch = text.charAt(i);
    const next = text.charAt(i + 1);
    if (ch === "\\" && isAsciiPunctuation(next)) {
      value += next;
      i++;
    } else if (ch === close) {
      return { value, end: i + 1 };
    } else if (open === "(" && ch === "(") {
      return null;
    } else {
      value += ch;
    }
  }
  return null;
}

function parseInline(text: string): Inline[] {
  return new InlineParser(text).parse();
}

function pushText(out: Inline[], value: string): void {
  if (value === "") return;
  const last = out.at(-1);
  if (last?.type === "text") last.value += value;
  else out.push({ type: "text", value });
}

interface Frame {
  piece: Piece | null;
  out: Inline[];
  depth: number;
  inLink: boolean;
}

/** The pieces as Inline nodes, iteratively (no recursion limit); over-deep or nested links flatten. */
function toInlines(chain: Chain): Inline[] {
  const root: Inline[] = [];
  const stack: Frame[] = [{ piece: chain.first, out: root, depth: 0, inLink: false }];
  for (let frame = stack.at(-1); frame; frame = stack.at(-1)) {
    const piece = frame.piece;
    if (!piece) {
      stack.pop();
      continue;
    }
    frame.piece = piece.next;
    const child = convertPiece(piece, frame);
    if (child) stack.push(child);
  }
  return root;
}

/** Emits a leaf into the frame's output, or returns the frame that will emit a container's children. */
function convertPiece(piece: Piece, frame: Frame): Frame | null {
  const { out, depth, inLink } = frame;
  switch (piece.kind) {
    case "text":
      pushText(out, piece.value);
      return null;
    case "code":
      out.push({ type: "code", value: piece.value });
      return null;
    case "break":
      out.push({ type: "break" });
      return null;
    case "plain":
      return { piece: piece.first, out, depth, inLink };
    case "link":
    case "strong":
    case "em": {
      if (depth >= MAX_INLINE_DEPTH || (piece.kind === "link" && inLink)) return { piece: piece.first, out, depth, inLink };
      const children: Inline[] = [];
      out.push(containerNode(piece, children));
      return { piece: piece.first, out: children, depth: depth + 1, inLink: inLink || piece.kind === "link" };
    }
  }
}

function containerNode(piece: Piece, children: Inline[]): Inline {
  if (piece.kind === "strong") return { type: "strong", children };
  if (piece.kind === "em") return { type: "em", children };
  return piece.title === undefined ? { type: "link", href: piece.href, children } : { type: "link", href: piece.href, title: piece.title, children };
}

// ---------------------------------------------------------------------------------------------
// Bare URLs (GFM's extended autolinks), found after links are parsed so that they never reach into
// a link's syntax or text.

/** Links the bare http(s) URLs in text outside links, in place and below. */
function linkBareUrls(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const inline of inlines) {
    if (inline.type === "text") {
      for (const piece of splitBareUrls(inline.value)) out.push(piece);
    } else {
      if (inline.type === "strong" || inline.type === "em") inline.children = linkBareUrls(inline.children);
      out.push(inline);
    }
  }
  return out;
}

function splitBareUrls(text: string): Inline[] {
  const out: Inline[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const url = bareUrlAt(text, i);
    if (!url) {
      i++;
      continue;
    }
    if (url.href) {
      pushText(out, text.slice(from, i));
      out.push({ type: "link", href: url.href, children: [{ type: "text", value: text.slice(i, url.end) }] });
      from = url.end;
    }
    i = url.run; // a rejected run is skipped whole: rescanning it from each later "h" would be quadratic
  }
  pushText(out, text.slice(from));
  return out;
}

/**
 * The http(s):// run starting at `i`, or null: its href (null when unsafe or invalid), where the URL
 * ends once trailing punctuation is dropped, and where the whole run (up to whitespace or "<") ends.
 */
function bareUrlAt(text: string, i: number): { href: string | null; end: number; run: number } | null {
  const first = text.charAt(i);
  if ((first !== "h" && first !== "H") || !isUrlBoundary(text.charAt(i - 1))) return null;
  const prefix = text.slice(i, i + 8).toLowerCase();
  const scheme = prefix.startsWith("https://") ? 8 : prefix.startsWith("http://") ? 7 : 0;
  if (scheme === 0) return null;
  let run = i + scheme;
  while (run < text.length && text.charAt(run) !== "<" && !isSpaceOrControl(text.charAt(run))) run++;
  const end = trimUrlEnd(text, i + scheme, run);
  return { href: end > i + scheme ? safeHref(text.slice(i, end)) : null, end, run };
}

/** Where a bare URL may start: at the start, after whitespace, or after `*`, `_`, `~`, `(`. */
function isUrlBoundary(before: string): boolean {
  return isWhitespace(before) || "*_~(".includes(before);
}

/** Drops trailing punctuation and unbalanced closing brackets from a bare URL. */
function trimUrlEnd(text: string, min: number, end: number): number {
  let parens = 0;
  let squares = 0;
  for (let i = min; i < end; i++) {
    const ch = text.charAt(i);
    parens += ch === "(" ? 1 : ch === ")" ? -1 : 0;
    squares += ch === "[" ? 1 : ch === "]" ? -1 : 0;
  }
  while (end > min) {
    const ch = text.charAt(end - 1);
    if (ch === ")" && parens < 0) parens++;
    else if (ch === "]" && squares < 0) squares++;
    else if (!"?!.,:;*_~'\"".includes(ch)) break;
    end--;
  }
  return end;
}

// ---------------------------------------------------------------------------------------------
// Plain text

function blockText(block: Block): string {
  switch (block.type) {
    case "paragraph":
    case "heading":
      return inlineText(block.children);
    case "list":
      return block.items.map((item) => item.children.map(blockText).join(" ")).join(" ");
    case "code":
      return block.value;
    case "blockquote":
      return block.children.map(blockText).join(" ");
    case "rule":
      return "";
  }
}

function inlineText(inlines: Inline[]): string {
  let out = "";
  for (const inline of inlines) {
    if (inline.type === "text" || inline.type === "code") out += inline.value;
    else if (inline.type === "break") out += " ";
    else out += inlineText(inline.children);
  }
  return out;
}
