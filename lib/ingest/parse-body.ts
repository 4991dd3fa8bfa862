/**
 * Splits an ingest request body into events, one error per bad line, never failing the batch for
 * one bad event (STYLE F4.8). HTTP-free: the route maps IngestRejection reasons to statuses.
 */

export interface IngestRecord {
  /** 1-based physical line (NDJSON) or 1-based position in the array (JSON). */
  line: number;
  value: Record<string, unknown>;
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

const utf8 = new TextDecoder("utf-8", { fatal: true });

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
    if (!isBlank(body, start, stop)) {
      const size = stop - start;
      if (size > limits.maxLineBytes) {
        errors.push({ line, error: `line is ${size} bytes; the limit is ${limits.maxLineBytes}` });
      } else {
        const result = parseEvent(body.subarray(start, stop), limits);
        if (typeof result === "string") errors.push({ line, error: result });
        else records.push({ line, value: result });
      }
    }
    if (end === body.byteLength) break;
    start = end + 1;
  }
  return { records, errors };
}

function parseJson(body: Uint8Array, limits: BodyLimits): ParsedBody {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new IngestRejection("invalid_body", "the body is not valid UTF-8");
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
  items.forEach((item, i) => {
    const problem = checkEvent(item, limits);
    if (problem) errors.push({ line: i + 1, error: problem });
    else records.push({ line: i + 1, value: item as Record<string, unknown> });
  });
  return { records, errors };
}

function parseEvent(bytes: Uint8Array, limits: BodyLimits): Record<string, unknown> | string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return "line is not valid UTF-8";
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `invalid JSON: ${jsonErrorMessage(error)}`;
  }
  return checkEvent(value, limits) ?? (value as Record<string, unknown>);
}

function checkEvent(value: unknown, limits: BodyLimits): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return `expected a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`;
  }
  if (exceedsDepth(value, limits.maxDepth)) return `event is nested deeper than ${limits.maxDepth} levels`;
  return null;
}

/** Iterative, so a hostile 100k-deep document cannot overflow the stack here. */
function exceedsDepth(root: object, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > maxDepth) return true;
    if (Array.isArray(value)) {
      for (const v of value) if (v !== null && typeof v === "object") stack.push([v, depth + 1]);
    } else {
      for (const k in value as Record<string, unknown>) {
        const v = (value as Record<string, unknown>)[k];
        if (v !== null && typeof v === "object") stack.push([v, depth + 1]);
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
