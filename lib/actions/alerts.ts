"use server";

import { revalidatePath } from "next/cache";
import { changeProblem, transitionProblem } from "@/lib/alerts/status";
import { addAlertNote, findAlert, updateAlertStatus } from "@/lib/db/alerts";
import { addAlertNoteSchema, changeAlertStatusSchema } from "./alerts.schema";
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
    const result = await updateAlertStatus(input.alertId, change, input.note || null, actor);
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
