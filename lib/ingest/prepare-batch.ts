import { getField, getString, normalizeEvent, type EcsEvent, type RuleMatch, type RuleSet, type SourceFormat } from "@/lib/detection";
import { eventKey } from "./event-key";
import type { IngestRecord, LineError } from "./parse-body";

/** An accepted event, normalized and run through the rule set, ready to store. */
export interface PreparedEvent {
  line: number;
  /** The event's identity (event-key.ts); "" when PrepareOptions.identify left it out. */
  key: string;
  /**
   * The document as it arrived, re-serialized (`JSON.stringify` of the parsed line, after the
   * parser's repairs): what the store retains, and what a content-hash key is over. "" when
   * PrepareOptions.identify left the event out.
   */
  original: string;
  /** When the batch arrived (ISO-8601): event.ingested, and @timestamp for an event without one. */
  receivedAt: string;
  /**
   * The event had no usable time, so its @timestamp is receivedAt: a retry of it gets another.
   * Like the two fields below, only set on events PrepareOptions.identify kept (false otherwise).
   */
  timedByArrival: boolean;
  /** For a process start, what the process tree looks retained events up by; else (or unidentified) null. */
  processStart: ProcessStart | null;
  format: SourceFormat;
  timestamp: string;
  hostName: string | null;
  /**
   * The normalized event when a rule matched it (stateless or stateful), else null: nothing
   * reads an unmatched event after detection, and letting it go at once keeps a batch waiting
   * on its commit from holding 1,000 events' object graphs, which the garbage collector would
   * otherwise copy at every young-generation collection until the batch is answered.
   */
  event: EcsEvent | null;
  /** Stateless rules that fired. */
  matches: RuleMatch[];
  /** Stateful rules whose query matched: the stateful runtime decides whether they alert. */
  candidates: RuleMatch[];
}

/** A process start's identifiers, stored as columns beside the original document. */
export interface ProcessStart {
  entityId: string | null;
  pid: number | null;
  parentEntityId: string | null;
  parentPid: number | null;
}

export interface PreparedBatch {
  events: PreparedEvent[];
  errors: LineError[];
  /**
   * Accepted lines the parser had to repair (invalid UTF-8) or the normalizer had to guess or cut
   * for (no timestamp: arrival time used; a command line past its limit), in line order.
   */
  warnings: { line: number; warning: string }[];
  /** Lines accepted: stored now, or already stored by an earlier send (idempotent). */
  accepted: number;
}

export interface PrepareOptions {
  /**
   * Which events get their identity (`key`): "all" (default), or "matched" only, when
   * retention is off and no other event is stored (the key is a SHA-256 of the document, a
   * fifth of an event's cost). Unidentified events have key "".
   */
  identify?: "all" | "matched";
}

/**
 * The pure part of ingest: one pass per event through normalization and the compiled rule set.
 * No I/O, so the route, a worker and a test all run the same code.
 */
export function prepareBatch(records: readonly IngestRecord[], ruleSet: RuleSet, receivedAt: Date, options: PrepareOptions = {}): PreparedBatch {
  const keyAll = options.identify !== "matched";
  const events: PreparedEvent[] = [];
  const errors: LineError[] = [];
  const warnings: { line: number; warning: string }[] = [];
  const seen = new Set<string>();
  const receivedIso = receivedAt.toISOString();
  let accepted = 0;
  for (const record of records) {
    const result = normalizeEvent(record.value, { receivedAt });
    if (!result.ok) {
      errors.push({ line: record.line, error: result.error });
      continue;
    }
    accepted++;
    if (record.warnings) for (const warning of record.warnings) warnings.push({ line: record.line, warning });
    for (const warning of result.warnings) warnings.push({ line: record.line, warning });
    const matches: RuleMatch[] = [];
    const candidates: RuleMatch[] = [];
    for (const m of ruleSet.match(result.event)) (m.stateful ? candidates : matches).push(m);
    const matched = matches.length > 0 || candidates.length > 0;
    // Only an event the store keeps needs its identity and the columns stored beside it.
    const identified = keyAll || matched;
    const original = identified ? JSON.stringify(record.value) : "";
    const key = identified ? eventKey(original, result.event) : "";
    // The same event twice in one batch is one event (a shipper that duplicated a line).
    if (identified) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    events.push({
      line: record.line,
      key,
      original,
      receivedAt: receivedIso,
      timedByArrival: identified && getString(result.event, "vigil.timestamp_source") === "arrival",
      processStart: identified ? processStartOf(result.event) : null,
      format: result.format,
      timestamp: getString(result.event, "@timestamp")!,
      hostName: hostColumn(result.event),
      event: matched ? result.event : null,
      matches,
      candidates,
    });
  }
  return { events, errors, warnings, accepted };
}

/**
 * The identifiers of a process start (event.category "process", event.type "start"), which is
 * what a process tree looks up: the process by its entity id or pid, its children by their
 * parent's. A pid is kept when it is a non-negative safe integer, or a string of one (the column
 * is a bigint).
 */
export function processStartOf(event: EcsEvent): ProcessStart | null {
  if (!hasValue(event, "event.category", "process") || !hasValue(event, "event.type", "start")) return null;
  return {
    entityId: getString(event, "process.entity_id") ?? null,
    pid: pidOf(getField(event, "process.pid")),
    parentEntityId: getString(event, "process.parent.entity_id") ?? null,
    parentPid: pidOf(getField(event, "process.parent.pid")),
  };
}

function hasValue(event: EcsEvent, field: string, value: string): boolean {
  const v = getField(event, field);
  return Array.isArray(v) ? v.includes(value) : v === value;
}

function pidOf(value: unknown): number | null {
  const first = Array.isArray(value) ? value[0] : value;
  const n = typeof first === "string" && /^\d{1,15}$/.test(first) ? Number(first) : first;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * The host name the store indexes (a b-tree entry holds at most 2,704 bytes). The normalizer
 * keeps host.name within 512 characters; a name it does not reach (inside an array of objects,
 * `"host": [{"name": …}]`, which the field getter still reads) is cut here, between code points.
 */
const MAX_HOST_COLUMN_CHARS = 512;

function hostColumn(event: EcsEvent): string | null {
  const name = getString(event, "host.name");
  if (name === undefined) return null;
  if (name.length <= MAX_HOST_COLUMN_CHARS) return name;
  const high = name.charCodeAt(MAX_HOST_COLUMN_CHARS - 1);
  return name.slice(0, high >= 0xd800 && high <= 0xdbff ? MAX_HOST_COLUMN_CHARS - 1 : MAX_HOST_COLUMN_CHARS);
}
