import { env } from "@/lib/env";

/**
 * The origins the console is served from, for this request: the request's own URL, the Host (or
 * X-Forwarded-Host behind a proxy) it was sent to, and VIGIL_URL when set. A browser cannot set
 * those headers on a cross-site request, so an Origin in this set means the console itself sent it.
 */
export function consoleOrigins(request: Request): Set<string> {
  const allowed = new Set([new URL(request.url).origin]);
  const configured = env().VIGIL_URL;
  if (configured) allowed.add(new URL(configured).origin);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  if (host) allowed.add(`${proto}://${host}`);
  return allowed;
}
