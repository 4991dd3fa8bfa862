"use server";

import { revalidatePath } from "next/cache";
import { deleteAttackCatalogue } from "@/lib/db/coverage";
import { actionUser, runAction, type ActionResult } from "./context";

/**
 * Back to the ATT&CK catalogue kept in the repo (admins). Importing is not an action: a bundle is
 * tens of MB, past what a server action accepts, so the page posts the file to
 * POST /api/v1/attack/catalogue instead.
 */
export async function revertAttackCatalogue(): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await actionUser("admin");
    const reverted = await deleteAttackCatalogue(actor);
    revalidatePath("/coverage");
    return reverted ? { ok: true, message: "the built-in catalogue is in use again" } : { ok: false, error: "the built-in catalogue is already in use" };
  });
}
