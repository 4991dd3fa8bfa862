import { beforeEach, describe, expect, it } from "vitest";
import { decideAlerts } from "@/lib/ingest/ingest-batch";
import { prepareBatch } from "@/lib/ingest/prepare-batch";
import type { RuleSet } from "@/lib/detection";
import { db } from "./client";
import { commitIngestBatch } from "./ingest";
import { DAY_MS, dayOf, dropExpiredEvents, ensureEventPartitions, forgetKnownPartitions, partitionName } from "./partitions";
import { pool } from "./pool";
import { installTestRules, processStart } from "./test-setup/fixtures";
import { resetDatabase } from "./test-setup/reset";

const NOW = Date.parse("2026-11-20T09:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

async function partitions(): Promise<string[]> {
  const { rows } = await pool().query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function dropDayPartitions(): Promise<void> {
  for (const name of await partitions()) if (name !== "events_default") await pool().query(`DROP TABLE "${name}"`);
  forgetKnownPartitions();
}

/** Where each stored event lives: partition name by event key. */
async function placement(): Promise<Record<string, string>> {
  const { rows } = await pool().query<{ key: string; part: string }>(`SELECT event_key AS key, tableoid::regclass::text AS part FROM events`);
  return Object.fromEntries(rows.map((r) => [r.key.replace(/^id:/, ""), r.part]));
}

let rules: RuleSet;
beforeEach(async () => {
  await resetDatabase();
  await dropDayPartitions();
  rules = await installTestRules();
});

async function store(events: ReturnType<typeof processStart>[], retention: { all: boolean; days: number }) {
  const batch = prepareBatch(
    events.map((value, i) => ({ line: i + 1, value })),
    rules,
    new Date(NOW),
  );
  return commitIngestBatch(batch.events, (newKeys, s) => decideAlerts(batch.events, newKeys, s), retention, NOW);
}

describe("event day partitions", () => {
  it("names a partition by its UTC day", () => {
    expect(partitionName(dayOf(Date.parse("2026-11-20T23:59:59.999Z")))).toBe("events_p20261120");
    expect(partitionName(dayOf(Date.parse("2026-11-21T00:00:00Z")))).toBe("events_p20261121");
  });

  it("stores events of the window in their day's partition and the rest in events_default", async () => {
    const events = [
      processStart({ id: "today", ts: iso(NOW), name: "notepad.exe", parent: "explorer.exe" }),
      processStart({ id: "three-days-ago", ts: iso(NOW - 3 * DAY_MS), name: "notepad.exe", parent: "explorer.exe" }),
      processStart({ id: "next-month", ts: iso(NOW + 30 * DAY_MS), name: "notepad.exe", parent: "explorer.exe" }),
      processStart({ id: "last-month", ts: iso(NOW - 30 * DAY_MS), name: "notepad.exe", parent: "explorer.exe" }),
    ];
    const stored = await store(events, { all: true, days: 7 });
    expect(stored).toMatchObject({ eventsStored: 4, duplicates: 0 });
    expect(await placement()).toEqual({
      "today": "events_p20261120",
      "three-days-ago": "events_p20261117",
      "next-month": "events_default",
      "last-month": "events_default",
    });
    // A re-send stores nothing and says so.
    expect(await store(events, { all: true, days: 7 })).toMatchObject({ eventsStored: 0, duplicates: 4 });
    expect(await db().event.count()).toBe(4);
  });

  it("moves a day's rows out of events_default when its partition is created", async () => {
    await store([processStart({ id: "early", ts: "2026-12-24T10:00:00Z", name: "notepad.exe", parent: "explorer.exe" })], { all: true, days: 7 });
    expect(await placement()).toEqual({ early: "events_default" });
    await ensureEventPartitions([dayOf(Date.parse("2026-12-24T00:00:00Z"))]);
    expect(await placement()).toEqual({ early: "events_p20261224" });
    // Creating it again (another node, a stale cache) is harmless.
    forgetKnownPartitions();
    await ensureEventPartitions([dayOf(Date.parse("2026-12-24T00:00:00Z"))]);
    expect(await db().event.count()).toBe(1);
  });

  it("with retention off keeps only the events a rule matched, and stays idempotent", async () => {
    const events = [
      processStart({ id: "shell", ts: iso(NOW), name: "cmd.exe", parent: "w3wp.exe" }),
      processStart({ id: "quiet", ts: iso(NOW), name: "notepad.exe", parent: "explorer.exe" }),
    ];
    const first = await store(events, { all: false, days: 7 });
    expect(first).toMatchObject({ eventsStored: 1, duplicates: 0, alertsCreated: 1 });
    expect(Object.keys(await placement())).toEqual(["shell"]);
    const again = await store(events, { all: false, days: 7 });
    expect(again).toMatchObject({ eventsStored: 0, duplicates: 1, alertsCreated: 0, ruleHitsStored: 0 });
    expect(await db().alert.count()).toBe(1);
  });

  it("drops whole day partitions past retention, old default rows too, and keeps alerts", async () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      processStart({ id: `d${i}`, ts: iso(NOW - i * DAY_MS), name: i === 10 ? "cmd.exe" : "notepad.exe", parent: i === 10 ? "w3wp.exe" : "explorer.exe" }),
    );
    await store(events, { all: true, days: 7 });
    expect(await db().alert.count()).toBe(1);
    const dropped = await dropExpiredEvents(7, new Date(NOW));
    // The cutoff is 2026-11-13T09:00: days up to 11-12 have ended before it (d8 … d11, in
    // events_default or their own partition); 11-13 (d7) straddles it and stays until tomorrow.
    expect(dropped.partitions + dropped.rows).toBe(4);
    const left = Object.keys(await placement()).sort();
    expect(left).toEqual(["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"]);
    expect(await db().alert.count()).toBe(1);
    // Today and tomorrow exist ahead of the first batch of the day.
    expect(await partitions()).toEqual(expect.arrayContaining(["events_p20261120", "events_p20261121"]));
    expect(await partitions()).not.toContain("events_p20261112");
    expect(await dropExpiredEvents(7, new Date(NOW))).toEqual({ partitions: 0, rows: 0, arrivalKeys: 0 });
  });
});

describe("arrival-timed events", () => {
  it("keeps their keys as long as their events, and lets both go together", async () => {
    const timeless = { EventID: 1, Computer: "WEB01", Image: "C:\\Windows\\System32\\notepad.exe", CommandLine: "notepad" };
    const batch = prepareBatch([{ line: 1, value: timeless }], rules, new Date(NOW - 9 * DAY_MS));
    await commitIngestBatch(batch.events, (newKeys, st) => decideAlerts(batch.events, newKeys, st), { all: true, days: 7 }, NOW);
    expect(await db().arrivalEventKey.count()).toBe(1);
    expect(await dropExpiredEvents(7, new Date(NOW))).toMatchObject({ arrivalKeys: 1 });
    expect(await db().arrivalEventKey.count()).toBe(0);
    expect(await db().event.count()).toBe(0);
  });
});

describe("event partition storage", () => {
  it("keeps documents up to a page inline: every partition, the default one too, has toast_tuple_target 8160", async () => {
    await ensureEventPartitions([dayOf(NOW)]);
    const { rows } = await pool().query<{ name: string; options: string[] | null }>(
      `SELECT c.relname AS name, c.reloptions AS options FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["events_default", "events_p20261120"]));
    for (const r of rows) expect(r.options, r.name).toContain("toast_tuple_target=8160");
  });
});
