import { headers } from "next/headers";
import { clientAddress, sessionUser, type SessionUser } from "@/lib/auth/session";
import type { Scope } from "@/lib/auth/roles";
import type { Actor } from "@/lib/db/audit";
import { env } from "@/lib/env";
import { ready } from "@/lib/server/startup";

/** What every server action returns: forms show `error`, or `message` on success. */
export type ActionResult<T = undefined> = { ok: true; message?: string; data?: T } | { ok: false; error: string };

export class ActionDenied extends Error {}

/**
 * The signed-in person calling a server action, who must hold `scope`, and the audit actor for
 * them. Server actions are POSTs that Next checks for a same-origin Origin header (CSRF); the role
 * check is ours, on every call, whatever the UI showed.
 */
export async function actionUser(scope: Scope): Promise<{ user: SessionUser; actor: Actor; headers: Headers }> {
  await ready();
  const h = await headers();
  const user = await sessionUser(h);
  if (!user) throw new ActionDenied("your session has ended: sign in again");
  if (!user.scopes.includes(scope)) throw new ActionDenied("your role does not allow this");
  return {
    user,
    headers: h,
    actor: { actor: user.email, actorType: "user", userId: user.id, ip: clientAddress(h, env().VIGIL_CLIENT_IP_HEADER), userAgent: h.get("user-agent") },
  };
}

/** Runs an action body, turning refusals and validation problems into a result the form shows. */
export async function runAction<T>(body: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ActionDenied) return { ok: false, error: error.message };
    if (error && typeof error === "object" && "issues" in error) {
      const issues = (error as { issues: { path: PropertyKey[]; message: string }[] }).issues;
      return { ok: false, error: issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ") };
    }
    throw error;
  }
}
