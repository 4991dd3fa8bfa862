/**
 * Issue 9, fault test: SIGKILL the server in the middle of a load (no graceful shutdown, batches
 * half-stored), restart it on the same database, and let the shipper re-send what was not
 * answered 200. Every event answered 200 must already be there after the restart (answered means
 * committed), every event ends up stored exactly once, and no alert is doubled or lost: re-sending
 * a batch that was answered (a shipper whose answer timed out) stores nothing and alerts nothing.
 * With retention on and off.
 */
import { afterEach, describe, expect, test } from "vitest";
import { createEventStream } from "../bench/load/event-stream";
import { batchList, batchRange, runLoad } from "../bench/load/run-load";
import type { ScratchDatabase } from "../bench/load/scratch-database";
import type { RunningServer } from "../bench/load/start-server";
import { describeDiff, diffKeys, eventKeys, EXACTLY_ONCE, INGEST_TOKEN, keyCounts, scratchDatabase, startVigil, statelessAlertKeys } from "./harness";

const BATCH = 500;
const BATCHES = 60;
/** Kill once this many batches were answered 200, with every client's next request in flight. */
const KILL_AFTER = 12;

let servers: RunningServer[] = [];
let database: ScratchDatabase | undefined;

afterEach(async () => {
  for (const s of servers) await s.stop();
  await database?.drop();
  servers = [];
  database = undefined;
});

// Retention off (VIGIL_EVENT_RETENTION_DAYS=0) keeps no unmatched event, so alerts must stay
// idempotent on their own.
describe.each([
  { retention: "on", days: "7" },
  { retention: "off", days: "0" },
])("SIGKILL during ingest, retention $retention", ({ retention, days }) => {
  test("every 200-answered event survives, re-sends complete the rest exactly once, alerts are neither doubled nor lost", async () => {
    database = await scratchDatabase(`sigkill_${retention}`);
    const env = { VIGIL_EVENT_RETENTION_DAYS: days };
    const first = await startVigil(database.url, env);
    servers.push(first);
    const stream = createEventStream({ batchSize: BATCH, runId: 12 });
    const all = Array.from({ length: BATCHES }, (_, i) => i);

    let killing: Promise<void> | undefined;
    let answered200 = 0;
    const load = await runLoad({
      url: first.url,
      token: INGEST_TOKEN,
      stream,
      batches: batchRange(0, BATCHES),
      clients: 4,
      requestTimeoutMs: 30_000,
      shouldStop: () => killing !== undefined,
      onResult: (r) => {
        if (r.status === 200) answered200++;
        if (!killing && answered200 >= KILL_AFTER) killing = first.kill();
      },
    });
    await killing;
    const answered = [...load.answered.keys()];
    const summary = `statuses before the kill ${JSON.stringify(load.statuses)}; ${answered.length} batches answered 200`;
    console.log(`sigkill, retention ${retention}: ${summary}`);
    expect(first.alive()).toBe(false);
    expect(answered.length, summary).toBeGreaterThanOrEqual(KILL_AFTER);
    // The kill hit requests in flight (no answer), not an idle server.
    expect(load.statuses["0"] ?? 0, summary).toBeGreaterThan(0);
    expect(Object.keys(load.statuses).filter((s) => s !== "200" && s !== "0"), summary).toEqual([]);

    const second = await startVigil(database.url, env);
    servers.push(second);
    // Answered means committed: every answered event (retention on) and every alert of an
    // answered batch is there once, before any re-send. Rows of unanswered batches may be there
    // (committed, answer lost) or not (rolled back), once.
    const everyKey = eventKeys(stream, all);
    const answeredEvents = retention === "on" ? eventKeys(stream, answered).keys() : [];
    expect(describeDiff(diffKeys(await keyCounts(database.url, "events"), answeredEvents, everyKey)), "events after the restart").toBe(EXACTLY_ONCE);
    expect(describeDiff(diffKeys(await keyCounts(database.url, "alerts"), statelessAlertKeys(stream, answered), everyKey)), "alerts after the restart").toBe(EXACTLY_ONCE);

    // The shipper re-sends everything not answered 200.
    const resend = await runLoad({
      url: second.url,
      token: INGEST_TOKEN,
      stream,
      batches: batchList(all.filter((b) => !load.answered.has(b))),
      clients: 4,
      retry: { statuses: [0, 429, 503], deadlineMs: 60_000 },
      requestTimeoutMs: 30_000,
    });
    expect(resend.unanswered, `re-send statuses ${JSON.stringify(resend.statuses)}`).toEqual([]);
    const alertsBefore = await keyCounts(database.url, "alerts");

    // A re-send of answered batches (the answer had timed out) stores and alerts nothing.
    const replay = await runLoad({ url: second.url, token: INGEST_TOKEN, stream, batches: batchList(answered.slice(0, 4)), clients: 2 });
    expect(replay.unanswered).toEqual([]);
    for (const answer of replay.answered.values()) expect(answer).toMatchObject({ accepted: BATCH, alerts: 0, ...(retention === "on" && { duplicates: BATCH }) });

    const finalEvents = retention === "on" ? everyKey.keys() : [];
    expect(describeDiff(diffKeys(await keyCounts(database.url, "events"), finalEvents, everyKey)), "events at the end").toBe(EXACTLY_ONCE);
    const alerts = await keyCounts(database.url, "alerts");
    expect(alerts).toEqual(alertsBefore);
    expect(describeDiff(diffKeys(alerts, statelessAlertKeys(stream, all), everyKey)), "alerts at the end").toBe(EXACTLY_ONCE);
    expect(second.errorLines()).toEqual([]);
  });
});
