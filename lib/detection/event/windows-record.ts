import type { EventObject } from "./types";
import { intOf, isRecord, textOf } from "./values";

/**
 * One Windows event, whatever envelope it came in (evtx JSON, flat, winlogbeat): the System
 * header as plain values plus the EventData/UserData as sent. The readers fill it; one mapping
 * (`mapWindowsEvent`) turns it into ECS, so the three formats cannot drift apart.
 */
export interface WindowsRecord {
  eventId: number;
  channel?: string;
  provider?: string;
  providerGuid?: string;
  computer?: string;
  recordId?: string;
  /** System/Execution: the process and thread that logged the event (Sysmon's service, LSASS, …). */
  processId?: number;
  threadId?: number;
  /** System/Security/@UserID: the SID the event was logged under. */
  userSid?: string;
  task?: string;
  opcode?: string;
  version?: number;
  level?: string | number;
  keywords?: string[];
  activityId?: string;
  relatedActivityId?: string;
  /** EventData fields under their original names and with their original values. */
  eventData?: EventObject;
  /** UserData in winlogbeat's shape: the inner element's fields plus `xml_name`. */
  userData?: EventObject;
  /** Header timestamps, best first, each with the name it is reported under in warnings. */
  times: Array<[label: string, value: unknown]>;
  message?: string;
}

/** Why a record could not be read: becomes `{ ok: false, code: "invalid_field" }`. */
export interface RecordError {
  invalid: string;
}

/**
 * An XML attribute as the JSON exporters write it: `{"#attributes": {"Name": …}}` (evtx_dump),
 * `{"@Name": …}` (xmltodict / python-evtx) or a plain `{"Name": …}` (Velociraptor, winlogbeat).
 */
export function attr(node: unknown, name: string, atName: string): unknown {
  if (!isRecord(node)) return undefined;
  const attributes = node["#attributes"];
  if (isRecord(attributes)) {
    const v = attributes[name];
    if (v !== undefined) return v;
  }
  const at = node[atName];
  return at !== undefined ? at : node[name];
}

/** A System element's value: a scalar, or its text when the exporter wrapped it (`{"#text": 1}`). */
export function elementValue(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const text = node["#text"];
  if (text !== undefined) return text;
  return node["Value"]; // Velociraptor: {"EventID": {"Value": 1}}
}

/** A System element as text ("-" and "" are no value). */
export function elementText(node: unknown): string | undefined {
  return textOf(elementValue(node));
}

/** EventID → a number in 0..65535, or undefined. Accepts 4688, "4688", {"#text": 4688, …}. */
export function eventIdOf(node: unknown): number | undefined {
  const v = intOf(elementValue(node));
  return v !== undefined && v <= 0xffff ? v : undefined;
}

/** Keywords as winlogbeat keeps them: always an array of strings. */
export function keywordsOf(node: unknown): string[] | undefined {
  const v = elementValue(node);
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const k of v) {
      const t = textOf(k);
      if (t !== undefined) out.push(t);
    }
    return out.length > 0 ? out : undefined;
  }
  const t = textOf(v);
  return t === undefined ? undefined : [t];
}

/** A message saying EventID is unusable. */
export function invalidEventId(raw: unknown): RecordError {
  if (raw === undefined || raw === null) return { invalid: "EventID is missing" };
  return { invalid: `EventID ${describe(raw)} is not an event id (expected an integer 0–65535)` };
}

/** A short, bounded rendering of a value for an error or warning message. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  if (text === undefined) text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
