import { randomBytes } from "node:crypto";
import { db } from "./client";

/**
 * A value generated once and shared by every node (the first to start wins the insert, the others
 * read its value), e.g. the session-signing secret when VIGIL_AUTH_SECRET is not set.
 */
export async function getOrCreateSecret(key: string, bytes = 32): Promise<string> {
  const candidate = randomBytes(bytes).toString("base64url");
  await db().$executeRawUnsafe(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, candidate);
  const row = await db().setting.findUniqueOrThrow({ where: { key } });
  return row.value;
}
