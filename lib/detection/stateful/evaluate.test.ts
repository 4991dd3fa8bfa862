import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EcsEvent } from "../event/types";
import { evaluateStateful, type StatefulCandidate, type StatefulVerdict } from "./evaluate";
import { MemoryStateStore } from "./memory-store";
import { noveltyStateKey } from "./term-keys";
import { CountingStore, HOUR_MS, T0, at, candidate, novelty, proc, rarity, testRule, type TestRule } from "./test-support";
import { DAY_MS, MAX_TERM_COMBINATIONS, type EventTime, type StateStore } from "./types";

const NEW_TERMS = testRule("nt", novelty(["process.name"], { windowMs: 7 * DAY_MS }));

async function evaluate(rule: TestRule, events: EcsEvent[], store: StateStore = new MemoryStateStore()): Promise<StatefulVerdict[]> {
  return evaluateStateful(
    events.map((e, i) => candidate(rule, e, i)),
    store,
  );
}

/** Each event in its own batch, in the given order: how a live stream arrives. */
async function live(rule: TestRule, events: EcsEvent[], store = new MemoryStateStore()): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const e of events) out.push((await evaluateStateful([candidate(rule, e)], store))[0]!.alert);
  return out;
}

describe("evaluateStateful: novelty (new_terms, new_value)", () => {
  it("a key seen 8 days ago alerts again under a 7-day window; one seen 5 days ago does not", async () => {
    const store = new MemoryStateStore();
    await evaluate(NEW_TERMS, [proc(at(0), { exe: "/usr/bin/curl" }), proc(at(3), { exe: "/usr/bin/wget" })], store);
    const [curl, wget] = await evaluate(NEW_TERMS, [proc(at(8, 1), { exe: "/usr/bin/curl" }), proc(at(8, 1), { exe: "/usr/bin/wget" })], store);
    expect(curl!.alert).toBe(true);
    expect(curl!.explanation).toMatchObject({
      new_terms: ["curl"],
      newTerms: { fields: ["process.name"], groupBy: [], window: "7d", values: [["curl"]], lastSeenBefore: new Date(at(0)).toISOString(), learning: false, capped: false },
    });
    expect(wget!.alert).toBe(false);
    expect(wget!.explanation).toMatchObject({ new_terms: [], newTerms: { values: [] } });
  });

  it("the window is [t − w, t): a sighting exactly 7 days before is in it, one a millisecond earlier is not", async () => {
    const t = at(9, 13, 5);
    for (const [before, alerts] of [[7 * DAY_MS, false], [7 * DAY_MS + 1, true]] as const) {
      const store = new MemoryStateStore();
      await evaluate(NEW_TERMS, [proc(t - before)], store);
      expect((await evaluate(NEW_TERMS, [proc(t)], store))[0]!.alert).toBe(alerts);
    }
  });

  it("keeps the query's explanation and adds the verdict", async () => {
    const [v] = await evaluate(NEW_TERMS, [proc(at(0))]);
    expect(v!.explanation).toMatchObject({ details: [], language: "kuery", new_terms: ["id"] });
    expect(v!.candidate.index).toBe(0);
  });

  it("several events on one key in one batch are decided in event-time order: only the earliest alerts", async () => {
    const verdicts = await evaluate(NEW_TERMS, [proc(at(0, 3)), proc(at(0, 1)), proc(at(0, 2))]);
    expect(verdicts.map((v) => v.alert)).toEqual([false, true, false]);
    expect(verdicts.map((v) => v.candidate.index)).toEqual([0, 1, 2]);
  });

  it("talks to the store once per kind: ruleStarts, one load and one save per kind", async () => {
    const store = new CountingStore(new MemoryStateStore());
    const rare = testRule("r", rarity(["process.executable"], "count < 5"));
    const candidates: StatefulCandidate[] = [
      candidate(NEW_TERMS, proc(at(0), { exe: "/bin/sh" }), 0),
      candidate(rare, proc(at(0), { exe: "/bin/sh" }), 0),
      candidate(NEW_TERMS, proc(at(1), { exe: "/bin/sh" }), 1),
      candidate(NEW_TERMS, proc(at(1), { exe: "/bin/ls" }), 2),
      candidate(rare, proc(at(2), { exe: "/tmp/x" }), 3),
    ];
    await evaluateStateful(candidates, store);
    expect(store.calls).toEqual(["ruleStarts nt,r", "load novelty 2", "load rarity 2", "save novelty 2", "save rarity 2"]);
  });

  it("asks the store nothing for an empty batch, and nothing about a kind the batch lacks", async () => {
    const store = new CountingStore(new MemoryStateStore());
    expect(await evaluateStateful([], store)).toEqual([]);
    await evaluate(NEW_TERMS, [proc(at(0))], store);
    expect(store.calls).toEqual(["ruleStarts nt", "load novelty 1", "save novelty 1"]);
  });

  it("array fields give one key per combination; the values that were new are listed", async () => {
    const rule = testRule("args", novelty(["process.args"]));
    const store = new MemoryStateStore();
    await evaluate(rule, [proc(at(0), { args: ["sh", "-c"] })], store);
    const [v] = await evaluate(rule, [proc(at(1), { args: ["sh", "-c", "id"] })], store);
    expect(v!.alert).toBe(true);
    expect(v!.explanation).toMatchObject({ new_terms: ["id"], newTerms: { values: [["id"]], capped: false } });
    expect(store.entries("novelty", "args").map((s) => s.key.values).sort()).toEqual([["-c"], ["id"], ["sh"]]);
  });

  it(`past ${MAX_TERM_COMBINATIONS} combinations it evaluates the first ones and says so`, async () => {
    const rule = testRule("combo", novelty(["a", "b"]));
    const many = Array.from({ length: 11 }, (_, i) => `v${i}`);
    const [v] = await evaluateStateful([candidate(rule, { "@timestamp": new Date(at(0)).toISOString(), a: many, b: many })], new MemoryStateStore());
    expect(v!.explanation).toMatchObject({ newTerms: { capped: true, note: `the event has 121 combinations of a, b; only the first ${MAX_TERM_COMBINATIONS} were evaluated` } });
    expect((v!.explanation.newTerms as { values: unknown[] }).values).toHaveLength(MAX_TERM_COMBINATIONS);
  });

  it("an event missing a watched field records nothing and does not alert", async () => {
    const store = new MemoryStateStore();
    const [v] = await evaluateStateful([candidate(NEW_TERMS, { "@timestamp": new Date(at(0)).toISOString() })], store);
    expect(v!.alert).toBe(false);
    expect(v!.explanation).toMatchObject({ newTerms: { missing: ["process.name"], note: "not evaluated: the event has no process.name" } });
    expect(store.entries("novelty")).toEqual([]);
  });

  it("group-by gives each group its own baseline", async () => {
    const rule = testRule("g", novelty(["process.name"], { groupBy: ["host.name"] }));
    const verdicts = await evaluate(rule, [proc(at(0), { host: "a" }), proc(at(1), { host: "b" }), proc(at(2), { host: "a" })]);
    expect(verdicts.map((v) => v.alert)).toEqual([true, true, false]);
    expect(verdicts[1]!.explanation).toMatchObject({ newTerms: { groupBy: ["host.name"], values: [["id"]], groups: [["b"]] } });
  });

  describe("learning (new_value)", () => {
    const LEARNING = testRule("nv", novelty(["process.name"], { groupBy: ["host.name"], windowMs: 30 * DAY_MS, learningMs: 7 * DAY_MS }));

    it("suppresses alerts for the learning duration from the rule's first event, but records the sightings", async () => {
      const store = new MemoryStateStore();
      const during = await evaluate(LEARNING, [proc(at(0), { exe: "/bin/sh" }), proc(at(3), { exe: "/usr/bin/id" })], store);
      expect(during.map((v) => v.alert)).toEqual([false, false]);
      expect(during[0]!.explanation).toMatchObject({ new_terms: ["sh"], newTerms: { learning: true } });
      expect(store.entries("novelty", "nv").map((s) => s.key.values)).toEqual([["id", "web01"], ["sh", "web01"]]);
      // After learning: what was learned is familiar, anything else is new.
      const after = await evaluate(LEARNING, [proc(at(7, 1), { exe: "/bin/sh" }), proc(at(7, 2), { exe: "/usr/bin/curl" })], store);
      expect(after.map((v) => v.alert)).toEqual([false, true]);
      expect(after[1]!.explanation).toMatchObject({ newTerms: { learning: false } });
    });

    it("starts at the first event the rule evaluated, not at the first batch's arrival", async () => {
      const store = new MemoryStateStore();
      await evaluate(LEARNING, [proc(at(10), { exe: "/bin/sh" })], store);
      const [v] = await evaluate(LEARNING, [proc(at(16), { exe: "/usr/bin/curl" })], store);
      expect(v!.alert).toBe(false); // day 16 is within 7 days of day 10
      expect((await evaluate(LEARNING, [proc(at(17, 1), { exe: "/usr/bin/wget" })], store))[0]!.alert).toBe(true);
      expect(store.ruleState("nv")).toEqual({ first: at(10), latest: at(17, 1) });
    });

    it("an event older than the rule's start is learning too; without a learning duration it is judged", async () => {
      const store = new MemoryStateStore();
      await evaluate(LEARNING, [proc(at(20))], store);
      expect((await evaluate(LEARNING, [proc(at(1), { exe: "/bin/nc" })], store))[0]!.explanation).toMatchObject({ newTerms: { learning: true } });
      const plain = new MemoryStateStore();
      await evaluate(NEW_TERMS, [proc(at(20))], plain);
      expect((await evaluate(NEW_TERMS, [proc(at(1), { exe: "/bin/nc" })], plain))[0]).toMatchObject({ alert: true, explanation: { newTerms: { learning: false } } });
    });
  });

  it("forget-after: a value unseen that long alerts again", async () => {
    const rule = testRule("forget", novelty(["process.name"], { windowMs: 3 * DAY_MS }));
    // Day 2 and day 4 are within 3 days of the previous sighting; day 7 01:00 is 3 days and an hour after day 4.
    const alerts = await live(rule, [proc(at(0)), proc(at(2)), proc(at(4)), proc(at(7, 1))]);
    expect(alerts).toEqual([true, false, false, true]);
  });

  it("a key marked known never alerts; forgotten, it is new again", async () => {
    const store = new MemoryStateStore();
    const key = noveltyStateKey("nt", { fields: ["process.name"], groupBy: [] }, ["nc"]);
    store.markKnown(key, at(0));
    expect((await evaluate(NEW_TERMS, [proc(at(30), { exe: "/bin/nc" })], store))[0]!.alert).toBe(false);
    expect(store.forget("novelty", key)).toBe(true);
    expect((await evaluate(NEW_TERMS, [proc(at(31), { exe: "/bin/nc" })], store))[0]!.alert).toBe(true);
  });
});

describe("replay and out-of-order ingestion", () => {
  // A week of routine web-server children (hourly health checks, daily jobs) and a few new ones.
  const routine: EcsEvent[] = [];
  for (let h = 0; h < 9 * 24; h++) routine.push(proc(T0 + h * HOUR_MS + 7 * 60_000, { exe: "/usr/bin/php" }));
  for (let d = 0; d < 9; d++) routine.push(proc(at(d, 3), { exe: "/usr/bin/find" }));
  const week = [...routine, proc(at(2, 14), { exe: "/bin/sh" }), proc(at(6, 9), { exe: "/usr/bin/curl" }), proc(at(8, 9, 30), { exe: "/bin/sh" })].sort(
    (a, b) => Date.parse(a["@timestamp"] as string) - Date.parse(b["@timestamp"] as string),
  );

  it("a replay of the week in order, in batches of any size, gives the alerts the week gave live", async () => {
    const rule = testRule("replay", novelty(["process.name"], { windowMs: 5 * DAY_MS }));
    const expected = await live(rule, week);
    // php and find once (they recur daily or hourly), curl once, sh twice: 5 days 19 hours apart under a 5-day window.
    const names = week.filter((_, i) => expected[i]).map((e) => (e.process as { name: string }).name);
    expect(names).toEqual(["php", "find", "sh", "curl", "sh"]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), async (sizes) => {
        const store = new MemoryStateStore();
        const alerts: boolean[] = [];
        for (let i = 0, b = 0; i < week.length; b++) {
          const size = sizes[b % sizes.length]!;
          const verdicts = await evaluate(rule, week.slice(i, i + size), store);
          alerts.push(...verdicts.map((v) => v.alert));
          i += size;
        }
        expect(alerts).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it("one batch in any order gives the in-order verdicts (the runtime sorts by event time)", async () => {
    const rule = testRule("shuffled", novelty(["process.name"], { windowMs: 2 * DAY_MS }));
    const inOrder = await evaluate(rule, week);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: week.length, maxLength: week.length }), async (keys) => {
        const perm = week.map((e, i) => ({ e, i, k: keys[i]! })).sort((a, b) => a.k - b.k);
        const verdicts = await evaluateStateful(
          perm.map((p) => candidate(rule, p.e, p.i)),
          new MemoryStateStore(),
        );
        const byIndex = new Map(verdicts.map((v) => [v.candidate.index, v.alert]));
        expect(week.map((_, i) => byIndex.get(i))).toEqual(inOrder.map((v) => v.alert));
      }),
      { numRuns: 20 },
    );
  });

  it("out-of-order batches never lose a sighting: the learned state equals the in-order one", async () => {
    const rule = testRule("ooo", novelty(["process.name"], { windowMs: 7 * DAY_MS }));
    const ordered = new MemoryStateStore();
    await evaluate(rule, week, ordered);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: week.length, maxLength: week.length }), fc.integer({ min: 1, max: 50 }), async (keys, size) => {
        const shuffled = week.map((e, i) => ({ e, k: keys[i]! })).sort((a, b) => a.k - b.k).map((x) => x.e);
        const store = new MemoryStateStore();
        for (let i = 0; i < shuffled.length; i += size) await evaluate(rule, shuffled.slice(i, i + size), store);
        expect(store.entries("novelty", "ooo")).toEqual(ordered.entries("novelty", "ooo"));
      }),
      { numRuns: 20 },
    );
  });
});

describe("evaluateStateful: rare", () => {
  const RARE = testRule(
    "rare",
    rarity(["process.parent.executable", "process.executable", "process.working_directory"], "count < 5 and distinct(host.name) == 1", {
      windowDays: 7,
      learningMs: 7 * DAY_MS,
    }),
  );

  /** Nine days of a command the web server runs every hour, and a once-off /tmp binary on day 9. */
  function scenario(): EcsEvent[] {
    const events: EcsEvent[] = [];
    for (let h = 0; h < 10 * 24; h++) {
      events.push(proc(T0 + h * HOUR_MS + 5 * 60_000, { parent: "/usr/sbin/apache2", exe: "/usr/bin/php", cwd: "/var/www/app" }));
    }
    events.push(proc(at(9, 2, 41), { parent: "/usr/sbin/apache2", exe: "/tmp/.x/kworker", cwd: "/tmp" }));
    return events.sort((a, b) => Date.parse(a["@timestamp"] as string) - Date.parse(b["@timestamp"] as string));
  }

  it("fires on a once-off /tmp binary spawned by apache2 and stays quiet on a command the server runs every hour", async () => {
    const events = scenario();
    const store = new MemoryStateStore();
    const alerts: { exe: string; explanation: unknown }[] = [];
    for (let day = 0; day < 10; day++) {
      const batch = events.filter((e) => Date.parse(e["@timestamp"] as string) >= at(day) && Date.parse(e["@timestamp"] as string) < at(day + 1));
      for (const v of await evaluate(RARE, batch, store)) {
        if (v.alert) alerts.push({ exe: (v.candidate.event.process as { executable: string }).executable, explanation: v.explanation });
      }
    }
    expect(alerts.map((a) => a.exe)).toEqual(["/tmp/.x/kworker"]);
    expect(alerts[0]!.explanation).toMatchObject({
      rare: {
        groupBy: ["process.parent.executable", "process.executable", "process.working_directory"],
        values: ["/usr/sbin/apache2", "/tmp/.x/kworker", "/tmp"],
        windowDays: 7,
        count: 1,
        distinct: { "host.name": 1 },
        condition: "count < 5 and distinct(host.name) == 1",
        learning: false,
        suppressed: false,
      },
    });
  });

  it("alerts at most once per group per window, and again a window later if still rare", async () => {
    const store = new MemoryStateStore();
    await evaluate(RARE, scenario(), store);
    const again = [at(10, 1), at(12, 5), at(15, 23), at(16, 3)].map((t) => proc(t, { exe: "/tmp/.x/kworker", cwd: "/tmp" }));
    const verdicts = [];
    for (const e of again) verdicts.push(...(await evaluate(RARE, [e], store)));
    expect(verdicts.map((v) => v.alert)).toEqual([false, false, false, true]);
    expect(verdicts[0]!.explanation).toMatchObject({ rare: { suppressed: true, count: 2 } });
    // Day 16's window is days 10–16: four events, still rare, and the day-9 alert is a window away.
    expect(verdicts[3]!.explanation).toMatchObject({ rare: { count: 4, suppressed: false } });
  });

  it("learning keeps a new rule quiet: the first days alert on nothing, even what looks rare then", async () => {
    const verdicts = await evaluate(RARE, scenario().filter((e) => Date.parse(e["@timestamp"] as string) < at(7)));
    expect(verdicts.some((v) => v.alert)).toBe(false);
    expect(verdicts[0]!.explanation).toMatchObject({ rare: { learning: true, count: 1 } });
  });

  it("the same rare binary on a second host is not `distinct(host.name) == 1`", async () => {
    const rule = testRule("rare2", rarity(["process.executable"], "count < 5 and distinct(host.name) == 1"));
    const verdicts = await evaluate(rule, [proc(at(0), { exe: "/tmp/x", host: "a" }), proc(at(0, 1), { exe: "/tmp/x", host: "b" })]);
    expect(verdicts.map((v) => v.alert)).toEqual([true, false]);
    expect(verdicts[1]!.explanation).toMatchObject({ rare: { count: 2, distinct: { "host.name": 2 }, suppressed: true } });
  });

  it("reports an overflowing distinct count as more than the cap", async () => {
    const rule = testRule("wide", rarity(["process.executable"], "distinct(host.name) > 3"));
    const events = Array.from({ length: 70 }, (_, i) => proc(at(0, 0, i), { host: `h${i}` }));
    const verdicts = await evaluate(rule, events);
    expect(verdicts[69]!.explanation).toMatchObject({ rare: { distinct: { "host.name": ">64" } } });
    expect(verdicts.filter((v) => v.alert)).toHaveLength(1);
  });
});

describe("programmer errors", () => {
  it("a candidate without a stateful spec, or without a time, throws", async () => {
    const c = candidate(NEW_TERMS, proc(at(0)));
    await expect(evaluateStateful([{ ...c, match: { ...c.match, stateful: undefined } }], new MemoryStateStore())).rejects.toThrow(/no stateful spec/);
    await expect(evaluateStateful([{ ...c, time: Number.NaN as EventTime }], new MemoryStateStore())).rejects.toThrow(/no event time/);
  });
});
