import { evaluateStateful, type RuleMatch, type StatefulCandidate, type StateStore } from "@/lib/detection";
import type { Suppression } from "@/lib/db/exceptions";
import { commitIngestBatch, type Decision, type EventRetention, type StoredBatch } from "@/lib/db/ingest";
import { env } from "@/lib/env";
import type { ExceptionSet } from "@/lib/exceptions/registry";
import { draftAlert, type AlertDraft } from "./alert-draft";
import type { PreparedEvent } from "./prepare-batch";

/**
 * Stores a prepared batch: in one transaction, the events; then, for the events new to the
 * database, the stateful rules' decisions against their locked state; then the alerts. A re-sent
 * event is never counted twice toward a baseline, and an answered batch is committed whole.
 */
export function storePreparedBatch(
  events: readonly PreparedEvent[],
  exceptions: ExceptionSet | null = null,
  retention: EventRetention = eventRetention(),
): Promise<StoredBatch> {
  return commitIngestBatch(events, (newKeys, store) => decideAlerts(events, newKeys, store, exceptions), retention);
}

/** VIGIL_EVENT_RETENTION_DAYS: 0 turns retention off (only matched events, kept 7 days). */
export function eventRetention(): EventRetention {
  const days = env().VIGIL_EVENT_RETENTION_DAYS;
  return days > 0 ? { all: true, days } : { all: false, days: MATCHED_EVENT_DAYS };
}

/** How long matched events stay when retention is off: alerts' process trees and idempotency need them. */
const MATCHED_EVENT_DAYS = 7;

/**
 * The alerts of a batch: stateless matches, plus the stateful candidates that alert, minus the
 * rules an exception covers for the event. Stateful rules are decided before exceptions apply,
 * so a suppressed event still counts as a sighting for new-terms / new-value state. Each
 * suppression is counted once, for events new to the database.
 */
export async function decideAlerts(
  events: readonly PreparedEvent[],
  newKeys: ReadonlySet<string>,
  store: StateStore,
  exceptions: ExceptionSet | null = null,
): Promise<Decision> {
  const candidates: StatefulCandidate[] = [];
  events.forEach((e, index) => {
    const event = e.event;
    if (!event || !newKeys.has(e.key)) return;
    for (const match of e.candidates) {
      candidates.push({ index, event, match, ruleId: match.rule.id, time: Date.parse(e.timestamp) });
    }
  });
  const fired = new Map<number, RuleMatch[]>();
  const statefulDecisions = { alerted: 0, quiet: 0 };
  if (candidates.length > 0) {
    for (const verdict of await evaluateStateful(candidates, store)) {
      if (!verdict.alert) {
        statefulDecisions.quiet++;
        continue;
      }
      statefulDecisions.alerted++;
      const list = fired.get(verdict.candidate.index) ?? [];
      list.push({ rule: verdict.candidate.match.rule, explanation: verdict.explanation });
      fired.set(verdict.candidate.index, list);
    }
  }
  const alerts: AlertDraft[] = [];
  const suppressed = new Map<string, Suppression>();
  events.forEach((e, index) => {
    const event = e.event;
    if (!event) return; // no rule matched it
    let matches = [...e.matches, ...(fired.get(index) ?? [])];
    if (exceptions && exceptions.size > 0 && matches.length > 0) {
      matches = matches.filter((m) => {
        const hit = exceptions.forRule(m.rule.id).find((x) => x.test(event));
        if (!hit) return true;
        if (newKeys.has(e.key)) {
          const key = `${hit.id}\u0000${m.rule.id}`;
          const s = suppressed.get(key) ?? { exceptionId: hit.id, ruleId: m.rule.id, count: 0, lastAt: e.timestamp };
          s.count++;
          if (e.timestamp > s.lastAt) s.lastAt = e.timestamp;
          suppressed.set(key, s);
        }
        return false;
      });
    }
    if (matches.length > 0) alerts.push(draftAlert(e.key, e.timestamp, event, matches));
  });
  return { alerts, suppressions: [...suppressed.values()], statefulDecisions };
}
