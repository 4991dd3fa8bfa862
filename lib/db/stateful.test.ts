import { beforeEach, describe, expect, it } from "vitest";
import type { EcsEvent, RuleSet } from "@/lib/detection";
import { equalsRule } from "@/lib/detection/testing";
import { findBaseline } from "./baselines";
import { db, disconnectDb } from "./client";
import { closePool } from "./pool";
import { ingest, installTestRules } from "./test-setup/fixtures";
import { resetDatabase } from "./test-setup/reset";

/**
 * Stateful rules through the real ingest path (normalize, rule set, one transaction with locked
 * state) on PostgreSQL, in event time. Issue 5's acceptance.
 */
const RULES = [
  {
    path: "rules/new-terms.equals.json",
    text: equalsRule({ id: "t-nt", name: "new command from php-fpm", field: "process.parent.name", values: ["php-fpm"], novelty: { fields: ["process.command_line"], groupBy: ["host.name"], windowDays: 7 } }),
  },
  {
    path: "rules/new-value.equals.json",
    text: equalsRule({ id: "t-nv", name: "new process from nginx", field: "process.parent.name", values: ["nginx"], novelty: { fields: ["process.name"], groupBy: ["host.name"], windowDays: 3, learningDays: 2 } }),
  },
  {
    path: "rules/rare.equals.json",
    text: equalsRule({
      id: "t-rare",
      name: "rare apache2 child",
      field: "process.parent.name",
      values: ["apache2"],
      rarity: { groupBy: ["process.parent.executable", "process.executable", "process.working_directory"], windowDays: 7, condition: "count < 5 and distinct(host.id) == 1", learningDays: 1 },
    }),
  },
];

let rules: RuleSet;
beforeEach(async () => {
  await resetDatabase();
  rules = await installTestRules(RULES);
});

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let seq = 0;

function linux(p: { at: number; parent: string; exe: string; cmd?: string; cwd?: string; host?: string }): EcsEvent {
  const name = p.exe.split("/").pop()!;
  return {
    "@timestamp": new Date(p.at).toISOString(),
    event: { id: `e-${++seq}`, kind: "event", category: ["process"], type: ["start"], action: "exec" },
    host: { name: p.host ?? "web01", id: `id-${p.host ?? "web01"}`, os: { type: "linux" } },
    process: {
      name,
      executable: p.exe,
      command_line: p.cmd ?? name,
      working_directory: p.cwd ?? "/",
      parent: { name: p.parent, executable: `/usr/sbin/${p.parent}` },
    },
  };
}

async function alertsOf(ruleId: string): Promise<number> {
  return db().alertRule.count({ where: { ruleId } });
}

const php = (at: number, cmd: string, host?: string) => linux({ at, parent: "php-fpm", exe: "/usr/bin/dash", cmd, ...(host && { host }) });

describe("novelty (new_terms)", () => {
  it("alerts once when concurrent ingests carry the same new term at the same time", async () => {
    // Three shippers send three different events (own ids) of the same term at the same instant.
    const batches = [[php(T0, "sh -c id")], [php(T0, "sh -c id")], [php(T0, "sh -c id")]];
    const results = await Promise.all(batches.map((b) => ingest(b, rules)));
    expect(results.reduce((n, r) => n + r.stored.alertsCreated, 0)).toBe(1);
    expect(await alertsOf("t-nt")).toBe(1);
    const baseline = await findBaseline("t-nt", "novelty", { limit: 10, cursor: null });
    expect(baseline.entries).toMatchObject([{ values: ["sh -c id", "web01"], count: 3 }]);
  });

  it("judges each event at its own time: an older event arriving after a newer one is new at its time", async () => {
    // DESIGN §4: new at t means no sighting in [t - window, t). Out of order, the later event was
    // judged first; the earlier one has no sighting before it either, so it alerts too (never a
    // missed alert, at worst a second one for the same term).
    await ingest([php(T0 + HOUR, "sh -c late-first")], rules);
    await ingest([php(T0, "sh -c late-first")], rules);
    expect(await alertsOf("t-nt")).toBe(2);
    await ingest([php(T0 + 2 * HOUR, "sh -c late-first")], rules); // in order again: known
    expect(await alertsOf("t-nt")).toBe(2);
  });

  it("alerts again on a term last seen 8 days ago under a 7-day window, not on one seen 5 days ago", async () => {
    await ingest([php(T0, "sh -c 'old'"), php(T0, "sh -c 'recent'")], rules);
    expect(await alertsOf("t-nt")).toBe(2);
    await ingest([php(T0 + 5 * DAY, "sh -c 'recent'")], rules);
    expect(await alertsOf("t-nt")).toBe(2);
    const { stored } = await ingest([php(T0 + 8 * DAY, "sh -c 'old'")], rules);
    expect(stored.alertsCreated).toBe(1);
    const newest = await db().alertRule.findFirstOrThrow({ where: { ruleId: "t-nt" }, orderBy: { createdAt: "desc" } });
    expect(newest.matched).toMatchObject({ new_terms: ["sh -c 'old'"], newTerms: { fields: ["process.command_line"], values: [["sh -c 'old'"]] } });
  });

  it("keeps one baseline per host (group-by)", async () => {
    await ingest([php(T0, "sh -c uptime", "web01")], rules);
    await ingest([php(T0 + HOUR, "sh -c uptime", "web02")], rules);
    expect(await alertsOf("t-nt")).toBe(2);
  });

  it("never loses a sighting when events arrive out of order", async () => {
    await ingest([php(T0 + 5 * DAY, "sh -c late")], rules);
    await ingest([php(T0, "sh -c late")], rules); // older, arrives later: still recorded
    const [entry] = (await findBaseline("t-nt", "novelty", { limit: 1, cursor: null })).entries;
    expect(entry).toMatchObject({ count: 2, firstSeen: new Date(T0), lastSeen: new Date(T0 + 5 * DAY) });
  });

  it("does not count a re-sent event twice", async () => {
    const batch = [php(T0, "sh -c once")];
    await ingest(batch, rules);
    await ingest(batch, rules);
    const [entry] = (await findBaseline("t-nt", "novelty", { limit: 1, cursor: null })).entries;
    expect(entry!.count).toBe(1);
    expect(await alertsOf("t-nt")).toBe(1);
  });

  it("keeps its state across a restart", async () => {
    await ingest([php(T0, "sh -c persisted")], rules);
    await disconnectDb();
    await closePool();
    const reloaded = await installTestRules(RULES); // a new process loads the rules again
    await ingest([php(T0 + DAY, "sh -c persisted")], reloaded);
    expect(await alertsOf("t-nt")).toBe(1);
  });
});

describe("novelty (new_value): learning and forget-after", () => {
  const nginx = (at: number, exe: string) => linux({ at, parent: "nginx", exe });

  it("stays silent while learning but records what it sees, then alerts on what it has not seen", async () => {
    await ingest([nginx(T0, "/usr/bin/curl"), nginx(T0 + DAY, "/usr/bin/wget")], rules);
    expect(await alertsOf("t-nv")).toBe(0);
    expect((await findBaseline("t-nv", "novelty", { limit: 10, cursor: null })).entries.map((e) => e.values[0]).sort()).toEqual(["curl", "wget"]);
    // After the 2-day learning period: known values stay quiet, a new one alerts.
    await ingest([nginx(T0 + 2 * DAY + HOUR, "/usr/bin/wget"), nginx(T0 + 2 * DAY + 2 * HOUR, "/usr/bin/nc")], rules);
    expect(await alertsOf("t-nv")).toBe(1);
  });

  it("alerts again on a value unseen for longer than forget-after", async () => {
    await ingest([nginx(T0, "/usr/bin/curl")], rules); // learning
    await ingest([nginx(T0 + 2 * DAY, "/usr/bin/curl")], rules); // seen 2 days later: known
    expect(await alertsOf("t-nv")).toBe(0);
    await ingest([nginx(T0 + 6 * DAY, "/usr/bin/curl")], rules); // 4 days unseen > 3 days forget-after
    expect(await alertsOf("t-nv")).toBe(1);
  });
});

describe("rarity", () => {
  const apache = (at: number, exe: string, cwd: string, host = "web01") => linux({ at, parent: "apache2", exe, cwd, host });

  it("stays quiet on a command the server runs every hour and fires on a once-off /tmp binary", async () => {
    const hourly: EcsEvent[] = [];
    for (let h = 0; h < 9 * 24; h++) hourly.push(apache(T0 + h * HOUR, "/usr/bin/php", "/var/www/app"));
    for (let i = 0; i < hourly.length; i += 50) await ingest(hourly.slice(i, i + 50), rules);
    expect(await alertsOf("t-rare")).toBe(0);

    const { stored } = await ingest([apache(T0 + 9 * DAY, "/tmp/.x/kworkerd", "/tmp/.x")], rules);
    expect(stored.alertsCreated).toBe(1);
    const hit = await db().alertRule.findFirstOrThrow({ where: { ruleId: "t-rare" } });
    expect(hit.matched).toMatchObject({ rare: { count: 1, distinct: { "host.id": 1 } } });

    // The same group again within the window is still rare, but one alert per window is enough.
    await ingest([apache(T0 + 9 * DAY + HOUR, "/tmp/.x/kworkerd", "/tmp/.x")], rules);
    expect(await alertsOf("t-rare")).toBe(1);
  });

  it("is quiet while learning", async () => {
    await ingest([apache(T0, "/tmp/a", "/tmp"), apache(T0 + 12 * HOUR, "/tmp/b", "/tmp")], rules);
    expect(await alertsOf("t-rare")).toBe(0);
  });
});
