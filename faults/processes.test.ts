/**
 * VIGIL_PROCESSES (scripts/serve.ts): several server processes share the port. Ingest through
 * them stores every event exactly once, and a process that dies is replaced while the others
 * keep answering.
 */
import { execFileSync } from "node:child_process";
import { afterEach, expect, test } from "vitest";
import { createEventStream } from "../bench/load/event-stream";
import { batchRange, runLoad } from "../bench/load/run-load";
import type { ScratchDatabase } from "../bench/load/scratch-database";
import type { RunningServer } from "../bench/load/start-server";
import { eventKeys, INGEST_TOKEN, keyCounts, scratchDatabase, startVigil } from "./harness";

let server: RunningServer | undefined;
let database: ScratchDatabase | undefined;

afterEach(async () => {
  await server?.stop();
  await database?.drop();
  server = undefined;
  database = undefined;
});

/**
 * The server processes the supervisor (the process started) runs: its children running
 * serve.ts, not others it may have (tsx's esbuild service is one, now and then).
 */
function children(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid), "-f", "serve\\.ts"], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** Every child of `pid` with its command line, and the server's last output: for a failure's message. */
function diagnosis(pid: number): string {
  let all = "";
  try {
    all = execFileSync("pgrep", ["-P", String(pid), "-a"], { encoding: "utf8" });
  } catch {
    all = "(no children)";
  }
  return `children of ${pid}:\n${all}\nserver output:\n${server?.output().split("\n").slice(-40).join("\n") ?? ""}`;
}

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${server ? diagnosis(server.pid) : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("two server processes share the port, store every event once, and a killed one is replaced", async () => {
  database = await scratchDatabase("processes");
  server = await startVigil(database.url, {}, 2);
  const supervisor = server.pid;
  await until("two server processes", () => children(supervisor).length === 2);

  const stream = createEventStream({ batchSize: 200, runId: 7 });
  const first = await runLoad({ url: server.url, token: INGEST_TOKEN, stream, batches: batchRange(0, 20), clients: 4 });
  expect(first.statuses).toEqual({ 200: 20 });

  // One process dies hard; the other answers meanwhile (a request caught on the dead one's
  // connection is re-sent, as a shipper would), and the supervisor starts a new one.
  const [victim] = children(supervisor);
  process.kill(victim!, "SIGKILL");
  const during = await runLoad({ url: server.url, token: INGEST_TOKEN, stream, batches: batchRange(20, 10), clients: 2, retry: { statuses: [0], deadlineMs: Date.now() + 15_000 } });
  expect(during.unanswered).toEqual([]);
  expect(during.answered.size).toBe(10);
  // Only a request on the dead process's connection may have gone unanswered; never a 5xx.
  expect(Object.keys(during.statuses).filter((s) => s !== "200" && s !== "0")).toEqual([]);
  await until("a replacement process", () => children(supervisor).length === 2 && !children(supervisor).includes(victim!));
  const after = await runLoad({ url: server.url, token: INGEST_TOKEN, stream, batches: batchRange(30, 10), clients: 4 });
  expect(after.statuses).toEqual({ 200: 10 });

  const expected = eventKeys(stream, Array.from({ length: 40 }, (_, i) => i));
  const stored = await keyCounts(database.url, "events");
  expect(stored.size).toBe(expected.size);
  for (const [key] of expected) expect(stored.get(key), key).toBe(1);
});
