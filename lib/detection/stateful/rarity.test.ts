import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateRareCondition, parseRareCondition } from "./rare-condition";
import { decideRarity, rarityKeepDays } from "./rarity";
import { HOUR_MS, at, rarity } from "./test-support";
import { DAY_MS, LATE_EVENT_SLACK_MS, MAX_DISTINCT_PER_DAY, dayIndex, type EventTime, type RarityState } from "./types";

const SPEC = rarity(["process.executable"], "count < 5 and distinct(host.name) == 1");

interface Ev {
  t: EventTime;
  host: string;
}

function run(events: Ev[], spec = SPEC, learningUntil = -Infinity, start?: RarityState) {
  let state = start;
  const alerts: boolean[] = [];
  const decisions = events.map((e) => {
    const d = decideRarity(state, e.t, { "host.name": [e.host] }, spec, { learning: e.t < learningUntil });
    state = d.next;
    alerts.push(d.alert);
    return d;
  });
  return { alerts, decisions, state };
}

describe("decideRarity", () => {
  it("a first event is rare: count 1 on one host, and the alert is recorded", () => {
    const d = decideRarity(undefined, at(0, 10), { "host.name": ["web01"] }, SPEC);
    expect(d).toMatchObject({ alert: true, conditionHeld: true, suppressed: false, unsure: false, counts: { count: 1, distinct: { "host.name": 1 }, overflow: [] } });
    expect(d.next).toEqual({
      firstSeen: at(0, 10),
      lastSeen: at(0, 10),
      days: { [dayIndex(at(0))]: { count: 1, distinct: { "host.name": ["web01"] } } },
      lastAlertAt: at(0, 10),
    });
  });

  it("the window includes the event: the fifth event in a week is not rare under count < 5", () => {
    const events = [0, 1, 2, 3, 4].map((d) => ({ t: at(d), host: "web01" }));
    const { decisions } = run(events, rarity(["x"], "count < 5"));
    expect(decisions.map((d) => d.counts.count)).toEqual([1, 2, 3, 4, 5]);
    expect(decisions.map((d) => d.conditionHeld)).toEqual([true, true, true, true, false]);
  });

  it("at most one alert per group per window: the next one comes a full window later", () => {
    const events = [0, 3, 6, 7, 8].map((d) => ({ t: at(d, 12), host: "web01" }));
    const { alerts, decisions } = run(events, rarity(["x"], "count < 5", { windowDays: 7 }));
    expect(alerts).toEqual([true, false, false, true, false]);
    expect(decisions.map((d) => d.suppressed)).toEqual([false, true, true, false, true]);
  });

  it("counts only the trailing window of whole days: events 7 days back fall out of a 7-day window", () => {
    const events = [0, 0, 0, 0, 7].map((d, i) => ({ t: at(d, i), host: "web01" }));
    const { decisions } = run(events, rarity(["x"], "count < 5"));
    expect(decisions[4]!.counts.count).toBe(1); // day 7's window is days 1..7
  });

  it("distinct counts values across the window's days", () => {
    const { decisions } = run([
      { t: at(0), host: "a" },
      { t: at(1), host: "b" },
      { t: at(2), host: "a" },
    ]);
    expect(decisions.map((d) => d.counts.distinct["host.name"])).toEqual([1, 2, 2]);
    expect(decisions.map((d) => d.alert)).toEqual([true, false, false]);
  });

  it("learning keeps it quiet without recording an alert, and counts every event", () => {
    const { alerts, state } = run([{ t: at(0), host: "web01" }, { t: at(1), host: "web01" }], SPEC, at(5));
    expect(alerts).toEqual([false, false]);
    expect(state!.lastAlertAt).toBeNull();
    expect(Object.values(state!.days).map((b) => b.count)).toEqual([1, 1]);
  });

  it("past MAX_DISTINCT_PER_DAY values a day overflows; comparisons up to the cap stay exact", () => {
    const spec = rarity(["x"], `distinct(host.name) > ${MAX_DISTINCT_PER_DAY}`);
    const events = Array.from({ length: MAX_DISTINCT_PER_DAY + 3 }, (_, i) => ({ t: at(0, 0, i), host: `h${i}` }));
    const { decisions, state } = run(events, spec);
    const last = decisions[decisions.length - 1]!;
    expect(last.counts).toEqual({ count: MAX_DISTINCT_PER_DAY + 3, distinct: { "host.name": MAX_DISTINCT_PER_DAY + 1 }, overflow: ["host.name"] });
    expect(last.conditionHeld).toBe(true);
    expect(decisions[MAX_DISTINCT_PER_DAY - 1]!.conditionHeld).toBe(false);
    const bucket = Object.values(state!.days)[0]!;
    expect(bucket.distinct["host.name"]).toHaveLength(MAX_DISTINCT_PER_DAY);
    expect(bucket.overflow).toEqual(["host.name"]);
  });

  it("prunes days behind the window plus the slack, relative to the group's latest event", () => {
    const { state } = run([0, 1, 2, 10, 20].map((d) => ({ t: at(d), host: "a" })));
    const kept = Object.keys(state!.days).map(Number);
    expect(Math.min(...kept)).toBeGreaterThanOrEqual(dayIndex(at(20)) - rarityKeepDays(SPEC) + 1);
    expect(kept).toEqual([dayIndex(at(20))]);
  });

  it("an event whose window reaches into pruned history of the group is not judged", () => {
    const { state } = run([0, 30].map((d) => ({ t: at(d), host: "a" })), rarity(["x"], "count < 5"));
    const late = decideRarity(state, at(3), { "host.name": ["a"] }, rarity(["x"], "count < 5"));
    expect(late).toMatchObject({ unsure: true, alert: false });
  });

  it("is pure: the given state is not modified", () => {
    const { state } = run([{ t: at(0), host: "a" }]);
    const copy = structuredClone(state);
    decideRarity(state, at(0, 5), { "host.name": ["b", "c"] }, SPEC);
    expect(state).toEqual(copy);
  });
});

describe("the hourly command (why Elastic's hourly version was retired)", () => {
  const spec = rarity(["process.executable"], "count < 5 and distinct(host.name) == 1", { learningMs: 7 * DAY_MS });

  it("a command run every hour never alerts once the rule has a baseline; a once-off does", () => {
    const start = at(0);
    const hourly = Array.from({ length: 10 * 24 }, (_, h) => ({ t: start + h * HOUR_MS + 17 * 60_000, host: "web01" }));
    const { alerts } = run(hourly, spec, start + spec.learningMs);
    expect(alerts.filter(Boolean)).toEqual([]);
    // The once-off on day 9, in its own group, after learning.
    expect(decideRarity(undefined, at(9, 3), { "host.name": ["web01"] }, spec).alert).toBe(true);
  });

  it("one run per hour is one event per hour-long window, but from the fifth run on the trailing window is not rare", () => {
    const hourly = Array.from({ length: 48 }, (_, h) => ({ t: at(8) + h * HOUR_MS, host: "web01" }));
    const { decisions } = run(hourly, rarity(["x"], "count < 5"));
    expect(decisions.slice(0, 4).every((d) => d.conditionHeld)).toBe(true);
    expect(decisions.slice(4).every((d) => !d.conditionHeld)).toBe(true);
  });
});

// ---- differential: against a reference that keeps every event -----------------------------------

const conditions = ["count < 5 and distinct(host.name) == 1", "count < 3", "distinct(host.name) >= 2 or count == 1", "not count > 4"];

function reference(events: Ev[], condition: string, windowDays: number, learningUntil: number): boolean[] {
  const ast = parseRareCondition(condition);
  const seen: Ev[] = [];
  let lastAlert: EventTime | null = null;
  return events.map((e) => {
    seen.push(e);
    const day = dayIndex(e.t);
    const inWindow = seen.filter((s) => dayIndex(s.t) > day - windowDays && dayIndex(s.t) <= day);
    const hosts = new Set(inWindow.map((s) => s.host));
    const held = evaluateRareCondition(ast, { count: inWindow.length, distinct: () => hosts.size });
    const suppressed = lastAlert !== null && Math.abs(dayIndex(lastAlert) - day) < windowDays;
    const alert = held && !suppressed && e.t >= learningUntil;
    if (alert) lastAlert = Math.max(lastAlert ?? e.t, e.t);
    return alert;
  });
}

const eventsArb = fc.array(
  fc.record({ t: fc.integer({ min: 0, max: 25 * DAY_MS }).map((x) => at(0) + x), host: fc.constantFrom("a", "b", "c") }),
  { minLength: 1, maxLength: 50 },
);

describe("decideRarity matches a reference that keeps every event", () => {
  it("in event-time order, and with events at most the slack late", () => {
    fc.assert(
      fc.property(
        eventsArb,
        fc.constantFrom(...conditions),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.nat(LATE_EVENT_SLACK_MS), { minLength: 1, maxLength: 50 }),
        fc.boolean(),
        (events, condition, windowDays, learningDays, delays, shuffle) => {
          const order = shuffle
            ? events.map((e, i) => ({ e, arrival: e.t + (delays[i % delays.length] ?? 0) })).sort((a, b) => a.arrival - b.arrival).map((x) => x.e)
            : [...events].sort((a, b) => a.t - b.t);
          const spec = rarity(["x"], condition, { windowDays });
          const learningUntil = at(learningDays);
          expect(run(order, spec, learningUntil).alerts).toEqual(reference(order, condition, windowDays, learningUntil));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("decideRarity never loses an event", () => {
  it("in any arrival order, the kept days count every event of those days, with the same distinct values", () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 1, max: 10 }), (events, windowDays) => {
        const spec = rarity(["x"], "count < 5 and distinct(host.name) == 1", { windowDays });
        const ordered = [...events].sort((a, b) => a.t - b.t);
        const shuffledState = run(events, spec).state!;
        const orderedState = run(ordered, spec).state!;
        const normalize = (s: RarityState) =>
          Object.fromEntries(Object.entries(s.days).map(([d, b]) => [d, { count: b.count, hosts: [...(b.distinct["host.name"] ?? [])].sort() }]));
        expect(normalize(shuffledState)).toEqual(normalize(orderedState));
        expect([shuffledState.firstSeen, shuffledState.lastSeen]).toEqual([orderedState.firstSeen, orderedState.lastSeen]);
        for (const [day, bucket] of Object.entries(orderedState.days)) {
          expect(bucket.count).toBe(events.filter((e) => dayIndex(e.t) === Number(day)).length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
