import { describe, expect, it } from "vitest";
import { MemoryStateStore } from "./memory-store";
import { at } from "./test-support";
import { dayIndex, stateMapKey, type NoveltyState, type RarityState, type StateKey } from "./types";

const key = (hash: string, values: (string | null)[] = ["curl"]): StateKey => ({ ruleId: "r", hash, values });
const sighting = (t: number): NoveltyState => ({ firstSeen: t, lastSeen: t, count: 1, days: { [dayIndex(t)]: [t, t] } });

describe("MemoryStateStore", () => {
  it("round-trips novelty and rarity states by key; unknown keys are absent", async () => {
    const store = new MemoryStateStore();
    const rarity: RarityState = { firstSeen: at(0), lastSeen: at(0), days: { [dayIndex(at(0))]: { count: 2, distinct: { "host.id": ["h"] } } }, lastAlertAt: at(0) };
    await store.save("novelty", [{ key: key("a"), state: sighting(at(0)) }]);
    await store.save("rarity", [{ key: key("g"), state: rarity }]);
    const loaded = await store.load("novelty", [key("a"), key("missing")]);
    expect([...loaded.keys()]).toEqual([stateMapKey(key("a"))]);
    expect(loaded.get(stateMapKey(key("a")))).toEqual(sighting(at(0)));
    expect((await store.load("rarity", [key("g")])).get(stateMapKey(key("g")))).toEqual(rarity);
    expect(await store.load("rarity", [key("a")])).toEqual(new Map());
  });

  it("hands out copies: changing a loaded state changes nothing until it is saved", async () => {
    const store = new MemoryStateStore();
    await store.save("novelty", [{ key: key("a"), state: sighting(at(0)) }]);
    const loaded = (await store.load("novelty", [key("a")])).get(stateMapKey(key("a")))!;
    loaded.count = 99;
    expect((await store.load("novelty", [key("a")])).get(stateMapKey(key("a")))!.count).toBe(1);
  });

  it("keeps a key's readable values from its first save", async () => {
    const store = new MemoryStateStore();
    await store.save("novelty", [{ key: key("a", ["curl"]), state: sighting(at(0)) }]);
    await store.save("novelty", [{ key: key("a", ["other"]), state: sighting(at(1)) }]);
    expect(store.entries("novelty").map((e) => [e.key.values, e.state.lastSeen])).toEqual([[["curl"], at(1)]]);
  });

  it("records each rule's first event once and keeps its latest", async () => {
    const store = new MemoryStateStore();
    expect(await store.ruleStarts(new Map([["r", { earliest: 1000, latest: 5000 }]]))).toEqual(new Map([["r", 1000]]));
    expect(await store.ruleStarts(new Map([["r", { earliest: 500, latest: 3000 }]]))).toEqual(new Map([["r", 1000]]));
    await store.ruleStarts(new Map([["r", { earliest: 2000, latest: 9000 }]]));
    expect(store.ruleState("r")).toEqual({ first: 1000, latest: 9000 });
  });

  it("lists a rule's baseline most recently seen first; marks known and forgets", async () => {
    const store = new MemoryStateStore();
    await store.save("novelty", [
      { key: key("a", ["curl"]), state: sighting(at(1)) },
      { key: key("b", ["wget"]), state: sighting(at(2)) },
      { key: { ruleId: "other", hash: "c", values: ["x"] }, state: sighting(at(3)) },
    ]);
    expect(store.entries("novelty", "r").map((e) => e.key.values)).toEqual([["wget"], ["curl"]]);
    store.markKnown(key("a"), at(9));
    store.markKnown(key("n", ["nc"]), at(9));
    expect(store.entries("novelty", "r").map((e) => [e.key.values[0], e.state.known === true, e.state.count])).toEqual([
      ["nc", true, 0],
      ["wget", false, 1],
      ["curl", true, 1],
    ]);
    expect(store.forget("novelty", key("b"))).toBe(true);
    expect(store.forget("novelty", key("b"))).toBe(false);
    expect(store.entries("novelty", "r")).toHaveLength(2);
  });
});
