import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";
import { db } from "@/lib/db/client";
import { getOrCreateSecret } from "@/lib/db/settings";
import { env } from "@/lib/env";
import { consoleOrigins } from "./origins";

/**
 * Sign-in, sessions and users, through Better Auth (well-kept, with its Prisma adapter) rather
 * than hand-rolled session handling:
 * - passwords hashed with scrypt (memory-hard), 12 to 128 characters;
 * - sessions in HTTP-only, SameSite=Lax cookies, Secure when the console is served over https
 *   (VIGIL_URL), expiring after VIGIL_SESSION_HOURS, refreshed while in use;
 * - no self sign-up: admins create accounts;
 * - sign-in rate limited per client address, in the database (every node shares the count);
 * - the admin plugin provides user management (create, role, disable, reset password) and
 *   refuses disabled users at sign-in.
 * Built on first use: the session secret may live in the database (see getOrCreateSecret).
 */
const ac = createAccessControl(defaultStatements);

async function build() {
  const config = env();
  const secret = config.VIGIL_AUTH_SECRET ?? (await getOrCreateSecret("auth_secret"));
  const sessionSeconds = Math.round(config.VIGIL_SESSION_HOURS * 3600);
  return betterAuth({
    appName: "Vigil",
    secret,
    ...(config.VIGIL_URL && { baseURL: config.VIGIL_URL }),
    basePath: "/api/auth",
    // Sign-in and sign-out are accepted from the console's own origin (Better Auth's CSRF check);
    // without VIGIL_URL that origin is whatever host the console is reached at.
    trustedOrigins: async (request?: Request) => (request ? [...consoleOrigins(request)] : []),
    database: prismaAdapter(db(), { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
      autoSignIn: false,
    },
    session: {
      expiresIn: sessionSeconds,
      // Sliding expiry: a session in use is extended at most once per tenth of its lifetime.
      updateAge: Math.max(60, Math.round(sessionSeconds / 10)),
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: config.VIGIL_SIGNIN_ATTEMPTS_PER_MINUTE } },
    },
    advanced: {
      cookiePrefix: "vigil",
      // Always on (Better Auth turns it off under NODE_ENV=test, which would hide it from our tests).
      disableOriginCheck: false,
      disableCSRFCheck: false,
      useSecureCookies: config.VIGIL_URL?.startsWith("https:") ?? false,
      ipAddress: { ipAddressHeaders: [config.VIGIL_CLIENT_IP_HEADER.toLowerCase()] },
      database: { generateId: () => crypto.randomUUID() },
    },
    telemetry: { enabled: false },
    // Vigil derives the console's origin per request when VIGIL_URL is unset (see trustedOrigins);
    // Better Auth's start-up warning about a missing base URL would only confuse operators.
    logger: { level: "error" },
    plugins: [
      // Only admins manage users; viewer and analyst hold no user-management permission. What
      // each role may do in Vigil itself is lib/auth/roles.ts.
      admin({ ac, roles: { viewer: ac.newRole({}), analyst: ac.newRole({}), admin: adminAc }, defaultRole: "viewer", adminRoles: ["admin"] }),
      nextCookies(),
    ],
  });
}

export type Auth = Awaited<ReturnType<typeof build>>;

const state = globalThis as unknown as { vigilAuth?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  state.vigilAuth ??= build().catch((error) => {
    state.vigilAuth = undefined;
    throw error;
  });
  return state.vigilAuth;
}
