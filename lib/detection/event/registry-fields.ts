import type { EventObject } from "./types";
import { hexDigit } from "./values";

/** Registry root key spellings → the short hive names ECS uses (`registry.hive`). */
const HIVES = new Map<string, string>(
  Object.entries({
    HKEY_CLASSES_ROOT: "HKCR",
    HKCR: "HKCR",
    HKEY_CURRENT_CONFIG: "HKCC",
    HKCC: "HKCC",
    HKEY_CURRENT_USER: "HKCU",
    HKCU: "HKCU",
    HKEY_DYN_DATA: "HKDD",
    HKDD: "HKDD",
    HKEY_LOCAL_MACHINE: "HKLM",
    HKLM: "HKLM",
    HKEY_PERFORMANCE_DATA: "HKPD",
    HKPD: "HKPD",
    HKEY_USERS: "HKU",
    HKU: "HKU",
  }),
);

/**
 * ECS `registry.*` from Sysmon 12/13/14's `TargetObject` (and `Details` for 13):
 *
 * - `registry.path` is TargetObject as written; `registry.hive` its root ("HKLM", "HKU", …).
 * - For a value event (SetValue, DeleteValue, RenameValue) the last segment is the value name:
 *   `registry.value` = that name, `registry.key` = the hive-relative path without it, as ECS
 *   defines them. For a key event (CreateKey, DeleteKey, RenameKey) there is no value and
 *   `registry.key` is the whole hive-relative path. (Elastic's Sysmon pipeline always sets
 *   `registry.value` to the last segment and keeps it in `registry.key`; ECS says otherwise.)
 * - `registry.data`: "DWORD (0x00000001)" → strings ["1"], type REG_DWORD; "QWORD (0x…-0x…)"
 *   → the 64-bit value in decimal, REG_QWORD; "Binary Data" → REG_BINARY; anything else is
 *   taken as REG_SZ (Sysmon does not tell REG_SZ from REG_EXPAND_SZ or REG_MULTI_SZ). ECS type
 *   names, where Elastic's pipeline writes SZ_DWORD / SZ_QWORD.
 */
export function registryFields(targetObject: string, details: string | undefined, isValueEvent: boolean): EventObject {
  const registry: EventObject = { path: targetObject };
  const first = targetObject.indexOf("\\");
  const root = first < 0 ? targetObject : targetObject.slice(0, first);
  const hive = HIVES.get(root.toUpperCase());
  const last = targetObject.lastIndexOf("\\");
  if (hive !== undefined) {
    registry["hive"] = hive;
    const keyEnd = isValueEvent ? last : targetObject.length;
    if (first >= 0 && keyEnd > first + 1) registry["key"] = targetObject.slice(first + 1, keyEnd);
  }
  if (isValueEvent && last >= 0 && last < targetObject.length - 1) registry["value"] = targetObject.slice(last + 1);
  if (details !== undefined) registry["data"] = registryData(details);
  return registry;
}

function registryData(details: string): EventObject {
  if (details.startsWith("DWORD (0x") && details.endsWith(")")) {
    const value = hexValue(details, 9, details.length - 1);
    if (value !== undefined) return { strings: [value.toString()], type: "REG_DWORD" };
  }
  if (details.startsWith("QWORD (0x") && details.endsWith(")")) {
    // Sysmon writes the high and low DWORDs: "QWORD (0x00000001-0x00000000)".
    const dash = details.indexOf("-0x", 9);
    const high = dash < 0 ? undefined : hexValue(details, 9, dash);
    const low = dash < 0 ? undefined : hexValue(details, dash + 3, details.length - 1);
    if (high !== undefined && low !== undefined) {
      return { strings: [((high << 32n) + low).toString()], type: "REG_QWORD" };
    }
  }
  if (details === "Binary Data") return { strings: [details], type: "REG_BINARY" };
  return { strings: [details], type: "REG_SZ" };
}

function hexValue(text: string, start: number, end: number): bigint | undefined {
  if (end <= start || end - start > 16) return undefined;
  let value = 0n;
  for (let i = start; i < end; i++) {
    const d = hexDigit(text.charCodeAt(i));
    if (d < 0) return undefined;
    value = value * 16n + BigInt(d);
  }
  return value;
}
