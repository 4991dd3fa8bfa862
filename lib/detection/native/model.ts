import type { MitreMapping, RuleGuide, Severity } from "../rules/model";
import { MAX_STATEFUL_FIELDS, type RareCondition } from "../stateful/types";

/**
 * Vigil's native rule format (README "Native rules"): the rule types no community format
 * covers (new_value, rare), and plain query rules, in one YAML document per rule with a top-level
 * `vigil: 1`. This is the parsed model; `native-rule-format.ts` compiles it.
 */

export const NATIVE_FORMAT_VERSION = 1;
export const NATIVE_RULE_TYPES = ["new_value", "rare", "query"] as const;
export type NativeRuleType = (typeof NATIVE_RULE_TYPES)[number];
export const NATIVE_QUERY_LANGUAGES = ["kuery", "eql"] as const;
export type NativeQueryLanguage = (typeof NATIVE_QUERY_LANGUAGES)[number];

/** Ranges the format allows (issue 5): learning 0–30 days, forget-after 1–30 days, windows 1–30 days. */
export const NATIVE_LIMITS = {
  maxFields: MAX_STATEFUL_FIELDS,
  maxLearningDays: 30,
  minForgetAfterDays: 1,
  maxForgetAfterDays: 30,
  minWindowDays: 1,
  maxWindowDays: 30,
} as const;

/** Defaults for optional settings. */
export const NATIVE_DEFAULTS = {
  language: "kuery" as NativeQueryLanguage,
  newValueLearningDays: 7,
  forgetAfterDays: 30,
  rareWindowDays: 7,
};

export interface NativeNewValue {
  fields: string[];
  groupBy: string[];
  learningMs: number;
  forgetAfterMs: number;
}

export interface NativeRare {
  groupBy: string[];
  windowDays: number;
  condition: RareCondition;
  /** The condition as written (positions in `condition` point into it). */
  conditionText: string;
  learningMs: number;
}

export interface NativeRule {
  version: typeof NATIVE_FORMAT_VERSION;
  id: string;
  name: string;
  description: string;
  type: NativeRuleType;
  severity: Severity;
  riskScore: number;
  language: NativeQueryLanguage;
  query: string;
  newValue?: NativeNewValue;
  rare?: NativeRare;
  tags: string[];
  mitre: MitreMapping[];
  references: string[];
  falsePositives: string[];
  author: string[];
  guide: RuleGuide;
  enabled: boolean;
  /** `x-` keys at the top level, as parsed (free-form extensions, never checked). */
  extensions: Record<string, unknown>;
}
