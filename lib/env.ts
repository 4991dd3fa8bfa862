import path from "node:path";
import { z } from "zod";

/**
 * Vigil's configuration, validated once (STYLE F9): the only place that reads process.env.
 * Every variable is documented in README "Configuration".
 */
const bytes = (fallback: number) =>
  z.coerce.number().int().positive().max(1 << 30).default(fallback);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  VIGIL_INGEST_TOKEN: z
    .string()
    .min(16, "VIGIL_INGEST_TOKEN must be at least 16 characters")
    .optional(),
  VIGIL_RULES_DIR: z.string().default("rules"),
  VIGIL_MAX_BODY_BYTES: bytes(10 * 1024 * 1024),
  VIGIL_MAX_LINE_BYTES: bytes(1024 * 1024),
  VIGIL_MAX_REPORTED_ERRORS: z.coerce.number().int().min(1).max(10_000).default(100),
  VIGIL_SIGMA_PLACEHOLDERS: z.string().optional(),
  /** Public address of the console (https://vigil.example.org): cookies are Secure when https. */
  VIGIL_URL: z.string().url().optional(),
  VIGIL_AUTH_SECRET: z.string().min(32, "VIGIL_AUTH_SECRET must be at least 32 characters").optional(),
  VIGIL_ADMIN_EMAIL: z.string().email().optional(),
  VIGIL_ADMIN_PASSWORD: z.string().min(12, "VIGIL_ADMIN_PASSWORD must be at least 12 characters").max(128).optional(),
  VIGIL_ADMIN_TOKEN: z.string().min(32, "VIGIL_ADMIN_TOKEN must be at least 32 characters").optional(),
  VIGIL_SESSION_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(12),
  /** Header a trusted reverse proxy sets to the client's address (sign-in rate limiting, audit). */
  VIGIL_CLIENT_IP_HEADER: z.string().default("x-forwarded-for"),
  VIGIL_SIGNIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(5),
  /** Retained events (process trees, previews, hunts) are deleted this many days after their event time. */
  VIGIL_EVENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  /** Ingest requests processed at once per process; more get 429 with Retry-After. */
  VIGIL_INGEST_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1000).default(8),
  /** How often each node adds its ingest statistics (the ingest status page) to the database. */
  VIGIL_STATS_FLUSH_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Events per second per API token (0: no limit); past it, 429 with Retry-After. */
  VIGIL_INGEST_EVENTS_PER_SECOND: z.coerce.number().int().min(0).max(10_000_000).default(0),
  /** true (default): analysts propose exceptions and an admin approves them; false: analysts create them directly. */
  VIGIL_EXCEPTIONS_REQUIRE_APPROVAL: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  /** Escalated alerts are POSTed here as JSON (a SOAR, a chat or ticketing hook). */
  VIGIL_ESCALATION_WEBHOOK: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), "VIGIL_ESCALATION_WEBHOOK must be an http(s) URL")
    .optional(),
});

export type Env = z.infer<typeof envSchema> & { rulesDir: string; sigmaPlaceholders: Record<string, string[]> };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid configuration: ${problems}`);
  }
  cached = {
    ...parsed.data,
    // Resolved at run time against the working directory, on purpose (not a bundled asset).
    rulesDir: path.resolve(/* turbopackIgnore: true */ process.cwd(), parsed.data.VIGIL_RULES_DIR),
    sigmaPlaceholders: parsePlaceholders(parsed.data.VIGIL_SIGMA_PLACEHOLDERS),
  };
  return cached;
}

/** VIGIL_SIGMA_PLACEHOLDERS='{"domain_controllers": ["dc1", "dc2"]}' feeds Sigma's |expand. */
function parsePlaceholders(raw: string | undefined): Record<string, string[]> {
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`invalid configuration: VIGIL_SIGMA_PLACEHOLDERS is not JSON (${(error as Error).message})`);
  }
  const result = z.record(z.string(), z.array(z.string())).safeParse(value);
  if (!result.success) {
    throw new Error('invalid configuration: VIGIL_SIGMA_PLACEHOLDERS must map names to lists of strings, e.g. {"admins": ["alice"]}');
  }
  return result.data;
}

export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start Vigil with `npm start` (embedded PostgreSQL) or set DATABASE_URL");
  }
  return url;
}

/** For tests that change configuration between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
