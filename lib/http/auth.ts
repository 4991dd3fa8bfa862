import { timingSafeEqual } from "node:crypto";
import { consoleOrigins } from "@/lib/auth/origins";
import { clientAddress, sessionUser } from "@/lib/auth/session";
import type { Scope } from "@/lib/auth/roles";
import type { Actor } from "@/lib/db/audit";
import { findTokenByHash, hashToken } from "@/lib/db/tokens";
import { env } from "@/lib/env";
import { ready } from "@/lib/server/startup";
import { ApiError } from "./api-error";

/** Who is calling, and what they may do. */
export interface Principal extends Actor {
  scopes: readonly string[];
}

const INGEST_ONLY: readonly Scope[] = ["ingest"];
const EVERYTHING: readonly Scope[] = ["ingest", "read", "triage", "admin"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Authorizes an /api/v1 request: a bearer token (machines) or a signed-in session (the console),
 * and the scope the route needs. Missing or unknown credentials → 401; known but not allowed →
 * 403. A session-authorized change must come from the console's own origin: cookies travel with
 * cross-site requests, tokens do not, so this is where CSRF is refused.
 *
 * Tokens: VIGIL_INGEST_TOKEN (ingest only), VIGIL_ADMIN_TOKEN (everything, for automation), and
 * tokens admins create (their scopes), all compared as SHA-256 digests in constant time or by hash
 * lookup, so neither content nor length leaks through timing.
 */
export async function requireAccess(request: Request, scope: Scope): Promise<Principal> {
  // Nothing is served half-initialised: migrations applied, bootstrap accounts and tokens made.
  await ready();
  const ip = clientAddress(request.headers, env().VIGIL_CLIENT_IP_HEADER);
  const userAgent = request.headers.get("user-agent");
  const header = request.headers.get("authorization");
  let principal: Principal | null;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    principal = match ? await tokenPrincipal(match[1]!, ip, userAgent) : null;
    if (!principal) throw unauthorized(match ? "invalid or revoked token" : "malformed Authorization header: use Bearer <token>");
  } else {
    const user = await sessionUser(request.headers);
    if (!user) throw unauthorized("sign in, or send Authorization: Bearer <token>");
    if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
      throw new ApiError("forbidden", "cross-site request refused: changes with a session must come from the console itself");
    }
    principal = { actor: user.email, actorType: "user", userId: user.id, scopes: user.scopes, ip, userAgent };
  }
  if (!principal.scopes.includes(scope)) {
    throw new ApiError("forbidden", principal.actorType === "token" ? `this token lacks the "${scope}" scope` : `your role does not allow this ("${scope}" is needed)`);
  }
  return principal;
}

function unauthorized(message: string): ApiError {
  return new ApiError("unauthorized", message, undefined, { "WWW-Authenticate": 'Bearer realm="vigil"' });
}

async function tokenPrincipal(token: string, ip: string | null, userAgent: string | null): Promise<Principal | null> {
  const digest = hashToken(token);
  const config = env();
  if (matches(config.VIGIL_ADMIN_TOKEN, digest)) return { actor: "token:VIGIL_ADMIN_TOKEN", actorType: "token", scopes: EVERYTHING, ip, userAgent };
  if (matches(config.VIGIL_INGEST_TOKEN, digest)) return { actor: "token:VIGIL_INGEST_TOKEN", actorType: "token", scopes: INGEST_ONLY, ip, userAgent };
  const row = await findTokenByHash(digest);
  return row ? { actor: `token:${row.name}`, actorType: "token", scopes: row.scopes, ip, userAgent } : null;
}

function matches(configured: string | undefined, digest: string): boolean {
  if (!configured) return false;
  return timingSafeEqual(Buffer.from(hashToken(configured), "hex"), Buffer.from(digest, "hex"));
}

/** The Origin (or, failing that, the Referer) names the console's own origin. */
export function sameOrigin(request: Request): boolean {
  const allowed = consoleOrigins(request);
  const origin = request.headers.get("origin");
  if (origin) return allowed.has(origin);
  const referer = request.headers.get("referer");
  if (!referer) return false;
  try {
    return allowed.has(new URL(referer).origin);
  } catch {
    return false;
  }
}
