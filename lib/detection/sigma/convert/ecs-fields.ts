/**
 * Where a Sigma field is read in Elastic's ECS data, derived from Vigil's own logsource tables
 * (sigma/logsources.ts, via `fieldSources`), so a converted EQL query reads what Vigil's Sigma
 * engine reads.
 *
 * On Windows logsources Vigil reads the original event data first (`winlog.event_data.<Field>`),
 * then the ECS field. Where the ECS field is a verbatim copy of that original (Vigil's normalizer
 * copies Sysmon's `Image` into `process.executable`, and so do Elastic's integrations), the query
 * reads only the ECS field, as Elastic's rules do. Where it is not (registry `Details`, which ECS
 * rewrites from `DWORD (0x00000001)` to `1`; Sysmon's `TargetImage`, `ScriptBlockText`, GUIDs),
 * the query reads the original first, exactly as Vigil does: `winlog.event_data.Details : "…" or
 * winlog.event_data.Details == null and registry.data.strings : "…"`. A field with no ECS mapping
 * is read from `winlog.event_data.<Field>` (and `winlog.user_data.<Field>` on channels other than
 * Sysmon's and Security's, whose records carry UserData).
 */
import { SYSMON_EVENTS } from "../../event/sysmon-mapping";
import { ACTING_PROCESS, PROCESS_CREATE } from "../../event/security-mapping";
import type { FieldRule } from "../../event/field-rules";
import type { FieldSource, LogsourceDefinition, WindowsSelector } from "../logsources";
import { fieldSources } from "../resolve-logsource";

export type EcsFieldTarget =
  /** The first of these fields that has a value (usually one). */
  | { kind: "paths"; paths: string[] }
  /** Windows `User`: `user.domain\user.name`, or whichever part is present. */
  | { kind: "user"; domain: string; name: string }
  /** Sysmon's `Hashes` text (`SHA1=…,MD5=…`), rebuilt from ECS hash fields. */
  | { kind: "hashes"; hashes: readonly (readonly [label: string, path: string])[] }
  /** A value translated through a table (`network.direction: egress` is `Initiated: true`). */
  | { kind: "table"; path: string; values: Readonly<Record<string, string>> };

const SYSMON_CHANNEL = "microsoft-windows-sysmon/operational";
const SECURITY_CHANNEL = "security";

export function ecsFieldTarget(definition: LogsourceDefinition, name: string): EcsFieldTarget | { unsupported: string } {
  const sources = fieldSources(definition, name);
  const isOriginal = (s: FieldSource): s is string => typeof s === "string" && /^winlog\.(event_data|user_data)\./.test(s);
  const originals = sources.filter(isOriginal);
  const ecs = sources.filter((s) => !isOriginal(s));
  const eventData = originals.find((s) => s.startsWith("winlog.event_data."));
  const userData = originals.find((s) => s.startsWith("winlog.user_data."));
  if (ecs.length === 0) {
    if (eventData === undefined) return { unsupported: `Vigil has no ECS field for \`${name}\`` };
    return { kind: "paths", paths: userData !== undefined && carriesUserData(definition) ? [eventData, userData] : [eventData] };
  }
  if (ecs.every((s): s is string => typeof s === "string")) {
    const original = eventData !== undefined && !isSystemField(ecs) && !copiedVerbatim(definition, name, ecs[0]!);
    return { kind: "paths", paths: original ? [eventData!, ...ecs] : ecs };
  }
  // The composite readers below rebuild the original's text from ECS exactly as Vigil's
  // normalizer split it (a domain and a name, the digests, the direction), so the ECS fields suffice.
  const [first, ...rest] = ecs;
  if (typeof first === "object" && "join" in first) {
    const [domain, user] = first.join;
    // Vigil's Windows `User`: the present parts joined, then `user.name` as written.
    if (first.join.length === 2 && first.separator === "\\" && rest.length === 1 && rest[0] === user) {
      return { kind: "user", domain: domain!, name: user! };
    }
  } else if (typeof first === "object" && "hashes" in first && rest.length === 0) {
    return { kind: "hashes", hashes: first.hashes };
  } else if (typeof first === "object" && "values" in first && rest.length === 0) {
    return { kind: "table", path: first.path, values: first.values };
  }
  return { unsupported: `Vigil reads \`${name}\` from a combination of fields EQL cannot express` };
}

function selectorsOf(definition: LogsourceDefinition): readonly WindowsSelector[] {
  return Array.isArray(definition.windows) ? (definition.windows as readonly WindowsSelector[]) : [];
}

/** System fields (`Channel`, `Computer`, `EventID`) come from the record's header, never from its event data. */
function isSystemField(ecs: readonly string[]): boolean {
  return ecs.some((s) => s.startsWith("winlog.") && !/^winlog\.(event_data|user_data)\./.test(s));
}

/** Records of channels other than Sysmon's and Security's may carry UserData instead of EventData (WMI, AppLocker, …). */
function carriesUserData(definition: LogsourceDefinition): boolean {
  if (definition.ecs) return false;
  const channels = selectorsOf(definition).flatMap((s) => s.channels ?? []);
  return channels.some((c) => c.toLowerCase() !== SYSMON_CHANNEL && c.toLowerCase() !== SECURITY_CHANNEL);
}

/** ECS fields Vigil's normalizer fills from the original outside its field tables (registry-fields.ts: "registry.path is TargetObject as written"). */
const COPIED_OUTSIDE_TABLES: Readonly<Record<string, string>> = { TargetObject: "registry.path" };
/** Kinds of normalizer rows that keep the value's text (up to case, which Sigma ignores, and a number's spelling). */
const VERBATIM_KINDS = new Set(["text", "lower", "int", "bool"]);

/**
 * Whether, on every event of the logsource that carries the original field, Vigil's normalizer
 * (event/sysmon-mapping.ts, event/security-mapping.ts) writes the same value to `path`.
 */
function copiedVerbatim(definition: LogsourceDefinition, name: string, path: string): boolean {
  const field = name.replace(/\s+/g, "");
  if (COPIED_OUTSIDE_TABLES[field] === path) return true;
  const rules: FieldRule[] = [];
  for (const s of selectorsOf(definition)) {
    const channels = (s.channels ?? []).map((c) => c.toLowerCase());
    if (channels.includes(SYSMON_CHANNEL)) {
      for (const id of s.eventIds ?? []) rules.push(...(SYSMON_EVENTS[id]?.fields ?? []));
    } else if (channels.includes(SECURITY_CHANNEL)) {
      for (const id of s.eventIds ?? []) rules.push(...(id === 4688 ? PROCESS_CREATE : ACTING_PROCESS));
    }
  }
  const mine = rules.filter((r) => r.from === field);
  return mine.length > 0 && mine.every((r) => r.to.join(".") === path && VERBATIM_KINDS.has(r.kind));
}

/**
 * ECS fields whose type is not `keyword` (ECS field reference), for the literals the query
 * compares them with: `destination.port == 443`, not `destination.port : "443"`, which
 * Elasticsearch would reject on a `long` field.
 */
const NUMERIC = new Set([
  "process.pid",
  "process.parent.pid",
  "process.args_count",
  "process.parent.args_count",
  "process.thread.id",
  "source.port",
  "destination.port",
  "client.port",
  "server.port",
  "winlog.process.pid",
  "winlog.process.thread.id",
  "network.bytes",
  "source.bytes",
  "destination.bytes",
]);
const IP = new Set(["source.ip", "destination.ip", "client.ip", "server.ip", "host.ip", "dns.resolved_ip"]);
const BOOLEAN_SUFFIXES = [".code_signature.signed", ".code_signature.trusted", ".code_signature.exists"];

export type EcsType = "keyword" | "number" | "ip" | "boolean";

export function ecsType(path: string): EcsType {
  if (NUMERIC.has(path)) return "number";
  if (IP.has(path)) return "ip";
  if (BOOLEAN_SUFFIXES.some((s) => path.endsWith(s))) return "boolean";
  return "keyword";
}
