import { beforeAll, describe, expect, it } from "vitest";
import type { Disposition } from "@/lib/alerts/status";
import { equalsRule } from "@/lib/detection/testing";
import { SYSTEM_ACTOR } from "./audit";
import { updateAlertStatus } from "./alerts";
import { db } from "./client";
import { findBaselineSummary, findRuleStats, findTopBaselineValues } from "./rule-stats";
import { ingest, installTestRules, processStart, TEST_RULE_FILES } from "./test-setup/fixtures";
import { resetDatabase } from "./test-setup/reset";

/**
 * The rules page's figures on PostgreSQL: last fired (detection time), alerts of the last 7 days
 * and dispositions of the last 30 days (event time), through the real ingest and triage paths.
 */
const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString();

const NOVELTY_RULE = {
  path: "rules/new-value.equals.json",
  text: equalsRule({ id: "t-nv", name: "new process from nginx", field: "process.parent.name", values: ["nginx"], novelty: { fields: ["process.name"], groupBy: ["host.name"], windowDays: 3, learningDays: 2 } }),
};

/** Ingests one event and closes its alert with `disposition` (or leaves it open). */
async function alertOn(event: Parameters<typeof processStart>[0], disposition: Disposition | null, rules: Awaited<ReturnType<typeof installTestRules>>) {
  await ingest([processStart(event)], rules);
  const alert = await db().alert.findFirstOrThrow({ where: { eventKey: { contains: event.id! } }, select: { id: true } });
  if (disposition) {
    const result = await updateAlertStatus(alert.id, { status: "closed", disposition }, "test", SYSTEM_ACTOR);
    expect(result.kind).toBe("updated");
  }
  return alert.id;
}

beforeAll(async () => {
  await resetDatabase();
  const rules = await installTestRules([...TEST_RULE_FILES, NOVELTY_RULE]);
  // cmd.exe from explorer.exe fires t-cmd only; notepad.exe from w3wp.exe t-w3wp only; cmd.exe from w3wp.exe both.
  await alertOn({ id: "e1", ts: at(1), name: "cmd.exe", parent: "explorer.exe" }, "false_positive", rules);
  await alertOn({ id: "e2", ts: at(2), name: "cmd.exe", parent: "explorer.exe" }, null, rules);
  await alertOn({ id: "e3", ts: at(10), name: "cmd.exe", parent: "explorer.exe" }, "benign_positive", rules);
  await alertOn({ id: "e4", ts: at(20), name: "cmd.exe", parent: "explorer.exe" }, "true_positive", rules);
  await alertOn({ id: "e5", ts: at(40), name: "cmd.exe", parent: "explorer.exe" }, "false_positive", rules);
  await alertOn({ id: "e6", ts: at(3), name: "notepad.exe", parent: "w3wp.exe" }, null, rules);
  await alertOn({ id: "e7", ts: at(5), name: "cmd.exe", parent: "w3wp.exe" }, "undetermined", rules);
  // Detection times, pinned: the rule last fired on e4's alert (a late replay of an old event).
  await db().$executeRaw`UPDATE alert_rules SET created_at = ${new Date(NOW.getTime() - 3 * DAY)} WHERE rule_id = 't-cmd'`;
  await db().$executeRaw`UPDATE alert_rules ar SET created_at = ${new Date(NOW.getTime() - 1000)} FROM alerts a WHERE a.id = ar.alert_id AND ar.rule_id = 't-cmd' AND a.event_key LIKE '%e4%'`;
  // The novelty rule: three sightings of sh and one of curl on web01.
  await ingest(
    ["sh", "sh", "sh", "curl"].map((name, i) => processStart({ id: `n${i}`, ts: at(2 - i * 0.1), name, parent: "nginx", host: "web01" })),
    rules,
  );
});

describe("findRuleStats", () => {
  it("counts alerts of the last 7 days and dispositions of the last 30, in event time", async () => {
    const stats = await findRuleStats({ now: NOW });
    expect(stats.get("t-cmd")).toMatchObject({
      recentAlerts: 3, // e1, e2, e7
      windowAlerts: 5, // + e3, e4; e5 is 40 days old
      dispositions: { falsePositive: 1, benignPositive: 1, truePositive: 1, undetermined: 1 },
      resolved: 4,
      noiseRate: 0.5,
    });
    // e7 fired both rules: its disposition judges both.
    expect(stats.get("t-w3wp")).toMatchObject({ recentAlerts: 2, windowAlerts: 2, resolved: 1, noiseRate: 0, dispositions: { undetermined: 1, falsePositive: 0 } });
  });

  it("gives the last detection time as last fired, and null figures for a rule that never fired", async () => {
    const stats = await findRuleStats({ now: NOW });
    expect(stats.get("t-cmd")!.lastFiredAt).toEqual(new Date(NOW.getTime() - 1000));
    expect(stats.get("t-w3wp")!.lastFiredAt).toBeInstanceOf(Date);
    expect(stats.get("t-crit")).toEqual({
      ruleId: "t-crit",
      lastFiredAt: null,
      recentAlerts: 0,
      windowAlerts: 0,
      dispositions: { truePositive: 0, benignPositive: 0, falsePositive: 0, undetermined: 0 },
      resolved: 0,
      noiseRate: null,
    });
  });

  it("computes the same figures for the rules asked for only", async () => {
    const all = await findRuleStats({ now: NOW });
    const one = await findRuleStats({ ids: ["t-w3wp"], now: NOW });
    expect([...one.keys()]).toEqual(["t-w3wp"]);
    expect(one.get("t-w3wp")).toEqual(all.get("t-w3wp"));
  });

  it("answers from the window: a later 'now' forgets the old alerts", async () => {
    const later = await findRuleStats({ now: new Date(NOW.getTime() + 60 * DAY) });
    expect(later.get("t-cmd")).toMatchObject({ recentAlerts: 0, windowAlerts: 0, resolved: 0, noiseRate: null });
    expect(later.get("t-cmd")!.lastFiredAt).not.toBeNull();
  });
});

describe("baseline summary", () => {
  it("counts learned terms and gives the rule's first and latest event", async () => {
    const summary = await findBaselineSummary("t-nv", "novelty");
    expect(summary).toMatchObject({ keys: 2, known: 0 });
    expect(summary.firstEventAt?.toISOString()).toBe(at(2));
    expect(summary.latestEventAt?.toISOString()).toBe(at(2 - 0.3));
    expect(await findBaselineSummary("t-cmd", "novelty")).toEqual({ keys: 0, known: 0, firstEventAt: null, latestEventAt: null });
  });

  it("lists the most frequent terms first", async () => {
    const top = await findTopBaselineValues("t-nv", "novelty", 10);
    expect(top.map((t) => [t.values, t.count])).toEqual([
      [["sh", "web01"], 3],
      [["curl", "web01"], 1],
    ]);
  });
});
