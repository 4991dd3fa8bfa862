import type { EcsEvent, FieldValue } from "./types";

/** Reads one field of an event; `undefined` when the field is missing. */
export type FieldGetter = (event: EcsEvent) => FieldValue | undefined;

/**
 * Compile a dotted ECS path (`process.parent.name`) into a getter, once per rule field, so the hot
 * path never splits strings.
 *
 * Semantics (DESIGN.md §4): objects are walked by segment; an array met on the way is walked
 * element by element and the results are flattened (`dns.answers.data` on an array of answers
 * yields every answer's data), so "any element matches" needs only one array check by the caller.
 * A key that itself contains dots (`{"labels": {"a.b": 1}}`) is found too.
 */
export function compileFieldGetter(path: string): FieldGetter {
  const segments = path.split(".");
  // Own properties only: a rule naming `constructor` or `__proto__` must read nothing, not
  // Object.prototype's members.
  if (segments.length === 1) {
    return (event) => (Object.hasOwn(event, path) ? event[path] : undefined);
  }
  // rest[i] = segments i.. joined, for keys that contain dots.
  const rest = segments.map((_, i) => segments.slice(i).join("."));
  const walk = (value: FieldValue | undefined, i: number): FieldValue | undefined => {
    if (i === segments.length) return value;
    if (value === null || value === undefined || typeof value !== "object") return undefined;
    if (Array.isArray(value)) {
      const out: FieldValue[] = [];
      for (const item of value) {
        const v = walk(item, i);
        if (v === undefined) continue;
        if (Array.isArray(v)) out.push(...v);
        else out.push(v);
      }
      return out.length === 0 ? undefined : out;
    }
    const key = segments[i]!;
    if (Object.hasOwn(value, key)) return walk(value[key], i + 1);
    const joined = rest[i]!;
    return Object.hasOwn(value, joined) ? value[joined] : undefined;
  };
  return (event) => walk(event, 0);
}

const getterCache = new Map<string, FieldGetter>();

/** Read a field by path; convenient outside hot loops (templates, summaries, the CLI). */
export function getField(event: EcsEvent, path: string): FieldValue | undefined {
  let getter = getterCache.get(path);
  if (!getter) {
    getter = compileFieldGetter(path);
    if (getterCache.size < 10_000) getterCache.set(path, getter);
  }
  return getter(event);
}

/** The first string value of a field (first element of an array), else undefined. */
export function getString(event: EcsEvent, path: string): string | undefined {
  const v = getField(event, path);
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === "string") return first;
  if (typeof first === "number" || typeof first === "boolean") return String(first);
  return undefined;
}
