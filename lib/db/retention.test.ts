import { beforeAll, describe, expect, it } from "vitest";
import { db } from "./client";
import { deleteExpiredEvents } from "./retention";
import { resetDatabase } from "./test-setup/reset";

/** Event retention on PostgreSQL: old events go in batches, recent ones and alerts stay. */
describe("deleteExpiredEvents", () => {
  beforeAll(async () => {
    await resetDatabase();
    const now = Date.parse("2026-11-20T00:00:00Z");
    const rows = Array.from({ length: 25 }, (_, i) => ({
      eventKey: `ret-${i}`,
      timestamp: new Date(now - i * 86_400_000 * 0.5), // every 12 hours, back 12 days
      format: "ecs",
      hostName: "h",
      doc: {},
    }));
    await db().event.createMany({ data: rows });
    await db().alert.create({ data: { eventKey: "ret-24", timestamp: rows[24]!.timestamp, severity: "high", riskScore: 73, event: {} } });
  });

  it("deletes events older than the window in small batches, and keeps alerts", async () => {
    const deleted = await deleteExpiredEvents(7, new Date("2026-11-20T00:00:00Z"), 4);
    // Older than 7 days: i * 0.5 > 7, i.e. i = 15 … 24.
    expect(deleted).toBe(10);
    const left = await db().event.findMany({ select: { eventKey: true } });
    expect(left.map((e) => e.eventKey).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `ret-${i}`).sort());
    expect(await db().alert.count({ where: { eventKey: "ret-24" } })).toBe(1);
    expect(await deleteExpiredEvents(7, new Date("2026-11-20T00:00:00Z"), 4)).toBe(0);
  });
});
