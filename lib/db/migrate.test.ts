import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { listMigrations, migrate, MIGRATIONS_DIR, pendingMigrations } from "./migrate";

// A database of its own: these tests apply migrations from nothing.
const base = process.env.DATABASE_URL!;
const name = `vigil_migrate_${process.pid}`;
const url = (() => {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
})();

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
});
afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});

describe("migrate", () => {
  it("applies every migration once when two processes start at the same moment", async () => {
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    const all = listMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect([...a.applied, ...b.applied].sort()).toEqual(all);
    expect(a.skipped + b.skipped).toBe(all.length);
    expect(await pendingMigrations(url)).toEqual([]);
  });

  it("is a no-op the second time, and records Prisma's checksum for each migration", async () => {
    expect(await migrate(url)).toEqual({ applied: [], skipped: listMigrations().length });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
    await c.end();
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations());
    for (const r of rows) {
      const file = fs.readFileSync(path.join(MIGRATIONS_DIR, r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("leaves the database exactly as prisma/schema.prisma describes it (no drift)", async () => {
    // Prisma's Wasm schema engine runs in its own process (it keeps timers alive and does not
    // load inside Vitest's module runner); it replays the migrations and diffs against the schema.
    const run = spawnSync("npx", ["tsx", "scripts/migration-diff.ts", "--check"], {
      env: { ...process.env, DATABASE_URL: base },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stdout + run.stderr).toContain("no changes: the migrations already match prisma/schema.prisma");
    expect(run.status).toBe(0);
  });

  it("refuses to run after a migration failed half-way, and says which", async () => {
    const dir = fs.mkdtempSync(path.join(fs.mkdtempSync("/tmp/vigil-mig-"), "m"));
    fs.mkdirSync(path.join(dir, "20990101000000_broken"));
    fs.writeFileSync(path.join(dir, "20990101000000_broken", "migration.sql"), "CREATE TABLE x (id int); SELECT * FROM no_such_table;");
    await expect(migrate(url, { dir })).rejects.toThrow(/migration 20990101000000_broken failed: relation "no_such_table" does not exist/);
    await expect(migrate(url, { dir })).rejects.toThrow(/20990101000000_broken failed earlier and was not rolled back/);
    // The failed file ran in one implicit transaction: its CREATE TABLE did not survive.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query(`SELECT to_regclass('x') AS t`);
    await c.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`);
    await c.end();
    expect(rows[0].t).toBeNull();
  });
});
