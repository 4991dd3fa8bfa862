import type { EcsEvent } from "../event/types";
import type { MatchExplanation, RuleMatch } from "../rules/detector";
import { formatDuration } from "./duration";
import { decideNovelty, noveltyHorizonMs } from "./novelty";
import { printRareCondition } from "./rare-condition";
import { decideRarity, type RarityDecision } from "./rarity";
import { distinctValues, noveltyKeys, rarityKeys, type KeysResult } from "./term-keys";
import {
  MAX_DISTINCT_PER_DAY,
  MAX_TERM_COMBINATIONS,
  stateMapKey,
  type EventTime,
  type NoveltySpec,
  type NoveltyState,
  type RaritySpec,
  type RarityState,
  type StateKey,
  type StateStore,
  type StoredState,
} from "./types";

/** An event whose query matched a stateful rule: what the runtime decides on. */
export interface StatefulCandidate {
  /** The event's position in its batch (the caller's bookkeeping; returned untouched). */
  index: number;
  event: EcsEvent;
  /** The rule set's match, with `stateful` set. */
  match: RuleMatch;
  ruleId: string;
  /** Event time (`@timestamp`) in epoch milliseconds. */
  time: EventTime;
}

export interface StatefulVerdict {
  candidate: StatefulCandidate;
  alert: boolean;
  /** The query's explanation plus `new_terms` / `newTerms` (novelty) or `rare` (rarity). */
  explanation: MatchExplanation;
}

/** What a novelty verdict adds to the explanation (JSON-serialisable, stored with the alert). */
export interface NoveltyExplanation {
  /** The fields' values of the first new combination: Elastic's `kibana.alert.new_terms`. */
  new_terms: string[];
  newTerms: {
    fields: string[];
    groupBy: string[];
    /** The history window (new_terms) or forget-after (new_value), e.g. "7d". */
    window: string;
    /** Every new combination's `fields` values, in key order. */
    values: string[][];
    /** The `groupBy` values of each new combination (parallel to `values`); only with a group-by. */
    groups?: (string | null)[][];
    /** ISO time of the first new combination's latest sighting before this event; null: never seen. */
    lastSeenBefore: string | null;
    learning: boolean;
    /** More than MAX_TERM_COMBINATIONS combinations: only the first were evaluated (see `note`). */
    capped: boolean;
    /** `fields` the event lacks: it is not evaluated (no sighting, no alert). */
    missing?: string[];
    note?: string;
  };
}

/** What a rarity verdict adds to the explanation. */
export interface RarityExplanation {
  rare: {
    groupBy: string[];
    /** The group's values (the alerting group when the event is in several). */
    values: (string | null)[];
    windowDays: number;
    count: number;
    /** Per distinct(…) field: the count, or ">64" past the per-day cap. */
    distinct: Record<string, number | string>;
    condition: string;
    learning: boolean;
    /** An alert of the group less than a window away kept this one quiet. */
    suppressed: boolean;
    note?: string;
  };
}

/**
 * Decide a batch of stateful candidates against a store (DESIGN §4), in event time.
 *
 * One round trip per kind of thing: the rules' starts once (each rule's earliest and latest event
 * time in this batch; learning durations start at a rule's first evaluated event), the novelty
 * states of every key in one `load`, the rarity states in one `load`, then every decision in
 * memory in event-time order (stable: equal times keep the batch's order), so several events on
 * one key within the batch see each other, then every changed state in one `save` per kind. In a
 * transactional store the loads lock the keys until commit, which makes each key's decisions
 * atomic across concurrent batches.
 *
 * Every candidate records its sightings (novelty) or counts in its group (rarity), alerting or not,
 * learning or not. Verdicts come back in the candidates' order.
 *
 * @throws Error when a candidate's match has no stateful spec or its time is not a finite number
 *   (programmer errors: the rule set marks stateful matches, the normalizer guarantees @timestamp).
 */
export async function evaluateStateful(candidates: readonly StatefulCandidate[], store: StateStore): Promise<StatefulVerdict[]> {
  if (candidates.length === 0) return [];

  const seen = new Map<string, { earliest: EventTime; latest: EventTime }>();
  const prepared = candidates.map((candidate) => {
    const spec = candidate.match.stateful;
    if (!spec) throw new Error(`candidate for rule ${candidate.ruleId} has no stateful spec`);
    if (!Number.isFinite(candidate.time)) throw new Error(`candidate for rule ${candidate.ruleId} has no event time`);
    const span = seen.get(candidate.ruleId);
    if (!span) seen.set(candidate.ruleId, { earliest: candidate.time, latest: candidate.time });
    else {
      span.earliest = Math.min(span.earliest, candidate.time);
      span.latest = Math.max(span.latest, candidate.time);
    }
    return spec.kind === "novelty"
      ? { kind: "novelty" as const, spec, keys: noveltyKeys(candidate.ruleId, spec, candidate.event) }
      : { kind: "rarity" as const, spec, keys: rarityKeys(candidate.ruleId, spec, candidate.event), values: distinctValues(spec, candidate.event) };
  });

  // Rule ids in one order, so a store that locks per rule always locks in the same order.
  const starts = await store.ruleStarts(new Map([...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

  const noveltyKeyList = uniqueKeys(prepared.filter((p) => p.kind === "novelty").flatMap((p) => p.keys.keys));
  const rarityKeyList = uniqueKeys(prepared.filter((p) => p.kind === "rarity").flatMap((p) => p.keys.keys));
  const novelty: Map<string, NoveltyState> = noveltyKeyList.length > 0 ? await store.load("novelty", noveltyKeyList) : new Map();
  const rarity: Map<string, RarityState> = rarityKeyList.length > 0 ? await store.load("rarity", rarityKeyList) : new Map();
  const changedNovelty = new Map<string, StoredState<NoveltyState>>();
  const changedRarity = new Map<string, StoredState<RarityState>>();

  const order = candidates.map((_, i) => i).sort((a, b) => candidates[a]!.time - candidates[b]!.time || a - b);
  const verdicts: StatefulVerdict[] = new Array(candidates.length);
  for (const i of order) {
    const candidate = candidates[i]!;
    const p = prepared[i]!;
    const start = starts.get(candidate.ruleId) ?? seen.get(candidate.ruleId)!.earliest;
    // Before its start (a late event older than the rule's first one) a rule with a learning
    // duration is learning too; a rule without one (new_terms) never is.
    const learning = p.spec.learningMs > 0 && candidate.time < start + p.spec.learningMs;
    if (p.kind === "novelty") {
      const { alert, extra } = decideNoveltyCandidate(candidate, p.spec, p.keys, learning, novelty, changedNovelty);
      verdicts[i] = { candidate, alert, explanation: { ...candidate.match.explanation, ...extra } };
    } else {
      const { alert, extra } = decideRarityCandidate(candidate, p.spec, p.keys, p.values, learning, rarity, changedRarity);
      verdicts[i] = { candidate, alert, explanation: { ...candidate.match.explanation, ...extra } };
    }
  }

  if (changedNovelty.size > 0) await store.save("novelty", [...changedNovelty.values()]);
  if (changedRarity.size > 0) await store.save("rarity", [...changedRarity.values()]);
  return verdicts;
}

function decideNoveltyCandidate(
  candidate: StatefulCandidate,
  spec: NoveltySpec,
  keys: KeysResult,
  learning: boolean,
  states: Map<string, NoveltyState>,
  changed: Map<string, StoredState<NoveltyState>>,
): { alert: boolean; extra: NoveltyExplanation } {
  const horizon = noveltyHorizonMs(spec);
  const values: string[][] = [];
  const groups: (string | null)[][] = [];
  let lastSeenBefore: EventTime | null | undefined;
  for (const key of keys.keys) {
    const k = stateMapKey(key);
    const decision = decideNovelty(states.get(k), candidate.time, spec, horizon);
    states.set(k, decision.next);
    changed.set(k, { key, state: decision.next });
    if (!decision.isNew) continue;
    values.push(key.values.slice(0, spec.fields.length) as string[]);
    groups.push(key.values.slice(spec.fields.length));
    if (lastSeenBefore === undefined) lastSeenBefore = decision.lastSeenBefore ?? null;
  }
  const notes: string[] = [];
  if (keys.capped) {
    notes.push(`the event has ${keys.combinations} combinations of ${spec.fields.join(", ")}; only the first ${MAX_TERM_COMBINATIONS} were evaluated`);
  }
  if (keys.missing.length > 0) notes.push(`not evaluated: the event has no ${keys.missing.join(", ")}`);
  return {
    alert: values.length > 0 && !learning,
    extra: {
      new_terms: values[0] ?? [],
      newTerms: {
        fields: spec.fields,
        groupBy: spec.groupBy,
        window: formatDuration(spec.windowMs),
        values,
        ...(spec.groupBy.length > 0 && { groups }),
        lastSeenBefore: lastSeenBefore === undefined || lastSeenBefore === null ? null : new Date(lastSeenBefore).toISOString(),
        learning,
        capped: keys.capped,
        ...(keys.missing.length > 0 && { missing: keys.missing }),
        ...(notes.length > 0 && { note: notes.join("; ") }),
      },
    },
  };
}

function decideRarityCandidate(
  candidate: StatefulCandidate,
  spec: RaritySpec,
  keys: KeysResult,
  values: Record<string, string[]>,
  learning: boolean,
  states: Map<string, RarityState>,
  changed: Map<string, StoredState<RarityState>>,
): { alert: boolean; extra: RarityExplanation } {
  let shown: { key: StateKey; decision: RarityDecision } | undefined;
  for (const key of keys.keys) {
    const k = stateMapKey(key);
    const decision = decideRarity(states.get(k), candidate.time, values, spec, { learning });
    states.set(k, decision.next);
    changed.set(k, { key, state: decision.next });
    // The explanation shows the first alerting group, else the first group.
    if (!shown || (decision.alert && !shown.decision.alert)) shown = { key, decision };
  }
  // rarityKeys always yields at least one group (missing values are null components).
  const { key, decision } = shown!;
  const distinct: Record<string, number | string> = {};
  for (const [field, n] of Object.entries(decision.counts.distinct)) {
    distinct[field] = decision.counts.overflow.includes(field) ? `>${MAX_DISTINCT_PER_DAY}` : n;
  }
  const notes: string[] = [];
  if (keys.capped) notes.push(`the event falls in ${keys.combinations} groups; only the first ${MAX_TERM_COMBINATIONS} were evaluated`);
  if (decision.unsure) notes.push("the window reaches back past the history kept for this group (an event that arrived late): not judged");
  return {
    alert: decision.alert,
    extra: {
      rare: {
        groupBy: spec.groupBy,
        values: key.values,
        windowDays: spec.windowDays,
        count: decision.counts.count,
        distinct,
        condition: printRareCondition(spec.condition),
        learning,
        suppressed: decision.suppressed,
        ...(notes.length > 0 && { note: notes.join("; ") }),
      },
    },
  };
}

function uniqueKeys(keys: readonly StateKey[]): StateKey[] {
  const out = new Map<string, StateKey>();
  for (const k of keys) {
    const mk = stateMapKey(k);
    if (!out.has(mk)) out.set(mk, k);
  }
  return [...out.values()];
}
