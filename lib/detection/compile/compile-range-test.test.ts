import { describe, expect, it } from "vitest";
import { compileRangeTest, type RangeOperator } from "./compile-range-test";
import type { Scalar } from "./field-access";

const NOW = () => Date.parse("2026-11-10T00:00:00Z");

describe("compileRangeTest", () => {
  it.each<[RangeOperator, string | number, Scalar, boolean, string]>([
    ["gt", 5, 6, true, "numbers"],
    ["gt", "5", 6, true, "numeric text bound"],
    ["gt", 5, "6", true, "numeric text value"],
    ["lt", 10, "9", true, "numbers, not text order (a keyword field would say \"9\" > \"10\")"],
    ["gte", 5, 5, true, ""],
    ["lt", 5, 5, false, ""],
    ["lte", "0x10", 16, true, "hex text"],
    ["gt", 5, "abc", true, "text against a numeric bound compares as text: \"abc\" > \"5\""],
    ["gte", "b", "bc", true, "strings in code-unit order"],
    ["lt", "b", "B", true, "upper case sorts first"],
    ["gte", "2026-11-09", "2026-11-09T10:00:00Z", true, "dates as instants"],
    ["lt", "2026-11-09T12:00:00+02:00", "2026-11-09T10:30:00Z", false, "zones honoured"],
    ["gte", "now-1d", "2026-11-09T00:00:00Z", true, "date math"],
    ["gt", "now-1d/d", "2026-11-09T12:00:00Z", false, "gt rounds up to the end of the day"],
    ["gte", "now-1d/d", "2026-11-09T00:00:00Z", true, "gte rounds down"],
    ["gt", "now-1d", "not a date", false, "a value that is not a date never compares to date math"],
    ["gt", 5, true, false, "booleans never satisfy a range"],
    ["gt", 5, null, false, "null never does"],
  ])("%s %j against %j → %s (%s)", (op, bound, value, expected) => {
    expect(compileRangeTest(op, bound, { now: NOW })(value)).toBe(expected);
  });

  it("reads the clock per test for date math with now", () => {
    let now = Date.parse("2026-11-10T00:00:00Z");
    const test = compileRangeTest("gte", "now-1h", { now: () => now });
    expect(test("2026-11-09T23:30:00Z")).toBe(true);
    now += 3_600_000;
    expect(test("2026-11-09T23:30:00Z")).toBe(false);
  });
});
