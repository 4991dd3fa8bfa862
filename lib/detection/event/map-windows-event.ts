import { auditOutcome, mapSecurityEvent, SECURITY_EVENTS } from "./security-mapping";
import { mapSysmonEvent, SYSMON_EVENTS } from "./sysmon-mapping";
import type { EventObject } from "./types";
import type { WindowsRecord } from "./windows-record";

/** A Windows event in ECS (without `@timestamp`), and its time candidates, best first. */
export interface MappedWindowsEvent {
  doc: EventObject;
  times: Array<[label: string, value: unknown]>;
}

/** Which mapping applies: by provider or channel, else (flat events without either) by shape. */
type WindowsSource = "sysmon" | "security" | "powershell" | "other";

const EMPTY: EventObject = Object.freeze({}) as EventObject;

const LEVELS: Readonly<Record<number, string>> = {
  0: "information", // LogAlways: what the Security log uses; Event Viewer shows "Information"
  1: "critical",
  2: "error",
  3: "warning",
  4: "information",
  5: "verbose",
};

/**
 * The one Windows mapping every envelope shares (evtx JSON, flat, winlogbeat): the header into
 * `winlog.*`, `event.*` and `host.*`, then the provider's table (Sysmon, Security) for the
 * event data. The event data itself is kept whole in `winlog.event_data`.
 */
export function mapWindowsEvent(record: WindowsRecord, warnings: string[]): MappedWindowsEvent {
  const eventData = record.eventData;
  // The mappings read UserData's fields when there is no EventData (1102's account, for one).
  const data = eventData ?? record.userData ?? EMPTY;
  const source = windowsSourceOf(record, data);

  const event: EventObject = { kind: "event", code: String(record.eventId) };
  if (record.provider !== undefined) event["provider"] = record.provider;
  if (source !== "other") event["module"] = source;

  const host: EventObject = {};
  if (record.computer !== undefined) host["name"] = record.computer;
  host["os"] = { type: source === "sysmon" && isLinuxSysmon(record, data) ? "linux" : "windows" };

  const winlog: EventObject = { event_id: record.eventId };
  if (record.channel !== undefined) winlog["channel"] = record.channel;
  if (record.provider !== undefined) winlog["provider_name"] = record.provider;
  if (record.providerGuid !== undefined) winlog["provider_guid"] = record.providerGuid;
  if (record.computer !== undefined) winlog["computer_name"] = record.computer;
  if (record.recordId !== undefined) winlog["record_id"] = record.recordId;
  if (record.processId !== undefined || record.threadId !== undefined) {
    const process: EventObject = {};
    if (record.processId !== undefined) process["pid"] = record.processId;
    if (record.threadId !== undefined) process["thread"] = { id: record.threadId };
    winlog["process"] = process;
  }
  if (record.userSid !== undefined) winlog["user"] = { identifier: record.userSid };
  if (record.task !== undefined) winlog["task"] = record.task;
  if (record.opcode !== undefined) winlog["opcode"] = record.opcode;
  if (record.version !== undefined) winlog["version"] = record.version;
  if (record.keywords !== undefined) winlog["keywords"] = record.keywords; // the reader's own array
  if (record.activityId !== undefined) winlog["activity_id"] = record.activityId;
  if (record.relatedActivityId !== undefined) winlog["related_activity_id"] = record.relatedActivityId;
  if (eventData !== undefined) winlog["event_data"] = eventData;
  if (record.userData !== undefined) winlog["user_data"] = record.userData;

  const doc: EventObject = { event, host, winlog };
  if (record.message !== undefined) doc["message"] = record.message;
  const level = typeof record.level === "number" ? LEVELS[record.level] : record.level?.toLowerCase();
  if (level !== undefined) doc["log"] = { level };

  switch (source) {
    case "sysmon":
      mapSysmonEvent(record.eventId, data, doc, event, warnings);
      break;
    case "security": {
      mapSecurityEvent(record.eventId, data, doc, event, warnings);
      const outcome = auditOutcome(record.keywords);
      if (outcome !== undefined) event["outcome"] = outcome;
      break;
    }
    case "powershell":
    case "other":
      break;
  }
  // A task name rendered by the shipper (winlogbeat, NXLog) is the action when no table gave one.
  if (event["action"] === undefined && record.task !== undefined && !isDigits(record.task)) event["action"] = record.task;

  // Sysmon's own UtcTime is when the activity happened; TimeCreated is when it was logged.
  // (The record is this call's own, built by a reader for it, so it is extended in place.)
  const utcTime = source === "sysmon" ? data["UtcTime"] : undefined;
  if (utcTime !== undefined) record.times.unshift(["UtcTime", utcTime]);
  return { doc, times: record.times };
}

/**
 * Sysmon and Security by provider or channel; a flat event without either is recognised by
 * shape: a Sysmon event id whose data has Sysmon's UtcTime or process GUIDs, or 4688 and the
 * Security events that carry Subject/Target accounts.
 */
function windowsSourceOf(record: WindowsRecord, data: EventObject): WindowsSource {
  // The exact spellings first: they are what every exporter writes, and cost no lower-casing.
  if (record.provider === "Microsoft-Windows-Sysmon") return "sysmon";
  if (record.channel === "Security") return "security";
  const provider = record.provider?.toLowerCase();
  const channel = record.channel?.toLowerCase();
  if (
    provider === "microsoft-windows-sysmon" ||
    provider === "linux-sysmon" ||
    channel === "microsoft-windows-sysmon/operational" ||
    channel === "linux-sysmon/operational"
  ) {
    return "sysmon";
  }
  if (channel === "security" || provider === "microsoft-windows-security-auditing") return "security";
  if (
    provider === "microsoft-windows-powershell" ||
    provider === "powershell" ||
    channel === "windows powershell" ||
    channel === "microsoft-windows-powershell/operational"
  ) {
    return "powershell";
  }
  if (provider !== undefined || channel !== undefined) return "other";
  const id = record.eventId;
  if (
    SYSMON_EVENTS[id] !== undefined &&
    (data["UtcTime"] !== undefined || data["ProcessGuid"] !== undefined || data["SourceProcessGUID"] !== undefined || data["SourceProcessGuid"] !== undefined)
  ) {
    return "sysmon";
  }
  if (id === 4688 || SECURITY_EVENTS[id] !== undefined) return "security";
  if (id >= 4608 && id <= 6424 && (data["SubjectUserSid"] !== undefined || data["TargetUserSid"] !== undefined)) return "security";
  return "other";
}

/** Sysmon for Linux: its provider or channel, or a POSIX image path. */
function isLinuxSysmon(record: WindowsRecord, data: EventObject): boolean {
  if (record.provider !== "Microsoft-Windows-Sysmon") {
    if (record.provider?.toLowerCase() === "linux-sysmon" || record.channel?.toLowerCase() === "linux-sysmon/operational") return true;
  }
  const image = data["Image"] ?? data["SourceImage"];
  return typeof image === "string" && image.charCodeAt(0) === 47; /* / */
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
