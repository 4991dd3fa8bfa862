import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, recording each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, same sha256 checksum),
 * so the native CLI, where it can run, agrees with what this runner did.
 *
 * Why our own runner: Prisma 7's CLI applies migrations only through its native schema engine,
 * which it downloads at run time; offline machines cannot get it (README "Database").
 *
 * Safe when several processes start at once: everything happens under Prisma's advisory lock,
 * so the second process waits, then finds nothing left to apply.
 */
export interface MigrateResult {
  applied: string[];
  skipped: number;
}

const PRISMA_ADVISORY_LOCK = 72707369;

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

/** Migration folder names in apply order (their timestamp prefixes sort chronologically). */
export function listMigrations(dir = MIGRATIONS_DIR): string[] {
  // Read at run time from the install folder, on purpose: keep the bundler from tracing it.
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const log = options.log ?? (() => {});
  const names = listMigrations(dir);

  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0,
      CONSTRAINT "_prisma_migrations_pkey" PRIMARY KEY ("id"))`);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);

    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      // Same refusal as Prisma's P3009: a half-applied migration needs a person, not a retry.
      throw new Error(
        `migration ${failed.migration_name} failed earlier and was not rolled back; ` +
          `fix the database, then mark it rolled back in _prisma_migrations`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));

    const applied: string[] = [];
    let skipped = 0;
    for (const name of names) {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"));
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) log(`warning: migration ${name} was edited after it was applied`);
        skipped++;
        continue;
      }
      const id = randomUUID();
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, applied_steps_count) VALUES ($1, $2, $3, 0)`,
        [id, checksum, name],
      );
      try {
        // One simple-protocol query: Postgres runs a multi-statement string in one implicit
        // transaction, which is how Prisma applies a migration file.
        await client.query(sql.toString("utf8"));
      } catch (error) {
        await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [
          id,
          String((error as Error).message),
        ]);
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      await client.query(
        `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      applied.push(name);
      log(`applied migration ${name}`);
    }
    return { applied, skipped };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

/** Names of migrations in the folder that the database has not finished applying. */
export async function pendingMigrations(connectionString: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const names = listMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
    if (!exists.rows[0]?.t) return names;
    const { rows } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Set(rows.map((r) => r.migration_name));
    return names.filter((n) => !done.has(n));
  } finally {
    await client.end();
  }
}
