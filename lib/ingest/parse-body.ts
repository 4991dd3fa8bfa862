/**
 * Splits an ingest request body into events, one error per bad line, never failing the batch for
 * one bad event (STYLE F4.8). HTTP-free: the route maps IngestRejection reasons to statuses.
 *
 * Text the store cannot keep is repaired, not refused, so that a shipper (or an attacker who
 * controls one field of a logged command line) cannot make an event vanish from detection with a
 * stray byte: invalid UTF-8 is decoded with U+FFFD in place of the bad bytes, and `\u0000` or an
 * unpaired surrogate escape in a string or key becomes U+FFFD (PostgreSQL's jsonb and text refuse
 * both, and one such value would fail the whole batch's insert). Either way the record carries a
 * warning that the response reports with its line.
 */

export interface IngestRecord {
  /** 1-based physical line (NDJSON) or 1-based position in the array (JSON). */
  line: number;
  value: Record<string, unknown>;
  /** What was repaired for the event to be taken (see above); absent when nothing was. */
  warnings?: string[];
}

export interface LineError {
  line: number;
  error: string;
}

export interface ParsedBody {
  records: IngestRecord[];
  errors: LineError[];
}

export interface BodyLimits {
  maxLineBytes: number;
  /** Deepest nesting accepted in one event; deeper input is rejected before anything walks it. */
  maxDepth: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxLineBytes: 1024 * 1024, maxDepth: 64 };

export type IngestRejectionReason =
  | "empty_body"
  | "unsupported_media_type"
  | "body_too_large"
  | "invalid_body"
  | "nothing_accepted";

/** The whole request is refused (no line could be taken). */
export class IngestRejection extends Error {
  constructor(
    readonly reason: IngestRejectionReason,
    message: string,
    readonly errors: LineError[] = [],
    /** Lines refused in all (errors may be the first N only). */
    readonly rejected: number = errors.length,
  ) {
    super(message);
    this.name = "IngestRejection";
  }
}

export type BodyKind = "ndjson" | "json";

const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"]);

/** Which parser a Content-Type selects; anything else is a 415. */
export function bodyKind(contentType: string | null): BodyKind {
  const mime = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (NDJSON_TYPES.has(mime)) return "ndjson";
  if (mime === "application/json") return "json";
  throw new IngestRejection(
    "unsupported_media_type",
    `unsupported Content-Type ${mime ? `"${mime}"` : "(none)"}: send application/x-ndjson (one event per line) or application/json (an object or an array)`,
  );
}

/** Strict first (the common case costs one pass); the lenient decoder only after a failure. */
const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Lenient = new TextDecoder("utf-8");

export const INVALID_UTF8_WARNING = "line is not valid UTF-8; the invalid bytes were replaced with U+FFFD";
export const INVALID_UTF8_BODY_WARNING = "the body is not valid UTF-8; invalid bytes were replaced with U+FFFD (this event holds U+FFFD)";
export const UNSTORABLE_TEXT_WARNING = "\\u0000 or an unpaired surrogate (\\ud800-\\udfff) replaced with U+FFFD: the store cannot keep them";

export function parseIngestBody(body: Uint8Array, kind: BodyKind, limits: BodyLimits = DEFAULT_BODY_LIMITS): ParsedBody {
  if (body.byteLength === 0) throw new IngestRejection("empty_body", "the request body is empty: send at least one event");
  const parsed = kind === "ndjson" ? parseNdjson(body, limits) : parseJson(body, limits);
  if (parsed.records.length === 0 && parsed.errors.length === 0) {
    throw new IngestRejection("empty_body", "the request body holds no events");
  }
  return parsed;
}

function parseNdjson(body: Uint8Array, limits: BodyLimits): ParsedBody {
  const records: IngestRecord[] = [];
  const errors: LineError[] = [];
  let start = 0;
  let line = 0;
  while (start <= body.byteLength) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.byteLength;
    line++;
    let stop = end;
    if (stop > start && body[stop - 1] === 0x0d) stop--; // CRLF
    const size = stop - start;
    // A byte order mark opens the body when a Windows tool wrote it, and any line of files
    // concatenated into one: it is not part of the event.
    const from = size >= 3 && body[start] === 0xef && body[start + 1] === 0xbb && body[start + 2] === 0xbf ? start + 3 : start;
    if (!isBlank(body, from, stop)) {
      if (size > limits.maxLineBytes) {
        errors.push({ line, error: `line is ${size} bytes; the limit is ${limits.maxLineBytes}` });
      } else {
        const result = parseEvent(body.subarray(from, stop), limits);
        if (typeof result === "string") errors.push({ line, error: result });
        else records.push(result.warnings ? { line, value: result.value, warnings: result.warnings } : { line, value: result.value });
      }
    }
    if (end === body.byteLength) break;
    start = end + 1;
  }
  return { records, errors };
}

function parseJson(body: Uint8Array, limits: BodyLimits): ParsedBody {
  let text: string;
  let lenient = false;
  try {
    text = utf8.decode(body);
  } catch {
    text = utf8Lenient.decode(body);
    lenient = true;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new IngestRejection("invalid_body", `invalid JSON: ${jsonErrorMessage(error)}`);
  }
  const items = Array.isArray(value) ? value : [value];
  const records: IngestRecord[] = [];
  const errors: LineError[] = [];
  const repairable = mayHoldUnstorableText(text);
  items.forEach((item, i) => {
    const problem = checkEvent(item, limits);
    if (problem) {
      errors.push({ line: i + 1, error: problem });
      return;
    }
    const value = item as Record<string, unknown>;
    let warnings: string[] | undefined;
    // Which element held the bad bytes is lost in decoding: every one now holding U+FFFD is told.
    if (lenient && holdsText(value, (s) => s.includes("\ufffd"))) warnings = [INVALID_UTF8_BODY_WARNING];
    if (repairable && repairUnstorableText(value)) (warnings ??= []).push(UNSTORABLE_TEXT_WARNING);
    records.push(warnings ? { line: i + 1, value, warnings } : { line: i + 1, value });
  });
  return { records, errors };
}

function parseEvent(bytes: Uint8Array, limits: BodyLimits): { value: Record<string, unknown>; warnings?: string[] } | string {
  let text: string;
  let warnings: string[] | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = utf8Lenient.decode(bytes);
    warnings = [INVALID_UTF8_WARNING];
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `invalid JSON: ${jsonErrorMessage(error)}`;
  }
  const problem = checkEvent(value, limits);
  if (problem) return problem;
  const event = value as Record<string, unknown>;
  if (mayHoldUnstorableText(text) && repairUnstorableText(event)) (warnings ??= []).push(UNSTORABLE_TEXT_WARNING);
  return warnings ? { value: event, warnings } : { value: event };
}

function checkEvent(value: unknown, limits: BodyLimits): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return `expected a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`;
  }
  if (exceedsDepth(value, limits.maxDepth)) return `event is nested deeper than ${limits.maxDepth} levels`;
  return null;
}

/**
 * Recursive, but it descends at most maxDepth + 1 levels before answering, so a hostile
 * 100k-deep document costs 65 frames, and it allocates nothing per node.
 */
function exceedsDepth(root: object, maxDepth: number): boolean {
  return deeperThan(root, 1, maxDepth);
}

function deeperThan(value: object, depth: number, maxDepth: number): boolean {
  if (depth > maxDepth) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === "object" && deeperThan(v, depth + 1, maxDepth)) return true;
    }
    return false;
  }
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== null && typeof v === "object" && deeperThan(v, depth + 1, maxDepth)) return true;
  }
  return false;
}

/**
 * Whether the JSON text may spell `\u0000` or a surrogate escape: the only ways a parsed string
 * can hold either (raw control characters are invalid JSON, and decoded UTF-8 never yields a
 * surrogate alone). A true here costs a walk; false, nearly every line, costs one scan.
 */
function mayHoldUnstorableText(text: string): boolean {
  return text.includes("\\u") && /\\u(?:0000|[dD][89a-fA-F])/.test(text);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

const isUnstorable = (s: string) => s.includes("\u0000") || LONE_SURROGATE.test(s);
const storable = (s: string) => s.replaceAll("\u0000", "\ufffd").replace(LONE_SURROGATES, "\ufffd");

/**
 * Replace `\u0000` and unpaired surrogates with U+FFFD in every string and key of a parsed
 * event, in place (it is ours: JSON.parse just made it). Keys keep their order. Iterative: depth
 * is bounded by checkEvent, but no walk here needs the stack. Returns whether anything changed.
 */
function repairUnstorableText(root: Record<string, unknown>): boolean {
  if (!holdsText(root, isUnstorable)) return false;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "string") node[i] = storable(v);
        else if (v !== null && typeof v === "object") stack.push(v);
      }
    } else if (node !== null && typeof node === "object") {
      const object = node as Record<string, unknown>;
      const keys = Object.keys(object);
      const rename = keys.some(isUnstorable);
      for (const key of keys) {
        const v = object[key];
        const fixed = typeof v === "string" ? storable(v) : v;
        if (v !== null && typeof v === "object") stack.push(v);
        if (rename) delete object[key];
        // defineProperty, not assignment: an own "__proto__" key must stay a field.
        if (rename || fixed !== v) Object.defineProperty(object, storable(key), { value: fixed, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return true;
}

/** Whether any string or key in `root` satisfies `test`. */
function holdsText(root: object, test: (s: string) => boolean): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === "string") {
      if (test(node)) return true;
    } else if (Array.isArray(node)) {
      for (const v of node) stack.push(v);
    } else if (node !== null && typeof node === "object") {
      for (const key of Object.keys(node)) {
        if (test(key)) return true;
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

function isBlank(body: Uint8Array, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const c = body[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function jsonErrorMessage(error: unknown): string {
  // V8 throws RangeError for absurd nesting before we get to count it.
  if (error instanceof RangeError) return "nesting too deep";
  return String((error as Error).message ?? error);
}
