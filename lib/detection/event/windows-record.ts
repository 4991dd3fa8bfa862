import type { EventObject } from "./types";
import { intOf, isRecord, textOf } from "./values";

/**
 * One Windows event, whatever envelope it came in (evtx JSON, flat, winlogbeat): the System
 * header as plain values plus the EventData/UserData as sent. The readers fill it; one mapping
 * (`mapWindowsEvent`) turns it into ECS, so the three formats cannot drift apart.
 */
export interface WindowsRecord {
  eventId: number;
  channel: string | undefined;
  provider: string | undefined;
  providerGuid: string | undefined;
  computer: string | undefined;
  recordId: string | undefined;
  /** System/Execution: the process and thread that logged the event (Sysmon's service, LSASS, …). */
  processId: number | undefined;
  threadId: number | undefined;
  /** System/Security/@UserID: the SID the event was logged under. */
  userSid: string | undefined;
  task: string | undefined;
  opcode: string | undefined;
  version: number | undefined;
  level: string | number | undefined;
  keywords: string[] | undefined;
  activityId: string | undefined;
  relatedActivityId: string | undefined;
  /** EventData fields under their original names and with their original values. */
  eventData: EventObject | undefined;
  /** UserData in winlogbeat's shape: the inner element's fields plus `xml_name`. */
  userData: EventObject | undefined;
  /** Header timestamps, best first, each with the name it is reported under in warnings. */
  times: Array<[label: string, value: unknown]>;
  message: string | undefined;
}

/**
 * An empty record for `eventId`. Every field exists from the start (undefined until a reader
 * sets it), so the records of all three readers share one shape and `mapWindowsEvent` reads
 * them with monomorphic property loads instead of walking a different shape per envelope.
 */
export function newWindowsRecord(eventId: number): WindowsRecord {
  return {
    eventId,
    channel: undefined,
    provider: undefined,
    providerGuid: undefined,
    computer: undefined,
    recordId: undefined,
    processId: undefined,
    threadId: undefined,
    userSid: undefined,
    task: undefined,
    opcode: undefined,
    version: undefined,
    level: undefined,
    keywords: undefined,
    activityId: undefined,
    relatedActivityId: undefined,
    eventData: undefined,
    userData: undefined,
    times: NO_TIMES,
    message: undefined,
  };
}

/**
 * The candidates among three (label, value) pairs that are present (`hasN`), in order, as an
 * array of exactly that length (pushing onto an empty array reserved room for seventeen).
 */
export function timeCandidates(
  has1: boolean,
  label1: string,
  value1: unknown,
  has2: boolean,
  label2: string,
  value2: unknown,
  has3: boolean,
  label3: string,
  value3: unknown,
): Array<[label: string, value: unknown]> {
  const n = (has1 ? 1 : 0) + (has2 ? 1 : 0) + (has3 ? 1 : 0);
  if (n === 0) return NO_TIMES;
  const out = new Array<[string, unknown]>(n);
  let i = 0;
  if (has1) out[i++] = [label1, value1];
  if (has2) out[i++] = [label2, value2];
  if (has3) out[i] = [label3, value3];
  return out;
}

/** No header timestamp; readers replace it with an array of exactly the candidates found. */
const NO_TIMES: Array<[label: string, value: unknown]> = [];
Object.freeze(NO_TIMES);

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

/*
 * `attr` for the attributes the readers look up on every event, with the names written out:
 * `attr` reads `attributes[name]` with a name that changes from call to call, which V8 serves
 * through its generic (megamorphic) path; a fixed name is a plain property load. (Measured:
 * `attr` was a quarter of readEvtxRecord's time.) Same lookup order as `attr`.
 */

/** `attr(node, "Name", "@Name")`. */
export function attrName(node: unknown): unknown {
  if (!isRecord(node)) return undefined;
  const attributes = node["#attributes"];
  if (isRecord(attributes) && attributes["Name"] !== undefined) return attributes["Name"];
  return node["@Name"] !== undefined ? node["@Name"] : node["Name"];
}

/** `attr(node, "Guid", "@Guid")`. */
export function attrGuid(node: unknown): unknown {
  if (!isRecord(node)) return undefined;
  const attributes = node["#attributes"];
  if (isRecord(attributes) && attributes["Guid"] !== undefined) return attributes["Guid"];
  return node["@Guid"] !== undefined ? node["@Guid"] : node["Guid"];
}

/** `attr(node, "SystemTime", "@SystemTime")`. */
export function attrSystemTime(node: unknown): unknown {
  if (!isRecord(node)) return undefined;
  const attributes = node["#attributes"];
  if (isRecord(attributes) && attributes["SystemTime"] !== undefined) return attributes["SystemTime"];
  return node["@SystemTime"] !== undefined ? node["@SystemTime"] : node["SystemTime"];
}

/** `attr(node, "ProcessID", "@ProcessID")`. */
export function attrProcessId(node: unknown): unknown {
  if (!isRecord(node)) return undefined;
  const attributes = node["#attributes"];
  if (isRecord(attributes) && attributes["ProcessID"] !== undefined) return attributes["ProcessID"];
  return node["@ProcessID"] !== undefined ? node["@ProcessID"] : node["ProcessID"];
}

/** `attr(node, "ThreadID", "@ThreadID")`. */
export function attrThreadId(node: unknown): unknown {
  if (!isRecord(node)) return undefined;
  const attributes = node["#attributes"];
  if (isRecord(attributes) && attributes["ThreadID"] !== undefined) return attributes["ThreadID"];
  return node["@ThreadID"] !== undefined ? node["@ThreadID"] : node["ThreadID"];
}

/** `attr(node, "UserID", "@UserID")`. */
export function attrUserId(node: unknown): unknown {
  if (!isRecord(node)) return undefined;
  const attributes = node["#attributes"];
  if (isRecord(attributes) && attributes["UserID"] !== undefined) return attributes["UserID"];
  return node["@UserID"] !== undefined ? node["@UserID"] : node["UserID"];
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
