import { beforeEach, describe, expect, it } from "vitest";
import { noveltyStateKey, type EcsEvent, type NoveltySpec, type RaritySpec, type RuleSet } from "@/lib/detection";
import { equalsRule } from "@/lib/detection/testing";
import { expireStates, findBaseline, forgetBaselineEntry, markTermsKnown } from "./baselines";
import { db } from "./client";
import { ingest, installTestRules } from "./test-setup/fixtures";
import { resetDatabase } from "./test-setup/reset";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 12);
const NT_SPEC: NoveltySpec = { kind: "novelty", fields: ["process.command_line"], groupBy: ["host.name"], windowMs: 7 * DAY, learningMs: 0 };
const RULES = [
  {
    path: "rules/nt.equals.json",
    text: equalsRule({ id: "t-nt", name: "new command", field: "process.parent.name", values: ["php-fpm"], novelty: { fields: ["process.command_line"], groupBy: ["host.name"], windowDays: 7 } }),
  },
  {
    path: "rules/rare.equals.json",
    text: equalsRule({ id: "t-rare", name: "rare", field: "process.parent.name", values: ["apache2"], rarity: { groupBy: ["process.executable"], windowDays: 7, condition: "count < 5" } }),
  },
];

let rules: RuleSet;
beforeEach(async () => {
  await resetDatabase();
  rules = await installTestRules(RULES);
});

let seq = 0;
const php = (at: number, cmd: string): EcsEvent => ({
  "@timestamp": new Date(at).toISOString(),
  event: { id: `b-${++seq}`, category: ["process"], type: ["start"] },
  host: { name: "web01" },
  process: { name: "sh", executable: "/bin/sh", command_line: cmd, parent: { name: "php-fpm" } },
});
const apache = (at: number, exe: string): EcsEvent => ({
  "@timestamp": new Date(at).toISOString(),
  event: { id: `b-${++seq}`, category: ["process"], type: ["start"] },
  host: { name: "web01" },
  process: { executable: exe, parent: { name: "apache2" } },
});
const alertsOf = (ruleId: string) => db().alertRule.count({ where: { ruleId } });

describe("baselines", () => {
  it("lists what a rule learned, most recently seen first, a page at a time, and filters by value", async () => {
    await ingest([php(T0, "sh -c a"), php(T0 + 1000, "sh -c b"), php(T0 + 2000, "sh -c c")], rules);
    const first = await findBaseline("t-nt", "novelty", { limit: 2, cursor: null });
    expect(first.entries.map((e) => e.values[0])).toEqual(["sh -c c", "sh -c b"]);
    const second = await findBaseline("t-nt", "novelty", { limit: 2, cursor: first.next });
    expect(second.entries.map((e) => e.values[0])).toEqual(["sh -c a"]);
    expect(second.next).toBeNull();
    expect((await findBaseline("t-nt", "novelty", { limit: 10, cursor: null, contains: "C B" })).entries.map((e) => e.values[0])).toEqual(["sh -c b"]);
    expect((await findBaseline("t-nt", "novelty", { limit: 10, cursor: null, contains: "%" })).entries).toEqual([]);
  });

  it("a term marked known never alerts; forgotten, it is new again", async () => {
    const key = noveltyStateKey("t-nt", NT_SPEC, ["sh -c deploy", "web01"]);
    expect(await markTermsKnown([key])).toBe(1);
    await ingest([php(T0, "sh -c deploy")], rules);
    await ingest([php(T0 + 30 * DAY, "sh -c deploy")], rules); // even after the window
    expect(await alertsOf("t-nt")).toBe(0);
    const [entry] = (await findBaseline("t-nt", "novelty", { limit: 1, cursor: null })).entries;
    expect(entry).toMatchObject({ known: true, count: 2 });

    expect(await forgetBaselineEntry("t-nt", "novelty", key.hash)).toBe(true);
    expect(await forgetBaselineEntry("t-nt", "novelty", key.hash)).toBe(false);
    await ingest([php(T0 + 31 * DAY, "sh -c deploy")], rules);
    expect(await alertsOf("t-nt")).toBe(1);
  });

  it("expires state older than the rule's horizon, measured from the rule's latest event, and keeps known terms", async () => {
    await ingest([php(T0, "sh -c old"), php(T0 + 5 * DAY, "sh -c recent"), apache(T0, "/tmp/old"), apache(T0 + 5 * DAY, "/tmp/recent")], rules);
    await markTermsKnown([noveltyStateKey("t-nt", NT_SPEC, ["sh -c pinned", "web01"])], new Date(T0));
    await ingest([php(T0 + 9 * DAY, "sh -c latest"), apache(T0 + 9 * DAY, "/tmp/latest")], rules);
    // Far from the wall clock (2026): nothing is expired for being old in real time.
    const specs = new Map<string, NoveltySpec | RaritySpec>([
      ["t-nt", NT_SPEC],
      ["t-rare", { kind: "rarity", groupBy: ["process.executable"], windowDays: 7, condition: { type: "Comparison", metric: { kind: "count" }, op: "<", value: 5, location: { start: 0, end: 9 } }, distinctFields: [], learningMs: 0 }],
    ]);
    expect(await expireStates(specs)).toEqual({ novelty: 1, rarity: 1 });
    const left = await db().noveltyState.findMany({ select: { values: true } });
    expect(left.map((r) => (r.values as string[])[0]).sort()).toEqual(["sh -c latest", "sh -c pinned", "sh -c recent"]);
    const groups = await db().rarityState.findMany({ select: { values: true } });
    expect(groups.map((r) => (r.values as string[])[0]).sort()).toEqual(["/tmp/latest", "/tmp/recent"]);
  });
});
