/**
 * Helpers for the stateful tests (not part of the engine's API): rules, events and candidates
 * built in one line, and a store wrapper that counts round trips.
 */
import type { EcsEvent } from "../event/types";
import type { RuleMatch } from "../rules/detector";
import type { RuleMeta } from "../rules/model";
import { testRuleMeta } from "../rules/testing/rule-meta";
import type { StatefulCandidate } from "./evaluate";
import { parseRareCondition, rareConditionFields } from "./rare-condition";
import {
  DAY_MS,
  type EventTime,
  type NoveltySpec,
  type NoveltyState,
  type RaritySpec,
  type RarityState,
  type StateKey,
  type StateStore,
  type StatefulSpec,
  type StoredState,
} from "./types";

export const HOUR_MS = 3_600_000;
/** 2026-11-02T00:00:00Z, a Monday: day 0 of the scenarios. */
export const T0 = Date.UTC(2026, 10, 2);
export const at = (days: number, hours = 0, minutes = 0): EventTime => T0 + days * DAY_MS + hours * HOUR_MS + minutes * 60_000;

export function novelty(fields: string[], options: Partial<Omit<NoveltySpec, "kind" | "fields">> = {}): NoveltySpec {
  return { kind: "novelty", fields, groupBy: options.groupBy ?? [], windowMs: options.windowMs ?? 7 * DAY_MS, learningMs: options.learningMs ?? 0 };
}

export function rarity(groupBy: string[], condition: string, options: { windowDays?: number; learningMs?: number } = {}): RaritySpec {
  const ast = parseRareCondition(condition);
  return { kind: "rarity", groupBy, windowDays: options.windowDays ?? 7, condition: ast, distinctFields: rareConditionFields(ast), learningMs: options.learningMs ?? 0 };
}

export function ruleMeta(id: string, spec: StatefulSpec): RuleMeta {
  return testRuleMeta(id, { name: `rule ${id}`, format: "native", type: spec.kind === "novelty" ? "new_value" : "rare", severity: "medium" });
}

export interface TestRule {
  id: string;
  spec: StatefulSpec;
  meta: RuleMeta;
}

export function testRule(id: string, spec: StatefulSpec): TestRule {
  return { id, spec, meta: ruleMeta(id, spec) };
}

/** A process start on a Linux host. */
export function proc(t: EventTime, fields: { host?: string; parent?: string; exe?: string; name?: string; cwd?: string; args?: string[] } = {}): EcsEvent {
  const exe = fields.exe ?? "/usr/bin/id";
  return {
    "@timestamp": new Date(t).toISOString(),
    event: { category: ["process"], type: ["start"] },
    host: { name: fields.host ?? "web01", os: { type: "linux" } },
    process: {
      executable: exe,
      name: fields.name ?? exe.slice(exe.lastIndexOf("/") + 1),
      working_directory: fields.cwd ?? "/var/www/html",
      ...(fields.args && { args: fields.args }),
      parent: { executable: fields.parent ?? "/usr/sbin/apache2", name: (fields.parent ?? "/usr/sbin/apache2").split("/").pop()! },
    },
  };
}

export function candidate(rule: TestRule, event: EcsEvent, index = 0): StatefulCandidate {
  const match: RuleMatch = { rule: rule.meta, explanation: { details: [], language: "kuery" }, stateful: rule.spec };
  return { index, event, match, ruleId: rule.id, time: Date.parse(event["@timestamp"] as string) };
}

/** A store wrapper that records each call, to check the runtime's round trips. */
export class CountingStore implements StateStore {
  readonly calls: string[] = [];
  constructor(private readonly inner: StateStore) {}

  load(kind: "novelty", keys: readonly StateKey[]): Promise<Map<string, NoveltyState>>;
  load(kind: "rarity", keys: readonly StateKey[]): Promise<Map<string, RarityState>>;
  load(kind: "novelty" | "rarity", keys: readonly StateKey[]): Promise<Map<string, NoveltyState | RarityState>> {
    this.calls.push(`load ${kind} ${keys.length}`);
    return kind === "novelty" ? this.inner.load("novelty", keys) : this.inner.load("rarity", keys);
  }

  save(kind: "novelty", states: readonly StoredState<NoveltyState>[]): Promise<void>;
  save(kind: "rarity", states: readonly StoredState<RarityState>[]): Promise<void>;
  save(kind: "novelty" | "rarity", states: readonly StoredState<NoveltyState | RarityState>[]): Promise<void> {
    this.calls.push(`save ${kind} ${states.length}`);
    return kind === "novelty"
      ? this.inner.save("novelty", states as readonly StoredState<NoveltyState>[])
      : this.inner.save("rarity", states as readonly StoredState<RarityState>[]);
  }

  ruleStarts(seen: ReadonlyMap<string, { earliest: EventTime; latest: EventTime }>): Promise<Map<string, EventTime>> {
    this.calls.push(`ruleStarts ${[...seen.keys()].join(",")}`);
    return this.inner.ruleStarts(seen);
  }
}
