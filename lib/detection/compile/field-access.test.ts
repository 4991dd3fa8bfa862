import { describe, expect, it } from "vitest";
import type { EcsEvent } from "../event/types";
import { ALL_FIELDS, fieldAccess, flattenScalars, leafEntries, perEvent } from "./field-access";

describe("fieldAccess", () => {
  it("flattens arrays, skips objects, stringifies and folds once per event", () => {
    let reads = 0;
    const access = fieldAccess("test.reads", {
      get: (e) => {
        reads++;
        return (e as { v?: never }).v;
      },
    });
    const event: EcsEvent = { v: ["A", 1, true, null, { x: 1 }, ["B"]] } as never;
    expect(access.scalars(event)).toEqual(["A", 1, true, null, "B"]);
    expect(access.strings(event)).toEqual(["A", "1", "true", "B"]);
    expect(access.folded(event)).toEqual(["a", "1", "true", "b"]);
    expect(access.folded(event)).toBe(access.folded(event));
    expect(reads).toBe(1);
    const next: EcsEvent = { v: "C" };
    expect(access.folded(next)).toEqual(["c"]);
    expect(reads).toBe(2);
  });

  it("tells missing (undefined) from present without scalars ([])", () => {
    const access = fieldAccess("process.parent");
    expect(access.scalars({})).toBeUndefined();
    expect(access.scalars({ process: { parent: { name: "x" } } })).toEqual([]);
    expect(access.scalars({ process: { parent: null } })).toEqual([null]);
  });

  it("is interned by key", () => {
    expect(fieldAccess("process.name")).toBe(fieldAccess("process.name"));
  });

  it("ALL_FIELDS lists every scalar leaf", () => {
    expect(ALL_FIELDS.strings({ a: "x", b: { c: [1, { d: false }] }, e: null })).toEqual(["x", "1", "false"]);
  });

  it("leafEntries names the path of each leaf", () => {
    expect(leafEntries({ a: { b: ["x", "y"] }, c: 1 })).toEqual([
      ["a.b", "x"],
      ["a.b", "y"],
      ["c", 1],
    ]);
  });

  it("flattenScalars keeps a scalar as one value", () => {
    expect(flattenScalars("x")).toEqual(["x"]);
    expect(flattenScalars(undefined)).toBeUndefined();
  });

  it("perEvent computes once per event object", () => {
    let calls = 0;
    const f = perEvent(() => ++calls);
    const a: EcsEvent = {};
    const b: EcsEvent = {};
    expect([f(a), f(a), f(b), f(b), f(a)]).toEqual([1, 1, 2, 2, 3]);
  });
});

describe("prototype names", () => {
  it("are read as own properties only", () => {
    expect(fieldAccess("constructor").scalars({})).toBeUndefined();
    expect(fieldAccess("a.toString").scalars({ a: {} })).toBeUndefined();
    expect(fieldAccess("a.constructor").strings({ a: { constructor: "x" } } as never)).toEqual(["x"]);
    expect(fieldAccess("a.constructor").strings({ a: [{ constructor: "x" }, { constructor: "y" }] } as never)).toEqual(["x", "y"]);
  });
});
