/**
 * Issue 9, load test: at twice the sustainable rate, ingest sheds load with 429 + Retry-After,
 * never a 5xx, the process stays up and its memory bounded; afterwards the shipper's retries
 * drain, and every event answered 200 is stored exactly once.
 *
 * The sustainable rate is set, not guessed: VIGIL_INGEST_EVENTS_PER_SECOND=RATE for the token and
 * VIGIL_INGEST_MAX_CONCURRENT=2, far below what the server manages on a CI machine, so the load
 * is 2.5 × RATE whatever the machine, paced (open loop, like shippers that do not wait), on
 * loopback, for a fixed time.
 */
import { afterEach, describe, expect, test } from "vitest";
import { createEventStream } from "../bench/load/event-stream";
import { batchList, batchRange, runLoad } from "../bench/load/run-load";
import { sampleRss } from "../bench/load/sample-rss";
import type { ScratchDatabase } from "../bench/load/scratch-database";
import type { RunningServer } from "../bench/load/start-server";
import { describeDiff, diffKeys, eventKeys, EXACTLY_ONCE, ingestInFlight, INGEST_TOKEN, keyCounts, scratchDatabase, startVigil, statelessAlertKeys } from "./harness";

const RATE = 1000; // events/s the token may send: the sustainable rate
const BATCH = 200;
const OVERLOAD = 2.5; // × RATE
const SECONDS = 10;
/** RSS the server may reach under this load (it starts near 300 MB; each request holds ≤ 10 MiB). */
const RSS_LIMIT_MB = 1024;

let server: RunningServer | undefined;
let database: ScratchDatabase | undefined;

afterEach(async () => {
  await server?.stop();
  await database?.drop();
  server = database = undefined;
});

describe("ingest at twice the sustainable rate", () => {
  test("answers 429 with Retry-After, never 5xx, stays up and bounded; the retries drain and every 200-answered event is stored once", async () => {
    database = await scratchDatabase("overload");
    server = await startVigil(database.url, { VIGIL_INGEST_EVENTS_PER_SECOND: String(RATE), VIGIL_INGEST_MAX_CONCURRENT: "2" });
    const stream = createEventStream({ batchSize: BATCH, runId: 11 });
    const rssStart = server.rssMb()!;
    const rss = sampleRss(() => server!.rssMb(), 250);

    const overload = await runLoad({
      url: server.url,
      token: INGEST_TOKEN,
      stream,
      batches: batchRange(0),
      clients: 8,
      batchesPerSecond: (OVERLOAD * RATE) / BATCH,
      durationMs: SECONDS * 1000,
      requestTimeoutMs: 15_000,
    });
    const samples = rss.stop();
    const rssMax = Math.max(...samples.map((s) => s.mb));
    const sent = overload.results.map((r) => r.batch);
    const summary = `statuses ${JSON.stringify(overload.statuses)}, offered ${Math.round(overload.offeredEps)} events/s, accepted ${Math.round(overload.eps)} events/s, RSS ${Math.round(rssStart)} → max ${Math.round(rssMax)} MB`;
    console.log(`overload: ${summary}`);

    // The load really was twice the sustainable rate, and it was shed, not queued or failed.
    expect(overload.offeredEps, summary).toBeGreaterThanOrEqual(2 * RATE);
    const rejected = overload.results.filter((r) => r.status === 429);
    expect(rejected.length, summary).toBeGreaterThan(0);
    expect(overload.results.filter((r) => r.status !== 200 && r.status !== 429), summary).toEqual([]);
    for (const r of rejected) {
      expect(r.code).toBe("rate_limit_exceeded");
      expect(Number(r.retryAfter), `Retry-After of a 429: ${r.retryAfter}`).toBeGreaterThanOrEqual(1);
    }
    expect(server.alive()).toBe(true);
    expect(rssMax, summary).toBeLessThan(RSS_LIMIT_MB);

    // A shipper retries what was refused, after Retry-After, until everything is in.
    const drain = await runLoad({
      url: server.url,
      token: INGEST_TOKEN,
      stream,
      batches: batchList(overload.unanswered),
      clients: 2,
      retry: { statuses: [429], deadlineMs: 90_000 },
      requestTimeoutMs: 15_000,
    });
    expect(drain.unanswered, `batches never accepted; drain statuses ${JSON.stringify(drain.statuses)}`).toEqual([]);
    expect(Object.keys(drain.statuses).filter((s) => s !== "200" && s !== "429")).toEqual([]);
    expect(await ingestInFlight(server)).toBe(0);
    expect(server.alive()).toBe(true);

    // Every event of every batch is stored exactly once, and nothing else is.
    const expected = eventKeys(stream, sent);
    expect(expected.size).toBe(sent.length * BATCH);
    expect(describeDiff(diffKeys(await keyCounts(database.url, "events"), expected.keys())), "events").toBe(EXACTLY_ONCE);
    // Alerts: one per event a stateless rule matches; stateful rules may add some for sent events.
    expect(describeDiff(diffKeys(await keyCounts(database.url, "alerts"), statelessAlertKeys(stream, sent), expected)), "alerts").toBe(EXACTLY_ONCE);
    expect(server.errorLines()).toEqual([]);
  });
});
