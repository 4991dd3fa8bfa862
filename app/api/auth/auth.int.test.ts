import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * Accounts and sessions end to end through Better Auth's real handler and Vigil's API routes, on
 * PostgreSQL: sign-in, cookie flags, roles, CSRF refusal, rate limiting, expiry, disabled users.
 */
process.env.VIGIL_RULES_DIR = path.resolve("rules");
process.env.VIGIL_INGEST_TOKEN = "auth-test-ingest-token-0123456789";
process.env.VIGIL_ADMIN_EMAIL = "root@vigil.test";
process.env.VIGIL_ADMIN_PASSWORD = "correct horse battery staple";
process.env.VIGIL_SIGNIN_ATTEMPTS_PER_MINUTE = "5";

const BASE = "http://vigil.test";
type AuthRoute = typeof import("./[...all]/route");
type AlertRoutes = { list: typeof import("../v1/alerts/route"); one: typeof import("../v1/alerts/[id]/route"); events: typeof import("../v1/events/route") };
let authRoute: AuthRoute;
let alerts: AlertRoutes;
let alertId: string;

async function createUser(email: string, role: string, password = "a long enough password") {
  const { getAuth } = await import("@/lib/auth/auth");
  await (await getAuth()).api.createUser({ body: { email, password, name: email.split("@")[0]!, role: role as "admin" } });
}

let ipSeq = 0;
async function signIn(email: string, password: string, ip = `198.51.100.${++ipSeq % 250}`) {
  return authRoute.POST(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieOf(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("vigil.session_token="));
  if (!cookie) throw new Error(`no session cookie (status ${res.status})`);
  return cookie.split(";")[0]!;
}

const patchAlert = (cookie: string, body: unknown, origin: string | null = BASE) =>
  alerts.one.PATCH(
    new Request(`${BASE}/api/v1/alerts/${alertId}`, {
      method: "PATCH",
      headers: { cookie, "content-type": "application/json", ...(origin && { origin }) },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: alertId }) },
  );
const listAlerts = (cookie: string) => alerts.list.GET(new Request(`${BASE}/api/v1/alerts`, { headers: { cookie } }), undefined as never);

beforeAll(async () => {
  await resetDatabase();
  authRoute = await import("./[...all]/route");
  alerts = { list: await import("../v1/alerts/route"), one: await import("../v1/alerts/[id]/route"), events: await import("../v1/events/route") };
  const { ready } = await import("@/lib/server/startup");
  await ready();
  await createUser("ana@vigil.test", "analyst");
  await createUser("vic@vigil.test", "viewer");
  const event = { EventID: 1, UtcTime: "2026-11-09 10:15:02.123", Computer: "WEB01", Image: "C:\\Windows\\System32\\cmd.exe", CommandLine: "cmd.exe /c whoami", ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe" };
  await alerts.events.POST(
    new Request(`${BASE}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${process.env.VIGIL_INGEST_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(event) }),
    undefined as never,
  );
  alertId = (await db().alert.findFirstOrThrow()).id;
});

beforeEach(async () => {
  await db().rateLimit.deleteMany({});
});

describe("accounts and sessions", () => {
  it("bootstraps the admin from VIGIL_ADMIN_EMAIL / VIGIL_ADMIN_PASSWORD, once", async () => {
    const admins = await db().user.findMany({ where: { role: "admin" } });
    expect(admins.map((u) => u.email)).toEqual(["root@vigil.test"]);
    expect((await signIn("root@vigil.test", "correct horse battery staple")).status).toBe(200);
    const { ensureBootstrapAdmin } = await import("@/lib/auth/bootstrap");
    expect(await ensureBootstrapAdmin()).toBeNull();
  });

  it("stores the password as a memory-hard hash, never in clear", async () => {
    const account = await db().account.findFirstOrThrow({ where: { user: { email: "ana@vigil.test" } } });
    expect(account.password).not.toContain("a long enough password");
    expect(account.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/); // scrypt salt:key
  });

  it("sets an HTTP-only, SameSite session cookie on sign-in", async () => {
    const res = await signIn("ana@vigil.test", "a long enough password");
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("vigil.session_token="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here; VIGIL_URL=https://… makes it Secure
  });

  it("accepts sign-in from the console's own origin, whatever host it is reached at, and refuses other origins", async () => {
    // A browser that already holds a cookie (an expired session, say) is CSRF-checked by origin.
    const attempt = (url: string, origin: string) =>
      authRoute.POST(
        new Request(`${url}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin, cookie: "vigil.session_token=stale", "x-forwarded-for": "198.51.100.251" },
          body: JSON.stringify({ email: "ana@vigil.test", password: "a long enough password" }),
        }),
      );
    expect((await attempt("http://127.0.0.1:3000", "http://127.0.0.1:3000")).status).toBe(200);
    expect((await attempt("http://vigil.internal:8080", "http://vigil.internal:8080")).status).toBe(200);
    expect((await attempt("http://127.0.0.1:3000", "https://evil.example")).status).toBe(403);
  });

  it("lets a viewer read but not change an alert; an analyst can; a cross-site change is refused", async () => {
    const viewer = cookieOf(await signIn("vic@vigil.test", "a long enough password"));
    expect((await listAlerts(viewer)).status).toBe(200);
    const denied = await patchAlert(viewer, { status: "acknowledged" });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error).toMatch(/role does not allow/);

    const analyst = cookieOf(await signIn("ana@vigil.test", "a long enough password"));
    expect((await patchAlert(analyst, { status: "acknowledged" }, "https://evil.example")).status).toBe(403);
    expect((await patchAlert(analyst, { status: "acknowledged" }, null)).status).toBe(403);
    const ok = await patchAlert(analyst, { status: "acknowledged", note: "looking" });
    expect(ok.status).toBe(200);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "alert.status", objectId: alertId } });
    expect(audit).toMatchObject({ actor: "ana@vigil.test", actorType: "user" });
  });

  it("audits failed sign-ins, including for unknown accounts, without the password", async () => {
    expect((await signIn("ana@vigil.test", "wrong password entirely")).status).toBe(401);
    expect((await signIn("nobody@vigil.test", "whatever password")).status).toBe(401);
    const failed = await db().auditEvent.findMany({ where: { action: "auth.sign_in_failed" }, orderBy: { id: "asc" } });
    expect(failed.map((f) => f.actor)).toEqual(expect.arrayContaining(["ana@vigil.test", "nobody@vigil.test"]));
    expect(JSON.stringify(failed.map((f) => [f.actor, f.before, f.after]))).not.toContain("wrong password");
  });

  it("rate-limits sign-in per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signIn("ana@vigil.test", "wrong password entirely", "203.0.113.9")).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right password waits; another address is not affected.
    expect((await signIn("ana@vigil.test", "a long enough password", "203.0.113.9")).status).toBe(429);
    expect((await signIn("ana@vigil.test", "a long enough password", "203.0.113.10")).status).toBe(200);
    expect(await db().auditEvent.count({ where: { action: "auth.sign_in_rate_limited" } })).toBeGreaterThanOrEqual(3);
  });

  it("refuses an expired session", async () => {
    const cookie = cookieOf(await signIn("ana@vigil.test", "a long enough password"));
    expect((await listAlerts(cookie)).status).toBe(200);
    const token = decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;
    await db().session.update({ where: { token }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await listAlerts(cookie)).status).toBe(401);
  });

  it("refuses a disabled account, at sign-in and for its open sessions", async () => {
    await createUser("gone@vigil.test", "analyst");
    const cookie = cookieOf(await signIn("gone@vigil.test", "a long enough password"));
    await db().user.update({ where: { email: "gone@vigil.test" }, data: { banned: true } });
    expect((await listAlerts(cookie)).status).toBe(401);
    const refused = await signIn("gone@vigil.test", "a long enough password");
    expect(refused.status).toBe(403);
    // The sign-in form tells this apart from a refused origin by the code.
    expect((await refused.json()).code).toBe("BANNED_USER");
  });

  it("signs out: the session is gone server-side and audited", async () => {
    const cookie = cookieOf(await signIn("ana@vigil.test", "a long enough password"));
    const out = await authRoute.POST(new Request(`${BASE}/api/auth/sign-out`, { method: "POST", headers: { cookie, origin: BASE } }));
    expect(out.status).toBe(200);
    expect((await listAlerts(cookie)).status).toBe(401);
    expect(await db().auditEvent.count({ where: { action: "auth.sign_out", actor: "ana@vigil.test" } })).toBeGreaterThanOrEqual(1);
  });
});
