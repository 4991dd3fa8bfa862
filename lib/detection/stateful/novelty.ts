import { DAY_MS, LATE_EVENT_SLACK_MS, dayIndex, type EventTime, type NoveltySpec, type NoveltyState } from "./types";

export interface NoveltyDecision {
  /** No sighting of the key in [t − window, t] (see decideNovelty); never true for a known key. */
  isNew: boolean;
  /**
   * The history could not settle it (a window shorter than a day straddled by one day's
   * sightings, or an event older than the kept history): such a key is treated as seen.
   */
  unsure: boolean;
  /** The latest sighting known to be at or before t, if any (for "last seen 9 days ago"). */
  lastSeenBefore?: EventTime;
  /** The state with this sighting recorded and buckets past the horizon pruned. */
  next: NoveltyState;
}

/** How far behind a key's latest sighting its day buckets are kept: the window plus the slack for late events. */
export function noveltyHorizonMs(spec: Pick<NoveltySpec, "windowMs">): number {
  return spec.windowMs + LATE_EVENT_SLACK_MS;
}

/**
 * Decide one sighting of one novelty key at event time `t`, and record it. Pure: `state` is not
 * modified.
 *
 * A key is new at t when it has no sighting in [t − windowMs, t) (DESIGN §4). A sighting at the
 * very same millisecond that was recorded earlier also counts as seen, so the same key twice at
 * one instant (one batch, or two) alerts once; the interval is otherwise half-open: a sighting at
 * exactly t − windowMs is in the window, one a millisecond earlier is not.
 *
 * Exactness. Every sighting lies in [firstSeen, lastSeen] and in its day's [earliest, latest]
 * bucket, so the question is settled whenever one of those known instants falls in the window or
 * every bucket lies wholly outside it. A bucket can straddle the window (earliest before it,
 * latest after it, sightings between unknown) only when the window is shorter than a day: the
 * decision is exact for windows of a day or more, in any arrival order, and for shorter windows
 * an undecidable key counts as seen (no alert rather than a false one).
 *
 * History. Buckets older than `horizonMs` behind the key's latest sighting are pruned; the buckets
 * of every day from there on are complete. An event so late that its window reaches behind the
 * kept history is exact when the key was first seen after its window opened (then new if
 * nothing kept is in the window), and otherwise unsure (seen). `noveltyHorizonMs` gives the
 * window plus a day, so events up to a day late are decided exactly.
 *
 * A key marked `known` by an analyst is never new; its sightings are still recorded.
 */
export function decideNovelty(state: NoveltyState | undefined, t: EventTime, spec: Pick<NoveltySpec, "windowMs">, horizonMs: number): NoveltyDecision {
  const from = t - spec.windowMs;
  let verdict: "seen" | "unseen" | "unsure" = "unseen";
  let lastSeenBefore: EventTime | undefined;

  if (state) {
    const inWindow = (s: EventTime) => s >= from && s <= t;
    const consider = (s: EventTime) => {
      if (s <= t && (lastSeenBefore === undefined || s > lastSeenBefore)) lastSeenBefore = s;
    };
    consider(state.firstSeen);
    consider(state.lastSeen);
    for (const [earliest, latest] of Object.values(state.days)) {
      consider(earliest);
      consider(latest);
    }

    if (state.lastSeen < from || state.firstSeen > t) {
      verdict = "unseen";
    } else if (inWindow(state.firstSeen) || inWindow(state.lastSeen)) {
      verdict = "seen";
    } else {
      // firstSeen < from and lastSeen > t: look at the days.
      const keptFrom = dayIndex(state.lastSeen - horizonMs) * DAY_MS;
      let unsure = from < keptFrom; // the window reaches into pruned history, and firstSeen < from
      for (const [earliest, latest] of Object.values(state.days)) {
        if (inWindow(earliest) || inWindow(latest)) {
          verdict = "seen";
          unsure = false;
          break;
        }
        if (earliest < from && latest > t) unsure = true;
      }
      if (verdict !== "seen" && unsure) verdict = "unsure";
    }
  }

  return {
    isNew: verdict === "unseen" && state?.known !== true,
    unsure: verdict === "unsure",
    ...(lastSeenBefore !== undefined && { lastSeenBefore }),
    next: recordSighting(state, t, horizonMs),
  };
}

/** The state with a sighting at `t`, buckets older than the horizon (behind the latest sighting) pruned. */
function recordSighting(state: NoveltyState | undefined, t: EventTime, horizonMs: number): NoveltyState {
  const lastSeen = state ? Math.max(state.lastSeen, t) : t;
  const keepFrom = dayIndex(lastSeen - horizonMs);
  const days: NoveltyState["days"] = {};
  if (state) {
    for (const [day, bucket] of Object.entries(state.days)) if (Number(day) >= keepFrom) days[day] = bucket;
  }
  const d = dayIndex(t);
  if (d >= keepFrom) {
    const bucket = days[d];
    days[d] = bucket ? [Math.min(bucket[0], t), Math.max(bucket[1], t)] : [t, t];
  }
  return {
    firstSeen: state ? Math.min(state.firstSeen, t) : t,
    lastSeen,
    count: (state?.count ?? 0) + 1,
    days,
    ...(state?.known === true && { known: true }),
  };
}
