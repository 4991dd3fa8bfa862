/**
 * Serves the production build (.next) on PORT (default 3000) and HOST (default: every
 * interface): one Next.js server, or with VIGIL_PROCESSES=N (or `auto`, one per core) N of them
 * sharing the port through node:cluster, the kernel handing each connection to one of them.
 *
 * Every process is a node in its own right: the state that matters lives in PostgreSQL and each
 * process refreshes its rules, exceptions and settings from there, as separate hosts would.
 * What stays per process is what the README already calls per process: the in-flight ingest
 * limit, the per-token rate limit and the Prometheus counters.
 *
 * The primary starts the first server alone (it migrates and creates the bootstrap accounts),
 * then the others; a server that dies is replaced after a pause. SIGTERM / SIGINT reach every
 * server, and the primary exits once they have.
 */
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";

// As `next start` does: the build is a production build.
(process.env as Record<string, string>).NODE_ENV = "production";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST || undefined;

function processCount(): number {
  const raw = (process.env.VIGIL_PROCESSES ?? "1").trim();
  if (raw === "auto") return Math.max(1, os.availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    console.error(`[vigil] VIGIL_PROCESSES must be a whole number from 1 to 64, or "auto" (got "${raw}")`);
    process.exit(2);
  }
  return n;
}

async function serve(): Promise<void> {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => void handle(req, res));
  // As `next start`: keep shippers' connections open between batches.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  if (!cluster.isWorker) console.error(`[vigil] serving on http://${hostname ?? "localhost"}:${port}`);
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

function supervise(count: number): void {
  let stopping = false;
  const fork = () => cluster.fork();
  const first = fork();
  first.once("listening", () => {
    for (let i = 1; i < count; i++) fork();
    console.error(`[vigil] serving on http://${hostname ?? "localhost"}:${port} with ${count} processes`);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(JSON.stringify({ level: "error", msg: "server process exited; starting another", pid: worker.process.pid, code, signal }));
    setTimeout(fork, 1_000).unref();
  });
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.once("SIGTERM", () => stopAll("SIGTERM"));
  process.once("SIGINT", () => stopAll("SIGINT"));
}

const count = processCount();
if (cluster.isPrimary && count > 1) supervise(count);
else await serve();
