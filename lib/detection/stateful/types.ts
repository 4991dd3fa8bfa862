/**
 * Stateful rules: what a rule remembers, and the store interface that keeps it.
 *
 * Semantics (DESIGN.md §4, settled): every window is measured in event time (`@timestamp`), never
 * arrival time. The engine decides with pure functions over the state of one key; a StateStore
 * only loads, locks and saves states, so the same decisions run in memory (tests, the CLI) and in
 * PostgreSQL (the server's PgStateStore, inside the ingest transaction, where row locks make each key's decision
 * atomic across concurrent ingests).
 */

/** Milliseconds since the epoch, in event time. */
export type EventTime = number;

export const DAY_MS = 86_400_000;

/** Elastic's cap on new-terms combinations per event (array fields multiply). */
export const MAX_TERM_COMBINATIONS = 100;

/**
 * How late (in event time, behind the latest sighting of the same key) an event may arrive and
 * still be decided exactly: day buckets are kept this long past a rule's window. State expiry
 * (PgStateStore) keeps the same margin.
 */
export const LATE_EVENT_SLACK_MS = DAY_MS;

/**
 * Distinct values kept per field per day bucket of a rarity group. Past it the day is marked
 * `overflow` for that field: the window then has more than this many distinct values, which
 * still decides every comparison a rare condition may make (their constants are at most this).
 */
export const MAX_DISTINCT_PER_DAY = 64;

/** Fields a novelty key or a rarity group may name (each of `fields`, `groupBy`). */
export const MAX_STATEFUL_FIELDS = 5;

/** The day bucket of an event time: floor(t / DAY_MS), the key of `days` maps as a string. */
export function dayIndex(t: EventTime): number {
  return Math.floor(t / DAY_MS);
}

/**
 * Novelty: Elastic `new_terms` and native `new_value`. The term is the tuple of `fields`' values
 * (one term per combination when fields hold arrays, at most MAX_TERM_COMBINATIONS), scoped by
 * `groupBy` (each group has its own baseline). A term is new at time t when it has no sighting in
 * [t − windowMs, t). Every candidate event records a sighting, alerting or not.
 */
export interface NoveltySpec {
  kind: "novelty";
  /** 1 to 5 fields (Elastic files use 1 to 3). */
  fields: string[];
  /** Fields whose values partition the baseline (per host, per parent, …); may be empty. */
  groupBy: string[];
  /** new_terms: the history window; new_value: forget-after. */
  windowMs: number;
  /**
   * new_value's learning duration: no alerts until this long after the first event the rule
   * evaluated (event time); sightings are still recorded. 0 for new_terms.
   */
  learningMs: number;
}

/** One comparison of a rare condition: `count < 5`, `distinct(host.id) == 1`. */
export type RareMetric = { kind: "count" } | { kind: "distinct"; field: string };
export type RareComparator = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** `count < 5 and distinct(host.id) == 1`, as a typed AST with positions into the condition text. */
export type RareCondition =
  | { type: "Comparison"; metric: RareMetric; op: RareComparator; value: number; location: { start: number; end: number } }
  | { type: "And" | "Or"; left: RareCondition; right: RareCondition; location: { start: number; end: number } }
  | { type: "Not"; operand: RareCondition; location: { start: number; end: number } };

/**
 * Rarity: native `rare`. A group (the values of `groupBy`, e.g. parent executable, process
 * executable, working directory) is judged, as each event arrives, against a trailing window of
 * `windowDays` event-time days that includes the event: the condition holds over the window's
 * count and distinct values. At most one alert per group per window; no alerts while learning.
 */
export interface RaritySpec {
  kind: "rarity";
  groupBy: string[];
  windowDays: number;
  condition: RareCondition;
  /** Fields named by distinct(…) in the condition; their values are kept per day bucket. */
  distinctFields: string[];
  learningMs: number;
}

export type StatefulSpec = NoveltySpec | RaritySpec;

/** A term or group as stored: a stable hash for the unique key, and the readable values. */
export interface StateKey {
  /** Rule id + hash: the unique key in the store. */
  ruleId: string;
  hash: string;
  /** The values, in `fields` then `groupBy` order (null where the event had none). */
  values: (string | null)[];
}

/**
 * A novelty key's memory: first and last sighting, count, and per event-time day the earliest and
 * latest sighting. Day buckets make "no sighting in [t − w, t)" exact for windows of a day or more
 * even when events arrive out of order; buckets older than the longest window are pruned.
 */
export interface NoveltyState {
  firstSeen: EventTime;
  lastSeen: EventTime;
  count: number;
  /** day index (floor(t / DAY_MS)) → [earliest, latest] sighting that day. */
  days: Record<string, [EventTime, EventTime]>;
  /** Marked known by an analyst: never new until forgotten. */
  known?: boolean;
}

/** A rarity group's memory: per event-time day, how many events and which distinct values. */
export interface RarityState {
  firstSeen: EventTime;
  lastSeen: EventTime;
  /** day index → count and, per distinct field, the values seen (capped; `overflow` past the cap). */
  days: Record<string, { count: number; distinct: Record<string, string[]>; overflow?: string[] }>;
  /** Event time of the group's last alert: at most one per window. */
  lastAlertAt: EventTime | null;
}

export type StateKind = "novelty" | "rarity";

export interface StoredState<S> {
  key: StateKey;
  state: S;
}

/**
 * Where states live. `load` returns the current state of each key (undefined when new) and, in a
 * transactional store, locks the keys until the batch commits, so two concurrent batches deciding
 * the same key serialize and never both alert or both miss. `save` writes the new states.
 * `ruleStarts` returns each rule's first evaluated event time, recording `candidate` for rules
 * that have none yet (learning durations start there), and remembers the latest event time per
 * rule (expiry is relative to it, so a replay of last week is not expired by the wall clock).
 */
export interface StateStore {
  load(kind: "novelty", keys: readonly StateKey[]): Promise<Map<string, NoveltyState>>;
  load(kind: "rarity", keys: readonly StateKey[]): Promise<Map<string, RarityState>>;
  save(kind: "novelty", states: readonly StoredState<NoveltyState>[]): Promise<void>;
  save(kind: "rarity", states: readonly StoredState<RarityState>[]): Promise<void>;
  ruleStarts(seen: ReadonlyMap<string, { earliest: EventTime; latest: EventTime }>): Promise<Map<string, EventTime>>;
}

/** The map key StateStore.load results use for a StateKey. */
export function stateMapKey(key: Pick<StateKey, "ruleId" | "hash">): string {
  return `${key.ruleId}\u0000${key.hash}`;
}
