import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/lib/auth/auth";
import { clientAddress, sessionUser } from "@/lib/auth/session";
import { recordAudit } from "@/lib/db/audit";
import { env } from "@/lib/env";
import { ready } from "@/lib/server/startup";

export const dynamic = "force-dynamic";

/**
 * Better Auth's endpoints (/api/auth/*). Sign-in and sign-out are audited here, around the
 * handler, because only here is every outcome visible: success, wrong password, disabled user,
 * and attempts refused by the rate limiter before Better Auth's own hooks run.
 */
async function handle(request: Request): Promise<Response> {
  await ready();
  const handler = toNextJsHandler(await getAuth());
  const path = new URL(request.url).pathname;
  const ip = clientAddress(request.headers, env().VIGIL_CLIENT_IP_HEADER);
  const userAgent = request.headers.get("user-agent");

  if (request.method === "POST" && path.endsWith("/sign-in/email")) {
    const body = (await request.clone().json().catch(() => ({}))) as { email?: unknown };
    const email = typeof body.email === "string" ? body.email.toLowerCase().slice(0, 320) : "(none)";
    const response = await handler.POST(request);
    const outcome = response.status === 200 ? "auth.sign_in" : response.status === 429 ? "auth.sign_in_rate_limited" : "auth.sign_in_failed";
    // Never the password; the email as typed, so failed attempts on unknown accounts show too.
    await recordAudit({ actor: email, actorType: "user", ip, userAgent }, { action: outcome, objectType: "user", after: { status: response.status } });
    return response;
  }
  if (request.method === "POST" && path.endsWith("/sign-out")) {
    const user = await sessionUser(request.headers);
    const response = await handler.POST(request);
    if (user && response.ok) await recordAudit({ actor: user.email, actorType: "user", userId: user.id, ip, userAgent }, { action: "auth.sign_out", objectType: "user", objectId: user.id });
    return response;
  }
  return request.method === "GET" ? handler.GET(request) : handler.POST(request);
}

export const GET = handle;
export const POST = handle;
