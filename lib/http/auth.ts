import { timingSafeEqual } from "node:crypto";
import { findTokenByHash, hashToken, type TokenScope } from "@/lib/db/tokens";
import { env } from "@/lib/env";
import { ApiError } from "./api-error";

export interface Principal {
  /** Shown in activity and audit records: who did it. */
  actor: string;
  scopes: readonly string[];
}

const ENV_TOKEN_SCOPES: readonly TokenScope[] = ["ingest", "read", "triage"];

/**
 * Authorizes a machine request by its bearer token. VIGIL_INGEST_TOKEN is compared in constant
 * time (over SHA-256 digests, so lengths never leak either); other tokens are found by hash.
 * Missing or unknown token → 401; a known token without the scope → 403.
 */
export async function requireToken(request: Request, scope: TokenScope): Promise<Principal> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new ApiError("unauthorized", "missing bearer token: send Authorization: Bearer <token>", undefined, {
      "WWW-Authenticate": 'Bearer realm="vigil"',
    });
  }
  const token = match[1]!;
  const digest = hashToken(token);
  const principal = matchesEnvToken(digest)
    ? { actor: "token:VIGIL_INGEST_TOKEN", scopes: ENV_TOKEN_SCOPES }
    : await tokenPrincipal(digest);
  if (!principal) {
    throw new ApiError("unauthorized", "invalid or revoked token", undefined, {
      "WWW-Authenticate": 'Bearer realm="vigil", error="invalid_token"',
    });
  }
  if (!principal.scopes.includes(scope)) {
    throw new ApiError("forbidden", `this token lacks the "${scope}" scope`);
  }
  return principal;
}

function matchesEnvToken(digest: string): boolean {
  const configured = env().VIGIL_INGEST_TOKEN;
  if (!configured) return false;
  return timingSafeEqual(Buffer.from(hashToken(configured), "hex"), Buffer.from(digest, "hex"));
}

async function tokenPrincipal(digest: string): Promise<Principal | null> {
  const row = await findTokenByHash(digest);
  return row ? { actor: `token:${row.name}`, scopes: row.scopes } : null;
}
