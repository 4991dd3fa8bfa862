import { describe, expect, it } from "vitest";
import { age, compareRows, mergeRows, queueRowFromJson, type QueueRow } from "./queue-row";

function row(id: string, timestamp: string, extra: Partial<QueueRow> = {}): QueueRow {
  return {
    id,
    timestamp,
    createdAt: timestamp,
    severity: "high",
    riskScore: 73,
    rules: ["r"],
    mitre: [],
    host: null,
    user: null,
    parent: null,
    process: null,
    commandLine: null,
    status: "open",
    disposition: null,
    assignee: null,
    checklist: { done: 0, total: 0 },
    ...extra,
  };
}

describe("mergeRows", () => {
  const shown = [row("c", "2026-11-10T10:03:00.000Z"), row("b", "2026-11-10T10:02:00.000Z"), row("a", "2026-11-10T10:01:00.000Z")];

  it("inserts new rows where they sort and keeps the rows already shown in place", () => {
    const { rows, added } = mergeRows(shown, [row("d", "2026-11-10T10:04:00.000Z"), row("bb", "2026-11-10T10:02:30.000Z"), ...shown]);
    expect(rows.map((r) => r.id)).toEqual(["d", "c", "bb", "b", "a"]);
    expect(added).toEqual(["d", "bb"]);
  });

  it("leaves rows older than the last one shown to the next page", () => {
    const { rows, added } = mergeRows(shown, [row("z", "2026-11-10T09:00:00.000Z")]);
    expect(rows.map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect(added).toEqual([]);
  });

  it("updates status, assignee and progress in place, and never drops a row that left the filter", () => {
    const { rows } = mergeRows(shown, [row("b", "2026-11-10T10:02:00.000Z", { status: "closed", assignee: "x@y", checklist: { done: 2, total: 5 } })]);
    expect(rows.map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect(rows[1]).toMatchObject({ status: "closed", assignee: "x@y", checklist: { done: 2, total: 5 } });
  });

  it("orders equal times by id, as the keyset does", () => {
    expect(compareRows(row("b", "2026-11-10T10:00:00.000Z"), row("a", "2026-11-10T10:00:00.000Z"))).toBeLessThan(0);
  });
});

describe("queueRowFromJson and age", () => {
  it("keeps the most specific ATT&CK entry of each mapping", () => {
    const r = queueRowFromJson({
      id: "1",
      "@timestamp": "2026-11-10T10:00:00.000Z",
      created_at: "2026-11-10T10:00:01.000Z",
      severity: "high",
      risk_score: 73,
      rules: [{ name: "A" }, { name: "B" }],
      mitre: [
        { tactic: { id: "TA0003", name: "Persistence" }, technique: { id: "T1505", name: "Server Software Component" }, subtechnique: { id: "T1505.003", name: "Web Shell" } },
        { tactic: { id: "TA0001", name: "Initial Access" }, technique: { id: "T1190", name: "Exploit Public-Facing Application" } },
        { tactic: { id: "TA0002", name: "Execution" } },
      ],
      host: { name: "WEB01" },
      user: { name: "u" },
      process: { name: "cmd.exe", command_line: "cmd /c x", parent: { name: "w3wp.exe" } },
      status: "open",
      disposition: null,
      assignee: { email: "a@b" },
      checklist: { done: 1, total: 4 },
    });
    expect(r.mitre.map((m) => m.id)).toEqual(["T1505.003", "T1190", "TA0002"]);
    expect(r).toMatchObject({ rules: ["A", "B"], parent: "w3wp.exe", assignee: "a@b", checklist: { done: 1, total: 4 } });
  });

  it("says how long ago compactly", () => {
    const now = Date.parse("2026-11-10T12:00:00Z");
    expect(["2026-11-10T11:59:30Z", "2026-11-10T11:48:00Z", "2026-11-10T09:00:00Z", "2026-11-05T12:00:00Z"].map((t) => age(t, now))).toEqual(["30s", "12m", "3h", "5d"]);
  });
});
