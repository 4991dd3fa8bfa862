import type { Owned } from "./copy-on-write";
import { writableChild } from "./copy-on-write";
import { baseName, dirName, extensionOf, isWindowsPath } from "./paths";
import type { CommandLineStyle } from "./split-command-line";
import { splitCommandLine } from "./split-command-line";
import type { EventObject } from "./types";
import { isRecord } from "./values";

/** ECS fields that are arrays (keyword[]); a shipper sending one value as a scalar is coerced. */
const EVENT_ARRAY_FIELDS = ["category", "type"] as const;

/*
 * Every name read here is a fixed ECS name, none of which is an `Object.prototype` member, so
 * plain property reads equal own-property reads (and are faster).
 */

/**
 * Fill the ECS fields that follow from others, when missing, for every source alike (so a value
 * is derived the same way whether the Windows mapping or an ECS shipper provided its inputs):
 *
 * - `host.os.type` from `winlog` (windows), `host.os.platform` / `family` / `name`, or a Windows
 *   `process.executable`;
 * - `process.name` / `process.parent.name` = the executable's base name (case kept);
 * - `process.args` / `process.parent.args` from the command line (Windows rules when the host is
 *   Windows or the executable is a Windows path, else POSIX), and `args_count` from `args`;
 * - `file.name`, `file.directory`, `file.extension` from `file.path`; `dll.name` from `dll.path`;
 * - `event.category`, `event.type`, `tags` and `related.*` as arrays.
 *
 * Writes go through copy on write (`owned`); nothing is written when nothing is missing.
 */
export function completeEcs(doc: EventObject, owned: Owned): void {
  const osType = completeHostOs(doc, owned);
  const process = doc["process"];
  if (isRecord(process)) {
    const current = completeProcess(doc, process, styleFor(osType, process), owned) ?? process;
    const parent = current["parent"];
    if (isRecord(parent)) {
      completeProcess(undefined, parent, styleFor(osType, parent), owned, () => {
        const writable = writableChild(doc, "process", owned);
        return writable && writableChild(writable, "parent", owned);
      });
    }
  }
  completeFile(doc, owned);
  completeDll(doc, owned);
  coerceArrays(doc, owned);
}

function styleFor(osType: string | undefined, process: EventObject): CommandLineStyle {
  if (osType === "windows") return "windows";
  if (osType !== undefined) return "posix";
  const executable = process["executable"];
  return typeof executable === "string" && isWindowsPath(executable) ? "windows" : "posix";
}

/**
 * Fill name, args and args_count of a process object when missing and derivable. The object
 * to write is `doc.process` (made writable) or, for the parent, what `writableTarget` returns.
 * Returns the object written to, or undefined when nothing was missing.
 */
function completeProcess(
  doc: EventObject | undefined,
  process: EventObject,
  style: CommandLineStyle,
  owned: Owned,
  writableTarget?: () => EventObject | undefined,
): EventObject | undefined {
  let name: string | undefined;
  const executable = process["executable"];
  if (typeof executable === "string" && process["name"] === undefined) {
    name = baseName(executable);
    if (name === "") name = undefined;
  }
  let args: string[] | undefined;
  const existingArgs = process["args"];
  const commandLine = process["command_line"];
  if (existingArgs === undefined && typeof commandLine === "string" && commandLine.trim() !== "") {
    args = splitCommandLine(commandLine, style);
    if (args.length === 0) args = undefined;
  }
  const finalArgs = args ?? existingArgs;
  const argsCount = Array.isArray(finalArgs) && finalArgs.length > 0 && process["args_count"] === undefined ? finalArgs.length : undefined;
  if (name === undefined && args === undefined && argsCount === undefined) return undefined;

  const target = writableTarget !== undefined ? writableTarget() : doc && writableChild(doc, "process", owned);
  if (target === undefined) return undefined;
  if (name !== undefined) target["name"] = name;
  if (args !== undefined) target["args"] = args;
  if (argsCount !== undefined) target["args_count"] = argsCount;
  return target;
}

function completeFile(doc: EventObject, owned: Owned): void {
  const file = doc["file"];
  if (!isRecord(file)) return;
  const path = file["path"];
  if (typeof path !== "string" || path === "") return;
  const name = file["name"] === undefined ? baseName(path) : undefined;
  const currentName = name ?? file["name"];
  const extension = file["extension"] === undefined && typeof currentName === "string" ? extensionOf(currentName) : undefined;
  const directory = file["directory"] === undefined ? dirName(path) : undefined;
  if (!name && extension === undefined && directory === undefined) return;
  const writable = writableChild(doc, "file", owned);
  if (writable === undefined) return;
  if (name) writable["name"] = name;
  if (extension !== undefined) writable["extension"] = extension;
  if (directory !== undefined) writable["directory"] = directory;
}

function completeDll(doc: EventObject, owned: Owned): void {
  const dll = doc["dll"];
  if (!isRecord(dll)) return;
  const path = dll["path"];
  if (typeof path !== "string" || dll["name"] !== undefined) return;
  const name = baseName(path);
  if (name === "") return;
  const writable = writableChild(doc, "dll", owned);
  if (writable !== undefined) writable["name"] = name;
}

/** host.os.type when it can be told; returns the (possibly existing) value. */
function completeHostOs(doc: EventObject, owned: Owned): string | undefined {
  const host = doc["host"];
  // A host that is not an object ("host": "web01") is not ECS; it is left alone.
  if (host !== undefined && !isRecord(host)) return undefined;
  const os = host === undefined ? undefined : recordOr(host["os"]);
  const existing = os === undefined ? undefined : os["type"];
  if (existing !== undefined) return typeof existing === "string" ? existing : undefined;
  const inferred = inferOsType(doc, os);
  if (inferred === undefined) return undefined;
  const writableHost = writableChild(doc, "host", owned);
  const writableOs = writableHost && writableChild(writableHost, "os", owned);
  if (writableOs === undefined) return undefined;
  writableOs["type"] = inferred;
  return inferred;
}

function inferOsType(doc: EventObject, os: EventObject | undefined): string | undefined {
  if (isRecord(doc["winlog"])) return "windows";
  if (os !== undefined) {
    for (const key of ["platform", "family", "name"]) {
      const value = os[key];
      if (typeof value !== "string") continue;
      const type = osTypeFromName(value.toLowerCase());
      if (type !== undefined) return type;
    }
  }
  const process = doc["process"];
  const executable = isRecord(process) ? process["executable"] : undefined;
  if (typeof executable === "string" && isWindowsPath(executable)) return "windows";
  return undefined;
}

/** ECS host.os.type values from platform / family / name spellings. */
function osTypeFromName(value: string): string | undefined {
  if (value.includes("windows")) return "windows";
  if (value === "darwin" || value === "macos" || value.startsWith("mac os")) return "macos";
  if (value === "ios" || value === "ipados") return "ios";
  if (value === "android") return "android";
  if (LINUX_NAMES.has(value) || value.includes("linux")) return "linux";
  return undefined;
}

const LINUX_NAMES = new Set([
  "linux",
  "debian",
  "ubuntu",
  "redhat",
  "rhel",
  "centos",
  "fedora",
  "rocky",
  "almalinux",
  "amzn",
  "suse",
  "sles",
  "opensuse",
  "arch",
  "alpine",
  "oracle",
]);

function coerceArrays(doc: EventObject, owned: Owned): void {
  const event = recordOr(doc["event"]);
  if (event !== undefined) {
    for (const key of EVENT_ARRAY_FIELDS) {
      const value = event[key];
      if (value === undefined || value === null || Array.isArray(value)) continue;
      const writable = writableChild(doc, "event", owned);
      if (writable !== undefined) writable[key] = [value];
    }
  }
  const tags = doc["tags"];
  if (tags !== undefined && tags !== null && !Array.isArray(tags)) doc["tags"] = [tags];
  const related = recordOr(doc["related"]);
  if (related !== undefined) {
    for (const key of ["ip", "user", "hash", "hosts"]) {
      const value = related[key];
      if (value === undefined || value === null || Array.isArray(value)) continue;
      const writable = writableChild(doc, "related", owned);
      if (writable !== undefined) writable[key] = [value];
    }
  }
}

function recordOr(value: unknown): EventObject | undefined {
  return isRecord(value) ? value : undefined;
}
