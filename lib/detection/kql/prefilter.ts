import { fieldAccess } from "../compile/field-access";
import { foldCase } from "../compile/fold-case";
import { normalizePattern, type PatternPart } from "../compile/pattern";
import type { EcsEvent } from "../event/types";
import type { Prefilter, ValuePrefilter } from "../rules/detector";

/**
 * Prefilters for the rule index from KQL and EQL clauses (shared by both compilers).
 *
 * `field` matching one of `patterns` implies, per pattern, the strongest value atom the index
 * understands: the value itself, its literal prefix, suffix, or a literal piece it must contain.
 * A pattern with no literal text (`*`) implies nothing, and so does the whole list.
 */
export function prefilterFromPatterns(field: string, patterns: readonly (readonly PatternPart[])[], caseInsensitive: boolean): Prefilter | undefined {
  const byKind: Record<ValuePrefilter<"equals">["kind"] | "startswith" | "endswith" | "contains", string[]> = {
    equals: [],
    startswith: [],
    endswith: [],
    contains: [],
  };
  for (const raw of patterns) {
    const p = normalizePattern(raw);
    const first = p[0];
    const last = p[p.length - 1];
    if (p.every((x) => x.type === "Text")) {
      byKind.equals.push(p.map((x) => (x.type === "Text" ? x.text : "")).join(""));
    } else if (first?.type === "Text") {
      byKind.startswith.push(first.text);
    } else if (last?.type === "Text") {
      byKind.endswith.push(last.text);
    } else {
      const longest = p.reduce((best, x) => (x.type === "Text" && x.text.length > best.length ? x.text : best), "");
      if (longest === "") return undefined;
      byKind.contains.push(longest);
    }
  }
  const atoms: Prefilter[] = [];
  for (const kind of ["equals", "startswith", "endswith", "contains"] as const) {
    const values = byKind[kind];
    if (values.length > 0) atoms.push({ kind, field, values: values.map(foldCase), caseInsensitive });
  }
  if (atoms.length === 0) return undefined;
  return atoms.length === 1 ? atoms[0] : { kind: "anyOf", of: atoms };
}

/**
 * "The event's category is `value`" as an index scope, so every KQL and EQL rule on process
 * events shares one category test per event. KQL `event.category:process` and EQL `process where`
 * test exactly this (an element equal, case-sensitive), hence one key for both.
 */
export function categoryScope(field: string, value: string, within?: Prefilter): Prefilter {
  const access = fieldAccess(field);
  return {
    kind: "scope",
    key: `elastic-category:${field}=${value}`,
    test: (e: EcsEvent) => access.strings(e).includes(value),
    ...(within && { within }),
  };
}

/** The field a value prefilter reads (the first alternative's, for anyOf). */
export function prefilterField(p: Prefilter): string | undefined {
  switch (p.kind) {
    case "anyOf":
      return p.of[0] ? prefilterField(p.of[0]) : undefined;
    case "scope":
      return p.within ? prefilterField(p.within) : undefined;
    default:
      return p.field;
  }
}

/**
 * Fields that say little about an event (most events of a source share them): a prefilter on
 * them is a weak index key.
 */
const BROAD_FIELDS = /^(event|host\.os|agent|ecs|data_stream|observer)\./;

/** The alternative most worth indexing: the first on a field outside BROAD_FIELDS, else the first. */
export function mostSpecific(atoms: readonly Prefilter[]): Prefilter | undefined {
  return atoms.find((p) => !BROAD_FIELDS.test(prefilterField(p) ?? "")) ?? atoms[0];
}
