import { Alias, isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, type Document, type Node, type ParsedNode } from "yaml";
import { DetectionError, LimitExceededError, QuerySyntaxError, RuleValidationError, renderCaret, type SourceLocation } from "../errors";
import type { ScalarSource, SourceSpan } from "./types";

/**
 * YAML documents as a small positioned tree (maps keep key order and key positions), built from
 * the `yaml` package's CST ranges. Everything downstream reads this tree, so no `yaml` type
 * leaves this module (STYLE F4.3) and merging `action: global` documents is plain data work.
 */
export type YNode = YMap | YSeq | YScalar;

export interface YMap {
  kind: "map";
  entries: YEntry[];
  span: SourceSpan;
}

export interface YEntry {
  key: string;
  keySpan: SourceSpan;
  keyScalar: ScalarSource;
  value: YNode;
}

export interface YSeq {
  kind: "seq";
  items: YNode[];
  span: SourceSpan;
}

export interface YScalar {
  kind: "scalar";
  /** string, number, boolean or null as YAML 1.2 (core schema) reads it. */
  value: string | number | boolean | null;
  span: SourceSpan;
  scalar: ScalarSource;
}

/** The file being read: its text, name and line index. */
export class SourceText {
  private readonly lines = new LineCounter();

  constructor(
    readonly text: string,
    readonly file: string | undefined,
  ) {
    this.lines.addNewLine(0);
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lines.addNewLine(i + 1);
  }

  span(start: number, end: number): SourceSpan {
    const { line, col } = this.lines.linePos(start);
    return { start, end, line, column: col };
  }

  location(offset: number, length = 1): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { ...(this.file !== undefined && { file: this.file }), line, column: col, offset, length };
  }

  /**
   * An error at `offset` rendered as `file:line:column: summary` plus the offending line and a
   * caret, the form every Sigma error takes.
   */
  error<E extends DetectionError>(
    Ctor: new (code: string, summary: string, source: SourceLocation, rendered?: string) => E,
    code: string,
    summary: string,
    offset: number,
    length = 1,
  ): E {
    const source = this.location(offset, length);
    const where = [source.file, source.line, source.column].filter((p) => p !== undefined).join(":");
    return new Ctor(code, summary, source, `${where}: ${summary}\n${renderCaret(this.text, offset, length)}`);
  }

  /** Move an error whose offset is relative to a scalar's content (a condition, a regex) into the file. */
  relocate(error: DetectionError, scalar: { span: SourceSpan; scalar: ScalarSource; content: string }): DetectionError {
    const inner = error.source.offset ?? 0;
    const start = contentOffset(scalar.scalar, scalar.span.start, scalar.content, inner);
    const end = contentOffset(scalar.scalar, scalar.span.start, scalar.content, inner + (error.source.length ?? 1));
    const Ctor = error.constructor as new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError;
    return this.error(Ctor, error.code, error.summary, start, Math.max(end - start, 1));
  }
}

const MAX_ALIAS_EXPANSIONS = 100;

/** One YAML document of a rule file: its node tree (null: empty), or the errors that keep it from being read. */
export interface YamlDocument {
  doc: Document.Parsed;
  node: YNode | null;
  errors: DetectionError[];
}

/**
 * Every YAML document of a file (`---` separates several), each read on its own so a broken one
 * never costs the others: syntax errors and conversion problems come with file, line and column.
 * `errors` holds the problem that kept the whole file from being read, if any.
 */
export function readYamlDocuments(src: SourceText): { documents: YamlDocument[]; errors: DetectionError[] } {
  let parsed;
  try {
    parsed = parseAllDocuments(src.text, { uniqueKeys: true, prettyErrors: false, version: "1.2" });
  } catch (error) {
    return { documents: [], errors: [src.error(QuerySyntaxError, "yaml_syntax", `not YAML: ${error instanceof Error ? error.message : String(error)}`, 0)] };
  }
  const documents = (Array.isArray(parsed) ? parsed : []).map((doc): YamlDocument => {
    if (doc.errors.length > 0) {
      const errors = doc.errors.map((e) => {
        const summary = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        return src.error(QuerySyntaxError, "yaml_syntax", `YAML syntax error: ${summary}`, e.pos[0], Math.max(e.pos[1] - e.pos[0], 1));
      });
      return { doc, node: null, errors };
    }
    const errors: DetectionError[] = [];
    try {
      const node = toYNode(doc, src, (e) => errors.push(e));
      return { doc, node: errors.length > 0 ? null : node, errors };
    } catch (error) {
      const failure = error instanceof DetectionError ? error : src.error(RuleValidationError, "invalid_rule", error instanceof Error ? error.message : String(error), 0);
      return { doc, node: null, errors: [failure] };
    }
  });
  return { documents, errors: [] };
}

/** Convert a parsed document's contents; `null` for an empty document. */
export function toYNode(doc: Document.Parsed, src: SourceText, fail: (e: DetectionError) => void): YNode | null {
  const contents = doc.contents;
  if (contents === null) return null;
  let aliases = 0;
  const convert = (node: ParsedNode | Node | null, fallbackOffset: number): YNode => {
    if (node === null || node === undefined) {
      return { kind: "scalar", value: null, span: src.span(fallbackOffset, fallbackOffset), scalar: { raw: "", style: "plain" } };
    }
    if (isAlias(node)) {
      // Aliases are resolved (with a budget, against "billion laughs" documents) so rules may use anchors.
      if (++aliases > MAX_ALIAS_EXPANSIONS) {
        throw src.error(LimitExceededError, "yaml_too_many_aliases", `more than ${MAX_ALIAS_EXPANSIONS} YAML alias expansions`, rangeOf(node)[0]);
      }
      const target = (node as Alias).resolve(doc);
      if (!target) throw src.error(QuerySyntaxError, "yaml_syntax", `unresolved alias *${(node as Alias).source}`, rangeOf(node)[0]);
      return convert(target, rangeOf(node)[0]);
    }
    const [start, end] = rangeOf(node);
    if (isMap(node)) {
      const entries: YEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        if (!isScalar(keyNode)) {
          const at = keyNode ? rangeOf(keyNode)[0] : start;
          fail(src.error(QuerySyntaxError, "yaml_invalid_key", "map keys must be plain scalars", at));
          continue;
        }
        const [ks, ke] = rangeOf(keyNode);
        const key = keyNode.source ?? String(keyNode.value);
        entries.push({
          key: typeof keyNode.value === "string" ? keyNode.value : key,
          keySpan: src.span(ks, ke),
          keyScalar: scalarSource(keyNode, src.text.slice(ks, ke)),
          value: convert(pair.value as Node | null, ke),
        });
      }
      return { kind: "map", entries, span: src.span(start, end) };
    }
    if (isSeq(node)) {
      return { kind: "seq", items: node.items.map((item) => convert(item as Node | null, start)), span: src.span(start, end) };
    }
    if (isScalar(node)) {
      const v = node.value;
      const value = v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : String(v);
      return { kind: "scalar", value, span: src.span(start, end), scalar: scalarSource(node, src.text.slice(start, end)) };
    }
    throw src.error(QuerySyntaxError, "yaml_syntax", "unsupported YAML node", start);
  };
  return convert(contents, 0);
}

function rangeOf(node: Node): [number, number] {
  const r = node.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function scalarSource(node: Scalar, raw: string): ScalarSource {
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return { raw, style: "single" };
    case Scalar.QUOTE_DOUBLE:
      return { raw, style: "double" };
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return { raw, style: "block" };
    default:
      return { raw, style: "plain" };
  }
}

/**
 * The file offset of character `index` of a scalar's content. Exact for plain and quoted scalars
 * on one line (nearly every Sigma value); multi-line and block scalars are followed by aligning
 * content characters with the source, which stays on the right line.
 */
export function contentOffset(scalar: ScalarSource, start: number, content: string, index: number): number {
  const raw = scalar.raw;
  let r = 0;
  if (scalar.style === "single" || scalar.style === "double") r = 1;
  if (scalar.style === "block") {
    const nl = raw.indexOf("\n");
    r = nl < 0 ? raw.length : nl + 1;
    while (r < raw.length && raw[r] === " ") r++;
  }
  const limit = Math.min(index, content.length);
  for (let k = 0; k < limit && r < raw.length; k++) {
    const c = content[k]!;
    const s = raw[r]!;
    if (scalar.style === "single" && s === "'" && raw[r + 1] === "'") {
      r += 2;
    } else if (scalar.style === "double" && s === "\\") {
      const e = raw[r + 1];
      r += e === "x" ? 4 : e === "u" ? 6 : e === "U" ? 10 : 2;
    } else if ((s === "\n" || s === "\r") && c !== s) {
      // Line folding: a line break (plus indentation) became a space, or vanished.
      while (r < raw.length && /\s/.test(raw[r]!)) r++;
      if (c !== " " && c !== "\n") r++;
    } else {
      r++;
    }
  }
  if (index > content.length) r += index - content.length;
  return start + Math.min(r, raw.length);
}

/** Plain JavaScript data of a node (for custom attributes kept on the rule). */
export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map":
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
  }
}

/** Deep merge for `action: global`: maps merge key by key, anything else in `over` replaces. */
export function mergeNodes(base: YNode, over: YNode): YNode {
  if (base.kind !== "map" || over.kind !== "map") return over;
  const entries = base.entries.map((e) => ({ ...e }));
  for (const entry of over.entries) {
    const i = entries.findIndex((e) => e.key === entry.key);
    if (i >= 0) entries[i] = { ...entry, value: mergeNodes(entries[i]!.value, entry.value) };
    else entries.push(entry);
  }
  return { kind: "map", entries, span: over.span };
}
