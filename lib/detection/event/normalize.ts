import { completeEcs } from "./complete-ecs";
import { fillGaps, OwnedList, writableChild, type Owned } from "./copy-on-write";
import { detectFormat, isNormalizedMarker } from "./detect-format";
import { expandDottedKeys } from "./expand-dotted-keys";
import { limitDerivedNames, limitFields } from "./limit-fields";
import { mapWindowsEvent, type MappedWindowsEvent } from "./map-windows-event";
import { parseTimestamp } from "./parse-timestamp";
import { readEvtxRecord } from "./read-evtx";
import { readWindowsFlatRecord } from "./read-windows-flat";
import { readWinlogRecord } from "./read-winlogbeat";
import type { EventObject, FieldValue, NormalizeOptions, NormalizeResult, SourceFormat } from "./types";
import { isRecord, own, setOwn } from "./values";
import type { RecordError, WindowsRecord } from "./windows-record";
import { describe } from "./windows-record";

const UNKNOWN_FORMAT =
  "unrecognised event: expected an ECS document (@timestamp with event.* or process.*), a Windows event (EventID), " +
  "evtx JSON (Event.System) or winlogbeat (winlog.event_data)";

/**
 * Normalize one event, in any format Vigil reads, to an ECS document (DESIGN.md §2).
 *
 * Formats (see `detectFormat`): evtx JSON, flat Windows events (Sysmon, Security 4688, …),
 * winlogbeat without ECS mapping, and ECS documents. Windows events of all three envelopes go
 * through one mapping: `winlog.*` and `winlog.event_data` (originals, plus whitespace-free
 * aliases of blank-containing names), `event.*`, `host.*`, and the Sysmon or Security table.
 * ECS documents are kept, with dotted keys expanded and derivable fields filled; their own
 * values always win over anything derived from `winlog.event_data`.
 *
 * Every result has `@timestamp` as ISO-8601 UTC with milliseconds, `event.ingested` =
 * `options.receivedAt`, and `vigil.source.format` / `vigil.timestamp_source` ("event", or
 * "arrival" when the event carried no usable time and `receivedAt` stands in, with a warning).
 * The fields Vigil indexes and shows are bounded (`limitFields`: command lines and executables
 * at 32,768 characters, names at 512): a longer value is cut, listed in `vigil.truncated` and
 * warned about, and rules see the cut value.
 *
 * Pure and total: no clock, no environment, no I/O; it never throws and never mutates `input`.
 * The result may share unchanged sub-objects (such as EventData) with `input`, so treat both as
 * immutable. Normalizing a normalized event with the same `receivedAt` gives the same event.
 *
 * @param input an event object as parsed from JSON (anything else is rejected, not thrown)
 * @param options `receivedAt`: when the event arrived (event.ingested; fallback for @timestamp)
 * @returns `{ok: true, event, format, warnings}` or `{ok: false, code, error}` with code
 *   `not_an_object`, `unknown_format`, or `invalid_field` (an unusable EventID, an invalid
 *   `receivedAt`, or an internal failure reported instead of thrown)
 * @throws never
 */
export function normalizeEvent(input: unknown, options: NormalizeOptions): NormalizeResult {
  try {
    return normalize(input, options);
  } catch (error) {
    // Total by contract: ingest calls this per event, and one exotic input (a Proxy, a getter
    // that throws) must cost that event, never the batch.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, code: "invalid_field", error: `event could not be normalized: ${message}` };
  }
}

function normalize(input: unknown, options: NormalizeOptions): NormalizeResult {
  const receivedAt = options?.receivedAt;
  if (!(receivedAt instanceof Date) || Number.isNaN(receivedAt.getTime())) {
    return { ok: false, code: "invalid_field", error: "options.receivedAt must be a valid Date" };
  }
  if (!isRecord(input)) {
    return { ok: false, code: "not_an_object", error: `event must be a JSON object, not ${kindOf(input)}` };
  }
  const format = detectFormat(input);
  if (format === undefined) return { ok: false, code: "unknown_format", error: UNKNOWN_FORMAT };

  const context: Context = { receivedIso: isoOf(receivedAt), warnings: [], truncated: undefined };
  switch (format) {
    case "evtx_json": {
      const wrapped = input["Event"];
      const event = isRecord(wrapped) ? wrapped : input;
      return finishWindows(readEvtxRecord(event), format, event === input ? undefined : extrasOf(input, "Event"), context);
    }
    case "windows_flat":
      return finishWindows(readWindowsFlatRecord(input), format, undefined, context);
    case "winlogbeat": {
      const owned = new OwnedList();
      const doc = expandDottedKeys(input, owned, context.warnings);
      return finishWindows(readWinlogRecord(doc), format, doc, context);
    }
    case "ecs":
      return finishEcs(input, context);
  }
}

interface Context {
  receivedIso: string;
  warnings: string[];
  /** Paths `limitFields` cut (`vigil.truncated`); undefined while none was. */
  truncated: string[] | undefined;
}

/**
 * A Windows record → the final event. `extras` (the input's own fields beside the Windows ones:
 * winlogbeat's agent.*, host.*, …; a shipper's fields next to `Event`) fill what the mapping
 * left empty, never replace it.
 */
function finishWindows(record: WindowsRecord | RecordError, format: SourceFormat, extras: EventObject | undefined, context: Context): NormalizeResult {
  if ("invalid" in record) return { ok: false, code: "invalid_field", error: record.invalid };
  const mapped = mapWindowsEvent(record, context.warnings);
  const doc = mapped.doc;
  complete(doc, null, context);
  const iso = resolveTime(mapped, context);
  doc["@timestamp"] = iso ?? context.receivedIso;
  (doc["event"] as EventObject)["ingested"] = context.receivedIso;
  doc["vigil"] = { source: { format }, timestamp_source: iso === undefined ? "arrival" : "event" };
  if (extras !== undefined) {
    const owned = new OwnedList().add(doc);
    fillGaps(doc, extras, owned);
    complete(doc, owned, context);
    markTruncated(doc, owned, context.truncated);
  } else {
    markTruncated(doc, null, context.truncated);
  }
  return { ok: true, event: doc, format, warnings: context.warnings };
}

function finishEcs(input: EventObject, context: Context): NormalizeResult {
  const owned = new OwnedList();
  const doc = expandDottedKeys(input, owned, context.warnings);
  const vigil = own(doc, "vigil");
  const previous = isNormalizedMarker(vigil) ? (vigil as EventObject) : undefined;

  const winlog = own(doc, "winlog");
  if (isRecord(winlog) && (winlog["event_data"] !== undefined || winlog["event_id"] !== undefined)) {
    const record = readWinlogRecord(doc);
    if ("invalid" in record) {
      context.warnings.push(`winlog: ${record.invalid}; Windows fields not derived`);
    } else {
      const mapped = mapWindowsEvent(record, context.warnings).doc;
      complete(mapped, null, context);
      fillGaps(doc, mapped, owned);
    }
  }

  const iso = parseTimestamp(own(doc, "@timestamp"));
  let source: "event" | "arrival" = "event";
  if (iso === undefined) {
    context.warnings.push(`no usable timestamp (@timestamp ${describe(own(doc, "@timestamp"))} is not a time); arrival time used`);
    source = "arrival";
  }
  setOwn(doc, "@timestamp", iso ?? context.receivedIso);
  complete(doc, owned, context);

  const event = writableChild(doc, "event", owned);
  if (event !== undefined) event["ingested"] = context.receivedIso;
  else context.warnings.push("event is not an object; event.ingested not set");

  // An event Vigil normalized before keeps its original format and time source, so that
  // normalizing twice changes nothing.
  const keptSource = previous?.["timestamp_source"];
  if (previous !== undefined && iso !== undefined && (keptSource === "event" || keptSource === "arrival")) {
    markTruncated(doc, owned, context.truncated);
    return { ok: true, event: doc, format: "ecs", warnings: context.warnings };
  }
  const format = previous !== undefined ? (previous["source"] as EventObject)["format"] : "ecs";
  const marker: EventObject = { source: { format: format ?? "ecs" }, timestamp_source: source };
  const previousTruncated = previous?.["truncated"];
  if (previousTruncated !== undefined) marker["truncated"] = previousTruncated;
  doc["vigil"] = marker;
  markTruncated(doc, null, context.truncated);
  return { ok: true, event: doc, format: "ecs", warnings: context.warnings };
}

/**
 * `completeEcs` over bounded values: the limits first, so `process.args` comes from the command
 * line the event keeps, then once more for a name derived from a long executable.
 */
function complete(doc: EventObject, owned: Owned, context: Context): void {
  const longName = limitFields(doc, owned, context);
  completeEcs(doc, owned);
  if (longName) limitDerivedNames(doc, owned, context);
}

/**
 * `vigil.truncated`: the paths `limitFields` cut, added to any the event already lists (an event
 * normalized before keeps its own), so a rule or an analyst can tell a cut value from a whole one.
 */
function markTruncated(doc: EventObject, owned: Owned, truncated: readonly string[] | undefined): void {
  if (truncated === undefined) return;
  const vigil = writableChild(doc, "vigil", owned);
  if (vigil === undefined) return;
  const previous = vigil["truncated"];
  const list: FieldValue[] = Array.isArray(previous) ? [...previous] : previous === undefined || previous === null ? [] : [previous];
  const before = list.length;
  for (const path of truncated) if (!list.includes(path)) list.push(path);
  if (list.length !== before || !Array.isArray(previous)) vigil["truncated"] = list;
}

/**
 * The first usable time among the candidates (best first: UtcTime, then the record's `times`);
 * undefined when none is, with a warning (arrival time stands in). Skipped candidates are
 * reported too, so a broken UtcTime does not pass silently.
 */
function resolveTime(mapped: MappedWindowsEvent, context: Context): string | undefined {
  let rejected: string[] | undefined;
  const times = mapped.times;
  const count = (mapped.hasUtcTime ? 1 : 0) + times.length;
  for (let i = 0; i < count; i++) {
    let label: string;
    let value: unknown;
    if (mapped.hasUtcTime && i === 0) {
      label = "UtcTime";
      value = mapped.utcTime;
    } else {
      const candidate = times[mapped.hasUtcTime ? i - 1 : i]!;
      label = candidate[0];
      value = candidate[1];
    }
    const iso = parseTimestamp(value);
    if (iso !== undefined) {
      if (rejected !== undefined) context.warnings.push(`${rejected.join("; ")}; ${label} used`);
      return iso;
    }
    (rejected ??= []).push(`${label} ${describe(value)} is not a time`);
  }
  const why = rejected !== undefined ? rejected.join("; ") : "no UtcTime, TimeCreated, @timestamp or timestamp";
  context.warnings.push(`no usable timestamp (${why}); arrival time used`);
  return undefined;
}

/** The input's keys other than `except`, or undefined when there are none. */
function extrasOf(input: EventObject, except: string): EventObject | undefined {
  // Usually `except` is the only key: find that out without building the key list.
  let other = false;
  for (const key in input) {
    if (key !== except) {
      other = true;
      break;
    }
  }
  if (!other) return undefined;
  let extras: EventObject | undefined;
  for (const key of Object.keys(input)) {
    if (key !== except) setOwn((extras ??= {}), key, input[key]!);
  }
  return extras;
}

/**
 * `receivedAt.toISOString()`, remembered for the last instant: a batch shares one receivedAt,
 * and formatting it per event was a tenth of the normalization time. The cache changes no
 * result, so the function stays pure from the outside.
 */
let lastReceivedMs = Number.NaN;
let lastReceivedIso = "";
function isoOf(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastReceivedMs) {
    lastReceivedIso = date.toISOString();
    lastReceivedMs = ms;
  }
  return lastReceivedIso;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}
