import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { ready } from "@/lib/server/startup";
import type { Scope } from "./roles";
import { sessionUser, type SessionUser } from "./session";

/**
 * For pages and server actions: the signed-in person, who must hold `scope`. Not signed in (or
 * the session expired, or the account was disabled) → the sign-in page; signed in without the
 * role → 403. The UI hides what a role cannot do; this is the guard.
 */
export async function requireUser(scope: Scope = "read"): Promise<SessionUser> {
  await ready();
  const user = await sessionUser(await headers());
  if (!user) redirect("/sign-in");
  if (!user.scopes.includes(scope)) forbidden();
  return user;
}

/** The signed-in person or null, for pages that render differently (the sign-in page). */
export async function currentUser(): Promise<SessionUser | null> {
  await ready();
  return sessionUser(await headers());
}
