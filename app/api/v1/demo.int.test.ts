import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetDatabase } from "@/lib/db/test-setup/reset";
import { demoScenario, replayDemo, type ReplaySummary } from "@/lib/demo/replay";
import type { ScenarioEvent } from "@/lib/demo/scenario";

/**
 * The demo (issue 10): `npm run demo`'s replay, run in process against the ingest and health
 * routes with the shipped rule pack on PostgreSQL. Every enabled rule in rules/, whatever its
 * format, must alert at least once, and the routine must stay quiet once the learning rules have
 * learned. A rule added to rules/ that the scenario cannot make fire fails here, by id: give the
 * scenario a realistic attack step for it (lib/demo/scenario.ts).
 */
process.env.VIGIL_INGEST_TOKEN = "demo-ingest-token-0123456789abcdef";
process.env.VIGIL_RULES_DIR = path.resolve("rules");
// The replay's events lie before the wall clock's retention window; the background expiry must
// not delete them between the two replays below.
process.env.VIGIL_EVENT_RETENTION_DAYS = "3650";

/** A Tuesday morning, 09:30 UTC: the attack day is Monday 2026-11-09. */
const NOW = Date.UTC(2026, 10, 10, 9, 30);
const DAY = 86_400_000;
const scenario = demoScenario(NOW);

let first: ReplaySummary;
let second: ReplaySummary;
const progress: number[] = [];

beforeAll(async () => {
  await resetDatabase();
  const events = await import("./events/route");
  const health = await import("./health/route");
  // The replay's HTTP requests, answered by the route handlers in this process.
  const inProcess = async (url: string, init: RequestInit): Promise<Response> => {
    const request = new Request(url, init);
    const { pathname } = new URL(url);
    if (pathname === "/api/v1/events" && request.method === "POST") return events.POST(request);
    if (pathname === "/api/v1/health") return health.GET();
    return new Response("not found", { status: 404 });
  };
  const options = { url: "http://vigil.test/", token: process.env.VIGIL_INGEST_TOKEN!, now: NOW, fetch: inProcess };
  first = await replayDemo({ ...options, onProgress: (p) => progress.push(p.sent) });
  second = await replayDemo(options);
}, 180_000);

describe("npm run demo", () => {
  it("covers a week of routine, the attack day (yesterday) and today up to now, on every kind of web server", () => {
    expect(new Date(scenario.start).toISOString()).toBe("2026-11-02T00:00:00.000Z");
    expect(new Date(scenario.attackDay).toISOString()).toBe("2026-11-09T00:00:00.000Z");
    const times = scenario.events.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW);
    expect(Math.max(...times)).toBeGreaterThan(NOW - 3_600_000);
    expect(scenario.events.filter((e) => e.kind === "attack").every((e) => e.t >= scenario.attackDay && e.t < scenario.attackDay + DAY)).toBe(true);
    const parents = JSON.stringify(scenario.events.map((e) => e.body));
    for (const server of ["nginx", "php-fpm", "apache2", "gunicorn", "uwsgi", "catalina", "w3wp.exe"]) expect(parents).toContain(server);
  });

  it("sends every event once, oldest first, in batches, with progress", async () => {
    expect(first).toMatchObject({ events: scenario.events.length, stored: scenario.events.length, duplicates: 0, retries: 0 });
    expect(first.requests).toBe(Math.ceil(scenario.events.length / 500));
    expect(first.alerts).toBe(await db().alert.count());
    expect(await db().event.count()).toBe(scenario.events.length);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(scenario.events.length);
  });

  it("is idempotent: a second run the same day finds only duplicates and creates no alert", () => {
    expect(second).toMatchObject({ events: first.events, stored: 0, duplicates: first.events, alerts: 0 });
  });

  it("makes every enabled rule in rules/ alert at least once", async () => {
    expect(await db().ruleLoadError.findMany({ select: { path: true, message: true } })).toEqual([]);
    const rules = await db().rule.findMany({
      where: { enabled: true, origin: "file" },
      select: { id: true, name: true, format: true, type: true, state: true, unsupportedReason: true },
      orderBy: { id: "asc" },
    });
    expect(rules.length).toBeGreaterThanOrEqual(7);
    const hits = new Map((await db().alertRule.groupBy({ by: ["ruleId"], _count: { _all: true } })).map((g) => [g.ruleId, g._count._all]));
    const silent = rules
      .filter((r) => !hits.has(r.id))
      .map((r) => `${r.id} ${r.name} (${r.format} ${r.type}${r.state === "active" ? "" : `, ${r.state}: ${r.unsupportedReason}`})`);
    expect(silent, "rules without an alert after the demo").toEqual([]);
  });

  it("alerts on the attacks only, apart from Elastic's new_terms on the first day's routine command lines", async () => {
    const byTime = new Map<string, ScenarioEvent>();
    for (const e of scenario.events) byTime.set(`${e.host.toLowerCase()} ${new Date(e.t).toISOString()}`, e);
    const hits = await db().alertRule.findMany({ include: { alert: { select: { hostName: true, timestamp: true } }, rule: { select: { type: true } } } });
    const routine = hits.flatMap((hit) => {
      const e = byTime.get(`${hit.alert.hostName?.toLowerCase()} ${hit.alert.timestamp.toISOString()}`);
      if (!e) return [`unknown event on ${hit.alert.hostName} at ${hit.alert.timestamp.toISOString()}`];
      return e.kind === "routine" ? [`${hit.rule.type} day ${Math.floor((e.t - scenario.start) / DAY)}: ${e.label}`] : [];
    });
    expect(routine.sort()).toEqual(["new_terms day 0: apache2 piped logs", "new_terms day 0: php-fpm sends mail"]);
    const attacks = new Set(scenario.events.filter((e) => e.kind === "attack").map((e) => `${e.host.toLowerCase()} ${new Date(e.t).toISOString()}`));
    const alerted = new Set(hits.map((h) => `${h.alert.hostName?.toLowerCase()} ${h.alert.timestamp.toISOString()}`));
    expect([...attacks].filter((a) => !alerted.has(a)), "attack steps without an alert").toEqual([]);
  });

  it("puts every ATT&CK technique of the shipped rules on alerts (the coverage view)", async () => {
    const techniques = (json: unknown) => JSON.stringify(json).match(/\bT\d{4}(?:\.\d{3})?\b/g) ?? [];
    const ofRules = new Set((await db().rule.findMany({ where: { enabled: true }, select: { mitre: true } })).flatMap((r) => techniques(r.mitre)));
    const onAlerts = new Set((await db().alert.findMany({ select: { mitreIds: true } })).flatMap((a) => a.mitreIds));
    expect([...ofRules].sort()).toEqual(expect.arrayContaining(["T1059.004", "T1071", "T1190", "T1505.003"]));
    expect([...ofRules].filter((t) => !onAlerts.has(t)).sort()).toEqual([]);
  });

  it("leaves the learning rules with a baseline of each server's routine", async () => {
    const learned = await db().noveltyState.findMany({ where: { rule: { type: "new_value" } }, select: { values: true } });
    expect(learned.map((r) => (r.values as string[]).join(" on "))).toEqual(expect.arrayContaining(["uptime on api01", "systemctl on app02"]));
  });
});
