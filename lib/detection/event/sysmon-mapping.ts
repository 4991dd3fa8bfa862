import { compileFieldRules, type FieldMapper } from "./compile-field-rules";
import type { FieldRule } from "./field-rules";
import { field } from "./field-rules";
import { dnsAnswers, ipType } from "./network-fields";
import { registryFields } from "./registry-fields";
import type { CommandLineStyle } from "./split-command-line";
import type { EventObject } from "./types";
import { boolOf, child, shallowCopy, textOf } from "./values";

/**
 * Sysmon EventData → ECS, one table row per event id: what the event is (`event.category`,
 * `event.type`, `event.action`) and which fields go where. It follows Elastic's Sysmon pipeline
 * (winlogbeat's sysmon module / the Windows integration), so rules written for Elastic's Sysmon
 * data work here, with the deviations marked "ECS" where Elastic's output contradicts ECS.
 *
 * `event.action` is the event's task name as Sysmon's manifest renders it (what winlogbeat puts
 * in event.action), fixed per event id so every envelope gives the same action.
 */
export interface SysmonEventSpec {
  readonly action: string;
  readonly category?: readonly string[];
  readonly type?: readonly string[];
  readonly outcome?: string;
  readonly fields: readonly FieldRule[];
  /** Structure a field-to-field row cannot express. */
  readonly extra?: "network" | "driver" | "image_load" | "registry" | "dns" | "error";
}

/** Fields of the process that caused the event, present in most Sysmon events. */
const ACTOR: readonly FieldRule[] = [
  field("ProcessGuid", "process.entity_id", "guid"),
  field("ProcessId", "process.pid", "int"),
  field("Image", "process.executable"),
  field("User", "user", "user"),
  field("RuleName", "rule.name"),
];

/** Sysmon 8 and 10 name the acting process Source*; the target process stays in event_data, as in Elastic. */
const SOURCE_ACTOR: readonly FieldRule[] = [
  field("SourceProcessGuid", "process.entity_id", "guid"),
  field("SourceProcessGUID", "process.entity_id", "guid"),
  field("SourceProcessId", "process.pid", "int"),
  field("SourceThreadId", "process.thread.id", "int"),
  field("SourceImage", "process.executable"),
  field("SourceUser", "user", "user"),
  field("TargetUser", "user.target", "user"),
  field("RuleName", "rule.name"),
];

const TARGET_FILE: readonly FieldRule[] = [...ACTOR, field("TargetFilename", "file.path")];
// ECS: the hashes of a deleted or blocked file are the file's (Elastic puts Sysmon 23's in process.hash).
const TARGET_FILE_HASHED: readonly FieldRule[] = [...TARGET_FILE, field("Hashes", "file", "hashes")];

export const SYSMON_EVENTS: Readonly<Record<number, SysmonEventSpec>> = {
  1: {
    action: "Process Create (rule: ProcessCreate)",
    category: ["process"],
    type: ["start"],
    fields: [
      ...ACTOR,
      field("CommandLine", "process.command_line"),
      field("CurrentDirectory", "process.working_directory"),
      field("ParentProcessGuid", "process.parent.entity_id", "guid"),
      field("ParentProcessId", "process.parent.pid", "int"),
      field("ParentImage", "process.parent.executable"),
      field("ParentCommandLine", "process.parent.command_line"),
      // ECS: the parent's account is the parent process's user (Elastic leaves it in event_data).
      field("ParentUser", "process.parent.user", "user"),
      field("Hashes", "process", "hashes"),
      field("OriginalFileName", "process.pe.original_file_name"),
      field("Company", "process.pe.company"),
      field("Description", "process.pe.description"),
      field("FileVersion", "process.pe.file_version"),
      field("Product", "process.pe.product"),
      field("LogonId", "winlog.logon.id"),
    ],
  },
  2: { action: "File creation time changed (rule: FileCreateTime)", category: ["file"], type: ["change"], fields: TARGET_FILE },
  3: {
    action: "Network connection detected (rule: NetworkConnect)",
    category: ["network"],
    type: ["connection", "start"],
    fields: [
      ...ACTOR,
      field("Protocol", "network.transport", "lower"),
      field("DestinationPortName", "network.protocol", "lower"),
      field("SourceIp", "source.ip"),
      field("SourceHostname", "source.domain"),
      field("SourcePort", "source.port", "int"),
      field("DestinationIp", "destination.ip"),
      field("DestinationHostname", "destination.domain"),
      field("DestinationPort", "destination.port", "int"),
    ],
    extra: "network",
  },
  4: { action: "Sysmon service state changed", category: ["process"], type: ["change"], fields: [] },
  5: { action: "Process terminated (rule: ProcessTerminate)", category: ["process"], type: ["end"], fields: ACTOR },
  6: {
    action: "Driver loaded (rule: DriverLoad)",
    category: ["driver"],
    type: ["start"],
    fields: [
      field("RuleName", "rule.name"),
      field("ImageLoaded", "file.path"),
      field("Hashes", "file", "hashes"),
      field("Signed", "file.code_signature.signed", "bool"),
      field("Signature", "file.code_signature.subject_name"),
      field("SignatureStatus", "file.code_signature.status"),
    ],
    extra: "driver",
  },
  7: {
    // ECS: a module load is a `library` event with `dll.*`, as Elastic Defend writes it (Elastic's
    // Sysmon pipeline says process/change with file.*); file.* is filled too, see `extra`.
    action: "Image loaded (rule: ImageLoad)",
    category: ["library"],
    type: ["start"],
    fields: [
      ...ACTOR,
      field("ImageLoaded", "dll.path"),
      field("Hashes", "dll", "hashes"),
      field("OriginalFileName", "dll.pe.original_file_name"),
      field("Company", "dll.pe.company"),
      field("Description", "dll.pe.description"),
      field("FileVersion", "dll.pe.file_version"),
      field("Product", "dll.pe.product"),
      field("Signed", "dll.code_signature.signed", "bool"),
      field("Signature", "dll.code_signature.subject_name"),
      field("SignatureStatus", "dll.code_signature.status"),
    ],
    extra: "image_load",
  },
  8: { action: "CreateRemoteThread detected (rule: CreateRemoteThread)", category: ["process"], type: ["change"], fields: SOURCE_ACTOR },
  9: { action: "RawAccessRead detected (rule: RawAccessRead)", category: ["process"], type: ["access"], fields: [...ACTOR, field("Device", "file.path")] },
  10: { action: "Process accessed (rule: ProcessAccess)", category: ["process"], type: ["access"], fields: SOURCE_ACTOR },
  11: { action: "File created (rule: FileCreate)", category: ["file"], type: ["creation"], fields: TARGET_FILE },
  12: { action: "Registry object added or deleted (rule: RegistryEvent)", category: ["configuration", "registry"], type: ["change"], fields: ACTOR, extra: "registry" },
  13: { action: "Registry value set (rule: RegistryEvent)", category: ["configuration", "registry"], type: ["change"], fields: ACTOR, extra: "registry" },
  14: { action: "Registry object renamed (rule: RegistryEvent)", category: ["configuration", "registry"], type: ["change"], fields: ACTOR, extra: "registry" },
  15: {
    action: "File stream created (rule: FileCreateStreamHash)",
    category: ["file"],
    type: ["access"],
    fields: [...TARGET_FILE, field("Hash", "file", "hashes")],
  },
  16: { action: "Sysmon config state changed", category: ["configuration"], type: ["change"], fields: [] },
  17: { action: "Pipe Created (rule: PipeEvent)", category: ["file"], type: ["creation"], fields: [...ACTOR, field("PipeName", "file.name")] },
  18: { action: "Pipe Connected (rule: PipeEvent)", category: ["file"], type: ["access"], fields: [...ACTOR, field("PipeName", "file.name")] },
  19: { action: "WmiEventFilter activity detected (rule: WmiEvent)", category: ["process"], type: ["info"], fields: ACTOR },
  20: { action: "WmiEventConsumer activity detected (rule: WmiEvent)", category: ["process"], type: ["change"], fields: ACTOR },
  21: { action: "WmiEventConsumerToFilter activity detected (rule: WmiEvent)", category: ["process"], type: ["access"], fields: ACTOR },
  22: {
    action: "Dns query (rule: DnsQuery)",
    category: ["network"],
    type: ["connection", "protocol", "info"],
    fields: [...ACTOR, field("QueryName", "dns.question.name")],
    extra: "dns",
  },
  23: { action: "File Delete archived (rule: FileDelete)", category: ["file"], type: ["deletion"], fields: TARGET_FILE_HASHED },
  24: { action: "Clipboard changed (rule: ClipboardChange)", type: ["change"], fields: ACTOR },
  25: { action: "Process Tampering (rule: ProcessTampering)", category: ["process"], type: ["change"], fields: ACTOR },
  26: { action: "File Delete logged (rule: FileDeleteDetected)", category: ["file"], type: ["deletion"], fields: TARGET_FILE_HASHED },
  27: {
    action: "File Block Executable (rule: FileBlockExecutable)",
    category: ["file"],
    type: ["creation"],
    outcome: "failure",
    fields: TARGET_FILE_HASHED,
  },
  28: { action: "File Block Shredding (rule: FileBlockShredding)", category: ["file"], type: ["deletion"], fields: TARGET_FILE_HASHED },
  29: { action: "File Executable Detected (rule: FileExecutableDetected)", category: ["file"], type: ["creation"], fields: TARGET_FILE_HASHED },
  255: { action: "Error report", category: ["process"], outcome: "failure", fields: [], extra: "error" },
};

/** Each event id's table compiled once (compile-field-rules.ts), by event id. */
const SYSMON_MAPPERS: readonly (FieldMapper | undefined)[] = (() => {
  const mappers: (FieldMapper | undefined)[] = [];
  for (const [id, spec] of Object.entries(SYSMON_EVENTS)) mappers[Number(id)] = compileFieldRules(spec.fields);
  return mappers;
})();

/**
 * Map a Sysmon event's data into `out` (which already holds the common Windows fields).
 * `event` is `out.event`; `style` splits command lines (see compile-field-rules.ts). Unknown
 * event ids keep the common mapping only.
 */
export function mapSysmonEvent(eventId: number, eventData: EventObject, out: EventObject, event: EventObject, warnings: string[], style: CommandLineStyle): void {
  const spec = SYSMON_EVENTS[eventId];
  if (spec === undefined) return;
  event["action"] = spec.action;
  if (spec.category !== undefined) event["category"] = spec.category.slice();
  if (spec.type !== undefined) event["type"] = spec.type.slice();
  if (spec.outcome !== undefined) event["outcome"] = spec.outcome;
  SYSMON_MAPPERS[eventId]!(eventData, out, warnings, style);
  switch (spec.extra) {
    case "network":
      mapNetwork(eventData, out);
      break;
    case "driver":
      addSignatureValidity(out["file"]);
      break;
    case "image_load":
      addSignatureValidity(out["dll"]);
      mirrorDllToFile(out);
      break;
    case "registry":
      mapRegistry(eventId, eventData, out);
      break;
    case "dns":
      mapDns(eventData, out);
      break;
    case "error": {
      const id = textOf(eventData["ID"]);
      if (id !== undefined) child(out, "error")["code"] = id;
      break;
    }
    case undefined:
      break;
  }
}

function mapNetwork(eventData: EventObject, out: EventObject): void {
  // Initiated is "true"/"false" in the XML; JSON exporters sometimes type it as a boolean.
  const initiated = boolOf(eventData["Initiated"]);
  if (initiated !== undefined) child(out, "network")["direction"] = initiated ? "egress" : "ingress";
  const v6 = boolOf(eventData["SourceIsIpv6"]);
  const address = textOf(eventData["SourceIp"]) ?? textOf(eventData["DestinationIp"]);
  const type = v6 !== undefined ? (v6 ? "ipv6" : "ipv4") : address === undefined ? undefined : ipType(address);
  if (type !== undefined) child(out, "network")["type"] = type;
}

function addSignatureValidity(namespace: unknown): void {
  if (typeof namespace !== "object" || namespace === null || Array.isArray(namespace)) return;
  const signature = (namespace as EventObject)["code_signature"];
  if (typeof signature !== "object" || signature === null || Array.isArray(signature)) return;
  const status = signature["status"];
  if (typeof status === "string") signature["valid"] = status === "Valid";
}

/**
 * Elastic's rules for module loads read either `dll.*` (Elastic Defend) or `file.*` (Elastic's
 * Sysmon pipeline), often as `dll.name : x or file.name : x`; filling both lets either kind match.
 */
function mirrorDllToFile(out: EventObject): void {
  const dll = out["dll"];
  if (typeof dll !== "object" || dll === null || Array.isArray(dll)) return;
  const file = child(out, "file");
  for (const key of Object.keys(dll)) {
    const value = dll[key]!;
    file[key] = typeof value === "object" && value !== null && !Array.isArray(value) ? shallowCopy(value) : value;
  }
}

function mapRegistry(eventId: number, eventData: EventObject, out: EventObject): void {
  const target = textOf(eventData["TargetObject"]);
  if (target === undefined) return;
  // Sysmon 12 reports CreateKey / DeleteKey / DeleteValue, 13 SetValue, 14 RenameKey / RenameValue.
  const eventType = textOf(eventData["EventType"]);
  const isValueEvent = eventType !== undefined ? !eventType.endsWith("Key") : eventId === 13;
  out["registry"] = registryFields(target, textOf(eventData["Details"]), isValueEvent);
}

function mapDns(eventData: EventObject, out: EventObject): void {
  child(out, "network")["protocol"] = "dns";
  const results = textOf(eventData["QueryResults"]);
  if (results === undefined) return;
  const { answers, resolvedIps } = dnsAnswers(results);
  if (answers.length > 0) child(out, "dns")["answers"] = answers;
  if (resolvedIps.length > 0) child(out, "dns")["resolved_ip"] = resolvedIps;
}
