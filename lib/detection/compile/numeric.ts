import type { FieldValue } from "../event/types";

/**
 * Numeric comparisons shared by Sigma (`lt`, `lte`, `gt`, `gte`), KQL ranges and EQL operators.
 *
 * An event value takes part when it is a number, or a string that is entirely a decimal number
 * (`"4688"`, `"-1.5"`, `"1e3"`) or a hexadecimal integer with `0x` (`"0x1F3FFF"`, as Windows
 * writes access masks). Anything else (booleans, empty strings, `"12abc"`) is not a number and
 * never matches: a comparison is never decided by a partial parse.
 */
export type NumericOperator = "lt" | "lte" | "gt" | "gte" | "eq" | "neq";

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;

export function toNumber(value: FieldValue | undefined): number | undefined {
  if (typeof value === "number") return Number.isNaN(value) ? undefined : value;
  if (typeof value !== "string") return undefined;
  const s = value.trim();
  if (DECIMAL.test(s)) return Number(s);
  if (HEX.test(s)) return parseInt(s.slice(2), 16);
  return undefined;
}

export function compileNumericComparison(op: NumericOperator, bound: number): (value: number) => boolean {
  switch (op) {
    case "lt":
      return (v) => v < bound;
    case "lte":
      return (v) => v <= bound;
    case "gt":
      return (v) => v > bound;
    case "gte":
      return (v) => v >= bound;
    case "eq":
      return (v) => v === bound;
    case "neq":
      return (v) => v !== bound;
  }
}
