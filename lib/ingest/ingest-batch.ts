import { evaluateStateful, type RuleMatch, type StatefulCandidate, type StateStore } from "@/lib/detection";
import { commitIngestBatch, type StoredBatch } from "@/lib/db/ingest";
import { draftAlert, type AlertDraft } from "./alert-draft";
import type { PreparedEvent } from "./prepare-batch";

/**
 * Stores a prepared batch: in one transaction, the events; then, for the events new to the
 * database, the stateful rules' decisions against their locked state; then the alerts. A re-sent
 * event is never counted twice toward a baseline, and an answered batch is committed whole.
 */
export function storePreparedBatch(events: readonly PreparedEvent[]): Promise<StoredBatch> {
  return commitIngestBatch(events, (newKeys, store) => decideAlerts(events, newKeys, store));
}

/** The alerts of a batch: stateless matches, plus the stateful candidates that alert. */
export async function decideAlerts(
  events: readonly PreparedEvent[],
  newKeys: ReadonlySet<string>,
  store: StateStore,
): Promise<AlertDraft[]> {
  const candidates: StatefulCandidate[] = [];
  events.forEach((e, index) => {
    if (!newKeys.has(e.key)) return;
    for (const match of e.candidates) {
      candidates.push({ index, event: e.event, match, ruleId: match.rule.id, time: Date.parse(e.timestamp) });
    }
  });
  const fired = new Map<number, RuleMatch[]>();
  if (candidates.length > 0) {
    for (const verdict of await evaluateStateful(candidates, store)) {
      if (!verdict.alert) continue;
      const list = fired.get(verdict.candidate.index) ?? [];
      list.push({ rule: verdict.candidate.match.rule, explanation: verdict.explanation });
      fired.set(verdict.candidate.index, list);
    }
  }
  const alerts: AlertDraft[] = [];
  events.forEach((e, index) => {
    const matches = [...e.matches, ...(fired.get(index) ?? [])];
    if (matches.length > 0) alerts.push(draftAlert(e.key, e.timestamp, e.event, matches));
  });
  return alerts;
}
