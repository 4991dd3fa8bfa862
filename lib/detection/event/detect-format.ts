import type { EventObject, SourceFormat } from "./types";
import { SOURCE_FORMATS } from "./types";
import { isRecord } from "./values";

/**
 * Which envelope an event object came in, or undefined when it is none Vigil reads. In order:
 *
 * 1. `evtx_json`: `Event.System` is an object (or `System` at the top level with EventData or
 *    UserData next to it, as Velociraptor prints rows).
 * 2. `ecs`: an event Vigil already normalized (`vigil.source.format` set), so normalizing twice
 *    keeps the first result.
 * 3. `winlogbeat`: `winlog.event_data` or `winlog.event_id`, and no sign of ECS mapping yet
 *    (no `process.*`, no `event.category`): winlogbeat without an ingest pipeline. An ECS-looking
 *    document (`@timestamp` and `event.*`) with `winlog.*` but no usable event id anywhere
 *    (`winlog.event_id`, `event.code`: an integer, or digits) is read as ECS instead: rejecting
 *    it for a missing or garbled EventID would lose an event ECS can carry.
 * 4. `ecs`: `@timestamp` with `event.*` or `process.*`, nested or as dotted keys.
 * 5. `windows_flat`: a top-level `EventID`.
 */
export function detectFormat(input: EventObject): SourceFormat | undefined {
  const wrapped = input["Event"];
  if (isRecord(wrapped) && isRecord(wrapped["System"])) return "evtx_json";
  if (isRecord(input["System"]) && (input["EventData"] !== undefined || input["UserData"] !== undefined)) return "evtx_json";

  const timestamp = input["@timestamp"] !== undefined;
  const eventObject = input["event"];
  let event = isRecord(eventObject);
  let eventCategory = event && (eventObject as EventObject)["category"] !== undefined;
  let process = isRecord(input["process"]);
  const winlogObject = input["winlog"];
  let winlog = isRecord(winlogObject) && (winlogObject["event_data"] !== undefined || winlogObject["event_id"] !== undefined);
  let windowsId = (isRecord(winlogObject) && isEventIdLike(winlogObject["event_id"])) || (event && isEventIdLike((eventObject as EventObject)["code"]));
  let normalized = isNormalizedMarker(input["vigil"]);
  const eventId = input["EventID"] !== undefined;
  // A flat Windows event has none of the ECS signs; skip the key scan, the costly part for
  // events with many top-level fields.
  if (eventId && !timestamp && !event && !process && !winlog) return "windows_flat";

  // Dotted keys ("process.name", "winlog.event_data.Image") count like nested objects.
  const keys = Object.keys(input);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const c = key.charCodeAt(0);
    if (c === 101 /* e */ && key.startsWith("event.")) {
      event = true;
      if (key === "event.category") eventCategory = true;
      else if (key === "event.code") windowsId ||= isEventIdLike(input[key]);
    } else if (c === 112 /* p */ && key.startsWith("process.")) {
      process = true;
    } else if (c === 119 /* w */ && (key.startsWith("winlog.event_data") || key === "winlog.event_id")) {
      winlog = true;
      if (key === "winlog.event_id") windowsId ||= isEventIdLike(input[key]);
    } else if (c === 118 /* v */ && key === "vigil.source.format") {
      normalized ||= isFormat(input[key]);
    }
  }
  if (normalized && timestamp) return "ecs";
  if (winlog && !process && !eventCategory && (windowsId || !(timestamp && event))) return "winlogbeat";
  if (timestamp && (event || process)) return "ecs";
  if (winlog) return "winlogbeat";
  if (eventId) return "windows_flat";
  return undefined;
}

/** Whether `vigil` is the marker of an event Vigil normalized: `{source: {format: <SourceFormat>}}`. */
export function isNormalizedMarker(vigil: unknown): boolean {
  if (!isRecord(vigil)) return false;
  const source = vigil["source"];
  return isRecord(source) && isFormat(source["format"]);
}

function isFormat(value: unknown): boolean {
  return typeof value === "string" && (SOURCE_FORMATS as readonly string[]).includes(value);
}

/** An event id a Windows reader can use: an integer, or a string of up to five digits. */
function isEventIdLike(value: unknown): boolean {
  return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^\s*\d{1,5}\s*$/.test(value));
}
