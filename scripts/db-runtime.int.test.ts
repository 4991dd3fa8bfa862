import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./db-runtime";

/**
 * What `npm start` promises on a machine without PostgreSQL: the embedded server keeps its data
 * across restarts and leaves nothing running after SIGTERM. Uses its own data folder (inside the
 * project: the postgres OS user must be able to traverse every parent when tests run as root).
 */
const dataRoot = path.resolve(`.data/test-runtime-${process.pid}`);
afterAll(() => fs.rmSync(dataRoot, { recursive: true, force: true }));

function withoutDatabaseUrl<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  return fn().finally(() => {
    process.env.DATABASE_URL = saved;
  });
}

function postgresRunningOn(dir: string): boolean {
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.includes("postgres") && cmd.includes(dir)) return true;
    } catch {
      /* gone */
    }
  }
  return false;
}

describe("embedded PostgreSQL", () => {
  it("keeps data across a restart", async () => {
    const dataDir = path.join(dataRoot, "restart");
    await withoutDatabaseUrl(async () => {
      const first = await openDatabase({ dataDir, log: () => {} });
      expect(first.embedded).toBe(true);
      let c = new pg.Client({ connectionString: first.url });
      await c.connect();
      await c.query(`INSERT INTO api_tokens (name, prefix, token_hash, scopes) VALUES ('kept', 'p', 'h', '{}')`);
      await c.end();
      await first.stop();
      expect(fs.existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);

      const second = await openDatabase({ dataDir, log: () => {} });
      c = new pg.Client({ connectionString: second.url });
      await c.connect();
      const { rows } = await c.query(`SELECT name FROM api_tokens`);
      await c.end();
      await second.stop();
      expect(rows).toEqual([{ name: "kept" }]);
    });
  }, 120_000);

  it("stops the command and the database on SIGTERM, leaving no process behind", async () => {
    const dataRoot2 = path.join(dataRoot, "signal");
    const marker = path.join(dataRoot, "child.pid");
    const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: dataRoot2 };
    delete env.DATABASE_URL;
    // The wrapper's own node process (npm and npx relay signals to it the same way).
    const wrapper = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/with-db.ts", "--", `node -e "require('fs').writeFileSync('${marker}', String(process.pid)); setInterval(() => {}, 1000)"`],
      { env, stdio: "ignore" },
    );
    for (let i = 0; i < 600 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
    const childPid = Number(fs.readFileSync(marker, "utf8"));
    expect(postgresRunningOn(dataRoot2)).toBe(true);

    const exited = new Promise<number | null>((resolve) => wrapper.on("exit", (code) => resolve(code)));
    wrapper.kill("SIGTERM");
    const code = await exited;
    expect(code).not.toBe(0);
    // A zombie (exited, not yet reaped: in a container PID 1 may never reap) is not running.
    const alive = (pid: number) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
      } catch {
        return false;
      }
    };
    expect(alive(childPid)).toBe(false);
    expect(postgresRunningOn(dataRoot2)).toBe(false);
    expect(fs.existsSync(path.join(dataRoot2, "pg", "postmaster.pid"))).toBe(false);
  }, 120_000);

  it("stops the database even when the wrapper is killed with SIGKILL", async () => {
    const root = path.join(dataRoot, "sigkill");
    const marker = path.join(dataRoot, "sigkill.pid");
    const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: root };
    delete env.DATABASE_URL;
    const wrapper = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/with-db.ts", "--", `node -e "require('fs').writeFileSync('${marker}', String(process.pid)); setTimeout(() => {}, 60000)"`],
      { env, stdio: "ignore" },
    );
    for (let i = 0; i < 600 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
    expect(postgresRunningOn(root)).toBe(true);
    wrapper.kill("SIGKILL");
    // The supervisor sees its IPC channel close and stops postgres.
    for (let i = 0; i < 100 && postgresRunningOn(root); i++) await new Promise((r) => setTimeout(r, 100));
    expect(postgresRunningOn(root)).toBe(false);
    process.kill(Number(fs.readFileSync(marker, "utf8")), "SIGTERM"); // the command itself is the test's to clean up
  }, 120_000);

  it("reclaims the data folder from a postgres orphaned by a killed supervisor", async () => {
    const dataDir = path.join(dataRoot, "orphan");
    const supervisor = spawn(process.execPath, ["--import", "tsx", "scripts/embedded-postgres-server.ts", dataDir], {
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    const ready = await new Promise<{ ready: boolean }>((resolve) => supervisor.once("message", (m) => resolve(m as { ready: boolean })));
    expect(ready.ready).toBe(true);
    supervisor.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    expect(postgresRunningOn(dataDir)).toBe(true); // orphaned: nobody stopped it

    await withoutDatabaseUrl(async () => {
      const db = await openDatabase({ dataDir, log: () => {} });
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      expect((await c.query("SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);
      await c.end();
      await db.stop();
    });
    expect(postgresRunningOn(dataDir)).toBe(false);
  }, 120_000);
});
