/**
 * Allowlist exceptions (Elastic rule exceptions, Datadog suppressions): conditions on a matched
 * event under which an alert is not raised. This module is the data model an API stores and a UI
 * edits; `validate.ts` checks untrusted JSON against it, `compile.ts` turns it into a predicate.
 *
 * An exception's entries are ANDed; an `any` group is ORed (an `any` inside an `any` is still an
 * OR: several exceptions on one rule are how (A and B) or C is written). Lists nest at most
 * EXCEPTION_LIMITS.maxDepth levels (the top-level entries count as one) and hold at most
 * EXCEPTION_LIMITS.maxEntries entries in all.
 */
import type { EcsEvent } from "../event/types";

export const EXCEPTION_OPERATORS = [
  "is",
  "is_not",
  "is_one_of",
  "is_not_one_of",
  "matches",
  "does_not_match",
  "exists",
  "does_not_exist",
  "cidr",
] as const;

export type ExceptionOperator = (typeof EXCEPTION_OPERATORS)[number];

/** One condition on one field. Validated entries carry `value` or `values` as the operator needs. */
export interface ExceptionEntry {
  field: string;
  operator: ExceptionOperator;
  value?: string;
  values?: string[];
  /** Exact case for this entry; comparisons are case-insensitive by default. */
  case_sensitive?: boolean;
}

/** An OR of items. */
export interface ExceptionOrGroup {
  any: ExceptionItem[];
}

export type ExceptionItem = ExceptionEntry | ExceptionOrGroup;

/** What is wrong with an exception body, and where (`entries[2].values[0]`, `entries[1].any[0].field`). */
export interface ExceptionProblem {
  path: string;
  message: string;
}

export type ExceptionValidation = { ok: true; entries: ExceptionItem[] } | { ok: false; problems: ExceptionProblem[] };

/** A compiled exception: true when the event is allowlisted (its alert is suppressed). */
export type ExceptionPredicate = (event: EcsEvent) => boolean;

export const EXCEPTION_LIMITS = {
  /** Nested lists, the top-level entries included. */
  maxDepth: 4,
  /** Entries (not groups) in one exception, at every depth together. */
  maxEntries: 100,
  maxFieldLength: 200,
  maxValueLength: 4096,
  maxValues: 1000,
  /** Validation stops reporting after this many problems. */
  maxProblems: 50,
} as const;

export function isOrGroup(item: ExceptionItem): item is ExceptionOrGroup {
  return "any" in item;
}
