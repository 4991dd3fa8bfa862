import { randomBytes } from "node:crypto";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getAuth } from "./auth";

/**
 * On first start with no users, create an admin: VIGIL_ADMIN_EMAIL / VIGIL_ADMIN_PASSWORD when
 * given, else admin@vigil.local with a generated password, returned so start-up prints it once.
 * Two nodes starting together: the unique email decides; the loser finds a user and does nothing.
 */
export async function ensureBootstrapAdmin(): Promise<{ email: string; password: string | null } | null> {
  if ((await db().user.count()) > 0) return null;
  const config = env();
  const email = (config.VIGIL_ADMIN_EMAIL ?? "admin@vigil.local").toLowerCase();
  const generated = config.VIGIL_ADMIN_PASSWORD ? null : randomBytes(18).toString("base64url");
  const auth = await getAuth();
  try {
    const { user } = await auth.api.createUser({ body: { email, password: config.VIGIL_ADMIN_PASSWORD ?? generated!, name: "Administrator", role: "admin" } });
    await recordAudit(SYSTEM_ACTOR, { action: "user.create", objectType: "user", objectId: user.id, after: { email, role: "admin", bootstrap: true } });
  } catch (error) {
    if ((await db().user.count()) > 0) return null; // another node created it first
    throw error;
  }
  return { email, password: generated };
}
