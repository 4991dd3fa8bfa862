"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken, TokenNameTakenError } from "@/lib/db/tokens";
import { actionUser, runAction, type ActionResult } from "./context";
import { createTokenSchema } from "./tokens.schema";

/** Creates an API token; its value is returned once and never stored (only its hash). */
export async function createToken(_prev: ActionResult<{ token: string }> | null, form: FormData): Promise<ActionResult<{ token: string }>> {
  return runAction(async () => {
    const { actor } = await actionUser("admin");
    const input = createTokenSchema.parse({ name: form.get("name") ?? "", scopes: form.getAll("scopes") });
    try {
      const { token } = await createApiToken(input.name, input.scopes, actor);
      revalidatePath("/admin/tokens");
      return { ok: true, message: `token ${input.name} created`, data: { token } };
    } catch (error) {
      if (error instanceof TokenNameTakenError) return { ok: false, error: error.message };
      throw error;
    }
  });
}

export async function revokeToken(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await actionUser("admin");
    const id = String(form.get("tokenId") ?? "");
    if (!(await revokeApiToken(id, actor))) return { ok: false, error: "no live token with that id" };
    revalidatePath("/admin/tokens");
    return { ok: true, message: "token revoked" };
  });
}
