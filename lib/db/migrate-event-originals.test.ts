import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, withClient, type ScratchDatabase } from "@/bench/load/scratch-database";
import { normalizeEvent } from "@/lib/detection";
import { readRetainedEvent } from "@/lib/ingest/retained-event";
import { listMigrations, migrate, MIGRATIONS_DIR } from "./migrate";

// Events retained before 20261125090000_event_originals hold normalized documents (jsonb); the
// migration must make them read exactly as before, and find their process starts by column.
const MIGRATION = "20261125090000_event_originals";
let database: ScratchDatabase;
beforeAll(async () => {
  database = await createScratchDatabase(process.env.DATABASE_URL!, "vigil_migrate_originals");
});
afterAll(() => database.drop());

const arrived = new Date("2026-11-09T12:00:00.000Z");
function normalized(input: Record<string, unknown>) {
  const r = normalizeEvent(input, { receivedAt: arrived });
  if (!r.ok) throw new Error(r.error);
  return r.event;
}
const start = normalized({
  EventID: 1,
  Computer: "WEB01",
  UtcTime: "2026-11-09 10:15:02.123",
  Image: "C:\\Windows\\System32\\cmd.exe",
  ProcessGuid: "{AAAA-1}",
  ProcessId: 4242,
  ParentProcessGuid: "{BBBB-2}",
  ParentProcessId: 17,
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
});
const network = normalized({ EventID: 3, Computer: "WEB01", UtcTime: "2026-11-09 10:15:03.000", Image: "C:\\x.exe", ProcessGuid: "{CCCC-3}", ProcessId: 5 });

describe(`migration ${MIGRATION}`, () => {
  it("keeps normalized rows readable as they were and moves process starts' identifiers to columns", async () => {
    const before = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-mig-"));
    for (const m of listMigrations().filter((m) => m < MIGRATION)) fs.cpSync(path.join(MIGRATIONS_DIR, m), path.join(before, m), { recursive: true });
    await migrate(database.url, { dir: before });
    await withClient(database.url, (c) =>
      c.query(
        `INSERT INTO events (event_key, ts, ingested_at, format, host_name, doc) VALUES
          ('k-start', $1, $3, 'evtx_json', 'WEB01', $2::jsonb), ('k-net', $4, $3, 'evtx_json', 'WEB01', $5::jsonb)`,
        [start["@timestamp"], JSON.stringify(start), arrived.toISOString(), network["@timestamp"], JSON.stringify(network)],
      ),
    );

    await migrate(database.url);

    const rows = await withClient(database.url, (c) =>
      c.query(`SELECT event_key, process_entity_id, process_pid::int, parent_entity_id, parent_pid::int, ingested_at, doc, pg_typeof(doc)::text AS type FROM events ORDER BY event_key`),
    );
    expect(rows.rows.map((r) => [r.event_key, r.process_entity_id, r.process_pid, r.parent_entity_id, r.parent_pid, r.type])).toEqual([
      ["k-net", null, null, null, null, "json"],
      ["k-start", "aaaa-1", 4242, "bbbb-2", 17, "json"],
    ]);
    const byKey = new Map(rows.rows.map((r) => [r.event_key as string, r]));
    expect(readRetainedEvent(byKey.get("k-start")!.doc, byKey.get("k-start")!.ingested_at)).toEqual(start);
    expect(readRetainedEvent(byKey.get("k-net")!.doc, byKey.get("k-net")!.ingested_at)).toEqual(network);
  });
});
