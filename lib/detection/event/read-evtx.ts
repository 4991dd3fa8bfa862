import { eventDataOf, userDataOf } from "./event-data";
import type { EventObject } from "./types";
import { intOf, isRecord, textOf } from "./values";
import type { RecordError, WindowsRecord } from "./windows-record";
import { attr, elementText, elementValue, eventIdOf, invalidEventId, keywordsOf } from "./windows-record";

/**
 * Read evtx rendered as JSON: the `Event` element (`{"System": …, "EventData" | "UserData": …}`)
 * as evtx_dump, python-evtx/xmltodict or Velociraptor print it.
 */
export function readEvtxRecord(event: EventObject): WindowsRecord | RecordError {
  const system = event["System"];
  if (!isRecord(system)) return { invalid: "Event.System is not an object" };
  const rawId = system["EventID"];
  const eventId = eventIdOf(rawId);
  if (eventId === undefined) return invalidEventId(rawId);

  const record: WindowsRecord = { eventId, times: [] };
  const provider = system["Provider"];
  const providerName = textOf(attr(provider, "Name", "@Name"));
  if (providerName !== undefined) record.provider = providerName;
  const providerGuid = textOf(attr(provider, "Guid", "@Guid"));
  if (providerGuid !== undefined) record.providerGuid = providerGuid;
  const channel = elementText(system["Channel"]);
  if (channel !== undefined) record.channel = channel;
  const computer = elementText(system["Computer"]);
  if (computer !== undefined) record.computer = computer;
  const recordId = elementText(system["EventRecordID"]);
  if (recordId !== undefined) record.recordId = recordId;

  const execution = system["Execution"];
  if (execution != null) {
    const pid = intOf(attr(execution, "ProcessID", "@ProcessID"));
    if (pid !== undefined) record.processId = pid;
    const tid = intOf(attr(execution, "ThreadID", "@ThreadID"));
    if (tid !== undefined) record.threadId = tid;
  }
  const userSid = textOf(attr(system["Security"], "UserID", "@UserID"));
  if (userSid !== undefined) record.userSid = userSid;

  const task = elementText(system["Task"]);
  if (task !== undefined) record.task = task;
  const opcode = elementText(system["Opcode"]);
  if (opcode !== undefined) record.opcode = opcode;
  const version = intOf(elementValue(system["Version"]));
  if (version !== undefined) record.version = version;
  const level = elementValue(system["Level"]);
  if (typeof level === "number" || (typeof level === "string" && level !== "")) record.level = level;
  const keywords = keywordsOf(system["Keywords"]);
  if (keywords !== undefined) record.keywords = keywords;

  const correlation = system["Correlation"];
  if (correlation != null) {
    const activity = textOf(attr(correlation, "ActivityID", "@ActivityID"));
    if (activity !== undefined) record.activityId = activity;
    const related = textOf(attr(correlation, "RelatedActivityID", "@RelatedActivityID"));
    if (related !== undefined) record.relatedActivityId = related;
  }

  const created = system["TimeCreated"];
  if (created != null) record.times.push(["TimeCreated", isRecord(created) ? attr(created, "SystemTime", "@SystemTime") : created]);

  const eventData = eventDataOf(event["EventData"]);
  if (eventData !== undefined) record.eventData = eventData;
  const userData = userDataOf(event["UserData"]);
  if (userData !== undefined) record.userData = userData;
  return record;
}
