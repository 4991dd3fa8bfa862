import { changeProblem, transitionProblem, type StatusChange } from "@/lib/alerts/status";
import type { Actor } from "@/lib/db/audit";
import { updateAlertStatus, type UpdateResult } from "@/lib/db/alerts";
import { notifyEscalation } from "./escalation";

/**
 * Status changes as every entry point (API, server actions, bulk) applies them: validated, stored
 * with activity and audit, and an escalation announced to the webhook once committed.
 */
export async function changeStatus(id: string, change: StatusChange | null, note: string | null, who: Actor): Promise<UpdateResult> {
  const result = await updateAlertStatus(id, change, note, who);
  if (result.kind === "updated" && change?.status === "escalated") notifyEscalation(result.alert, who, note);
  return result;
}

export interface BulkOutcome {
  id: string;
  ok: boolean;
  /** Why it was not changed (not found, or the transition is not allowed from its status). */
  error?: string;
  changed?: boolean;
}

/** The same change on many alerts; each succeeds or fails on its own, in id order. */
export async function changeStatusMany(ids: readonly string[], change: StatusChange, note: string | null, who: Actor): Promise<BulkOutcome[]> {
  const problem = changeProblem(change);
  if (problem) return ids.map((id) => ({ id, ok: false, error: problem }));
  const out: BulkOutcome[] = [];
  for (const id of [...new Set(ids)].sort()) {
    const result = await changeStatus(id, change, note, who);
    if (result.kind === "not_found") out.push({ id, ok: false, error: "no such alert" });
    else if (result.kind === "conflict") out.push({ id, ok: false, error: transitionProblem(result.current, change) ?? "the alert changed meanwhile" });
    else out.push({ id, ok: true, changed: result.kind === "updated" });
  }
  return out;
}
