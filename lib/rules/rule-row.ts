import type { MitreMapping, Severity } from "@/lib/detection";
import type { RuleStats } from "@/lib/db/rule-stats";

/** One line of the rules page: what the table shows, serialisable for the client component. */
export interface RuleRow {
  id: string;
  name: string;
  format: string;
  type: string;
  severity: Severity;
  riskScore: number;
  /** The most specific ATT&CK id of each mapping (sub-technique, else technique, else tactic). */
  mitre: { id: string; name: string }[];
  enabled: boolean;
  /** active | unsupported | missing */
  state: string;
  unsupportedReason: string | null;
  /** file | upload */
  origin: string;
  sourcePath: string;
  /** Load errors recorded against the rule's file at the last sync. */
  fileErrors: number;
  lastFiredAt: string | null;
  recentAlerts: number;
  resolved: number;
  noiseRate: number | null;
  dispositions: RuleStats["dispositions"];
  /** Lower-cased text the search box looks in. */
  search: string;
}

export interface RuleRecord {
  id: string;
  name: string;
  description: string;
  format: string;
  type: string;
  severity: Severity;
  riskScore: number;
  tags: string[];
  mitre: unknown;
  enabled: boolean;
  state: string;
  unsupportedReason: string | null;
  origin: string;
  sourcePath: string;
}

export const RULE_FORMAT_LABEL: Record<string, string> = { sigma: "Sigma", elastic: "Elastic TOML", native: "Native YAML" };

export function mitreLeaves(mitre: unknown): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const m of Array.isArray(mitre) ? (mitre as MitreMapping[]) : []) {
    const leaf = m.subtechnique ?? m.technique ?? m.tactic;
    if (leaf?.id && !seen.has(leaf.id)) seen.set(leaf.id, m.subtechnique && m.technique ? `${m.technique.name}: ${leaf.name}` : leaf.name);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

export function ruleRow(rule: RuleRecord, stats: RuleStats | undefined, fileErrors: number): RuleRow {
  const mitre = mitreLeaves(rule.mitre);
  return {
    id: rule.id,
    name: rule.name,
    format: rule.format,
    type: rule.type,
    severity: rule.severity,
    riskScore: rule.riskScore,
    mitre,
    enabled: rule.enabled,
    state: rule.state,
    unsupportedReason: rule.unsupportedReason,
    origin: rule.origin,
    sourcePath: rule.sourcePath,
    fileErrors,
    lastFiredAt: stats?.lastFiredAt?.toISOString() ?? null,
    recentAlerts: stats?.recentAlerts ?? 0,
    resolved: stats?.resolved ?? 0,
    noiseRate: stats?.noiseRate ?? null,
    dispositions: stats?.dispositions ?? { truePositive: 0, benignPositive: 0, falsePositive: 0, undetermined: 0 },
    search: [rule.name, rule.id, rule.description, rule.sourcePath, rule.type, ...rule.tags, ...mitre.map((m) => `${m.id} ${m.name}`)].join("\n").toLowerCase(),
  };
}

/** A rule "has errors" when the engine cannot run it or its file reported load errors. */
export function hasErrors(row: Pick<RuleRow, "state" | "fileErrors">): boolean {
  return row.state !== "active" || row.fileErrors > 0;
}

export interface RuleFilter {
  q?: string;
  format?: string;
  enabled?: boolean;
  errors?: boolean;
}

/** The rules page's URL filters (`q`, `format`, `enabled=on|off`, `errors=yes|no`); unknown values are ignored. */
export function parseRuleFilter(params: URLSearchParams): RuleFilter {
  const q = params.get("q")?.trim().slice(0, 200);
  const format = params.get("format");
  const enabled = params.get("enabled");
  const errors = params.get("errors");
  return {
    ...(q && { q }),
    ...(format && RULE_FORMAT_LABEL[format] && { format }),
    ...(enabled === "on" || enabled === "off" ? { enabled: enabled === "on" } : {}),
    ...(errors === "yes" || errors === "no" ? { errors: errors === "yes" } : {}),
  };
}

/** Every word of `q` must appear (case-insensitive) in the rule's name, id, description, path, tags or ATT&CK. */
export function filterRuleRows(rows: readonly RuleRow[], filter: RuleFilter): RuleRow[] {
  const words = filter.q?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  return rows.filter(
    (r) =>
      (filter.format === undefined || r.format === filter.format) &&
      (filter.enabled === undefined || r.enabled === filter.enabled) &&
      (filter.errors === undefined || hasErrors(r) === filter.errors) &&
      words.every((w) => r.search.includes(w)),
  );
}
