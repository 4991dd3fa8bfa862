import { describe, expect, it } from "vitest";
import { distinctValues, noveltyKeys, noveltyStateKey, rarityKeys, rarityStateKey, stateKeyHash, termValues } from "./term-keys";
import { MAX_TERM_COMBINATIONS } from "./types";

const spec = (fields: string[], groupBy: string[] = []) => ({ fields, groupBy });

describe("termValues", () => {
  it.each<[unknown, string[]]>([
    ["bash", ["bash"]],
    [7, ["7"]],
    [true, ["true"]],
    [["a", "b", "a"], ["a", "b"]],
    [[1, "1"], ["1"]],
    [[["x"], ["y", null]], ["x", "y"]],
    [null, []],
    [[], []],
    [{ nested: "object" }, []],
    [undefined, []],
    ["", [""]],
  ])("%j → %j", (value, expected) => {
    expect(termValues(value as never)).toEqual(expected);
  });
});

describe("novelty keys", () => {
  it("one key per event for scalar fields: fields' values, then group-by values", () => {
    const r = noveltyKeys("r1", spec(["process.name"], ["host.name"]), { process: { name: "sh" }, host: { name: "web01" } });
    expect(r).toMatchObject({ combinations: 1, capped: false, missing: [] });
    expect(r.keys).toEqual([{ ruleId: "r1", hash: stateKeyHash(["process.name"], ["host.name"], ["sh", "web01"]), values: ["sh", "web01"] }]);
  });

  it("array fields give one key per combination, the last field varying fastest", () => {
    const r = noveltyKeys("r1", spec(["a", "b"]), { a: ["1", "2"], b: ["x", "y", "x"] });
    expect(r.keys.map((k) => k.values)).toEqual([
      ["1", "x"],
      ["1", "y"],
      ["2", "x"],
      ["2", "y"],
    ]);
    expect(new Set(r.keys.map((k) => k.hash)).size).toBe(4);
  });

  it(`stops at ${MAX_TERM_COMBINATIONS} combinations and says so`, () => {
    const many = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const r = noveltyKeys("r1", spec(["a", "b"]), { a: many, b: many });
    expect(r.combinations).toBe(900);
    expect(r.capped).toBe(true);
    expect(r.keys).toHaveLength(MAX_TERM_COMBINATIONS);
    expect(r.keys[0]!.values).toEqual(["v0", "v0"]);
    expect(r.keys[99]!.values).toEqual(["v3", "v9"]);
  });

  it("exactly the cap is not capped", () => {
    const ten = Array.from({ length: 10 }, (_, i) => `v${i}`);
    const r = noveltyKeys("r1", spec(["a", "b"]), { a: ten, b: ten });
    expect([r.keys.length, r.capped]).toEqual([100, false]);
  });

  it("an event missing a watched field has no key (as Elastic skips it)", () => {
    const r = noveltyKeys("r1", spec(["process.name", "process.parent.name"]), { process: { name: "sh" } });
    expect(r).toEqual({ keys: [], combinations: 0, capped: false, missing: ["process.parent.name"] });
    expect(noveltyKeys("r1", spec(["a"]), { a: [] }).missing).toEqual(["a"]);
    expect(noveltyKeys("r1", spec(["a"]), { a: null }).missing).toEqual(["a"]);
  });

  it("a missing group-by value is a null component: the event still counts", () => {
    const r = noveltyKeys("r1", spec(["process.name"], ["host.id"]), { process: { name: "sh" } });
    expect(r.keys.map((k) => k.values)).toEqual([["sh", null]]);
  });

  it("numbers are terms in their text form, so 7 and \"7\" are one key", () => {
    const a = noveltyKeys("r1", spec(["user.id"]), { user: { id: 7 } });
    const b = noveltyKeys("r1", spec(["user.id"]), { user: { id: "7" } });
    expect(a.keys[0]!.hash).toBe(b.keys[0]!.hash);
  });

  it("the hash is stable (a fixed vector), 32 hex digits, and depends on the field names", () => {
    expect(stateKeyHash(["process.name"], ["host.name"], ["sh", "web01"])).toBe(stateKeyHash(["process.name"], ["host.name"], ["sh", "web01"]));
    expect(stateKeyHash(["process.name"], [], ["sh"])).toMatch(/^[0-9a-f]{32}$/);
    // sha256('[["process.name"],[],["sh"]]'), as `printf %s … | sha256sum` computes it.
    expect(stateKeyHash(["process.name"], [], ["sh"])).toBe("e5295e2e92583faef031aef20ce9c7db");
    expect(stateKeyHash(["process.parent.name"], [], ["sh"])).not.toBe(stateKeyHash(["process.name"], [], ["sh"]));
    // A value and a group value never collide by concatenation.
    expect(stateKeyHash(["a"], ["b"], ["x", null])).not.toBe(stateKeyHash(["a"], ["b"], ["x", "null"]));
  });

  it("noveltyStateKey finds the key an event produced (for the baseline API)", () => {
    const s = spec(["process.name"], ["host.name"]);
    const fromEvent = noveltyKeys("r1", s, { process: { name: "sh" }, host: { name: "web01" } }).keys[0]!;
    expect(noveltyStateKey("r1", s, ["sh", "web01"])).toEqual(fromEvent);
    expect(() => noveltyStateKey("r1", s, ["sh"])).toThrow(/2 values/);
  });
});

describe("rarity keys", () => {
  it("the group is the group-by values, missing ones null", () => {
    const r = rarityKeys("r2", { groupBy: ["process.parent.executable", "process.executable", "process.working_directory"] }, {
      process: { executable: "/tmp/x", parent: { executable: "/usr/sbin/apache2" } },
    });
    expect(r.keys.map((k) => k.values)).toEqual([["/usr/sbin/apache2", "/tmp/x", null]]);
    expect(r.keys[0]).toEqual(rarityStateKey("r2", { groupBy: ["process.parent.executable", "process.executable", "process.working_directory"] }, ["/usr/sbin/apache2", "/tmp/x", null]));
  });

  it("an event with no group-by values at all is the all-null group", () => {
    expect(rarityKeys("r2", { groupBy: ["a", "b"] }, {}).keys.map((k) => k.values)).toEqual([[null, null]]);
  });

  it("array group-by values put the event in each group", () => {
    expect(rarityKeys("r2", { groupBy: ["a"] }, { a: ["x", "y"] }).keys.map((k) => k.values)).toEqual([["x"], ["y"]]);
  });

  it("distinct values per counted field", () => {
    expect(distinctValues({ distinctFields: ["host.name", "user.name"] }, { host: { name: "web01" }, user: { name: ["a", "b"] } })).toEqual({
      "host.name": ["web01"],
      "user.name": ["a", "b"],
    });
    expect(distinctValues({ distinctFields: ["host.id"] }, {})).toEqual({ "host.id": [] });
  });
});
