/**
 * The normalized rule record: every format (Sigma YAML, Elastic TOML, native YAML) loads into
 * this shape, and the database, the API and the console only ever see this shape.
 */

export const SEVERITIES = ["informational", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_FORMATS = ["sigma", "elastic", "native"] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];

/**
 * query: single-event predicate (Sigma, KQL); eql: single-event EQL; new_terms / new_value / rare:
 * stateful novelty and rarity rules; correlation: Sigma correlation rules. The last five are
 * Elastic types Vigil loads (so the console shows them honestly) but reports unsupported.
 */
export const RULE_TYPES = [
  "query",
  "eql",
  "new_terms",
  "new_value",
  "rare",
  "correlation",
  "threshold",
  "machine_learning",
  "threat_match",
  "esql",
  "saved_query",
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface MitreRef {
  id: string;
  name: string;
  reference?: string;
}

/** One ATT&CK entry as the API returns it: a tactic and, usually, a technique (and sub-technique). */
export interface MitreMapping {
  tactic: MitreRef;
  technique?: MitreRef;
  subtechnique?: MitreRef;
}

/** What an analyst needs from a rule while triaging. Markdown strings are rendered safely. */
export interface RuleGuide {
  /** "What happened" message; `{{ field.path }}` placeholders are filled from the event. */
  whatHappened?: string;
  goal?: string;
  strategy?: string;
  /** Triage (investigation) steps, in order: they become a per-alert checklist. */
  triage: string[];
  /** Response and remediation steps: the second checklist. */
  response: string[];
  /** Anything else from the source's guide (markdown). */
  notes?: string;
}

export interface RuleMeta {
  id: string;
  name: string;
  description: string;
  format: RuleFormat;
  type: RuleType;
  severity: Severity;
  /** 0–100, as Elastic's risk_score; derived from severity when the format has none. */
  riskScore: number;
  tags: string[];
  mitre: MitreMapping[];
  references: string[];
  falsePositives: string[];
  author: string[];
  guide: RuleGuide;
  /** False for rules their source marks deprecated or experimental-off; operators can override. */
  enabledByDefault: boolean;
}

/** Elastic's default risk score per severity, for formats that have only a level. */
export const DEFAULT_RISK_SCORE: Record<Severity, number> = {
  informational: 0,
  low: 21,
  medium: 47,
  high: 73,
  critical: 99,
};

export function emptyGuide(): RuleGuide {
  return { triage: [], response: [] };
}
