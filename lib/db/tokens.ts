import { createHash, randomBytes } from "node:crypto";
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
    // Until accounts arrive (a later issue), the ingest token also reads and triages via the API.
    ["ingest", "read", "triage"],
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
