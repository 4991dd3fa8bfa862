/**
 * The engine's error model (STYLE F4): few classes, a stable `code`, and a location that names the
 * rule file, line and column. No third-party error type leaves lib/detection.
 */

export interface SourceLocation {
  /** Rule file path as the caller named it (the engine never touches the file system). */
  file?: string;
  /** 1-based line in `file` (or in the query text when there is no file). */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** 0-based offset into the query or rule text. */
  offset?: number;
  /** Length of the offending span, for the caret. */
  length?: number;
}

export class DetectionError extends Error {
  readonly code: string;
  readonly source: SourceLocation;
  /** One line for the UI and the CLI; `message` is the full rendering (with a caret when known). */
  readonly summary: string;

  constructor(code: string, summary: string, source: SourceLocation = {}, rendered?: string) {
    super(rendered ?? withLocation(summary, source));
    this.name = new.target.name;
    this.code = code;
    this.summary = summary;
    this.source = source;
  }

  /** The same error, placed inside a rule file: query offsets become file lines and columns. */
  withFile(file: string, at?: { line: number; column: number }): DetectionError {
    const source = { ...this.source, file, ...(at ?? {}) };
    const Ctor = this.constructor as new (c: string, s: string, l: SourceLocation) => DetectionError;
    return new Ctor(this.code, this.summary, source);
  }

  toJSON(): { code: string; error: string; file?: string; line?: number; column?: number } {
    return {
      code: this.code,
      error: this.summary,
      ...(this.source.file !== undefined && { file: this.source.file }),
      ...(this.source.line !== undefined && { line: this.source.line }),
      ...(this.source.column !== undefined && { column: this.source.column }),
    };
  }
}

/** KQL, EQL or Sigma condition text that does not parse. */
export class QuerySyntaxError extends DetectionError {}
/** A rule that parses but is wrong: unknown modifier, undefined identifier, missing field. */
export class RuleValidationError extends DetectionError {}
/** Valid input the engine cannot run yet; the rule is reported unsupported, never weakened. */
export class UnsupportedFeatureError extends DetectionError {}
/** Input past a resource limit (size, depth, node count, regex safety). */
export class LimitExceededError extends DetectionError {}

function withLocation(summary: string, source: SourceLocation): string {
  const where = [source.file, source.line, source.column].filter((p) => p !== undefined).join(":");
  return where ? `${where}: ${summary}` : summary;
}

/** 1-based line and column of a 0-based offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * The offending line of `text` with a caret under the span:
 *   process.name:(cmd.exe or
 *                 ^
 */
export function renderCaret(text: string, offset: number, length = 1): string {
  const start = text.lastIndexOf("\n", Math.max(offset - 1, 0)) + 1;
  const nl = text.indexOf("\n", offset);
  const end = nl === -1 ? text.length : nl;
  const lineText = text.slice(start, end);
  const column = Math.max(offset - start, 0);
  const width = Math.max(1, Math.min(length, lineText.length - column));
  return `${lineText}\n${" ".repeat(column)}${"^".repeat(width)}`;
}

/** Build a syntax error at `offset` in `text`, with line, column and a caret. */
export function syntaxErrorAt(
  code: string,
  summary: string,
  text: string,
  offset: number,
  length = 1,
  Ctor: new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError = QuerySyntaxError,
): DetectionError {
  const { line, column } = lineColumn(text, offset);
  const source = { line, column, offset, length };
  return new Ctor(code, summary, source, `${summary} (line ${line}, column ${column})\n${renderCaret(text, offset, length)}`);
}
