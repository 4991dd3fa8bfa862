import { evaluateRareCondition } from "./rare-condition";
import { DAY_MS, LATE_EVENT_SLACK_MS, MAX_DISTINCT_PER_DAY, dayIndex, type EventTime, type RaritySpec, type RarityState } from "./types";

/** The window's metrics, the event included. */
export interface RarityCounts {
  count: number;
  /** Distinct values per field named by distinct(…); a lower bound for fields in `overflow`. */
  distinct: Record<string, number>;
  /** Fields with more than MAX_DISTINCT_PER_DAY values on some day of the window. */
  overflow: string[];
}

export interface RarityDecision {
  /** Alert: the condition held, no earlier alert of the group within the window, not learning. */
  alert: boolean;
  /** The condition held over the window, whatever else decided. */
  conditionHeld: boolean;
  /** The group alerted less than a window away (in days) from this event. */
  suppressed: boolean;
  /** The window reaches into pruned history of the group: never an alert then. */
  unsure: boolean;
  counts: RarityCounts;
  /** The state with this event counted and day buckets past the kept history pruned. */
  next: RarityState;
}

const SLACK_DAYS = Math.ceil(LATE_EVENT_SLACK_MS / DAY_MS);

/** Day buckets a group keeps behind its latest event: the window plus the slack for late events. */
export function rarityKeepDays(spec: Pick<RaritySpec, "windowDays">): number {
  return spec.windowDays + SLACK_DAYS;
}

/**
 * Count one event of one rarity group at event time `t` and judge the group. Pure: `state` is not
 * modified.
 *
 * The window is the event's day and the windowDays − 1 days before it, in event-time UTC days
 * ([day(t) − windowDays + 1, day(t)]), the event included: `count` is the group's events in those
 * days as recorded so far, `distinct(f)` the distinct values of `f` among them. Day granularity is
 * the approximation: the window's edges are whole days, and on the event's own day events that
 * arrived earlier count even when their time is later than t (in-order ingestion has none).
 *
 * At most one alert per group per window: an alert is suppressed while the group's last alert is
 * less than windowDays days (by day index) away, in either direction (an out-of-order event never
 * alerts right next to a later alert). `learning` suppresses the alert without recording one.
 *
 * Distinct values are kept up to MAX_DISTINCT_PER_DAY per field per day; past that the day is
 * marked `overflow` for the field and the count is reported as a lower bound (MAX + 1). Conditions
 * compare distinct() with constants of at most MAX_DISTINCT_PER_DAY (the parser enforces it), so an
 * overflowing field still decides every comparison exactly.
 *
 * Why this and not a count over one short window: a command the server runs every hour has
 * 24 × windowDays events in any trailing window once the rule has a baseline, so it is never
 * rare; Elastic's retired hourly version counted within one hour and found it rare every hour.
 */
export function decideRarity(
  state: RarityState | undefined,
  t: EventTime,
  values: Readonly<Record<string, readonly string[]>>,
  spec: Pick<RaritySpec, "windowDays" | "condition" | "distinctFields">,
  options: { learning?: boolean } = {},
): RarityDecision {
  const day = dayIndex(t);
  const windowStart = day - spec.windowDays + 1;

  // The event's day with the event counted; other days shared with `state` (never modified).
  const merged: RarityState["days"] = { ...state?.days };
  merged[day] = addEvent(merged[day], values, spec.distinctFields);

  let count = 0;
  const union: Record<string, Set<string>> = {};
  const overflow = new Set<string>();
  for (const field of spec.distinctFields) union[field] = new Set();
  for (const [key, bucket] of Object.entries(merged)) {
    const d = Number(key);
    if (d < windowStart || d > day) continue;
    count += bucket.count;
    for (const field of spec.distinctFields) {
      for (const v of bucket.distinct[field] ?? []) union[field]!.add(v);
      if (bucket.overflow?.includes(field)) overflow.add(field);
    }
  }
  const distinct: Record<string, number> = {};
  for (const field of spec.distinctFields) {
    distinct[field] = overflow.has(field) ? Math.max(union[field]!.size, MAX_DISTINCT_PER_DAY + 1) : union[field]!.size;
  }
  const counts: RarityCounts = { count, distinct, overflow: [...overflow] };

  // Days before the state's kept history are gone: a window reaching into them, for a group that
  // existed then, cannot be counted.
  let unsure = false;
  if (state) {
    const keptFrom = dayIndex(state.lastSeen) - rarityKeepDays(spec) + 1;
    const firstDay = dayIndex(state.firstSeen);
    unsure = Math.max(windowStart, firstDay) < Math.min(keptFrom, day + 1);
  }

  const conditionHeld = evaluateRareCondition(spec.condition, { count, distinct: (f) => distinct[f] ?? 0 });
  const last = state?.lastAlertAt ?? null;
  const suppressed = last !== null && Math.abs(dayIndex(last) - day) < spec.windowDays;
  const alert = conditionHeld && !suppressed && !unsure && options.learning !== true;

  const lastSeen = state ? Math.max(state.lastSeen, t) : t;
  const keepFrom = dayIndex(lastSeen) - rarityKeepDays(spec) + 1;
  const days: RarityState["days"] = {};
  for (const [key, bucket] of Object.entries(merged)) if (Number(key) >= keepFrom) days[key] = bucket;

  return {
    alert,
    conditionHeld,
    suppressed,
    unsure,
    counts,
    next: {
      firstSeen: state ? Math.min(state.firstSeen, t) : t,
      lastSeen,
      days,
      lastAlertAt: alert ? Math.max(last ?? t, t) : last,
    },
  };
}

type DayBucket = RarityState["days"][string];

function addEvent(bucket: DayBucket | undefined, values: Readonly<Record<string, readonly string[]>>, fields: readonly string[]): DayBucket {
  const distinct: Record<string, string[]> = { ...bucket?.distinct };
  let overflow = bucket?.overflow;
  for (const field of fields) {
    const incoming = values[field] ?? [];
    if (incoming.length === 0) continue;
    let list = distinct[field] ?? [];
    let copied = false; // the bucket's own array is shared with the caller's state
    for (const v of incoming) {
      if (list.includes(v)) continue;
      if (list.length < MAX_DISTINCT_PER_DAY) {
        if (!copied) {
          list = [...list];
          copied = true;
        }
        list.push(v);
      } else if (!overflow?.includes(field)) {
        overflow = [...(overflow ?? []), field];
      }
    }
    distinct[field] = list;
  }
  return { count: (bucket?.count ?? 0) + 1, distinct, ...(overflow && overflow.length > 0 && { overflow }) };
}
