import type { FieldAccess } from "../compile/field-access";
import type { DetectionError } from "../errors";
import type { EcsEvent, FieldValue } from "../event/types";
import type { RuleMeta } from "./model";
import type { StatefulSpec } from "../stateful/types";

/** One reason a rule matched: the condition or selection that held, and the value that made it. */
export interface MatchDetail {
  /** Sigma selection name, KQL/EQL clause as printed, … */
  condition?: string;
  field?: string;
  value?: FieldValue;
}

/** Why a rule matched an event, stored with the alert and shown on the alert page. */
export interface MatchExplanation {
  details: MatchDetail[];
  /** Language-specific extras (new terms, window counts, …), JSON-serialisable. */
  [extra: string]: unknown;
}

/**
 * A necessary condition of a query, used by the rule set to skip rules that cannot match an event
 * (STYLE F6; issue 3: "index by field and value, do not loop over rules"). A detector that cannot
 * state one is simply evaluated for every event. `test` must imply the prefilter: the rule set
 * relies on it to never miss a match.
 *
 * Value atoms are always compared lower-cased (with foldCase) by the index: a case-sensitive
 * condition implies its lower-cased form, so it still indexes soundly; `caseInsensitive` says
 * whether the detector itself compares folded.
 */
export type Prefilter =
  /** `field` equals one of `values`. */
  | ValuePrefilter<"equals">
  /** `field` starts with one of `values`. */
  | ValuePrefilter<"startswith">
  /** `field` ends with one of `values`. */
  | ValuePrefilter<"endswith">
  /** `field` contains one of `values`. */
  | ValuePrefilter<"contains">
  /** At least one of the alternatives holds. */
  | { kind: "anyOf"; of: Prefilter[] }
  /**
   * The event is in a scope that many rules share (a Sigma logsource, an index pattern): `test`
   * is evaluated once per event for every rule with the same `key` (so equal keys must mean equal
   * tests), and `within` (when given) must hold too. The index only honours a scope at the top
   * of a prefilter or directly under a top-level `anyOf`; elsewhere it is treated as unknown.
   */
  | { kind: "scope"; key: string; test: (event: EcsEvent) => boolean; within?: Prefilter };

export interface ValuePrefilter<K extends "equals" | "startswith" | "endswith" | "contains"> {
  kind: K;
  /** An ECS path, or the key of `access` when the value is read through one. */
  field: string;
  values: string[];
  caseInsensitive: boolean;
  /** How to read the field (defaults to the ECS path `field`); shared with the detector's memo. */
  access?: FieldAccess;
}

/** A compiled single-event query. */
export interface QueryDetector {
  readonly kind: "query";
  /** Total: never throws on event shape; a missing field or a type mismatch is "no match". */
  test(event: EcsEvent): boolean;
  /** Why it matched; called only after `test` returned true, so it may be slower. */
  explain(event: EcsEvent): MatchExplanation;
  /** Optional necessary condition for indexing; `test` must imply it. */
  readonly prefilter?: Prefilter;
}

/**
 * A stateful rule (new_terms, new_value, rare): its query selects events exactly as a
 * QueryDetector does (and is indexed the same way); what it decides about a selected event depends
 * on what came before, so the decision is made by the stateful runtime against a StateStore
 * (lib/detection/stateful), never by `test` alone.
 */
export interface StatefulDetector {
  readonly kind: "stateful";
  readonly spec: StatefulSpec;
  /** The rule's query: does the event take part (record a sighting, be judged)? Total. */
  test(event: EcsEvent): boolean;
  /** Why the query matched; the runtime adds the stateful verdict (new terms, window counts). */
  explain(event: EcsEvent): MatchExplanation;
  readonly prefilter?: Prefilter;
}

export type Detector = QueryDetector | StatefulDetector;

/** A rule as loaded from its file: metadata, source, and the detector when the engine can run it. */
export interface LoadedRule {
  meta: RuleMeta;
  source: {
    path: string;
    text: string;
    /** 1-based line where this rule starts (multi-document files hold several rules). */
    line: number;
  };
  detector: Detector | null;
  /** Set when the rule parsed but uses something the engine cannot run (never silently weakened). */
  unsupported?: DetectionError;
}

export interface RuleMatch {
  rule: RuleMeta;
  explanation: MatchExplanation;
  /**
   * Set when the rule is stateful: the event matched its query and is a *candidate*; whether it
   * alerts is decided by the stateful runtime (evaluateStateful), which also records sightings.
   */
  stateful?: StatefulSpec;
}
