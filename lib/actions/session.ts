"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth/auth";
import { clientAddress, sessionUser } from "@/lib/auth/session";
import { recordAudit } from "@/lib/db/audit";
import { env } from "@/lib/env";

/** Signs out (the session is deleted server-side and the cookie cleared) and audits it. */
export async function signOut(): Promise<void> {
  const h = await headers();
  const user = await sessionUser(h);
  await (await getAuth()).api.signOut({ headers: h });
  if (user) {
    await recordAudit(
      { actor: user.email, actorType: "user", userId: user.id, ip: clientAddress(h, env().VIGIL_CLIENT_IP_HEADER), userAgent: h.get("user-agent") },
      { action: "auth.sign_out", objectType: "user", objectId: user.id },
    );
  }
  redirect("/sign-in");
}
