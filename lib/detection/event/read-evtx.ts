import { eventDataOf as eventDataOfImport, userDataOf as userDataOfImport } from "./event-data";
import type { EventObject } from "./types";
import { intOf as intOfImport, isRecord as isRecordImport, textOf as textOfImport } from "./values";
import type { RecordError, WindowsRecord } from "./windows-record";
import { attr as attrImport, attrGuid as attrGuidImport, attrName as attrNameImport, attrProcessId as attrProcessIdImport, attrSystemTime as attrSystemTimeImport, attrThreadId as attrThreadIdImport, attrUserId as attrUserIdImport, elementText as elementTextImport, elementValue as elementValueImport, eventIdOf as eventIdOfImport, invalidEventId as invalidEventIdImport, keywordsOf as keywordsOfImport, newWindowsRecord as newWindowsRecordImport } from "./windows-record";

// Imported functions bound to module-local names once: see `values.ts`, "Module-local bindings".
const eventDataOf = eventDataOfImport;
const userDataOf = userDataOfImport;
const intOf = intOfImport;
const isRecord = isRecordImport;
const textOf = textOfImport;
const attr = attrImport;
const attrGuid = attrGuidImport;
const attrName = attrNameImport;
const attrProcessId = attrProcessIdImport;
const attrSystemTime = attrSystemTimeImport;
const attrThreadId = attrThreadIdImport;
const attrUserId = attrUserIdImport;
const elementText = elementTextImport;
const elementValue = elementValueImport;
const eventIdOf = eventIdOfImport;
const invalidEventId = invalidEventIdImport;
const keywordsOf = keywordsOfImport;
const newWindowsRecord = newWindowsRecordImport;

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
