import type { Owned, OwnedObjects } from "./copy-on-write";
import { writableChild } from "./copy-on-write";
import type { EventObject } from "./types";
import { own, setOwn } from "./values";

/**
 * `{"process.name": "x", "@timestamp": …}` → `{"process": {"name": "x"}, "@timestamp": …}`: the
 * flat dotted keys some shippers write for ECS (and Elasticsearch accepts as the same field).
 *
 * - Only top-level keys are expanded. Deeper keys are kept as they are: inside
 *   `winlog.event_data` or `labels` a dot is part of a name, and the field getter finds such
 *   keys anyway.
 * - A nested value wins over a dotted one for the same field (`{"a": {"b": 1}, "a.b": 2}` keeps 1),
 *   as the field getter reads them; the dotted key is then dropped with a warning. So is one
 *   whose path runs into a non-object (`{"a": 1, "a.b": 2}`).
 * - Keys with empty segments (".a", "a.", "a..b") are not paths and are kept as they are.
 *
 * Returns a new top-level object; nested objects are shared with the input unless a dotted key
 * had to be merged into them, in which case they are copied (never mutated). New and copied
 * objects are added to `owned`.
 */
export function expandDottedKeys(input: EventObject, owned: OwnedObjects, warnings: string[]): EventObject {
  const keys = Object.keys(input);
  let dotted: string[] | undefined;
  for (let i = 0; i < keys.length; i++) if (isPath(keys[i]!)) (dotted ??= []).push(keys[i]!);
  let out: EventObject;
  if (dotted === undefined && !Object.hasOwn(input, "__proto__") && Object.getOwnPropertySymbols(input).length === 0) {
    // The common case, an ECS document without dotted keys: one bulk copy (the key loop below
    // stores each field through V8's generic path; measured 5% of an ECS event's normalization).
    // Same keys in the same order; "__proto__" and symbol keys take the loop, which sets the
    // former as a field and skips the latter.
    out = Object.assign({}, input);
    owned.add(out);
    return out;
  }
  out = {};
  owned.add(out);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (!isPath(key)) setOwn(out, key, input[key]!);
  }
  if (dotted === undefined) return out;
  for (const key of dotted) {
    const value = input[key]!;
    if (!place(out, key.split("."), value, owned)) warnings.push(`dotted key "${key}" conflicts with a nested field; dropped`);
  }
  return out;
}

function place(target: EventObject, segments: string[], value: EventObject[string], owned: Owned): boolean {
  let object = target;
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) {
    const next = writableChild(object, segments[i]!, owned);
    if (next === undefined) return false;
    object = next;
  }
  const leaf = segments[last]!;
  if (own(object, leaf) !== undefined) return false;
  setOwn(object, leaf, value);
  return true;
}

/** "a.b" with no empty segment. */
function isPath(key: string): boolean {
  const n = key.length;
  if (n < 3) return false;
  let dot = false;
  for (let i = 0; i < n; i++) {
    if (key.charCodeAt(i) !== 46) continue;
    if (i === 0 || i === n - 1 || key.charCodeAt(i - 1) === 46) return false;
    dot = true;
  }
  return dot;
}
