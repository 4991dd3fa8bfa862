import type { EventObject } from "./types";
import { isRecord, own, setOwn, textOf } from "./values";
import { attr } from "./windows-record";

/**
 * EventData as `{Name: value}` with the original names and values, from any exporter's shape:
 *
 * - `{"Image": "C:\\…", …}` (evtx_dump, winlogbeat, Velociraptor): used as it is, not copied,
 *   unless it needs one of the rewrites below;
 * - `{"Data": [{"#attributes": {"Name": "Image"}, "#text": "C:\\…"}, …]}` (evtx_dump without
 *   separate flattening, python-evtx/xmltodict `{"@Name": …}`); unnamed `<Data>` elements become
 *   `param1`, `param2`, … as winlogbeat names them;
 * - attributes of the EventData element itself (`"#attributes": {"Name": "TaskDisabled"}` in
 *   TaskScheduler 142) are not fields and are dropped.
 *
 * Every name containing whitespace also gets a whitespace-free alias ("Threat Name" →
 * "ThreatName") unless that name is already present: Sigma rules write Defender's fields without
 * blanks, and the Sigma field fallback reads `winlog.event_data.<Field>`.
 *
 * The result may be the input object itself; callers never mutate it.
 */
export function eventDataOf(raw: unknown): EventObject | undefined {
  if (typeof raw === "string") return raw === "" ? undefined : { param1: raw };
  if (!isRecord(raw)) return undefined;
  if (hasKnownCleanKeys(raw)) return raw;
  const keys = Object.keys(raw);
  if (keys.length === 0) return undefined;
  if (isKnownClean(keys)) return raw;
  let clean = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (needsRewrite(key, raw)) {
      clean = false;
      break;
    }
  }
  if (clean) {
    rememberClean(keys);
    return raw;
  }

  const out: EventObject = {};
  for (const key of keys) {
    const value = raw[key]!;
    if (isAttributeKey(key)) continue;
    if (key === "Data" && isDataList(value)) {
      addDataElements(out, value);
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(out, key)) setOwn(out, key, value);
  }
  addBlankAliases(out);
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * UserData in winlogbeat's shape: `{"Operation_ClientFailure": {"#attributes": {xmlns}, "Id": …}}`
 * → `{"xml_name": "Operation_ClientFailure", "Id": …}`.
 */
export function userDataOf(raw: unknown): EventObject | undefined {
  if (!isRecord(raw)) return undefined;
  const elementName = Object.keys(raw).find((key) => !isAttributeKey(key));
  if (elementName === undefined) return undefined;
  const element = raw[elementName];
  const out: EventObject = {};
  if (isRecord(element)) {
    out["xml_name"] = elementName;
    for (const key of Object.keys(element)) {
      if (!isAttributeKey(key)) setOwn(out, key, element[key]!);
    }
  } else {
    for (const key of Object.keys(raw)) {
      if (!isAttributeKey(key)) setOwn(out, key, raw[key]!);
    }
  }
  return out;
}

/** Add the whitespace-free alias of every key that contains whitespace (see `eventDataOf`). */
export function addBlankAliases(target: EventObject): void {
  for (const key of Object.keys(target)) {
    if (!hasBlank(key)) continue;
    const alias = stripBlanks(key);
    if (alias !== "" && !Object.prototype.hasOwnProperty.call(target, alias)) setOwn(target, alias, target[key]!);
  }
}

function needsRewrite(key: string, raw: EventObject): boolean {
  return isAttributeKey(key) || hasBlank(key) || (key === "Data" && isDataList(raw[key]));
}

/**
 * Key lists recently found clean (no rewrite needed). Events of one kind from one exporter
 * repeat the same field names in the same order, and property names are interned strings, so
 * comparing a list with a remembered one is a few pointer comparisons instead of a scan of
 * every character of every name. A memo only: it never changes a result.
 */
const CLEAN_KEY_LISTS: string[][] = [];
const MAX_CLEAN_KEY_LISTS = 32;

/**
 * `isKnownClean(Object.keys(object))` without building the key list: the object's keys are
 * walked in place (a plain object's prototype adds none) and compared with each remembered list.
 */
export function hasKnownCleanKeys(object: EventObject): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype) return false;
  for (let l = 0; l < CLEAN_KEY_LISTS.length; l++) {
    const known = CLEAN_KEY_LISTS[l]!;
    let i = 0;
    let same = true;
    for (const key in object) {
      if (i >= known.length || known[i] !== key) {
        same = false;
        break;
      }
      i++;
    }
    if (same && i === known.length && i > 0) return true;
  }
  return false;
}

/** Whether `keys` is a key list already found free of XML syntax and blanks. */
export function isKnownClean(keys: string[]): boolean {
  for (let l = 0; l < CLEAN_KEY_LISTS.length; l++) {
    const known = CLEAN_KEY_LISTS[l]!;
    if (known.length !== keys.length) continue;
    let same = true;
    for (let i = 0; i < keys.length; i++) {
      if (known[i] !== keys[i]) {
        same = false;
        break;
      }
    }
    if (same) return true;
  }
  return false;
}

/** Remember a key list found clean (see `CLEAN_KEY_LISTS`). */
export function rememberClean(keys: string[]): void {
  if (CLEAN_KEY_LISTS.length >= MAX_CLEAN_KEY_LISTS) CLEAN_KEY_LISTS.pop();
  CLEAN_KEY_LISTS.unshift(keys);
}

/** `#attributes`, `#text`, and xmltodict's `@attr` keys: XML syntax, not fields. */
function isAttributeKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return c === 35 /* # */ || c === 64 /* @ */;
}

/** `Data` holding `<Data>` elements rather than a field that happens to be called Data. */
function isDataList(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (!isRecord(value)) return false;
  return value["#text"] !== undefined || value["#attributes"] !== undefined || value["@Name"] !== undefined;
}

function addDataElements(out: EventObject, value: unknown): void {
  const items = Array.isArray(value) ? value : [value];
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    let name: string | undefined;
    let data: unknown = item;
    if (isRecord(item)) {
      name = textOf(attr(item, "Name", "@Name"));
      data = item["#text"] ?? (name === undefined ? undefined : "");
    }
    if (data === undefined || (data === null && name === undefined)) continue;
    const key = name ?? `param${i + 1}`;
    if (own(out, key) === undefined) setOwn(out, key, data as EventObject[string]);
  }
}

/** Whether a field name contains whitespace (and so gets a whitespace-free alias). */
export function hasBlank(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c <= 32 && (c === 32 || (c >= 9 && c <= 13))) return true;
  }
  return false;
}

function stripBlanks(key: string): string {
  let out = "";
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!(c === 32 || (c >= 9 && c <= 13))) out += key[i];
  }
  return out;
}
