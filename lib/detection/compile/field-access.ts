import { compileFieldGetter, type FieldGetter } from "../event/fields";
import type { EcsEvent, FieldValue } from "../event/types";
import { foldCase } from "./fold-case";

/**
 * Reading a field for matching, with the work done at most once per event (issue 3: lower-casing
 * "once per value at compile time, never per event per rule"). Every compiled rule and the rule
 * index read fields through FieldAccess objects interned by key, so when 300 rules look at
 * `process.command_line`, the event's command line is read, flattened and lower-cased once.
 *
 * The memo is keyed on the identity of the event object: the first read of a new event starts a
 * new epoch and every access recomputes lazily. Events must therefore not be mutated while they
 * are being matched (normalizers build a fresh object per event; nothing in the engine mutates
 * one). JavaScript runs one match at a time per thread, so a single current event suffices.
 */

export type Scalar = string | number | boolean | null;

let currentEvent: EcsEvent | undefined;
let currentEpoch = 0;

/** The epoch of `event`: changes whenever a different event object is seen. */
export function eventEpoch(event: EcsEvent): number {
  if (event !== currentEvent) {
    currentEvent = event;
    currentEpoch++;
  }
  return currentEpoch;
}

/** Memoize a per-event computation (a logsource test, a derived value) for the current event. */
export function perEvent<T>(compute: (event: EcsEvent) => T): (event: EcsEvent) => T {
  let epoch = -1;
  let value: T;
  return (event) => {
    const e = eventEpoch(event);
    if (e !== epoch) {
      value = compute(event);
      epoch = e;
    }
    return value;
  };
}

export interface FieldReader {
  get: FieldGetter;
  /** Which path the value came from (for explanations); defaults to the access key. */
  pathOf?: (event: EcsEvent) => string | undefined;
}

export interface FieldAccess {
  readonly key: string;
  /**
   * The field's scalar values: a scalar gives one, an array gives its scalar elements (nested
   * arrays flattened, objects skipped). `undefined` when the field is missing; `[]` when it is
   * present but holds no scalar (an object, an empty array).
   */
  scalars(event: EcsEvent): readonly Scalar[] | undefined;
  /** Non-null scalars as strings: numbers in JavaScript's decimal form, booleans `true`/`false`. */
  strings(event: EcsEvent): readonly string[];
  /** `strings` case-folded with foldCase. */
  folded(event: EcsEvent): readonly string[];
  /** The event path the value was read from, for explanations. */
  pathOf(event: EcsEvent): string | undefined;
}

const EMPTY: readonly string[] = Object.freeze([]);
const registry = new Map<string, FieldAccess>();

/**
 * The interned access for `key`. `reader` defaults to the ECS path `key`; callers that pass their
 * own reader must use keys that identify it (two readers under one key must read the same thing),
 * because the first registration wins and is shared by every rule.
 */
export function fieldAccess(key: string, reader?: FieldReader): FieldAccess {
  let access = registry.get(key);
  if (!access) {
    access = new MemoizedFieldAccess(key, reader ?? { get: compilePathGetter(key) });
    registry.set(key, access);
  }
  return access;
}

class MemoizedFieldAccess implements FieldAccess {
  private epoch = -1;
  private scalarValues: readonly Scalar[] | undefined;
  private stringValues: readonly string[] | undefined;
  private foldedValues: readonly string[] | undefined;

  constructor(
    readonly key: string,
    private readonly reader: FieldReader,
  ) {}

  private sync(event: EcsEvent): void {
    const e = eventEpoch(event);
    if (e !== this.epoch) {
      this.epoch = e;
      this.scalarValues = flattenScalars(this.reader.get(event));
      this.stringValues = undefined;
      this.foldedValues = undefined;
    }
  }

  scalars(event: EcsEvent): readonly Scalar[] | undefined {
    this.sync(event);
    return this.scalarValues;
  }

  strings(event: EcsEvent): readonly string[] {
    this.sync(event);
    if (this.stringValues === undefined) this.stringValues = scalarStrings(this.scalarValues);
    return this.stringValues;
  }

  folded(event: EcsEvent): readonly string[] {
    this.sync(event);
    if (this.foldedValues === undefined) {
      const strings = this.stringValues ?? (this.stringValues = scalarStrings(this.scalarValues));
      this.foldedValues = foldAll(strings);
    }
    return this.foldedValues;
  }

  pathOf(event: EcsEvent): string | undefined {
    if (this.reader.pathOf) return this.reader.pathOf(event);
    return this.reader.get(event) === undefined ? undefined : this.key;
  }
}

/**
 * `compileFieldGetter` with a fast path for the common case, a chain of plain objects: the walk
 * is a loop of property reads. Anything else (an array on the way) takes the shared getter, so
 * the semantics (any-element flattening, keys that contain dots) are exactly compileFieldGetter's.
 */
export function compilePathGetter(path: string): FieldGetter {
  const segments = path.split(".");
  const shared = compileFieldGetter(path);
  // A rule naming `constructor` or `__proto__` must not read Object.prototype: such names are
  // looked up as own properties only (parsed JSON never has them inherited on purpose).
  if (segments.some(isPrototypeName)) return (event) => ownPath(event, segments);
  if (segments.length === 1) return shared;
  const rest = segments.map((_, i) => segments.slice(i).join("."));
  const n = segments.length;
  return (event) => {
    let value: FieldValue = event;
    for (let i = 0; i < n; i++) {
      if (value === null || typeof value !== "object") return undefined;
      if (Array.isArray(value)) return shared(event);
      const next: FieldValue | undefined = value[segments[i]!];
      if (next === undefined) {
        // A key that itself contains dots (`{"labels": {"a.b": 1}}`), as compileFieldGetter finds it.
        const joined = value[rest[i]!];
        return joined === undefined ? undefined : joined;
      }
      value = next;
    }
    return value;
  };
}

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

export function isPrototypeName(name: string): boolean {
  return PROTOTYPE_NAMES.has(name);
}

/** Own-property walk with compileFieldGetter's array semantics, for paths with prototype names. */
function ownPath(value: FieldValue | undefined, segments: readonly string[], i = 0): FieldValue | undefined {
  if (i === segments.length) return value;
  if (value === null || value === undefined || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    const out: FieldValue[] = [];
    for (const item of value) {
      const v = ownPath(item, segments, i);
      if (v === undefined) continue;
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
    return out.length === 0 ? undefined : out;
  }
  const key = segments[i]!;
  return Object.hasOwn(value, key) ? ownPath(value[key], segments, i + 1) : undefined;
}

export function flattenScalars(value: FieldValue | undefined): readonly Scalar[] | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [value];
  if (!Array.isArray(value)) return [];
  const out: Scalar[] = [];
  pushScalars(value, out);
  return out;
}

function pushScalars(items: readonly FieldValue[], out: Scalar[]): void {
  for (const item of items) {
    if (Array.isArray(item)) pushScalars(item, out);
    else if (item === null || typeof item === "string" || typeof item === "number" || typeof item === "boolean") out.push(item);
  }
}

/** `strings.map(foldCase)`, without the callback machinery for the usual single value. */
function foldAll(strings: readonly string[]): readonly string[] {
  const n = strings.length;
  if (n === 0) return EMPTY;
  if (n === 1) {
    const s = strings[0]!;
    const folded = foldCase(s);
    // Already folded (a lower-case path, a number): the strings array serves as it is.
    return folded === s ? strings : [folded];
  }
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = foldCase(strings[i]!);
  return out;
}

function scalarStrings(scalars: readonly Scalar[] | undefined): readonly string[] {
  if (!scalars || scalars.length === 0) return EMPTY;
  if (scalars.length === 1) {
    const s = scalars[0];
    // The usual single string: the scalars array already is the strings array.
    if (typeof s === "string") return scalars as readonly string[];
    return s === null || s === undefined ? EMPTY : [String(s)];
  }
  const out: string[] = [];
  for (const s of scalars) if (s !== null) out.push(typeof s === "string" ? s : String(s));
  return out;
}

/**
 * Every scalar leaf of the event, for searches over the whole event (Sigma keywords): strings,
 * numbers and booleans at any depth, in document order.
 */
export const ALL_FIELDS: FieldAccess = fieldAccess("\u0000all-fields", {
  get: (event) => collectLeaves(event),
  pathOf: () => undefined,
});

function collectLeaves(value: FieldValue): FieldValue[] {
  const out: FieldValue[] = [];
  const walk = (v: FieldValue) => {
    if (v === null) return;
    if (Array.isArray(v)) for (const item of v) walk(item);
    else if (typeof v === "object") for (const key in v) walk(v[key]!);
    else out.push(v);
  };
  walk(value);
  return out;
}

/** Every path/value pair of the event whose value is a scalar, for explaining keyword matches. */
export function leafEntries(event: EcsEvent): [path: string, value: Scalar][] {
  const out: [string, Scalar][] = [];
  const walk = (v: FieldValue, path: string) => {
    if (v === null || typeof v !== "object") out.push([path, v]);
    else if (Array.isArray(v)) for (const item of v) walk(item, path);
    else for (const key in v) walk(v[key]!, path === "" ? key : `${path}.${key}`);
  };
  walk(event, "");
  return out;
}
