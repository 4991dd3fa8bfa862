import { auditOutcome, mapSecurityEvent, SECURITY_EVENTS } from "./security-mapping";
import type { CommandLineStyle } from "./split-command-line";
import { mapSysmonEvent, SYSMON_EVENTS } from "./sysmon-mapping";
import type { EventObject } from "./types";
import type { WindowsRecord } from "./windows-record";

/**
 * A Windows event in ECS (without `@timestamp`), and its time candidates, best first: Sysmon's
 * `UtcTime` (when `hasUtcTime`), then the record's `times`.
 */
export interface MappedWindowsEvent {
  doc: EventObject;
  hasUtcTime: boolean;
  utcTime: unknown;
  times: ReadonlyArray<[label: string, value: unknown]>;
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
  const osType = source === "sysmon" && isLinuxSysmon(record, data) ? "linux" : "windows";
  host["os"] = { type: osType };
  // How completeEcs will split command lines, given that host.os.type (complete-ecs.ts).
  const style: CommandLineStyle = osType === "windows" ? "windows" : "posix";

  const winlog = winlogOf(record, eventData);

  const doc: EventObject = { event, host, winlog };
  if (record.message !== undefined) doc["message"] = record.message;
  const level = typeof record.level === "number" ? LEVELS[record.level] : record.level?.toLowerCase();
  if (level !== undefined) doc["log"] = { level };

  switch (source) {
    case "sysmon":
      mapSysmonEvent(record.eventId, data, doc, event, warnings, style);
      break;
    case "security": {
      mapSecurityEvent(record.eventId, data, doc, event, warnings, style);
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
  const utcTime = source === "sysmon" ? data["UtcTime"] : undefined;
  return { doc, hasUtcTime: utcTime !== undefined, utcTime, times: record.times };
}

/**
 * `winlog.*` from the record, the fields present in this order: event_id, channel,
 * provider_name, provider_guid, computer_name, record_id, process, user, task, opcode, version,
 * keywords, activity_id, related_activity_id, event_data, user_data.
 *
 * The two headers exporters usually send are built as one object literal each, which V8
 * allocates with room for every field at once; adding the fields one by one regrew the
 * object's storage five times for evtx_dump's sixteen (measured: a quarter of the Windows
 * mapping's allocations). Any other combination takes the general path; all give the same keys
 * in the same order.
 */
function winlogOf(record: WindowsRecord, eventData: EventObject | undefined): EventObject {
  const { channel, provider, providerGuid, computer, recordId, processId, threadId, userSid, task, opcode, version, keywords } = record;
  const rare = record.activityId !== undefined || record.relatedActivityId !== undefined || record.userData !== undefined || eventData === undefined;
  if (!rare) {
    // evtx_dump / Event Viewer XML: the full System header.
    if (
      channel !== undefined &&
      provider !== undefined &&
      providerGuid !== undefined &&
      computer !== undefined &&
      recordId !== undefined &&
      processId !== undefined &&
      threadId !== undefined &&
      userSid !== undefined &&
      task !== undefined &&
      opcode !== undefined &&
      version !== undefined &&
      keywords !== undefined
    ) {
      return {
        event_id: record.eventId,
        channel,
        provider_name: provider,
        provider_guid: providerGuid,
        computer_name: computer,
        record_id: recordId,
        process: { pid: processId, thread: { id: threadId } },
        user: { identifier: userSid },
        task,
        opcode,
        version,
        keywords, // the reader's own array
        event_data: eventData,
      };
    }
    // A flat event naming only its computer (NXLog without the System fields).
    if (
      computer !== undefined &&
      channel === undefined &&
      provider === undefined &&
      providerGuid === undefined &&
      recordId === undefined &&
      processId === undefined &&
      threadId === undefined &&
      userSid === undefined &&
      task === undefined &&
      opcode === undefined &&
      version === undefined &&
      keywords === undefined
    ) {
      return { event_id: record.eventId, computer_name: computer, event_data: eventData };
    }
  }
  const winlog: EventObject = { event_id: record.eventId };
  if (channel !== undefined) winlog["channel"] = channel;
  if (provider !== undefined) winlog["provider_name"] = provider;
  if (providerGuid !== undefined) winlog["provider_guid"] = providerGuid;
  if (computer !== undefined) winlog["computer_name"] = computer;
  if (recordId !== undefined) winlog["record_id"] = recordId;
  if (processId !== undefined || threadId !== undefined) {
    const process: EventObject = {};
    if (processId !== undefined) process["pid"] = processId;
    if (threadId !== undefined) process["thread"] = { id: threadId };
    winlog["process"] = process;
  }
  if (userSid !== undefined) winlog["user"] = { identifier: userSid };
  if (task !== undefined) winlog["task"] = task;
  if (opcode !== undefined) winlog["opcode"] = opcode;
  if (version !== undefined) winlog["version"] = version;
  if (keywords !== undefined) winlog["keywords"] = keywords; // the reader's own array
  if (record.activityId !== undefined) winlog["activity_id"] = record.activityId;
  if (record.relatedActivityId !== undefined) winlog["related_activity_id"] = record.relatedActivityId;
  if (eventData !== undefined) winlog["event_data"] = eventData;
  if (record.userData !== undefined) winlog["user_data"] = record.userData;
  return winlog;
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
