/**
 * What each exception operator takes and how it relates to the others, in one table, so that
 * validation, compilation and the broadness assessment agree on it.
 */
import type { ExceptionOperator } from "./types";

/** The operand an operator needs: one `value`, a `values` list, either (cidr), or nothing. */
export type OperandKind = "value" | "values" | "value_or_values" | "none";

export const OPERAND: Readonly<Record<ExceptionOperator, OperandKind>> = {
  is: "value",
  is_not: "value",
  is_one_of: "values",
  is_not_one_of: "values",
  matches: "value",
  does_not_match: "value",
  exists: "none",
  does_not_exist: "none",
  cidr: "value_or_values",
};

/** Negative operators and the positive form they negate. */
export const POSITIVE_FORM: Readonly<Partial<Record<ExceptionOperator, ExceptionOperator>>> = {
  is_not: "is",
  is_not_one_of: "is_one_of",
  does_not_match: "matches",
  does_not_exist: "exists",
};

export function isNegative(operator: ExceptionOperator): boolean {
  return POSITIVE_FORM[operator] !== undefined;
}

/** The entry's operands as one list (`value` or `values`), empty for exists / does_not_exist. */
export function operandsOf(entry: { value?: string; values?: readonly string[] }): readonly string[] {
  if (entry.values !== undefined) return entry.values;
  return entry.value === undefined ? [] : [entry.value];
}
