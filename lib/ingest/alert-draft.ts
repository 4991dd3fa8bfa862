import {
  SEVERITIES,
  getField,
  getString,
  type EcsEvent,
  type MatchExplanation,
  type MitreMapping,
  type RuleMatch,
  type Severity,
} from "@/lib/detection";

/** One rule's verdict on an event, as stored in alert_rules. */
export interface RuleHit {
  ruleId: string;
  severity: Severity;
  riskScore: number;
  matched: MatchExplanation;
}

/**
 * The triage item one source event becomes when rules fire on it: one alert per event, listing
 * every rule (DESIGN.md §4), with the highest severity and risk among them and the columns the
 * queue filters and shows.
 */
/** The event's who/where/what an alert keeps in columns, for the queue's filters and rows. */
export interface AlertEventColumns {
  hostName: string | null;
  hostId: string | null;
  userName: string | null;
  processName: string | null;
  processExecutable: string | null;
  processCommandLine: string | null;
  processPid: number | null;
  parentName: string | null;
  parentExecutable: string | null;
  parentCommandLine: string | null;
}

export interface AlertDraft extends AlertEventColumns {
  key: string;
  timestamp: string;
  severity: Severity;
  riskScore: number;
  event: EcsEvent;
  mitre: MitreMapping[];
  rules: RuleHit[];
}

/** Queue columns are for reading and filtering; the full value always stays in `event`. */
const MAX_COLUMN_CHARS = 4096;
/**
 * Columns with a b-tree index (host, user, parent) hold at most this many UTF-8 bytes: an index
 * entry over 2,704 bytes fails the insert, and with it the whole batch.
 */
const MAX_INDEXED_COLUMN_BYTES = 1024;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function draftAlert(key: string, timestamp: string, event: EcsEvent, matches: readonly RuleMatch[]): AlertDraft {
  let top = matches[0]!.rule;
  for (const m of matches) {
    if (
      severityRank(m.rule.severity) > severityRank(top.severity) ||
      (m.rule.severity === top.severity && m.rule.riskScore > top.riskScore)
    ) {
      top = m.rule;
    }
  }
  const riskScore = Math.max(...matches.map((m) => m.rule.riskScore));
  return {
    key,
    timestamp,
    severity: top.severity,
    riskScore,
    hostName: indexed(column(event, "host.name")),
    hostId: column(event, "host.id"),
    userName: indexed(userColumn(event)),
    processName: column(event, "process.name"),
    processExecutable: column(event, "process.executable"),
    processCommandLine: column(event, "process.command_line"),
    processPid: pid(event),
    parentName: indexed(column(event, "process.parent.name")),
    parentExecutable: column(event, "process.parent.executable"),
    parentCommandLine: column(event, "process.parent.command_line"),
    event,
    mitre: mergeMitre(matches.flatMap((m) => m.rule.mitre)),
    rules: matches.map((m) => ({
      ruleId: m.rule.id,
      severity: m.rule.severity,
      riskScore: m.rule.riskScore,
      matched: m.explanation,
    })),
  };
}

/** Union of ATT&CK mappings, first occurrence wins, identity by tactic/technique/sub-technique ids. */
export function mergeMitre(mappings: readonly MitreMapping[]): MitreMapping[] {
  const seen = new Set<string>();
  const out: MitreMapping[] = [];
  for (const m of mappings) {
    const id = `${m.tactic.id}/${m.technique?.id ?? ""}/${m.subtechnique?.id ?? ""}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(m);
  }
  return out;
}

function column(event: EcsEvent, path: string): string | null {
  const value = getString(event, path);
  if (value === undefined || value === "") return null;
  return value.length > MAX_COLUMN_CHARS ? value.slice(0, MAX_COLUMN_CHARS) : value;
}

/** `value` cut to MAX_INDEXED_COLUMN_BYTES of UTF-8, never inside a surrogate pair. */
export function indexed(value: string | null): string | null {
  // Three bytes per UTF-16 unit at most: short values (nearly all) need no counting.
  if (value === null || value.length * 3 <= MAX_INDEXED_COLUMN_BYTES) return value;
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
    const pair = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > MAX_INDEXED_COLUMN_BYTES) return value.slice(0, i);
    bytes += size;
    if (pair) i++;
  }
  return value;
}

function userColumn(event: EcsEvent): string | null {
  const name = column(event, "user.name");
  if (!name) return null;
  const domain = column(event, "user.domain");
  return domain ? `${domain}\\${name}` : name;
}

function pid(event: EcsEvent): number | null {
  const value = getField(event, "process.pid");
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}
