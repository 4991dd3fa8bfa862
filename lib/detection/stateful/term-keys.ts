import { createHash } from "node:crypto";
import { getField } from "../event/fields";
import type { EcsEvent, FieldValue } from "../event/types";
import { MAX_TERM_COMBINATIONS, type NoveltySpec, type RaritySpec, type StateKey } from "./types";

/**
 * The keys a candidate event is decided on.
 *
 * Values. A field's values are its scalar leaves as strings (numbers and booleans in their text
 * form, `7` → "7", `true` → "true", as Elasticsearch's terms aggregation renders a keyword), in
 * event order, duplicates removed; `null`, objects and an empty array are no value.
 *
 * Novelty (`new_terms`, `new_value`): one key per combination of the `fields`' values (an array
 * multiplies), times the `groupBy` values, in field order, at most MAX_TERM_COMBINATIONS per
 * event (the first ones in that order; the result says when the cap cut some off). An event
 * lacking any of `fields` has no key at all: it records no sighting and never alerts, as Elastic
 * skips documents missing a new-terms field. A missing `groupBy` value is a `null` component (the
 * events without it share one baseline), so a group-by never hides an event.
 *
 * Rarity (`rare`): one key per combination of the `groupBy` values, missing ones `null` (an event
 * always belongs to a group); arrays multiply as for novelty, the event counting in each group, as
 * a terms aggregation counts a document under each of its values.
 *
 * Hash: the first 32 hex digits of SHA-256 over the canonical JSON `[fields, groupBy, values]`,
 * stable across processes and versions. The field names are part of it, so a rule edited to watch
 * other fields starts a new baseline instead of reading values that meant something else.
 */

export interface KeysResult {
  /** Distinct keys, in combination order, at most MAX_TERM_COMBINATIONS. */
  keys: StateKey[];
  /** Combinations the event had before the cap. */
  combinations: number;
  /** True when the cap cut combinations off (the runtime notes it in the explanation). */
  capped: boolean;
  /** Novelty `fields` the event lacks (then `keys` is empty). */
  missing: string[];
}

/** A field's values as terms: scalar leaves, stringified, deduplicated, in event order. */
export function termValues(value: FieldValue | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (v: FieldValue | undefined) => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) {
      for (const item of v) visit(item);
      return;
    }
    if (typeof v === "object") return;
    const s = typeof v === "string" ? v : String(v);
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  visit(value);
  return out;
}

/** The keys of a novelty candidate. */
export function noveltyKeys(ruleId: string, spec: Pick<NoveltySpec, "fields" | "groupBy">, event: EcsEvent): KeysResult {
  const columns: (string | null)[][] = [];
  const missing: string[] = [];
  for (const field of spec.fields) {
    const values = termValues(getField(event, field));
    if (values.length === 0) missing.push(field);
    columns.push(values);
  }
  if (missing.length > 0) return { keys: [], combinations: 0, capped: false, missing };
  for (const field of spec.groupBy) columns.push(groupColumn(event, field));
  return combine(columns, (values) => stateKey(ruleId, spec.fields, spec.groupBy, values));
}

/** The groups of a rarity candidate. */
export function rarityKeys(ruleId: string, spec: Pick<RaritySpec, "groupBy">, event: EcsEvent): KeysResult {
  const columns = spec.groupBy.map((field) => groupColumn(event, field));
  return combine(columns, (values) => stateKey(ruleId, [], spec.groupBy, values));
}

/** The event's values of each field a rare condition counts distinct values of. */
export function distinctValues(spec: Pick<RaritySpec, "distinctFields">, event: EcsEvent): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const field of spec.distinctFields) out[field] = termValues(getField(event, field));
  return out;
}

/** The key of given values (the baseline API marks or forgets terms by their values). */
export function noveltyStateKey(ruleId: string, spec: Pick<NoveltySpec, "fields" | "groupBy">, values: readonly (string | null)[]): StateKey {
  if (values.length !== spec.fields.length + spec.groupBy.length) {
    throw new Error(`a novelty key has ${spec.fields.length + spec.groupBy.length} values (fields then group-by); got ${values.length}`);
  }
  return stateKey(ruleId, spec.fields, spec.groupBy, [...values]);
}

/** The key of a rarity group's values. */
export function rarityStateKey(ruleId: string, spec: Pick<RaritySpec, "groupBy">, values: readonly (string | null)[]): StateKey {
  if (values.length !== spec.groupBy.length) throw new Error(`a rarity group has ${spec.groupBy.length} values; got ${values.length}`);
  return stateKey(ruleId, [], spec.groupBy, [...values]);
}

/** SHA-256 of the canonical JSON [fields, groupBy, values], first 32 hex digits. */
export function stateKeyHash(fields: readonly string[], groupBy: readonly string[], values: readonly (string | null)[]): string {
  return createHash("sha256").update(JSON.stringify([fields, groupBy, values])).digest("hex").slice(0, 32);
}

function stateKey(ruleId: string, fields: readonly string[], groupBy: readonly string[], values: (string | null)[]): StateKey {
  return { ruleId, hash: stateKeyHash(fields, groupBy, values), values };
}

function groupColumn(event: EcsEvent, field: string): (string | null)[] {
  const values = termValues(getField(event, field));
  return values.length === 0 ? [null] : values;
}

/**
 * The cartesian product of `columns` in order (the last column varies fastest), stopping at the
 * cap: the first MAX_TERM_COMBINATIONS combinations are built, never the whole product.
 */
function combine(columns: readonly (string | null)[][], toKey: (values: (string | null)[]) => StateKey): KeysResult {
  let combinations = 1;
  for (const c of columns) combinations *= c.length;
  const count = Math.min(combinations, MAX_TERM_COMBINATIONS);
  const keys: StateKey[] = [];
  const index = columns.map(() => 0);
  for (let n = 0; n < count; n++) {
    keys.push(toKey(columns.map((c, i) => c[index[i]!]!)));
    for (let i = columns.length - 1; i >= 0; i--) {
      if (++index[i]! < columns[i]!.length) break;
      index[i] = 0;
    }
  }
  return { keys, combinations, capped: combinations > MAX_TERM_COMBINATIONS, missing: [] };
}
