import type { EventObject, FieldValue } from "./types";
import { isRecord, own, setOwn, shallowCopy } from "./values";

/**
 * Objects this normalization created or copied, and may therefore write to. `null` means "all
 * of them" (a document the Windows mapping has just built, before any input object is merged in).
 * Everything else may belong to the caller's input, which normalization never mutates: it is
 * shallow-copied the first time a write needs it (copy on write), so unchanged parts of the
 * input are shared, not cloned.
 */
export type Owned = OwnedObjects | null;

/** What copy on write needs of the set of owned objects (a `Set<object>` will do). */
export interface OwnedObjects {
  has(object: object): boolean;
  add(object: object): unknown;
}

/**
 * The owned objects of one normalization: a handful (the document, its event, process and
 * parent copies), so a list searched from the end beats a `Set`, whose allocation and identity
 * hashing showed in the profile of every ECS event.
 */
export class OwnedList implements OwnedObjects {
  private readonly items: object[] = [];

  has(object: object): boolean {
    const items = this.items;
    for (let i = items.length - 1; i >= 0; i--) if (items[i] === object) return true;
    return false;
  }

  add(object: object): this {
    this.items.push(object);
    return this;
  }
}

/**
 * The object at `parent[key]`, made writable: created when missing, copied when it is not ours.
 * Returns undefined (and writes nothing) when the key holds a non-object value.
 */
export function writableChild(parent: EventObject, key: string, owned: Owned): EventObject | undefined {
  const existing = own(parent, key);
  if (existing === undefined) {
    const created: EventObject = {};
    owned?.add(created);
    setOwn(parent, key, created);
    return created;
  }
  if (!isRecord(existing)) return undefined;
  if (owned === null || owned.has(existing)) return existing;
  const copy = shallowCopy(existing);
  owned.add(copy);
  setOwn(parent, key, copy);
  return copy;
}

/** Deepest nesting `fillGaps` merges; deeper objects are taken or left whole. */
const MAX_MERGE_DEPTH = 16;

/**
 * Copy into `target` every field of `source` that `target` lacks, recursing where both hold an
 * object; `target`'s values always win. Objects taken from `source` are shared, not cloned.
 */
export function fillGaps(target: EventObject, source: EventObject, owned: Owned, depth = 0): void {
  for (const key of Object.keys(source)) {
    const value: FieldValue | undefined = source[key];
    if (value === undefined) continue;
    const existing = own(target, key);
    if (existing === undefined) {
      setOwn(target, key, value);
      continue;
    }
    if (existing === value || !isRecord(existing) || !isRecord(value) || depth >= MAX_MERGE_DEPTH) continue;
    if (!hasGap(existing, value)) continue;
    const writable = writableChild(target, key, owned);
    if (writable !== undefined) fillGaps(writable, value, owned, depth + 1);
  }
}

/** Whether `source` has a field `target` lacks, at the top level or where both hold objects. */
function hasGap(target: EventObject, source: EventObject, depth = 0): boolean {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined) continue;
    const existing = own(target, key);
    if (existing === undefined) return true;
    if (existing !== value && isRecord(existing) && isRecord(value) && depth < MAX_MERGE_DEPTH && hasGap(existing, value, depth + 1)) return true;
  }
  return false;
}
