import { getString, normalizeEvent, type EcsEvent, type RuleSet, type SourceFormat } from "@/lib/detection";
import { draftAlert, type AlertDraft } from "./alert-draft";
import { eventKey } from "./event-key";
import type { IngestRecord, LineError } from "./parse-body";

/** An accepted event, ready to store. */
export interface PreparedEvent {
  line: number;
  key: string;
  format: SourceFormat;
  timestamp: string;
  hostName: string | null;
  event: EcsEvent;
}

export interface PreparedBatch {
  events: PreparedEvent[];
  alerts: AlertDraft[];
  errors: LineError[];
  /** Accepted lines the normalizer had to guess for (e.g. no timestamp: arrival time used). */
  warnings: { line: number; warning: string }[];
  /** Lines accepted: stored now, or already stored by an earlier send (idempotent). */
  accepted: number;
}

/**
 * The pure part of ingest: one pass per event through normalization and the compiled rule set.
 * No I/O, so the route, a worker and a test all run the same code.
 */
export function prepareBatch(records: readonly IngestRecord[], ruleSet: RuleSet, receivedAt: Date): PreparedBatch {
  const events: PreparedEvent[] = [];
  const alerts: AlertDraft[] = [];
  const errors: LineError[] = [];
  const warnings: { line: number; warning: string }[] = [];
  const seen = new Set<string>();
  let accepted = 0;
  for (const record of records) {
    const result = normalizeEvent(record.value, { receivedAt });
    if (!result.ok) {
      errors.push({ line: record.line, error: result.error });
      continue;
    }
    accepted++;
    for (const warning of result.warnings) warnings.push({ line: record.line, warning });
    const key = eventKey(record.value, result.event);
    // The same event twice in one batch is one event (a shipper that duplicated a line).
    if (seen.has(key)) continue;
    seen.add(key);
    const timestamp = getString(result.event, "@timestamp")!;
    events.push({
      line: record.line,
      key,
      format: result.format,
      timestamp,
      hostName: getString(result.event, "host.name") ?? null,
      event: result.event,
    });
    const matches = ruleSet.match(result.event);
    if (matches.length > 0) alerts.push(draftAlert(key, timestamp, result.event, matches));
  }
  return { events, alerts, errors, warnings, accepted };
}
