import { recordAudit, type Actor } from "@/lib/db/audit";
import type { AlertRecord } from "@/lib/db/alerts";
import { env } from "@/lib/env";
import { alertJson } from "@/lib/http/alert-json";

/**
 * The escalation webhook (VIGIL_ESCALATION_WEBHOOK): when an alert becomes `escalated`, Vigil
 * POSTs it as JSON to the configured URL (a SOAR playbook, a ticketing or chat hook). Delivery
 * runs after the change is committed and never holds up the analyst: up to three attempts with a
 * 5-second timeout each; the outcome is written to the audit trail (`alert.escalation_webhook`).
 */

const TIMEOUT_MS = 5_000;
const ATTEMPTS = 3;
const pending = new Set<Promise<void>>();

export interface EscalationPayload {
  event: "alert.escalated";
  escalated_by: string;
  note: string | null;
  url: string | null;
  alert: ReturnType<typeof alertJson>;
}

export function notifyEscalation(alert: AlertRecord, who: Actor, note: string | null): void {
  const target = env().VIGIL_ESCALATION_WEBHOOK;
  if (!target) return;
  const base = env().VIGIL_URL;
  const payload: EscalationPayload = {
    event: "alert.escalated",
    escalated_by: who.actor,
    note,
    url: base ? new URL(`/alerts/${alert.id}`, base).toString() : null,
    alert: alertJson(alert),
  };
  const delivery = deliver(target, payload, alert.id).finally(() => pending.delete(delivery));
  pending.add(delivery);
}

/** Resolves when every delivery started so far has finished (tests, graceful shutdown). */
export async function escalationsSettled(): Promise<void> {
  await Promise.all([...pending]);
}

async function deliver(target: string, payload: EscalationPayload, alertId: string): Promise<void> {
  let outcome = "";
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Vigil escalation webhook" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "error",
      });
      await res.body?.cancel();
      outcome = `HTTP ${res.status}`;
      if (res.ok) break;
      if (res.status < 500 && res.status !== 429) break; // the receiver refused it; retrying will not help
    } catch (error) {
      outcome = error instanceof Error ? `${error.name}: ${error.message}` : "failed";
    }
    if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 500 * attempt));
  }
  const ok = outcome.startsWith("HTTP 2");
  if (!ok) console.error(JSON.stringify({ level: "warn", msg: "escalation webhook failed", alert: alertId, outcome }));
  // The URL is configuration, possibly with a secret in it: only its host goes into the audit trail.
  await recordAudit(
    { actor: "system", actorType: "system" },
    { action: "alert.escalation_webhook", objectType: "alert", objectId: alertId, after: { delivered: ok, outcome, host: new URL(target).host } },
  ).catch(() => {});
}
