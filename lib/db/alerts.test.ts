import { beforeEach, describe, expect, it } from "vitest";
import type { RuleSet } from "@/lib/detection";
import { addAlertNote, findAlert, findAlertActivity, findAlertPage, updateAlertStatus, type AlertCursor, type AlertRecord } from "./alerts";
import type { Actor } from "./audit";
import { db } from "./client";
import { ingest, installTestRules, processStart } from "./test-setup/fixtures";
import { resetDatabase } from "./test-setup/reset";

let rules: RuleSet;
const who = (actor: string): Actor => ({ actor, actorType: "user" });
beforeEach(async () => {
  await resetDatabase();
  rules = await installTestRules();
});

const minute = (m: number) => new Date(Date.UTC(2026, 10, 9, 10, m)).toISOString();

async function allPages(limit: number, filter = {}): Promise<AlertRecord[]> {
  const out: AlertRecord[] = [];
  let cursor: AlertCursor | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await findAlertPage(filter, limit, cursor);
    out.push(...page.alerts);
    if (!page.next) break;
    cursor = page.next;
  }
  return out;
}

describe("findAlertPage", () => {
  it("pages newest first through every alert exactly once, ties broken by id", async () => {
    // 25 alerts over 10 distinct times: many share a timestamp.
    await ingest(Array.from({ length: 25 }, (_, i) => processStart({ id: `p-${i}`, ts: minute(i % 10) })), rules);
    const seen = await allPages(7);
    expect(seen).toHaveLength(25);
    expect(new Set(seen.map((a) => a.id)).size).toBe(25);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      const ordered = a.timestamp > b.timestamp || (a.timestamp.getTime() === b.timestamp.getTime() && a.id > b.id);
      expect(ordered).toBe(true);
    }
  });

  it("is stable while new alerts arrive between pages", async () => {
    await ingest(Array.from({ length: 12 }, (_, i) => processStart({ id: `s-${i}`, ts: minute(i) })), rules);
    const first = await findAlertPage({}, 5, null);
    // Newer alerts and one older than everything arrive while the analyst reads page 1.
    await ingest([processStart({ id: "new-1", ts: minute(50) }), processStart({ id: "new-2", ts: minute(51) }), processStart({ id: "old", ts: minute(0) })], rules);
    const rest: AlertRecord[] = [];
    let cursor = first.next;
    while (cursor) {
      const page = await findAlertPage({}, 5, cursor);
      rest.push(...page.alerts);
      cursor = page.next;
    }
    const ids = [...first.alerts, ...rest].map((a) => a.eventKey);
    expect(ids.filter((k) => k.startsWith("id:s-"))).toEqual(Array.from({ length: 12 }, (_, i) => `id:s-${11 - i}`));
    expect(ids).not.toContain("id:new-1"); // newer than page 1: shown when the analyst goes back to the top
    expect(ids).toContain("id:old");
  });

  it("filters by status, severity, host, rule and time", async () => {
    await ingest(
      [
        processStart({ id: "f1", ts: minute(1), host: "WEB01" }),
        processStart({ id: "f2", ts: minute(2), host: "WEB02", name: "mimikatz.exe", parent: "explorer.exe" }),
        processStart({ id: "f3", ts: minute(3), host: "WEB02", name: "powershell.exe" }),
      ],
      rules,
    );
    const keys = async (filter: object) => (await findAlertPage(filter, 50, null)).alerts.map((a) => a.eventKey).sort();
    expect(await keys({ host: "WEB02" })).toEqual(["id:f2", "id:f3"]);
    expect(await keys({ severity: ["critical"] })).toEqual(["id:f2"]);
    expect(await keys({ severity: ["medium", "high"] })).toEqual(["id:f1", "id:f3"]);
    expect(await keys({ ruleIds: ["t-w3wp"] })).toEqual(["id:f1", "id:f3"]);
    expect(await keys({ ruleIds: ["t-crit", "t-cmd"] })).toEqual(["id:f1", "id:f2"]);
    expect(await keys({ since: new Date(minute(2)), until: new Date(minute(3)) })).toEqual(["id:f2"]);
    const f1 = (await findAlertPage({ host: "WEB01" }, 1, null)).alerts[0]!;
    await updateAlertStatus(f1.id, { status: "acknowledged" }, null, who("tester"));
    expect(await keys({ status: ["acknowledged"] })).toEqual(["id:f1"]);
    expect(await keys({ status: ["open", "escalated"] })).toEqual(["id:f2", "id:f3"]);
  });
});

describe("updateAlertStatus", () => {
  async function oneAlert(): Promise<AlertRecord> {
    await ingest([processStart({ id: "u1" })], rules);
    return (await findAlertPage({}, 1, null)).alerts[0]!;
  }

  it("moves the alert and records who did it, from what, to what, and the note", async () => {
    const alert = await oneAlert();
    const ack = await updateAlertStatus(alert.id, { status: "acknowledged" }, "looking", who("token:ops"));
    expect(ack).toMatchObject({ kind: "updated", from: "open" });
    const closed = await updateAlertStatus(alert.id, { status: "closed", disposition: "benign_positive" }, "deploy script", who("token:ops"));
    expect(closed.kind).toBe("updated");
    const now = await findAlert(alert.id);
    expect(now).toMatchObject({ status: "closed", disposition: "benign_positive" });
    const activity = await findAlertActivity(alert.id);
    expect(activity.map((a) => [a.actor, a.action, a.fromStatus, a.toStatus, a.disposition, a.note])).toEqual([
      ["token:ops", "status", "open", "acknowledged", null, "looking"],
      ["token:ops", "status", "acknowledged", "closed", "benign_positive", "deploy script"],
    ]);
  });

  it("refuses to acknowledge a closed alert, and reports the current status", async () => {
    const alert = await oneAlert();
    await updateAlertStatus(alert.id, { status: "closed", disposition: "false_positive" }, null, who("a"));
    expect(await updateAlertStatus(alert.id, { status: "acknowledged" }, null, who("a"))).toEqual({ kind: "conflict", current: "closed" });
    const reopened = await updateAlertStatus(alert.id, { status: "open" }, null, who("a"));
    expect(reopened.kind).toBe("updated");
    expect(await findAlert(alert.id)).toMatchObject({ status: "open", disposition: null });
  });

  it("treats setting the current status again as a no-op, recording only the note", async () => {
    const alert = await oneAlert();
    expect((await updateAlertStatus(alert.id, { status: "open" }, "still open", who("a"))).kind).toBe("unchanged");
    expect((await findAlertActivity(alert.id)).map((a) => [a.action, a.note])).toEqual([["note", "still open"]]);
  });

  it("lets exactly one of two racing analysts make the same change", async () => {
    const alert = await oneAlert();
    const results = await Promise.all([
      updateAlertStatus(alert.id, { status: "escalated" }, null, who("alice")),
      updateAlertStatus(alert.id, { status: "escalated" }, null, who("bob")),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(["unchanged", "updated"]);
    expect(await findAlertActivity(alert.id)).toHaveLength(1);
  });

  it("says not_found for an unknown alert", async () => {
    expect(await updateAlertStatus("00000000-0000-4000-8000-000000000000", { status: "open" }, null, who("a"))).toEqual({ kind: "not_found" });
  });

  it("writes the audit trail in the same statement, with before and after, and the trail cannot be edited", async () => {
    const alert = await oneAlert();
    await updateAlertStatus(alert.id, { status: "closed", disposition: "benign_positive" }, "known job", { actor: "ana@example.org", actorType: "user", ip: "10.0.0.7", userAgent: "test" });
    await addAlertNote(alert.id, "checked with ops", { actor: "ana@example.org", actorType: "user" });
    const trail = await db().auditEvent.findMany({ where: { objectId: alert.id }, orderBy: { id: "asc" } });
    expect(trail.map((a) => [a.actor, a.action, a.before, a.after, a.ip])).toEqual([
      ["ana@example.org", "alert.status", { status: "open", disposition: null }, { status: "closed", disposition: "benign_positive", note: "known job" }, "10.0.0.7"],
      ["ana@example.org", "alert.note", null, { note: "checked with ops" }, null],
    ]);
    await expect(db().auditEvent.updateMany({ where: { objectId: alert.id }, data: { actor: "someone else" } })).rejects.toThrow(/append-only/);
    await expect(db().auditEvent.deleteMany({ where: { objectId: alert.id } })).rejects.toThrow(/append-only/);
  });
});
