import type { Owned } from "./copy-on-write";
import { writableChild } from "./copy-on-write";
import type { EventObject, FieldValue } from "./types";
import { isRecord } from "./values";
import { describe } from "./windows-record";

/**
 * Longest command line or executable path kept, in UTF-16 code units: Windows' own limit
 * (CreateProcess's command line and an extended-length path hold at most 32,767 characters), so
 * a value a Windows host really logged is never cut; only forged ones and very long POSIX
 * command lines are.
 */
export const MAX_LONG_TEXT_CHARS = 32_768;

/**
 * Longest host, user, domain or process name kept. Every system limits these to 255 characters
 * or fewer (a file name, a DNS name, a Windows account); 512 leaves room and keeps one, at up to
 * three UTF-8 bytes per UTF-16 unit, under PostgreSQL's 2,704-byte b-tree entry (the store
 * indexes host and parent names).
 */
export const MAX_NAME_CHARS = 512;

interface Limit {
  readonly leaf: string;
  readonly max: number;
}

const PROCESS: readonly Limit[] = [
  { leaf: "command_line", max: MAX_LONG_TEXT_CHARS },
  { leaf: "executable", max: MAX_LONG_TEXT_CHARS },
  { leaf: "name", max: MAX_NAME_CHARS },
];

const NAME: readonly Limit[] = [{ leaf: "name", max: MAX_NAME_CHARS }];

/** What limiting reports: warnings, and the paths it cut (each once; created at the first). */
export interface LimitReport {
  warnings: string[];
  truncated?: string[];
}

/** Fields under one parent object, with every key they can be read under, computed once. */
interface Group {
  readonly path: readonly string[];
  readonly limits: readonly Limit[];
  /** The ECS path of each limit, for warnings and `vigil.truncated`. */
  readonly names: readonly string[];
  /**
   * `keys[d][f]`: the key limit `f` is read under when only the first `d` segments of `path`
   * exist as objects: the rest of the path as one dotted key (`{"process": {"parent.name": …}}`).
   */
  readonly keys: readonly (readonly string[])[];
}

function group(path: readonly string[], limits: readonly Limit[]): Group {
  const keys: string[][] = [];
  for (let d = 0; d <= path.length; d++) keys.push(limits.map((l) => [...path.slice(d), l.leaf].join(".")));
  return { path, limits, names: keys[0]!, keys };
}

/** The string fields Vigil indexes and shows in the alert queue, by parent object. */
const GROUPS: readonly Group[] = [
  group(["process"], PROCESS),
  group(["process", "parent"], PROCESS),
  group(["host"], NAME),
  group(["user"], [
    { leaf: "name", max: MAX_NAME_CHARS },
    { leaf: "domain", max: MAX_NAME_CHARS },
  ]),
];

/** The names `completeEcs` derives from an executable (its base name can be as long as it). */
const DERIVED_NAMES: readonly Group[] = [group(["process"], NAME), group(["process", "parent"], NAME)];

/*
 * Every name read here is a fixed ECS name (or names joined by dots), none of which is an
 * `Object.prototype` member, so plain property reads equal own-property reads (and are faster).
 */

/**
 * Bound the few string fields Vigil indexes and displays (`process.command_line`,
 * `process.executable`, `process.name`, the same under `process.parent`, `host.name`,
 * `user.name`, `user.domain`), so that one hostile or broken event cannot make every rule, the
 * queue and the store work on a megabyte-long command line or a host name too long to index:
 *
 * - a longer string keeps its first `max` code units (one fewer when the cut would split a
 *   surrogate pair); its path is added to `truncated` and a warning says so;
 * - a number or boolean becomes its text, as the Windows mappings do (`"CommandLine": 123`);
 * - anything else (an object, a non-finite number) is dropped with a warning, so a derived value
 *   (`process.name` from the executable) can take its place;
 * - an array is kept, each element treated as above (ECS lets any field hold several values).
 *
 * A field is found where the field getter (`compileFieldGetter`) finds it, so a rule and the
 * queue never read a longer value than this bounds: down the path while each object exists,
 * then the rest of the path as one dotted key (`{"process.command_line": …}` in an evtx
 * document's extras, `{"process": {"parent.name": …}}`). Fields inside arrays of objects
 * (`"process": [{…}]`, not ECS) are left as sent.
 *
 * Runs before derived fields are filled, so `process.args` and `process.name` come from the
 * values the event keeps, and every rule sees exactly what is stored. Returns whether a process
 * has no name and an executable longer than a name may be: then call `limitDerivedNames` after
 * `completeEcs`, which derives the name from it. The check per field is a type test and a
 * length compare: nothing is copied unless a value changes. Writes go through copy on write
 * (`owned`).
 */
export function limitFields(doc: EventObject, owned: Owned, report: LimitReport): boolean {
  const found = fitness(doc);
  if (found === TOO_LONG) limit(GROUPS, doc, owned, report);
  return found !== FITS;
}

/** `limitFields` for `process.name` and `process.parent.name` only: after `completeEcs`. */
export function limitDerivedNames(doc: EventObject, owned: Owned, report: LimitReport): void {
  limit(DERIVED_NAMES, doc, owned, report);
}

/*
 * The check every event pays, written out field by field: a read whose key is a constant stays
 * on V8's fast path, while `limit`'s table-driven reads (one site, every key) made a Sysmon
 * event's normalization a tenth slower (measured). `limit` runs only when something does not fit.
 */

/** Whether `value` needs nothing done: text within `max`, or no value. */
function fits(value: FieldValue | undefined, max: number): boolean {
  return typeof value === "string" ? value.length <= max : value === undefined || value === null;
}

const FITS = 0;
/** Everything fits, but a name derived from an executable would not. */
const NAME_TOO_LONG = 1;
const TOO_LONG = 2;

/** Whether a process object's name will be derived from an executable longer than a name. */
function derivesLongName(process: EventObject, executable: FieldValue | undefined): boolean {
  return typeof executable === "string" && executable.length > MAX_NAME_CHARS && process["name"] === undefined;
}

/** FITS, NAME_TOO_LONG or TOO_LONG: every limited field where the field getter would find it. */
function fitness(doc: EventObject): number {
  let result = FITS;
  const process = doc["process"];
  if (isRecord(process)) {
    const executable = process["executable"];
    if (!fits(process["command_line"], MAX_LONG_TEXT_CHARS) || !fits(executable, MAX_LONG_TEXT_CHARS) || !fits(process["name"], MAX_NAME_CHARS)) return TOO_LONG;
    if (derivesLongName(process, executable)) result = NAME_TOO_LONG;
    const parent = process["parent"];
    if (isRecord(parent)) {
      const parentExecutable = parent["executable"];
      if (!fits(parent["command_line"], MAX_LONG_TEXT_CHARS) || !fits(parentExecutable, MAX_LONG_TEXT_CHARS) || !fits(parent["name"], MAX_NAME_CHARS)) return TOO_LONG;
      if (derivesLongName(parent, parentExecutable)) result = NAME_TOO_LONG;
    } else if (parent === undefined) {
      if (!fits(process["parent.command_line"], MAX_LONG_TEXT_CHARS) || !fits(process["parent.executable"], MAX_LONG_TEXT_CHARS) || !fits(process["parent.name"], MAX_NAME_CHARS)) return TOO_LONG;
    }
  } else if (process === undefined) {
    if (!fits(doc["process.command_line"], MAX_LONG_TEXT_CHARS) || !fits(doc["process.executable"], MAX_LONG_TEXT_CHARS) || !fits(doc["process.name"], MAX_NAME_CHARS)) return TOO_LONG;
    if (!fits(doc["process.parent.command_line"], MAX_LONG_TEXT_CHARS) || !fits(doc["process.parent.executable"], MAX_LONG_TEXT_CHARS) || !fits(doc["process.parent.name"], MAX_NAME_CHARS)) return TOO_LONG;
  }
  const host = doc["host"];
  if (isRecord(host)) {
    if (!fits(host["name"], MAX_NAME_CHARS)) return TOO_LONG;
  } else if (host === undefined && !fits(doc["host.name"], MAX_NAME_CHARS)) {
    return TOO_LONG;
  }
  const user = doc["user"];
  if (isRecord(user)) {
    if (!fits(user["name"], MAX_NAME_CHARS) || !fits(user["domain"], MAX_NAME_CHARS)) return TOO_LONG;
  } else if (user === undefined && (!fits(doc["user.name"], MAX_NAME_CHARS) || !fits(doc["user.domain"], MAX_NAME_CHARS))) {
    return TOO_LONG;
  }
  return result;
}

/** The slow path: fit each field of `groups` that does not fit, as `limitFields` describes. */
function limit(groups: readonly Group[], doc: EventObject, owned: Owned, report: LimitReport): void {
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const path = group.path;
    let object: EventObject = doc;
    let depth = 0;
    let reachable = true;
    for (; depth < path.length; depth++) {
      const next: FieldValue | undefined = object[path[depth]!];
      if (next === undefined) break;
      // null, text or an array where an object belongs: the getter reads nothing below it.
      if (!isRecord(next)) {
        reachable = false;
        break;
      }
      object = next;
    }
    if (!reachable) continue;
    const keys = group.keys[depth]!;
    for (let f = 0; f < keys.length; f++) {
      const key = keys[f]!;
      const max = group.limits[f]!.max;
      const value = object[key];
      if (typeof value === "string" ? value.length <= max : value === undefined || value === null) continue;
      const target = writableAt(doc, path, depth, owned);
      if (target === undefined) continue;
      const fitted = fit(value!, max, group.names[f]!, report);
      if (fitted === undefined) delete target[key];
      else target[key] = fitted;
    }
  }
}

/** The value to keep for `value`, or undefined to drop it. */
function fit(value: FieldValue, max: number, path: string, report: LimitReport): FieldValue | undefined {
  if (Array.isArray(value)) {
    const out: FieldValue[] = [];
    for (const item of value) {
      if (item === null) out.push(item);
      else {
        const kept = fit(item, max, path, report);
        if (kept !== undefined) out.push(kept);
      }
    }
    return out.length > 0 ? out : undefined;
  }
  if (typeof value === "string") {
    if (value.length <= max) return value;
    // Never leave half a surrogate pair: an unpaired surrogate is not text PostgreSQL stores.
    const cut = isHighSurrogate(value.charCodeAt(max - 1)) ? max - 1 : max;
    const truncated = (report.truncated ??= []);
    if (!truncated.includes(path)) {
      truncated.push(path);
      report.warnings.push(`${path} is ${value.length} characters long; only the first ${cut} are kept (vigil.truncated)`);
    }
    return value.slice(0, cut);
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  report.warnings.push(`${path} is ${typeof value === "number" ? String(value) : describe(value)}, not text; dropped`);
  return undefined;
}

/** The object at the first `depth` segments of `path`, made writable (they all exist). */
function writableAt(doc: EventObject, path: readonly string[], depth: number, owned: Owned): EventObject | undefined {
  let object: EventObject | undefined = doc;
  if (owned !== null && !owned.has(doc)) return undefined; // never the caller's own object
  for (let i = 0; i < depth && object !== undefined; i++) object = writableChild(object, path[i]!, owned);
  return object;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
