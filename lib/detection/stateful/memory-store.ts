import {
  dayIndex,
  stateMapKey,
  type EventTime,
  type NoveltyState,
  type RarityState,
  type StateKey,
  type StateKind,
  type StateStore,
  type StoredState,
} from "./types";

/**
 * A StateStore in memory, for unit tests and the CLI. It behaves as the PostgreSQL store does for
 * a single writer: `load` returns copies (nothing the caller does to them is visible until
 * `save`), `save` replaces whole states, and a rule's start is set once and never moves.
 * There are no locks: callers must not interleave two evaluateStateful calls on one store
 * (the CLI makes one call).
 */
export class MemoryStateStore implements StateStore {
  private readonly novelty = new Map<string, StoredState<NoveltyState>>();
  private readonly rarity = new Map<string, StoredState<RarityState>>();
  private readonly rules = new Map<string, { first: EventTime; latest: EventTime }>();

  load(kind: "novelty", keys: readonly StateKey[]): Promise<Map<string, NoveltyState>>;
  load(kind: "rarity", keys: readonly StateKey[]): Promise<Map<string, RarityState>>;
  async load(kind: StateKind, keys: readonly StateKey[]): Promise<Map<string, NoveltyState | RarityState>> {
    const table: Map<string, StoredState<NoveltyState | RarityState>> = kind === "novelty" ? this.novelty : this.rarity;
    const out = new Map<string, NoveltyState | RarityState>();
    for (const key of keys) {
      const k = stateMapKey(key);
      const stored = table.get(k);
      if (stored) out.set(k, structuredClone(stored.state));
    }
    return out;
  }

  save(kind: "novelty", states: readonly StoredState<NoveltyState>[]): Promise<void>;
  save(kind: "rarity", states: readonly StoredState<RarityState>[]): Promise<void>;
  async save(kind: StateKind, states: readonly StoredState<NoveltyState | RarityState>[]): Promise<void> {
    const table: Map<string, StoredState<NoveltyState | RarityState>> = kind === "novelty" ? this.novelty : this.rarity;
    for (const s of states) {
      const k = stateMapKey(s.key);
      // The readable values are written once, with the row (as the unique key's row keeps them).
      const key = table.get(k)?.key ?? structuredClone(s.key);
      table.set(k, { key, state: structuredClone(s.state) });
    }
  }

  async ruleStarts(seen: ReadonlyMap<string, { earliest: EventTime; latest: EventTime }>): Promise<Map<string, EventTime>> {
    const out = new Map<string, EventTime>();
    for (const [ruleId, { earliest, latest }] of seen) {
      const known = this.rules.get(ruleId);
      const next = known ? { first: known.first, latest: Math.max(known.latest, latest) } : { first: earliest, latest };
      this.rules.set(ruleId, next);
      out.set(ruleId, next.first);
    }
    return out;
  }

  /** What a rule has learned (the baseline view), most recently seen first. */
  entries(kind: "novelty", ruleId?: string): StoredState<NoveltyState>[];
  entries(kind: "rarity", ruleId?: string): StoredState<RarityState>[];
  entries(kind: StateKind, ruleId?: string): StoredState<NoveltyState | RarityState>[] {
    const table: Map<string, StoredState<NoveltyState | RarityState>> = kind === "novelty" ? this.novelty : this.rarity;
    return [...table.values()]
      .filter((s) => ruleId === undefined || s.key.ruleId === ruleId)
      .sort((a, b) => b.state.lastSeen - a.state.lastSeen || (a.key.hash < b.key.hash ? -1 : a.key.hash > b.key.hash ? 1 : 0))
      .map((s) => structuredClone(s));
  }

  /**
   * Marks a novelty key known (an analyst added it to the baseline): it never alerts until
   * forgotten. A key never seen is created with a sighting at `at`, as the PostgreSQL store does.
   */
  markKnown(key: StateKey, at: EventTime): void {
    const k = stateMapKey(key);
    const stored = this.novelty.get(k);
    if (stored) {
      stored.state.known = true;
      return;
    }
    this.novelty.set(k, { key: structuredClone(key), state: { firstSeen: at, lastSeen: at, count: 0, days: { [dayIndex(at)]: [at, at] }, known: true } });
  }

  /** Forgets a learned key or group: its next sighting starts afresh. */
  forget(kind: StateKind, key: Pick<StateKey, "ruleId" | "hash">): boolean {
    return (kind === "novelty" ? this.novelty : this.rarity).delete(stateMapKey(key));
  }

  /** The first and latest event time a rule evaluated, if it has. */
  ruleState(ruleId: string): { first: EventTime; latest: EventTime } | undefined {
    const r = this.rules.get(ruleId);
    return r && { ...r };
  }
}
