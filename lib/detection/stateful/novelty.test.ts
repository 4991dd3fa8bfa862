import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideNovelty, noveltyHorizonMs } from "./novelty";
import { HOUR_MS, at } from "./test-support";
import { DAY_MS, LATE_EVENT_SLACK_MS, dayIndex, type EventTime, type NoveltyState } from "./types";

const WEEK = { windowMs: 7 * DAY_MS };
const H = noveltyHorizonMs(WEEK);

/** Record sightings in the given order, returning each decision's isNew. */
function run(times: EventTime[], windowMs: number, start?: NoveltyState): { verdicts: boolean[]; unsure: boolean[]; state: NoveltyState | undefined } {
  let state = start;
  const verdicts: boolean[] = [];
  const unsure: boolean[] = [];
  for (const t of times) {
    const d = decideNovelty(state, t, { windowMs }, noveltyHorizonMs({ windowMs }));
    verdicts.push(d.isNew);
    unsure.push(d.unsure);
    state = d.next;
  }
  return { verdicts, unsure, state };
}

describe("decideNovelty: the window [t − w, t)", () => {
  it("a key never seen is new, and the sighting is recorded", () => {
    const d = decideNovelty(undefined, at(0, 10), WEEK, H);
    expect(d.isNew).toBe(true);
    expect(d.lastSeenBefore).toBeUndefined();
    expect(d.next).toEqual({ firstSeen: at(0, 10), lastSeen: at(0, 10), count: 1, days: { [dayIndex(at(0, 10))]: [at(0, 10), at(0, 10)] } });
  });

  it("a key seen 8 days ago is new again under a 7-day window; one seen 5 days ago is not", () => {
    const eight = decideNovelty(decideNovelty(undefined, at(0, 12), WEEK, H).next, at(8, 12), WEEK, H);
    expect(eight.isNew).toBe(true);
    expect(eight.lastSeenBefore).toBe(at(0, 12));
    const five = decideNovelty(decideNovelty(undefined, at(0, 12), WEEK, H).next, at(5, 12), WEEK, H);
    expect(five.isNew).toBe(false);
  });

  it("is half-open at the start: a sighting at exactly t − w is in the window, one 1 ms earlier is not", () => {
    const t = at(10, 9, 30);
    const seenAt = (s: EventTime) => decideNovelty(decideNovelty(undefined, s, WEEK, H).next, t, WEEK, H).isNew;
    expect(seenAt(t - WEEK.windowMs)).toBe(false);
    expect(seenAt(t - WEEK.windowMs - 1)).toBe(true);
    expect(seenAt(t - 1)).toBe(false);
  });

  it("the same key twice at the same instant alerts once (a sighting already recorded at t counts)", () => {
    expect(run([at(1), at(1)], WEEK.windowMs).verdicts).toEqual([true, false]);
  });

  it("a sighting after t does not make t seen (out of order: the earlier event is the first)", () => {
    expect(run([at(3), at(2)], WEEK.windowMs).verdicts).toEqual([true, true]);
  });

  it("counts, first and last seen, and day buckets follow every sighting in any order", () => {
    const { state } = run([at(2, 5), at(1, 3), at(2, 1), at(2, 7)], WEEK.windowMs);
    expect(state).toEqual({
      firstSeen: at(1, 3),
      lastSeen: at(2, 7),
      count: 4,
      days: { [dayIndex(at(1))]: [at(1, 3), at(1, 3)], [dayIndex(at(2))]: [at(2, 1), at(2, 7)] },
    });
  });

  it("a known key is never new, and its sightings are still recorded", () => {
    const known: NoveltyState = { firstSeen: at(0), lastSeen: at(0), count: 0, days: { [dayIndex(at(0))]: [at(0), at(0)] }, known: true };
    const d = decideNovelty(known, at(30), WEEK, H);
    expect(d.isNew).toBe(false);
    expect(d.next).toMatchObject({ known: true, count: 1, lastSeen: at(30) });
  });

  it("is pure: the given state is not modified", () => {
    const state = decideNovelty(undefined, at(1), WEEK, H).next;
    const copy = structuredClone(state);
    decideNovelty(state, at(2), WEEK, H);
    decideNovelty(state, at(0, 3), WEEK, H);
    expect(state).toEqual(copy);
  });

  it("prunes day buckets older than the horizon behind the latest sighting", () => {
    const { state } = run([at(0), at(3), at(9), at(20)], WEEK.windowMs);
    // Horizon 8 days behind day 20: days 12.. kept.
    expect(Object.keys(state!.days).map(Number)).toEqual([dayIndex(at(20))]);
    expect(state).toMatchObject({ firstSeen: at(0), lastSeen: at(20), count: 4 });
  });

  it("an event older than the kept history is new when the key was first seen after its window opened", () => {
    const { state } = run([at(20), at(30)], WEEK.windowMs);
    const late = decideNovelty(state, at(19), WEEK, H);
    expect(late).toMatchObject({ isNew: true, unsure: false });
  });

  it("an event older than the kept history, for a key seen before its window, is unsure and counts as seen", () => {
    const { state } = run([at(0), at(10), at(30)], WEEK.windowMs);
    const late = decideNovelty(state, at(12), WEEK, H); // the day-10 bucket is pruned (kept from day 22)
    expect(late).toMatchObject({ isNew: false, unsure: true });
  });

  it("under a window shorter than a day, a day straddling the window is unsure and counts as seen", () => {
    const hour = { windowMs: HOUR_MS };
    const { state } = run([at(1, 1), at(1, 20)], hour.windowMs);
    expect(decideNovelty(state, at(1, 10), hour, noveltyHorizonMs(hour))).toMatchObject({ isNew: false, unsure: true });
    // In order, a short window is exact: the day's latest sighting is always the last one.
    expect(run([at(1, 1), at(1, 1, 30), at(1, 3)], hour.windowMs).verdicts).toEqual([true, false, true]);
  });
});

// ---- differential: against a reference that keeps every sighting ------------------------------

/** New at t: no sighting recorded so far in [t − w, t]. */
function referenceVerdicts(times: EventTime[], windowMs: number): boolean[] {
  const seen: EventTime[] = [];
  return times.map((t) => {
    const isNew = !seen.some((s) => s >= t - windowMs && s <= t);
    seen.push(t);
    return isNew;
  });
}

const SPAN = 40 * DAY_MS;
const timesArb = fc.array(fc.integer({ min: 0, max: SPAN }).map((x) => at(0) + x), { minLength: 1, maxLength: 60 });
const dayWindow = fc.constantFrom(DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 30 * DAY_MS, 7 * DAY_MS + 5 * HOUR_MS);
const anyWindow = fc.oneof(dayWindow, fc.constantFrom(HOUR_MS, 6 * HOUR_MS, 23 * HOUR_MS, 1));

/** Whether every event is at most the slack behind the latest one before it. */
function boundedLateness(times: EventTime[]): boolean {
  let max = -Infinity;
  for (const t of times) {
    if (t < max - LATE_EVENT_SLACK_MS) return false;
    max = Math.max(max, t);
  }
  return true;
}

/**
 * An arrival order where no event is more than the slack behind one that arrived before it: each
 * event arrives after a delay of at most the slack, and arrivals are ordered by event time + delay.
 */
function lateButBounded(times: EventTime[], delays: number[]): EventTime[] {
  return times
    .map((t, i) => ({ t, arrival: t + ((delays[i % delays.length] ?? 0) % (LATE_EVENT_SLACK_MS + 1)) }))
    .sort((a, b) => a.arrival - b.arrival)
    .map((x) => x.t);
}

describe("decideNovelty matches a reference that keeps every sighting", () => {
  it("exactly, in event-time order, for any window", () => {
    fc.assert(
      fc.property(timesArb, anyWindow, (times, w) => {
        const ordered = [...times].sort((a, b) => a - b);
        expect(run(ordered, w).verdicts).toEqual(referenceVerdicts(ordered, w));
      }),
      { numRuns: 300 },
    );
  });

  it("exactly, out of order, for windows of a day or more and events at most the slack late", () => {
    fc.assert(
      fc.property(timesArb, dayWindow, fc.array(fc.nat(LATE_EVENT_SLACK_MS), { minLength: 1, maxLength: 60 }), (times, w, delays) => {
        const order = lateButBounded(times, delays);
        expect(boundedLateness(order)).toBe(true);
        expect(run(order, w).verdicts).toEqual(referenceVerdicts(order, w));
      }),
      { numRuns: 300 },
    );
  });

  it("soundly in any order and any window: new only when the reference says new; unsure only when not exact", () => {
    fc.assert(
      fc.property(timesArb, anyWindow, (times, w) => {
        const { verdicts, unsure } = run(times, w);
        const reference = referenceVerdicts(times, w);
        verdicts.forEach((isNew, i) => {
          if (isNew) expect(reference[i]).toBe(true);
          if (!isNew && reference[i]) expect(unsure[i]).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("never loses a sighting: count, first and last seen are exact in any order", () => {
    fc.assert(
      fc.property(timesArb, anyWindow, (times, w) => {
        const { state } = run(times, w);
        expect(state).toMatchObject({ count: times.length, firstSeen: Math.min(...times), lastSeen: Math.max(...times) });
      }),
    );
  });

  it("the final state does not depend on the arrival order", () => {
    fc.assert(
      fc.property(timesArb, dayWindow, (times, w) => {
        const ordered = [...times].sort((a, b) => a - b);
        expect(run(times, w).state).toEqual(run(ordered, w).state);
      }),
    );
  });
});
