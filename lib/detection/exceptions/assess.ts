/**
 * Warnings for a draft exception, shown before an analyst saves it: an exception that only names
 * a program (`process.name is powershell.exe`) silences the rule for every use of that program,
 * attacker's included; and an exception that would suppress one of the rule's own attack samples
 * defeats the rule. Both are advice, never validation errors.
 */
import { parseCidr } from "../compile/cidr";
import { normalizePattern, type PatternPart } from "../compile/pattern";
import type { EcsEvent } from "../event/types";
import { parseSigmaString } from "../sigma/sigma-string";
import { isNegative, operandsOf } from "./operators";
import { isOrGroup, type ExceptionEntry, type ExceptionItem, type ExceptionPredicate } from "./types";

/**
 * Fields no narrower than a process name: names, event metadata, PE metadata of a file. An entry
 * on one of them says "this program" or "this kind of event", never "this activity".
 */
const COARSE_FIELDS: ReadonlySet<string> = new Set([
  "@timestamp",
  "tags",
  "process.name",
  "process.parent.name",
  "process.pe.original_file_name",
  "process.parent.pe.original_file_name",
  "file.name",
  "file.extension",
  "dll.name",
  "winlog.channel",
  "winlog.provider_name",
  "winlog.event_id",
]);
const COARSE_PREFIXES: readonly string[] = [
  "event.",
  "ecs.",
  "agent.",
  "data_stream.",
  "log.",
  "observer.",
  "host.os.",
  "network.",
  "process.pe.",
  "process.parent.pe.",
  "file.pe.",
  "dll.pe.",
];
/** A `matches` pattern with this many literal characters or fewer (`*`, `*.exe`, `*cmd*`) is broad. */
const MAX_BROAD_LITERAL = 4;

const BROAD_MESSAGE =
  "This exception is broad: its conditions name at most a program or a kind of event, so it would hide " +
  "this rule for every use of that program, an attacker's included. Add a narrower condition: the command " +
  "line, the full executable or parent executable path, a hash, the host, the user, the code signature or " +
  "the working directory.";

/** A warning when no positive entry is narrower than a whole process name; null when one is. */
export function broadnessWarning(entries: readonly ExceptionItem[]): string | null {
  return entries.some(isNarrow) ? null : BROAD_MESSAGE;
}

/** The labels of the samples (the rule pack's attack samples) the exception would suppress. */
export function attackWarning(predicate: ExceptionPredicate, samples: readonly { label: string; event: EcsEvent }[]): string[] {
  return samples.filter((s) => predicate(s.event)).map((s) => s.label);
}

/** An entry is narrow on its own; an `any` group only when every alternative is. */
function isNarrow(item: ExceptionItem): boolean {
  if (isOrGroup(item)) return item.any.length > 0 && item.any.every(isNarrow);
  return isNarrowEntry(item);
}

function isNarrowEntry(entry: ExceptionEntry): boolean {
  // Negative entries only carve out; `exists` says nothing about which activity it is.
  if (isNegative(entry.operator) || entry.operator === "exists") return false;
  if (isCoarseField(entry.field)) return false;
  const operands = operandsOf(entry);
  if (operands.length === 0) return false;
  switch (entry.operator) {
    case "matches":
      return operands.every((v) => !isBroadPattern(entry.field, parseSigmaString(v)));
    case "cidr":
      return operands.every(isNarrowNetwork);
    default:
      return operands.every((v) => v.trim() !== "");
  }
}

export function isCoarseField(field: string): boolean {
  return COARSE_FIELDS.has(field) || COARSE_PREFIXES.some((prefix) => field.startsWith(prefix));
}

/**
 * Only wildcards and a few literal characters; or, on a path field, `*` and a file name
 * (`*\cmd.exe` on process.executable says no more than process.name: cmd.exe).
 */
function isBroadPattern(field: string, parts: readonly PatternPart[]): boolean {
  let literal = 0;
  for (const p of parts) if (p.type === "Text") literal += p.text.length;
  if (literal <= MAX_BROAD_LITERAL) return true;
  return isPathField(field) && isAnyDirectory(parts);
}

function isPathField(field: string): boolean {
  return field.endsWith(".executable") || field.endsWith(".path") || field === "process.working_directory";
}

/** `*` then a text holding no separator except a leading one: any file of that name, anywhere. */
function isAnyDirectory(parts: readonly PatternPart[]): boolean {
  const normalized = normalizePattern(parts);
  const [first, second] = normalized;
  if (normalized.length !== 2 || first?.type !== "AnyChars" || second?.type !== "Text") return false;
  return !/[\\/]/.test(second.text.replace(/^[\\/]/, ""));
}

function isNarrowNetwork(value: string): boolean {
  const parsed = parseCidr(value);
  return parsed.ok && parsed.cidr.prefix > 0;
}
