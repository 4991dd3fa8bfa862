import { eventDataOf } from "./event-data";
import type { EventObject } from "./types";
import { intOf, isRecord, textOf } from "./values";
import type { RecordError, WindowsRecord } from "./windows-record";
import { elementText, eventIdOf, invalidEventId, keywordsOf, newWindowsRecord, timeCandidates } from "./windows-record";

/**
 * Read the `winlog` object of a winlogbeat document (raw, or already ECS-mapped): winlogbeat has
 * rendered the System header into `winlog.*` and EventData into `winlog.event_data`. The event
 * id falls back to `event.code` and the provider to `event.provider`, which winlogbeat also sets.
 */
export function readWinlogRecord(doc: EventObject): WindowsRecord | RecordError {
  const winlog = doc["winlog"];
  if (!isRecord(winlog)) return { invalid: "winlog is not an object" };
  const event = isRecord(doc["event"]) ? doc["event"] : undefined;
  const rawId = winlog["event_id"] ?? event?.["code"];
  const eventId = eventIdOf(rawId);
  if (eventId === undefined) return invalidEventId(rawId);
  const record: WindowsRecord = newWindowsRecord(eventId);

  record.provider = textOf(winlog["provider_name"]) ?? textOf(event?.["provider"]);
  record.providerGuid = textOf(winlog["provider_guid"]);
  record.channel = textOf(winlog["channel"]);
  record.computer = textOf(winlog["computer_name"]);
  record.recordId = elementText(winlog["record_id"]);

  const process = winlog["process"];
  if (isRecord(process)) {
    record.processId = intOf(process["pid"]);
    const thread = process["thread"];
    record.threadId = isRecord(thread) ? intOf(thread["id"]) : undefined;
  }
  const user = winlog["user"];
  record.userSid = isRecord(user) ? textOf(user["identifier"]) : undefined;

  record.task = textOf(winlog["task"]);
  record.opcode = textOf(winlog["opcode"]);
  record.version = intOf(winlog["version"]);
  const log = doc["log"];
  const level = winlog["level"] ?? (isRecord(log) ? log["level"] : undefined);
  if (typeof level === "number" || (typeof level === "string" && level !== "")) record.level = level;
  record.keywords = keywordsOf(winlog["keywords"]);
  record.activityId = textOf(winlog["activity_id"]);
  record.relatedActivityId = textOf(winlog["related_activity_id"]);

  const created = winlog["time_created"];
  const timestamp = doc["@timestamp"];
  record.times = timeCandidates(created !== undefined, "winlog.time_created", created, timestamp !== undefined, "@timestamp", timestamp, false, "", undefined);

  record.eventData = eventDataOf(winlog["event_data"]);
  const userData = winlog["user_data"];
  if (isRecord(userData)) record.userData = userData;
  return record;
}
