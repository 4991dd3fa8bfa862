/**
 * An Elastic detection-rules TOML file as data (elastic/detection-rules layout: `[metadata]`,
 * `[rule]`, `[[rule.threat]]`, `[rule.new_terms]`, …). Everything in the file is kept: the typed
 * fields below for what Vigil uses now or soon (new terms, alert suppression, exceptions, time
 * windows), `extra` for `[rule]` keys Vigil does not know, and `raw` for the whole document.
 */

export const ELASTIC_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type ElasticSeverity = (typeof ELASTIC_SEVERITIES)[number];

/** Rule types Elastic publishes; Vigil runs query, eql and new_terms. */
export const ELASTIC_RULE_TYPES = ["query", "eql", "new_terms", "threshold", "machine_learning", "threat_match", "esql", "saved_query"] as const;

export interface ElasticThreatRef {
  id: string;
  name: string;
  reference?: string;
}

export interface ElasticThreat {
  framework: string;
  tactic: ElasticThreatRef;
  technique: (ElasticThreatRef & { subtechnique: ElasticThreatRef[] })[];
}

export interface ElasticMetadata {
  creationDate?: string;
  updatedDate?: string;
  /** production, development, deprecated. */
  maturity?: string;
  integration: string[];
  minStackVersion?: string;
  minStackComments?: string;
  deprecationDate?: string;
  /** Every [metadata] key, as parsed. */
  raw: Record<string, unknown>;
}

/**
 * `new_terms` rules: alert when the tuple of `fields` takes a value not seen in the history
 * window before the event (DESIGN §4 "New terms"). The stateful part plugs in through this.
 */
export interface ElasticNewTerms {
  fields: string[];
  /** As written, e.g. "now-7d". */
  historyWindowStart: string;
  /** The window length in milliseconds ("now-7d" → 604 800 000). */
  historyWindowMs: number;
}

export interface ElasticAlertSuppression {
  groupBy: string[];
  duration?: { value: number; unit: string };
  missingFieldsStrategy?: string;
  raw: Record<string, unknown>;
}

export interface ElasticRuleModel {
  metadata: ElasticMetadata;
  ruleId: string;
  name: string;
  description: string;
  /** Elastic's type, as written (query, eql, new_terms, threshold, …). */
  type: string;
  /** kuery, eql, lucene, esql; absent for machine_learning. */
  language?: string;
  query?: string;
  severity: ElasticSeverity;
  riskScore: number;
  author: string[];
  license?: string;
  tags: string[];
  references: string[];
  falsePositives: string[];
  threat: ElasticThreat[];
  /** Investigation guide (markdown). */
  note?: string;
  /** Setup instructions (markdown). */
  setup?: string;
  index?: string[];
  dataViewId?: string;
  /** Look-back, e.g. "now-9m". */
  from?: string;
  /** Schedule, e.g. "5m". */
  interval?: string;
  maxSignals?: number;
  version?: number;
  timestampOverride?: string;
  timestampOverrideFallbackDisabled?: boolean;
  buildingBlockType?: string;
  ruleNameOverride?: string;
  exceptionsList: Record<string, unknown>[];
  alertSuppression?: ElasticAlertSuppression;
  investigationFields?: { fieldNames: string[] };
  riskScoreMapping: Record<string, unknown>[];
  severityMapping: Record<string, unknown>[];
  newTerms?: ElasticNewTerms;
  /** Threshold rules' `[rule.threshold]`, kept for when they run. */
  threshold?: Record<string, unknown>;
  /** `[rule]` keys this model does not name, as parsed (never an error). */
  extra: Record<string, unknown>;
  /** The whole parsed document. */
  raw: Record<string, unknown>;
}
