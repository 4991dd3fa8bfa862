"use server";

import { revalidatePath } from "next/cache";
import { ZodError } from "zod";
import { approveException, createException, deleteException, findException, updateException } from "@/lib/db/exceptions";
import { env } from "@/lib/env";
import { invalidateExceptionSet } from "@/lib/exceptions/registry";
import { ApiError } from "@/lib/http/api-error";
import { closeMatchingAlerts, parseExceptionBody, previewException, type ExceptionPreview } from "@/lib/server/exceptions";
import { actionUser, runAction, type ActionResult } from "./context";

/** The exception editor's body: the API's (name, reason, rule_ids, entries, expires_at, close_matching, preview_days). */
export type ExceptionDraft = Record<string, unknown>;

async function guarded<T>(body: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  return runAction(async () => {
    try {
      return await body();
    } catch (error) {
      if (error instanceof ApiError) {
        const problems = (error.details?.problems as { path: string; message: string }[] | undefined) ?? [];
        return { ok: false, error: problems.length ? problems.map((p) => `${p.path}: ${p.message}`).join("; ") : error.message };
      }
      if (error instanceof ZodError) return { ok: false, error: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") };
      throw error;
    }
  });
}

/** What the draft would have suppressed; changes nothing. */
export async function previewExceptionDraft(draft: ExceptionDraft): Promise<ActionResult<ExceptionPreview>> {
  return guarded(async () => {
    await actionUser("triage");
    const parsed = await parseExceptionBody(draft);
    return { ok: true, data: await previewException(parsed.entries, parsed.input.ruleIds, parsed.previewDays) };
  });
}

/** Saves the draft: active for admins (or everyone when approval is off), else proposed. */
export async function saveExceptionDraft(draft: ExceptionDraft): Promise<ActionResult<{ id: string; status: string; closed: number }>> {
  return guarded(async () => {
    const { user, actor } = await actionUser("triage");
    const parsed = await parseExceptionBody(draft);
    const direct = user.scopes.includes("admin") || !env().VIGIL_EXCEPTIONS_REQUIRE_APPROVAL;
    const created = await createException(parsed.input, direct ? "active" : "proposed", actor);
    invalidateExceptionSet();
    const closed = direct && parsed.closeMatching ? await closeMatchingAlerts({ id: created.id, name: created.name, entries: parsed.entries, ruleIds: created.ruleIds }, actor) : 0;
    revalidatePath("/exceptions");
    revalidatePath("/alerts");
    const message = direct ? `exception saved${closed ? `; ${closed} open alert${closed === 1 ? "" : "s"} closed as benign` : ""}` : "exception proposed: an admin approves it before it applies";
    return { ok: true, message, data: { id: created.id, status: created.status, closed } };
  });
}

async function manage(id: string, scopeForOthers: "admin", change: (actor: Awaited<ReturnType<typeof actionUser>>) => Promise<string>): Promise<ActionResult> {
  return guarded(async () => {
    const who = await actionUser("triage");
    const current = await findException(id);
    if (!current) return { ok: false, error: "this exception no longer exists" };
    const mine = current.status === "proposed" && current.author === who.actor.actor;
    if (!mine && !who.user.scopes.includes(scopeForOthers)) return { ok: false, error: "only an admin changes an approved exception or another person's proposal" };
    const message = await change(who);
    invalidateExceptionSet();
    revalidatePath("/exceptions");
    return { ok: true, message };
  });
}

export async function setExceptionEnabled(id: string, enabled: boolean): Promise<ActionResult> {
  return manage(id, "admin", async ({ actor }) => {
    await updateException(id, { enabled }, actor);
    return enabled ? "enabled" : "disabled";
  });
}

export async function removeException(id: string): Promise<ActionResult> {
  return manage(id, "admin", async ({ actor }) => {
    await deleteException(id, actor);
    return "deleted";
  });
}

export async function approveProposedException(id: string): Promise<ActionResult> {
  return guarded(async () => {
    const { actor } = await actionUser("admin");
    if (!(await approveException(id, actor))) return { ok: false, error: "this exception no longer exists" };
    invalidateExceptionSet();
    revalidatePath("/exceptions");
    return { ok: true, message: "approved: it applies from now on" };
  });
}

/** Saves an edited exception (admins; analysts their own proposals). Its hit counters stay. */
export async function updateExceptionDraft(id: string, draft: ExceptionDraft): Promise<ActionResult> {
  return manage(id, "admin", async ({ actor }) => {
    const parsed = await parseExceptionBody(draft);
    await updateException(id, { name: parsed.input.name, reason: parsed.input.reason, ruleIds: parsed.input.ruleIds, entries: parsed.entries, expiresAt: parsed.input.expiresAt }, actor);
    return "exception updated";
  });
}
