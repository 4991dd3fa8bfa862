import { describe, expect, it } from "vitest";
import { compileNumericComparison, toNumber } from "./numeric";

describe("toNumber", () => {
  it.each<[unknown, number | undefined]>([
    [42, 42],
    ["4688", 4688],
    [" 12 ", 12],
    ["-1.5", -1.5],
    [".5", 0.5],
    ["1e3", 1000],
    ["0x1F3FFF", 0x1f3fff],
    ["12abc", undefined],
    ["", undefined],
    ["0x", undefined],
    [true, undefined],
    [null, undefined],
    [Number.NaN, undefined],
  ])("%j → %j", (input, expected) => {
    expect(toNumber(input as never)).toBe(expected);
  });
});

describe("compileNumericComparison", () => {
  it.each<["lt" | "lte" | "gt" | "gte" | "eq" | "neq", number, boolean]>([
    ["lt", 4, true],
    ["lt", 5, false],
    ["lte", 5, true],
    ["gt", 6, true],
    ["gt", 5, false],
    ["gte", 5, true],
    ["eq", 5, true],
    ["neq", 5, false],
  ])("%s 5 on %d is %s", (op, value, expected) => {
    expect(compileNumericComparison(op, 5)(value)).toBe(expected);
  });
});
