import { createHash, randomBytes } from "node:crypto";
import { auditRow, type Actor } from "./audit";
import { db } from "./client";

export const TOKEN_SCOPES = ["ingest", "read", "triage", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const BOOTSTRAP_INGEST = "bootstrap-ingest";

/** Tokens are stored as SHA-256 hashes: a database dump does not leak a usable token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  return `vgl_${randomBytes(32).toString("base64url")}`;
}

/**
 * When VIGIL_INGEST_TOKEN is unset, the first start generates an ingest token, stores only its
 * hash, and returns the token so start-up can print it once. Later starts (and a second process
 * starting at the same moment: the unique name decides) return null.
 */
export async function ensureBootstrapIngestToken(): Promise<string | null> {
  const token = generateToken();
  const inserted = await db().$executeRawUnsafe(
    `INSERT INTO api_tokens (name, prefix, token_hash, scopes) VALUES ($1, $2, $3, $4::text[])
     ON CONFLICT (name) DO NOTHING`,
    BOOTSTRAP_INGEST,
    token.slice(0, 12),
    hashToken(token),
    ["ingest"],
  );
  return inserted === 1 ? token : null;
}

export interface TokenIdentity {
  id: string;
  name: string;
  scopes: string[];
}

/** The live (not revoked) token with this hash, and a last-used stamp at most once a minute. */
export async function findTokenByHash(tokenHash: string): Promise<TokenIdentity | null> {
  const row = await db().apiToken.findUnique({
    where: { tokenHash },
    select: { id: true, name: true, scopes: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return { id: row.id, name: row.name, scopes: row.scopes };
}

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export class TokenNameTakenError extends Error {}

/**
 * Creates a token and returns it with its plain value, which is never stored (only its hash) and
 * so shown exactly once. The token record and its audit entry commit together.
 */
export async function createApiToken(name: string, scopes: readonly string[], who: Actor): Promise<{ token: string; row: ApiTokenRow }> {
  const token = generateToken();
  try {
    const [row] = await db().$transaction([
      db().apiToken.create({ data: { name, prefix: token.slice(0, 12), tokenHash: hashToken(token), scopes: [...scopes], createdBy: who.actor } }),
      db().auditEvent.create({ data: auditRow(who, { action: "token.create", objectType: "token", objectId: name, after: { name, scopes } }) }),
    ]);
    return { token, row: row as ApiTokenRow };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new TokenNameTakenError(`a token named "${name}" already exists`);
    throw error;
  }
}

export async function listApiTokens(): Promise<ApiTokenRow[]> {
  return db().apiToken.findMany({
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, name: true, prefix: true, scopes: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true, revokedBy: true },
  });
}

/** Revokes a token (kept, marked, never usable again). False when there is no live token by that id. */
export async function revokeApiToken(id: string, who: Actor): Promise<boolean> {
  const token = await db().apiToken.findUnique({ where: { id } });
  if (!token || token.revokedAt) return false;
  await db().$transaction([
    db().apiToken.update({ where: { id }, data: { revokedAt: new Date(), revokedBy: who.actor } }),
    db().auditEvent.create({ data: auditRow(who, { action: "token.revoke", objectType: "token", objectId: token.name, before: { scopes: token.scopes } }) }),
  ]);
  return true;
}
