"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { deleteUploadedRule, setRuleEnabled } from "@/lib/db/rules";
import { invalidateRuleSet } from "@/lib/rules/registry";
import { actionUser, runAction, type ActionResult } from "./context";

/*
 * The rules page's changes, with PATCH / DELETE /api/v1/rules/{id}'s semantics (admins only,
 * audited as rule.enable / rule.disable / rule.delete). Uploads go to POST /api/v1/rules from the
 * page itself: a rule file may be 1 MiB, which is Next's whole server-action body limit.
 */

const idSchema = z.string().min(1).max(200);

/** Turns a rule on or off; the choice survives reloads and applies on every node within seconds. */
export async function toggleRule(id: string, enabled: boolean): Promise<ActionResult<{ enabled: boolean }>> {
  return runAction(async () => {
    const { actor } = await actionUser("admin");
    const result = await setRuleEnabled(idSchema.parse(id), z.boolean().parse(enabled), actor);
    if (result.kind === "not_found") return { ok: false, error: "this rule no longer exists" };
    if (result.kind === "updated") invalidateRuleSet();
    revalidatePath("/rules");
    revalidatePath(`/rules/${encodeURIComponent(id)}`);
    return { ok: true, message: `${result.name} ${result.enabled ? "enabled" : "disabled"}`, data: { enabled: result.enabled } };
  });
}

/** Removes an uploaded rule (kept as "missing" when alerts name it). */
export async function removeUploadedRule(id: string): Promise<ActionResult<{ deleted: boolean }>> {
  return runAction(async () => {
    const { actor } = await actionUser("admin");
    const result = await deleteUploadedRule(idSchema.parse(id), actor);
    switch (result.kind) {
      case "not_found":
        return { ok: false, error: "this rule no longer exists" };
      case "not_uploaded":
        return { ok: false, error: `this rule comes from ${result.sourcePath} in the rules folder: delete the file and reload the rules instead` };
      case "deleted":
      case "retired":
        invalidateRuleSet();
        revalidatePath("/rules");
        return {
          ok: true,
          message: result.kind === "deleted" ? `${result.name} deleted` : `${result.name} removed; kept as missing because alerts name it`,
          data: { deleted: result.kind === "deleted" },
        };
    }
  });
}
