"use server";

import { revalidatePath } from "next/cache";
import { changeProblem, transitionProblem } from "@/lib/alerts/status";
import { noveltyKeys, type StateKey } from "@/lib/detection";
import { recordAudit } from "@/lib/db/audit";
import { markTermsKnown } from "@/lib/db/baselines";
import { addAlertNote, findAlert } from "@/lib/db/alerts";
import { assignAlerts, setChecklistStep } from "@/lib/db/triage";
import { findStatefulSpec } from "@/lib/rules/registry";
import { changeStatus, changeStatusMany, type BulkOutcome } from "@/lib/server/triage";
import { addAlertNoteSchema, assignSchema, bulkAlertsSchema, changeAlertStatusSchema, tickStepSchema, type BulkAlerts, type TickStep } from "./alerts.schema";
import { actionUser, runAction, type ActionResult } from "./context";

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" && v !== "" ? v : undefined;
};

/** Acknowledge, escalate, close with a disposition, or reopen an alert (analysts and admins). */
export async function changeAlertStatus(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await actionUser("triage");
    const input = changeAlertStatusSchema.parse({
      alertId: field(form, "alertId"),
      status: field(form, "status"),
      disposition: field(form, "disposition"),
      note: field(form, "note"),
    });
    const change = { status: input.status, disposition: input.disposition ?? null };
    const problem = changeProblem(change);
    if (problem) return { ok: false, error: problem };
    if (input.status === "closed" && input.disposition !== "true_positive" && input.disposition !== "undetermined" && !input.note) {
      return { ok: false, error: "say why it is benign or a false positive (the reason is kept in the timeline)" };
    }
    const result = await changeStatus(input.alertId, change, input.note || null, actor);
    if (result.kind === "not_found") return { ok: false, error: "this alert no longer exists" };
    if (result.kind === "conflict") return { ok: false, error: transitionProblem(result.current, change) ?? "the alert changed meanwhile; reload it" };
    revalidatePath(`/alerts/${input.alertId}`);
    revalidatePath("/alerts");
    return { ok: true, message: result.kind === "unchanged" ? `already ${input.status}` : `alert ${input.status}` };
  });
}

/** A note on an alert's timeline (analysts and admins). */
export async function addNote(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await actionUser("triage");
    const input = addAlertNoteSchema.parse({ alertId: field(form, "alertId"), note: field(form, "note") ?? "" });
    if (!(await findAlert(input.alertId))) return { ok: false, error: "this alert no longer exists" };
    await addAlertNote(input.alertId, input.note, actor);
    revalidatePath(`/alerts/${input.alertId}`);
    return { ok: true, message: "note added" };
  });
}

/** The queue's bulk actions and keyboard shortcuts: one change on many alerts, each on its own. */
export async function bulkAlerts(input: BulkAlerts): Promise<ActionResult<{ results: BulkOutcome[]; assigned: number }>> {
  return runAction(async () => {
    const { actor } = await actionUser("triage");
    const body = bulkAlertsSchema.parse(input);
    let assigned = 0;
    if (body.assignee !== undefined) {
      const result = await assignAlerts(body.ids, body.assignee === "" ? null : body.assignee, actor);
      if (result.kind === "no_such_user") return { ok: false, error: "that person cannot be assigned alerts" };
      assigned = result.kind === "done" ? result.changed : 0;
    }
    const results: BulkOutcome[] = body.status
      ? await changeStatusMany(body.ids, { status: body.status, disposition: body.disposition ?? null }, body.note || null, actor)
      : body.ids.map((id) => ({ id, ok: true }));
    revalidatePath("/alerts");
    const failed = results.filter((r) => !r.ok);
    const done = results.length - failed.length;
    const what = body.status ? `${body.status === "closed" ? `closed (${(body.disposition ?? "").replace("_", " ")})` : body.status}` : "assigned";
    const message = `${body.status ? done : assigned} alert${(body.status ? done : assigned) === 1 ? "" : "s"} ${what}${failed.length ? `; ${failed.length} not changed: ${failed[0]!.error}` : ""}`;
    return { ok: true, message, data: { results, assigned } };
  });
}

/** Ticks or unticks one checklist step. */
export async function tickChecklistStep(input: TickStep): Promise<ActionResult<{ done: number; total: number }>> {
  return runAction(async () => {
    const { actor } = await actionUser("triage");
    const body = tickStepSchema.parse(input);
    const result = await setChecklistStep(body.alertId, { ruleId: body.ruleId, list: body.list, hash: body.step }, body.done, actor);
    if (result.kind === "not_found") return { ok: false, error: "this alert no longer exists" };
    if (result.kind === "no_such_step") return { ok: false, error: "this step is no longer in the rule's guide; reload the page" };
    revalidatePath(`/alerts/${body.alertId}`);
    return { ok: true, message: `${result.done} of ${result.total} steps done`, data: { done: result.done, total: result.total } };
  });
}

/** Assigns an alert from its page ("" unassigns). */
export async function assignAlert(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await actionUser("triage");
    const input = assignSchema.parse({ alertId: field(form, "alertId"), assignee: field(form, "assignee") ?? "" });
    const result = await assignAlerts([input.alertId], input.assignee === "" ? null : input.assignee, actor);
    if (result.kind === "not_found") return { ok: false, error: "this alert no longer exists" };
    if (result.kind === "no_such_user") return { ok: false, error: "that person cannot be assigned alerts" };
    revalidatePath(`/alerts/${input.alertId}`);
    revalidatePath("/alerts");
    return { ok: true, message: input.assignee ? "assigned" : "unassigned" };
  });
}

/** "Mark as known": the alert's terms join the baselines of the novelty rules that fired on it. */
export async function markAlertKnown(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await actionUser("triage");
    const alertId = String(field(form, "alertId") ?? "");
    const alert = /^[0-9a-f-]{36}$/i.test(alertId) ? await findAlert(alertId) : null;
    if (!alert) return { ok: false, error: "this alert no longer exists" };
    const keys: StateKey[] = [];
    const rules: string[] = [];
    for (const hit of alert.rules) {
      const found = await findStatefulSpec(hit.id);
      if (found?.spec.kind !== "novelty") continue;
      keys.push(...noveltyKeys(hit.id, found.spec, alert.event as never).keys);
      rules.push(hit.name);
    }
    if (rules.length === 0) return { ok: false, error: "no new-terms or new-value rule fired on this alert" };
    await markTermsKnown(keys);
    await recordAudit(actor, { action: "baseline.mark_known", objectType: "alert", objectId: alertId, after: { rules } });
    await addAlertNote(alertId, `marked as known for ${rules.join(", ")}: these values no longer alert`, actor);
    revalidatePath(`/alerts/${alertId}`);
    return { ok: true, message: `known to ${rules.join(", ")}` };
  });
}
