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
