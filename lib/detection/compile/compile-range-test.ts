import { parseDateMath, parseIsoDate, resolveDateMath, type DateMath } from "./date-math";
import type { Scalar } from "./field-access";
import { toNumber } from "./numeric";

/**
 * One side of a range (`<`, `<=`, `>`, `>=`) against a constant bound, for KQL ranges and EQL
 * comparison operators, decided per event value without index mappings:
 *
 * 1. Numbers: an event number (or numeric text, `"4688"`, `"0x1F"`) against a numeric bound
 *    compares numerically.
 * 2. Dates: event text that is an ISO-8601 date (or an epoch-millisecond number) against a bound
 *    that is a date or date math (`now-7d/d`) compares as instants, with Elasticsearch's rounding.
 * 3. Otherwise strings compare in code-unit order, as a `keyword` field's terms do (they sort by
 *    UTF-8 bytes, which agrees except between astral characters and U+E000–U+FFFF).
 *
 * Elasticsearch picks one of these from the field's mapping; Vigil has no mappings, so the value
 * and the bound decide. The one visible difference: numeric text in a keyword field
 * (`event.code: "10"`) compares as a number here (10 > 9), where a keyword field would compare
 * "10" < "9". Booleans and null never satisfy a range.
 */
export type RangeOperator = "lt" | "lte" | "gt" | "gte";

export interface RangeTestOptions {
  /** The clock for `now` in date math (epoch ms); defaults to Date.now. */
  now?: () => number;
}

export function compileRangeTest(op: RangeOperator, bound: string | number, options: RangeTestOptions = {}): (value: Scalar) => boolean {
  const now = options.now ?? Date.now;
  const numBound = typeof bound === "number" ? bound : toNumber(bound);
  const math: DateMath | undefined = typeof bound === "string" && numBound === undefined ? parseDateMath(bound) : undefined;
  // gt and lte round up, gte and lt round down (Elasticsearch range query rounding).
  const roundUp = op === "gt" || op === "lte";
  const fixedDate = math && math.anchor !== "now" ? resolveDateMath(math, 0, roundUp) : undefined;
  const dateBound = math ? (fixedDate !== undefined ? () => fixedDate : () => resolveDateMath(math, now(), roundUp)) : undefined;
  // `now-7d` has no meaning as a string; a bound that is only date math never compares as text.
  const strBound = math && math.anchor === "now" ? undefined : String(bound);
  const cmp = comparator(op);

  return (value) => {
    if (value === null || typeof value === "boolean") return false;
    if (typeof value === "number") {
      if (numBound !== undefined) return cmp(value, numBound);
      if (dateBound !== undefined) return cmp(value, dateBound());
      return strBound !== undefined && cmp(String(value), strBound);
    }
    if (numBound !== undefined) {
      const n = toNumber(value);
      if (n !== undefined) return cmp(n, numBound);
    }
    if (dateBound !== undefined) {
      const t = parseIsoDate(value);
      if (t !== undefined) return cmp(t, dateBound());
    }
    return strBound !== undefined && cmp(value, strBound);
  };
}

function comparator(op: RangeOperator): <T extends number | string>(a: T, b: T) => boolean {
  switch (op) {
    case "lt":
      return (a, b) => a < b;
    case "lte":
      return (a, b) => a <= b;
    case "gt":
      return (a, b) => a > b;
    case "gte":
      return (a, b) => a >= b;
  }
}
