import { beforeEach, describe, expect, it } from "vitest";
import { normalizeEvent, type RuleSet } from "@/lib/detection";
import { storePreparedBatch } from "@/lib/ingest/ingest-batch";
import { parseIngestBody } from "@/lib/ingest/parse-body";
import { prepareBatch } from "@/lib/ingest/prepare-batch";
import { readRetainedEvent } from "@/lib/ingest/retained-event";
import { findAlertPage } from "./alerts";
import { db } from "./client";
import { ingest, installTestRules, processStart } from "./test-setup/fixtures";
import { resetDatabase } from "./test-setup/reset";

let rules: RuleSet;
beforeEach(async () => {
  await resetDatabase();
  rules = await installTestRules();
});

async function counts() {
  const [events, alerts, hits] = await Promise.all([db().event.count(), db().alert.count(), db().alertRule.count()]);
  return { events, alerts, hits };
}

describe("commitIngestBatch", () => {
  it("stores every event and one alert per matching event, listing every rule that fired", async () => {
    const { stored } = await ingest(
      [processStart({ name: "cmd.exe", parent: "w3wp.exe" }), processStart({ name: "notepad.exe", parent: "explorer.exe" })],
      rules,
    );
    expect(stored).toMatchObject({ eventsStored: 2, alertsCreated: 1, ruleHitsStored: 2, suppressed: 0 });
    expect(Object.values(stored.hitsByRule).reduce((a, b) => a + b, 0)).toBe(2);
    const page = await findAlertPage({}, 10, null);
    expect(page.alerts).toHaveLength(1);
    const alert = page.alerts[0]!;
    expect(alert.severity).toBe("high");
    expect(alert.riskScore).toBe(73);
    expect(alert.rules.map((r) => r.id)).toEqual(["t-cmd", "t-w3wp"]); // highest risk first
    expect(alert.hostName).toBe("WEB01");
    expect(alert.processName).toBe("cmd.exe");
    expect(alert.parentName).toBe("w3wp.exe");
    expect(alert.processCommandLine).toBe("cmd.exe /c whoami");
    expect(alert.userName).toBe("iis apppool\\defaultapppool");
    expect(alert.status).toBe("open");
    expect((alert.event as { process: { name: string } }).process.name).toBe("cmd.exe");
    expect(alert.rules[0]!.matched).toEqual({ details: [{ condition: "process.name in (cmd.exe)", field: "process.name", value: "cmd.exe" }] });
  });

  it("retains each event as it arrived, with a process start's identifiers beside it", async () => {
    const start = processStart({ id: "orig-1", name: "notepad.exe", parent: "explorer.exe" });
    (start.process as Record<string, unknown>)["entity_id"] = "p-1";
    (start.process as Record<string, unknown>)["parent"] = { name: "explorer.exe", entity_id: "p-0", pid: 17 };
    const other = { "@timestamp": "2026-11-09T10:00:01.000Z", event: { id: "orig-2", category: ["network"], type: ["start"] }, host: { name: "WEB01" }, process: { entity_id: "p-1", pid: 4242 } };
    const { batch } = await ingest([start, other], rules);
    const rows = await db().$queryRaw<{ event_key: string; doc: unknown; ingested_at: Date; process_entity_id: string | null; process_pid: bigint | null; parent_entity_id: string | null; parent_pid: bigint | null }[]>`
      SELECT event_key, doc, ingested_at, process_entity_id, process_pid, parent_entity_id, parent_pid FROM events ORDER BY event_key`;
    expect(rows.map((r) => [r.event_key, r.process_entity_id, r.process_pid, r.parent_entity_id, r.parent_pid])).toEqual([
      ["id:orig-1", "p-1", 4242n, "p-0", 17n],
      ["id:orig-2", null, null, null, null], // not a process start
    ]);
    expect(rows[0]!.doc).toEqual(start); // the document as sent, not its normalized form
    expect(rows[1]!.doc).toEqual(other);
    expect(rows[0]!.ingested_at.toISOString()).toBe("2026-11-09T12:00:00.000Z"); // the batch's arrival time
    const atIngest = normalizeEvent(start, { receivedAt: new Date("2026-11-09T12:00:00Z") });
    expect(atIngest.ok && readRetainedEvent(rows[0]!.doc, rows[0]!.ingested_at)).toEqual(atIngest.ok && atIngest.event);
    expect(batch.events.map((e) => e.event)).toEqual([null, null]); // no rule matched: not kept after detection
  });

  it("retains hostile documents as they arrived: a 1 MB line, the deepest nesting, a 100k array, repaired text, odd numbers", async () => {
    const at = "2026-11-09T10:00:00.000Z";
    let nest: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 60; i++) nest = { next: nest };
    const lines = [
      JSON.stringify({ "@timestamp": at, event: { id: "h1", category: ["process"], type: ["start"] }, process: { command_line: `cmd.exe /c ${"A".repeat(1_000_000)}` } }),
      JSON.stringify({ "@timestamp": at, event: { id: "h2" }, process: { name: "x" }, nest }),
      JSON.stringify({ "@timestamp": at, event: { id: "h3" }, process: { name: "x" }, big: Array.from({ length: 100_000 }, (_, i) => i) }),
      `{"@timestamp":"${at}","event":{"id":"h4"},"process":{"name":"nul\\u0000 and lone \\ud800"},"k\\u0000ey":"v","emoji":"\u{1F600}"}`,
      `{"@timestamp":"${at}","event":{"id":"h5"},"process":{"name":"n","pid":1e400},"neg":-0,"tiny":5e-324}`,
    ];
    const parsed = parseIngestBody(new TextEncoder().encode(lines.join("\n")), "ndjson", { maxLineBytes: 2 * 1024 * 1024, maxDepth: 64 });
    expect(parsed.errors).toEqual([]);
    const batch = prepareBatch(parsed.records, rules, new Date("2026-11-09T12:00:00Z"));
    const stored = await storePreparedBatch(batch.events);
    expect(stored.eventsStored).toBe(5);
    const rows = await db().$queryRaw<{ event_key: string; doc: Record<string, unknown>; ingested_at: Date }[]>`
      SELECT event_key, doc, ingested_at FROM events ORDER BY event_key`;
    expect(rows.map((r) => r.event_key)).toEqual(["id:h1", "id:h2", "id:h3", "id:h4", "id:h5"]);
    // The original keeps what the normalized event cuts (the 1 MB command line), and reads back bounded.
    expect(JSON.stringify(rows[0]!.doc).length).toBeGreaterThan(1_000_000);
    expect(readRetainedEvent(rows[0]!.doc, rows[0]!.ingested_at)).toMatchObject({ vigil: { truncated: ["process.command_line"] } });
    expect((rows[2]!.doc["big"] as number[]).length).toBe(100_000);
    expect(rows[3]!.doc).toMatchObject({ process: { name: "nul\ufffd and lone \ufffd" }, "k\ufffdey": "v", emoji: "\u{1F600}" });
    expect(rows[4]!.doc).toMatchObject({ process: { pid: null } });
    for (const r of rows) expect(readRetainedEvent(r.doc, r.ingested_at)).not.toBeNull();
  });

  it("stores nothing twice when the same batch is sent again", async () => {
    const events = [processStart({ id: "a" }), processStart({ id: "b", name: "notepad.exe", parent: "explorer.exe" })];
    await ingest(events, rules);
    const again = await ingest(events, rules);
    expect(again.stored).toMatchObject({ eventsStored: 0, alertsCreated: 0, ruleHitsStored: 0, suppressed: 0 });
    expect(await counts()).toEqual({ events: 2, alerts: 1, hits: 2 });
  });

  it("stores an event without a time of its own once, however much later the shipper sends it again", async () => {
    // Its @timestamp is its arrival time, so the retry has another (ts, key) than the first send.
    const timeless = { EventID: 1, Computer: "WEB01", Image: "C:\\Windows\\System32\\cmd.exe", CommandLine: "cmd.exe /c whoami", ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe" };
    const first = await ingest([timeless, processStart({ id: "timed" })], rules, "2026-11-09T12:00:00Z");
    expect(first.batch.events[0]!.timedByArrival).toBe(true);
    expect(first.stored).toMatchObject({ eventsStored: 2, duplicates: 0 });
    const retry = await ingest([timeless, processStart({ id: "timed" })], rules, "2026-11-09T12:05:00Z");
    expect(retry.stored).toMatchObject({ eventsStored: 0, duplicates: 2, alertsCreated: 0, ruleHitsStored: 0 });
    const both = await Promise.all([ingest([timeless], rules, "2026-11-09T12:06:00Z"), ingest([timeless], rules, "2026-11-09T12:07:00Z")]);
    expect(both.map((r) => r.stored.eventsStored)).toEqual([0, 0]);
    expect(await counts()).toMatchObject({ events: 2, alerts: first.stored.alertsCreated });
  });

  it("creates one alert when two requests carry the same new event at the same time", async () => {
    const events = [processStart({ id: "race-1" }), processStart({ id: "race-2", name: "mimikatz.exe" })];
    const results = await Promise.all([ingest(events, rules), ingest(events, rules), ingest(events, rules)]);
    expect(results.reduce((n, r) => n + r.stored.alertsCreated, 0)).toBe(2);
    expect(results.reduce((n, r) => n + r.stored.eventsStored, 0)).toBe(2);
    expect(await counts()).toEqual({ events: 2, alerts: 2, hits: 4 });
  });

  it("treats the same event twice in one batch as one", async () => {
    const e = processStart({ id: "dup" });
    const { batch, stored } = await ingest([e, e], rules);
    expect(batch.accepted).toBe(2);
    expect(stored.eventsStored).toBe(1);
    expect(await counts()).toEqual({ events: 1, alerts: 1, hits: 2 });
  });

  it("adds a newly firing rule to the existing alert and raises its severity", async () => {
    const e = processStart({ id: "grow", name: "mimikatz.exe", parent: "services.exe" });
    const onlyCmd = await installTestRules([
      { path: "rules/cmd.equals.json", text: '{"equals_rule":1,"id":"t-cmd","name":"cmd.exe started","field":"process.name","values":["cmd.exe"]}' },
      { path: "rules/low.equals.json", text: '{"equals_rule":1,"id":"t-low","name":"any services child","field":"process.parent.name","values":["services.exe"],"severity":"low"}' },
    ]);
    await ingest([e], onlyCmd);
    let [alert] = (await findAlertPage({}, 10, null)).alerts;
    expect(alert!.severity).toBe("low");

    const withCrit = await installTestRules();
    const { stored } = await ingest([e], withCrit);
    expect(stored).toMatchObject({ eventsStored: 0, alertsCreated: 0, ruleHitsStored: 1, suppressed: 0 });
    [alert] = (await findAlertPage({}, 10, null)).alerts;
    expect(alert!.severity).toBe("critical");
    expect(alert!.riskScore).toBe(99);
    expect(alert!.rules.map((r) => r.id)).toEqual(["t-crit", "t-low"]);
  });

  it("keeps the alert's own copy of the event", async () => {
    await ingest([processStart({ id: "keep", cmd: "cmd.exe /c echo hi" })], rules);
    await db().event.deleteMany({});
    const [alert] = (await findAlertPage({}, 10, null)).alerts;
    expect((alert!.event as { process: { command_line: string } }).process.command_line).toBe("cmd.exe /c echo hi");
  });

  it("stores an alert whose host, user and parent names are longer than a b-tree index entry allows", async () => {
    // The normalizer keeps 512 characters of each name: 1,536 bytes of "€", so domain\name is 3,073.
    const long = "€".repeat(600);
    const event = processStart({ id: "long-names", parent: "w3wp.exe", host: long });
    (event.user as Record<string, unknown>) = { name: long, domain: long };
    const { stored } = await ingest([event], rules);
    expect(stored.alertsCreated).toBe(1);
    const [alert] = (await findAlertPage({}, 10, null)).alerts;
    expect(Buffer.byteLength(alert!.userName!, "utf8")).toBeLessThanOrEqual(1024);
    expect(alert!.hostName!.startsWith("€€€")).toBe(true);
    expect(alert!.parentName).toBe("w3wp.exe");
  });
});
