import { beforeEach, describe, expect, it } from "vitest";
import type { NoveltyState, StateKey } from "@/lib/detection";
import { stateMapKey } from "@/lib/detection";
import { db } from "./client";
import { inTransaction, pool } from "./pool";
import { PgStateStore, recordLatestEventTimes } from "./state-store";
import { installTestRules } from "./test-setup/fixtures";
import { resetDatabase } from "./test-setup/reset";

beforeEach(async () => {
  await resetDatabase();
  await installTestRules(); // rule rows for the foreign keys
});

const key = (hash: string, values = ["curl"]): StateKey => ({ ruleId: "t-cmd", hash, values });
const sighting = (t: number): NoveltyState => ({ firstSeen: t, lastSeen: t, count: 1, days: { [String(Math.floor(t / 86_400_000))]: [t, t] } });

/** A check-then-act decision, the shape every stateful decision has: new iff no state yet. */
async function decideOnce(k: StateKey, t: number, pause = 0): Promise<boolean> {
  return inTransaction(async (client) => {
    const store = new PgStateStore(client);
    const states = await store.load("novelty", [k]);
    const isNew = !states.has(stateMapKey(k));
    if (pause) await new Promise((r) => setTimeout(r, pause)); // widen the race window
    await store.save("novelty", [{ key: k, state: sighting(t) }]);
    return isNew;
  });
}

describe("PgStateStore", () => {
  it("round-trips novelty and rarity state", async () => {
    const t = Date.UTC(2026, 10, 9, 10);
    await inTransaction(async (client) => {
      const store = new PgStateStore(client);
      await store.save("novelty", [{ key: key("h1", ["curl", "web01"]), state: { ...sighting(t), count: 3, known: true } }]);
      await store.save("rarity", [{ key: key("g1", ["/usr/sbin/apache2", "/tmp/x"]), state: { firstSeen: t, lastSeen: t, days: { "20401": { count: 2, distinct: { "host.id": ["h"] } } }, lastAlertAt: t } }]);
    });
    await inTransaction(async (client) => {
      const store = new PgStateStore(client);
      const novelty = await store.load("novelty", [key("h1"), key("missing")]);
      expect([...novelty.keys()]).toEqual([stateMapKey(key("h1"))]);
      expect(novelty.get(stateMapKey(key("h1")))).toEqual({ ...sighting(t), count: 3, known: true });
      const rarity = await store.load("rarity", [key("g1")]);
      expect(rarity.get(stateMapKey(key("g1")))).toEqual({ firstSeen: t, lastSeen: t, days: { "20401": { count: 2, distinct: { "host.id": ["h"] } } }, lastAlertAt: t });
    });
    const row = await db().noveltyState.findFirstOrThrow({ where: { keyHash: "h1" } });
    expect(row.values).toEqual(["curl", "web01"]);
  });

  it("serializes two concurrent decisions on the same new key: exactly one sees it new", async () => {
    const verdicts = await Promise.all([decideOnce(key("race"), 1, 200), decideOnce(key("race"), 2, 200), decideOnce(key("race"), 3, 200)]);
    expect(verdicts.filter(Boolean)).toHaveLength(1);
  });

  it("does not serialize decisions on different keys", async () => {
    // A holds its lock on "a" until B has finished with "b": if B waited for A, neither would end.
    let bDone!: () => void;
    const bFinished = new Promise<void>((resolve) => (bDone = resolve));
    const a = inTransaction(async (client) => {
      const store = new PgStateStore(client);
      await store.load("novelty", [key("a")]);
      await bFinished;
      await store.save("novelty", [{ key: key("a"), state: sighting(1) }]);
    });
    const b = decideOnce(key("b"), 1).then((isNew) => {
      bDone();
      return isNew;
    });
    expect(await b).toBe(true);
    await a;
  });

  it("locks keys in one order, so two batches over the same keys in opposite orders do not deadlock", async () => {
    const batch = (hashes: string[]) =>
      inTransaction(async (client) => {
        const store = new PgStateStore(client);
        await store.load("novelty", hashes.map((h) => key(h)));
        await new Promise((r) => setTimeout(r, 100));
        await store.save("novelty", hashes.map((h) => ({ key: key(h), state: sighting(1) })));
      }, 1); // no retries: a deadlock would fail the test
    await Promise.all([batch(["k1", "k2", "k3"]), batch(["k3", "k2", "k1"])]);
    expect(await db().noveltyState.count()).toBe(3);
  });

  it("records each rule's first event once; the latest moves forward after commit", async () => {
    const starts = async (earliest: number, latest: number) => {
      let store!: PgStateStore;
      const result = await inTransaction((client) => {
        store = new PgStateStore(client);
        return store.ruleStarts(new Map([["t-cmd", { earliest, latest }]]));
      });
      await recordLatestEventTimes(pool(), store.latest);
      return result;
    };
    expect(await starts(1000, 5000)).toEqual(new Map([["t-cmd", 1000]]));
    expect(await starts(500, 3000)).toEqual(new Map([["t-cmd", 1000]])); // learning does not move back
    await starts(2000, 9000);
    const row = await db().ruleState.findUniqueOrThrow({ where: { ruleId: "t-cmd" } });
    expect([row.firstEventAt.getTime(), row.latestEventAt.getTime()]).toEqual([1000, 9000]);
  });

  it("does not make concurrent batches of one rule wait on each other", async () => {
    await inTransaction((client) => new PgStateStore(client).ruleStarts(new Map([["t-cmd", { earliest: 1, latest: 1 }]])));
    // A holds its transaction open until B is done; if ruleStarts locked the rule's row, B would wait forever.
    let bDone!: () => void;
    const bFinished = new Promise<void>((resolve) => (bDone = resolve));
    const a = inTransaction(async (client) => {
      await new PgStateStore(client).ruleStarts(new Map([["t-cmd", { earliest: 5, latest: 50 }]]));
      await bFinished;
    });
    await inTransaction((client) => new PgStateStore(client).ruleStarts(new Map([["t-cmd", { earliest: 6, latest: 60 }]])));
    bDone();
    await a;
  });
});
