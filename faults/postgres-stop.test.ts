/**
 * Issue 9, fault test: PostgreSQL stops during ingest. While it is down the API answers 503 with
 * a JSON error and Retry-After, promptly (not 500, not a hang), and /api/v1/health says 503;
 * when it is back, ingest answers 200 again without a restart of Vigil, and with the shipper's
 * re-sends every event is stored exactly once.
 *
 * The server under test has a PostgreSQL of its own (own-postgres.ts), stopped with a fast
 * shutdown (open sessions terminated) and started again on the same port.
 */
import { afterEach, describe, expect, test } from "vitest";
import { createEventStream } from "../bench/load/event-stream";
import { batchList, batchRange, runLoad, type RequestResult } from "../bench/load/run-load";
import type { RunningServer } from "../bench/load/start-server";
import { describeDiff, diffKeys, eventKeys, EXACTLY_ONCE, INGEST_TOKEN, keyCounts, startVigil } from "./harness";
import { startOwnPostgres, type OwnPostgres } from "./own-postgres";

const BATCH = 200;
/** An answer while the database is down must come within this (no hang). */
const ANSWER_WITHIN_MS = 10_000;
/** Ingest must answer 200 again within this after PostgreSQL accepts connections. */
const RECOVER_WITHIN_MS = 15_000;
const DOWN_MS = 5_000;

let server: RunningServer | undefined;
let postgres: OwnPostgres | undefined;

afterEach(async () => {
  await server?.stop();
  await postgres?.close();
  server = postgres = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function health(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS * 2) });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

describe("PostgreSQL stops during ingest", () => {
  test("ingest answers 503 promptly while it is down and 200 again once it is back; nothing is lost or doubled", async () => {
    postgres = await startOwnPostgres();
    server = await startVigil(postgres.url);
    const stream = createEventStream({ batchSize: BATCH, runId: 13 });

    // Timeline, in ms since the load started.
    const t0 = performance.now();
    const at = () => performance.now() - t0;
    let stoppedAt = Number.POSITIVE_INFINITY;
    let downUntil = Number.POSITIVE_INFINITY;
    let upAt = Number.POSITIVE_INFINITY;
    let recoveredAt = Number.POSITIVE_INFINITY;

    const loading = runLoad({
      url: server.url,
      token: INGEST_TOKEN,
      stream,
      batches: batchRange(0),
      // Four clients: more transactions in flight at the moment PostgreSQL goes away.
      clients: 4,
      // Like a shipper, send a refused batch again (sooner than Retry-After, to see the recovery).
      retry: { statuses: [503], deadlineMs: 120_000, waitMs: 100 },
      requestTimeoutMs: ANSWER_WITHIN_MS * 3,
      shouldStop: () => recoveredAt < Number.POSITIVE_INFINITY || at() > 120_000,
      onResult: (r) => {
        // runLoad's clock started a moment after ours; close enough at this scale.
        if (r.status === 200 && r.startMs > upAt) recoveredAt = Math.min(recoveredAt, at());
      },
    });
    await sleep(1_500);
    await postgres.stop();
    stoppedAt = at();
    await sleep(DOWN_MS);
    const healthDown = await health(server.url);
    downUntil = at();
    await postgres.start();
    upAt = at();
    while (recoveredAt === Number.POSITIVE_INFINITY && at() - upAt < RECOVER_WITHIN_MS * 2) await sleep(100);
    const load = await loading;
    const healthUp = await health(server.url);

    const during = (r: RequestResult) => r.startMs > stoppedAt && r.startMs + r.ms < downUntil;
    const down = load.results.filter(during);
    const summary = `statuses ${JSON.stringify(load.statuses)}; PostgreSQL down ${Math.round(stoppedAt)}–${Math.round(upAt)} ms; ${down.length} requests while down; recovered ${Math.round(recoveredAt - upAt)} ms after it was back`;
    console.log(`postgres-stop: ${summary}`);

    expect(server.alive()).toBe(true);
    // Never a 500 or another 5xx than 503, never a hang (no answer) or a dropped connection.
    const failures = load.results.filter((r) => r.status !== 200 && r.status !== 503).map((r) => `${r.status} ${r.error} at ${Math.round(r.startMs)} ms`);
    expect(failures, `${summary}; the server's errors:\n${server.errorLines().filter((l) => !l.includes('"msg":"ingest"')).slice(0, 3).join("\n")}`).toEqual([]);
    // While it was down: only 503s. Every 503 (also of requests in flight when it went away) is
    // a JSON error with Retry-After, answered promptly.
    expect(down.length, summary).toBeGreaterThanOrEqual(3);
    expect(down.filter((r) => r.status !== 503).map((r) => `${r.status} at ${Math.round(r.startMs)} ms`), summary).toEqual([]);
    for (const r of load.results.filter((x) => x.status === 503)) {
      expect(r.code).toBe("service_unavailable");
      expect(r.contentType).toContain("application/json");
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    expect(healthDown.status).toBe(503);
    expect(healthDown.ms).toBeLessThan(ANSWER_WITHIN_MS);
    // Back: 200s again, without restarting Vigil.
    expect(recoveredAt - upAt, summary).toBeLessThan(RECOVER_WITHIN_MS);
    expect(healthUp.status).toBe(200);

    // The shipper re-sends what was still refused when the load stopped; then every event is
    // stored exactly once.
    const sent = [...new Set(load.results.map((r) => r.batch))];
    const resend = await runLoad({
      url: server.url,
      token: INGEST_TOKEN,
      stream,
      batches: batchList(load.unanswered),
      clients: 2,
      retry: { statuses: [503], deadlineMs: 30_000 },
    });
    expect(resend.unanswered, `re-send statuses ${JSON.stringify(resend.statuses)}`).toEqual([]);
    expect(describeDiff(diffKeys(await keyCounts(postgres.url, "events"), eventKeys(stream, sent).keys())), "events").toBe(EXACTLY_ONCE);
    expect(describeDiff(diffKeys(await keyCounts(postgres.url, "alerts"), [], eventKeys(stream, sent))), "alerts").toBe(EXACTLY_ONCE);
  });
});
