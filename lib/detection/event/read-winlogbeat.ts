import { eventDataOf } from "./event-data";
import type { EventObject } from "./types";
import { intOf, isRecord, textOf } from "./values";
import type { RecordError, WindowsRecord } from "./windows-record";
import { elementText, eventIdOf, invalidEventId, keywordsOf } from "./windows-record";

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
  const record: WindowsRecord = { eventId, times: [] };

  const provider = textOf(winlog["provider_name"]) ?? textOf(event?.["provider"]);
  if (provider !== undefined) record.provider = provider;
  const providerGuid = textOf(winlog["provider_guid"]);
  if (providerGuid !== undefined) record.providerGuid = providerGuid;
  const channel = textOf(winlog["channel"]);
  if (channel !== undefined) record.channel = channel;
  const computer = textOf(winlog["computer_name"]);
  if (computer !== undefined) record.computer = computer;
  const recordId = elementText(winlog["record_id"]);
  if (recordId !== undefined) record.recordId = recordId;

  const process = winlog["process"];
  if (isRecord(process)) {
    const pid = intOf(process["pid"]);
    if (pid !== undefined) record.processId = pid;
    const thread = process["thread"];
    const tid = isRecord(thread) ? intOf(thread["id"]) : undefined;
    if (tid !== undefined) record.threadId = tid;
  }
  const user = winlog["user"];
  const userSid = isRecord(user) ? textOf(user["identifier"]) : undefined;
  if (userSid !== undefined) record.userSid = userSid;

  const task = textOf(winlog["task"]);
  if (task !== undefined) record.task = task;
  const opcode = textOf(winlog["opcode"]);
  if (opcode !== undefined) record.opcode = opcode;
  const version = intOf(winlog["version"]);
  if (version !== undefined) record.version = version;
  const log = doc["log"];
  const level = winlog["level"] ?? (isRecord(log) ? log["level"] : undefined);
  if (typeof level === "number" || (typeof level === "string" && level !== "")) record.level = level;
  const keywords = keywordsOf(winlog["keywords"]);
  if (keywords !== undefined) record.keywords = keywords;
  const activity = textOf(winlog["activity_id"]);
  if (activity !== undefined) record.activityId = activity;
  const related = textOf(winlog["related_activity_id"]);
  if (related !== undefined) record.relatedActivityId = related;

  if (winlog["time_created"] !== undefined) record.times.push(["winlog.time_created", winlog["time_created"]]);
  if (doc["@timestamp"] !== undefined) record.times.push(["@timestamp", doc["@timestamp"]]);

  const eventData = eventDataOf(winlog["event_data"]);
  if (eventData !== undefined) record.eventData = eventData;
  const userData = winlog["user_data"];
  if (isRecord(userData)) record.userData = userData;
  return record;
}
