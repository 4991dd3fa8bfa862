import { eventDataOf, userDataOf } from "./event-data";
import type { EventObject } from "./types";
import { intOf, isRecord, textOf } from "./values";
import type { RecordError, WindowsRecord } from "./windows-record";
import { attr, attrGuid, attrName, attrProcessId, attrSystemTime, attrThreadId, attrUserId, elementText, elementValue, eventIdOf, invalidEventId, keywordsOf, newWindowsRecord } from "./windows-record";

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

  const record: WindowsRecord = newWindowsRecord(eventId);
  const provider = system["Provider"];
  record.provider = textOf(attrName(provider));
  record.providerGuid = textOf(attrGuid(provider));
  record.channel = elementText(system["Channel"]);
  record.computer = elementText(system["Computer"]);
  record.recordId = elementText(system["EventRecordID"]);

  const execution = system["Execution"];
  if (execution != null) {
    record.processId = intOf(attrProcessId(execution));
    record.threadId = intOf(attrThreadId(execution));
  }
  record.userSid = textOf(attrUserId(system["Security"]));

  record.task = elementText(system["Task"]);
  record.opcode = elementText(system["Opcode"]);
  record.version = intOf(elementValue(system["Version"]));
  const level = elementValue(system["Level"]);
  if (typeof level === "number" || (typeof level === "string" && level !== "")) record.level = level;
  record.keywords = keywordsOf(system["Keywords"]);

  const correlation = system["Correlation"];
  if (correlation != null) {
    record.activityId = textOf(attr(correlation, "ActivityID", "@ActivityID"));
    record.relatedActivityId = textOf(attr(correlation, "RelatedActivityID", "@RelatedActivityID"));
  }

  const created = system["TimeCreated"];
  if (created != null) record.times = [["TimeCreated", isRecord(created) ? attrSystemTime(created) : created]];

  record.eventData = eventDataOf(event["EventData"]);
  record.userData = userDataOf(event["UserData"]);
  return record;
}
