import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { catalogueFromStix, type LoadedRule, type MitreMapping, type TechniqueCoverage } from "@/lib/detection";
import { testRuleMeta } from "@/lib/detection/testing";
import type { Actor } from "./audit";
import { db } from "./client";
import { ATTACK_CATALOGUE_SETTING, deleteAttackCatalogue, findAttackCatalogue, findAttackCoverage, saveAttackCatalogue } from "./coverage";
import { syncRuleFiles } from "./rules";
import { resetDatabase } from "./test-setup/reset";

/** The coverage page's queries on a real PostgreSQL: rules' mappings, alert counts, the stored catalogue. */

const ADMIN: Actor = { actor: "admin@example.com", actorType: "user" };
const DAY = 86_400_000;
const MINI_BUNDLE = JSON.parse(readFileSync("lib/detection/mitre/__fixtures__/enterprise-attack-mini.json", "utf8")) as unknown;

const ref = (id: string) => ({ id, name: id });
const map = (tactic: string, technique?: string, sub?: string): MitreMapping => ({
  tactic: ref(tactic),
  ...(technique && { technique: ref(technique) }),
  ...(sub && { subtechnique: ref(sub) }),
});

function rule(id: string, name: string, opts: { mitre?: MitreMapping[]; tags?: string[]; enabled?: boolean; unsupported?: boolean } = {}): LoadedRule {
  return {
    meta: testRuleMeta(id, { name, mitre: opts.mitre ?? [], tags: opts.tags ?? [], enabledByDefault: opts.enabled ?? true }),
    source: { path: `rules/${id}.yml`, text: `id: ${id}`, line: 1 },
    detector: opts.unsupported ? null : { kind: "query", test: () => false, explain: () => ({ details: [] }) },
  };
}

const WEB_SHELL = rule("r-webshell", "Web shell child process", { mitre: [map("TA0003", "T1505", "T1505.003"), map("TA0001", "T1190")] });
const UNIX_SHELL = rule("r-unix", "Unix shell from web server", { mitre: [map("TA0002", "T1059", "T1059.004")], enabled: false });
const FUTURE = rule("r-future", "Newer ATT&CK ids", { mitre: [map("TA0002", "T1999")], tags: ["attack.execution", "attack.t1086"] });
const C2 = rule("r-c2", "Web server beacon", { tags: ["attack.command-and-control", "attack.t1071.001"], unsupported: true });
const PLAIN = rule("r-plain", "No ATT&CK at all");

/** Alerts straight into the tables (the triggers fill mitre_ids and rule_ids). */
async function insertAlerts(rows: { ruleId: string; mitre: MitreMapping[]; ageDays: number }[]) {
  const now = Date.now();
  const data = rows.map((r, i) => ({ key: `cov-${i}-${Math.random().toString(36).slice(2)}`, ts: new Date(now - r.ageDays * DAY).toISOString(), mitre: r.mitre, rule_id: r.ruleId }));
  await db().$executeRawUnsafe(
    `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(key text, ts timestamptz, mitre jsonb, rule_id text)),
     a AS (INSERT INTO alerts (event_key, ts, severity, risk_score, event, mitre)
           SELECT key, ts, 'high', 73, '{}'::jsonb, mitre FROM x RETURNING id, event_key)
     INSERT INTO alert_rules (alert_id, rule_id, severity, risk_score)
     SELECT a.id, x.rule_id, 'high', 73 FROM a JOIN x ON x.key = a.event_key`,
    JSON.stringify(data),
  );
}

const cellOf = (techniques: TechniqueCoverage[], id: string) => {
  const parent = techniques.find((t) => t.technique.id === id.split(".")[0]);
  return id.includes(".") ? parent?.subtechniques.find((s) => s.technique.id === id) : parent;
};

beforeEach(async () => {
  await resetDatabase();
  await syncRuleFiles([WEB_SHELL, UNIX_SHELL, FUTURE, C2, PLAIN], []);
});

describe("findAttackCoverage", () => {
  it("covers techniques of enabled rules only, sub-techniques under their parent, with alert counts for the period", async () => {
    const webShell = [map("TA0003", "T1505", "T1505.003")];
    await insertAlerts([
      { ruleId: "r-webshell", mitre: webShell, ageDays: 1 },
      { ruleId: "r-webshell", mitre: webShell, ageDays: 2 },
      { ruleId: "r-webshell", mitre: [map("TA0001", "T1190")], ageDays: 3 },
      { ruleId: "r-webshell", mitre: webShell, ageDays: 45 }, // outside 30 days
      { ruleId: "r-future", mitre: [map("TA0002", "T1999")], ageDays: 1 },
    ]);
    const { coverage, catalogue, alertsByRule, alertsInPeriod } = await findAttackCoverage(new Date(Date.now() - 30 * DAY));
    expect(catalogue.origin).toBe("built-in");
    const persistence = coverage.tactics.find((t) => t.tactic.id === "TA0003")!;
    expect(cellOf(persistence.techniques, "T1505.003")).toMatchObject({ covered: true, alerts: 2, rules: [{ id: "r-webshell", name: "Web shell child process" }] });
    expect(cellOf(persistence.techniques, "T1505")).toMatchObject({ covered: true, alerts: 2, rules: [] });
    const initial = coverage.tactics.find((t) => t.tactic.id === "TA0001")!;
    expect(cellOf(initial.techniques, "T1190")).toMatchObject({ covered: true, alerts: 1 });
    // Disabled: not covered, but shown beside the gap.
    const execution = coverage.tactics.find((t) => t.tactic.id === "TA0002")!;
    expect(cellOf(execution.techniques, "T1059.004")).toMatchObject({ covered: false, rules: [], offRules: [{ id: "r-unix", off: "disabled" }] });
    // Unsupported rules do not cover either.
    const c2 = coverage.tactics.find((t) => t.tactic.id === "TA0011")!;
    expect(cellOf(c2.techniques, "T1071.001")).toMatchObject({ covered: false, offRules: [{ id: "r-c2", off: "unsupported" }] });
    // Ids the built-in catalogue lacks are listed, with their alerts.
    expect(coverage.uncatalogued.map((u) => [u.id, u.status, u.alerts, u.rules.map((r) => r.id)])).toEqual([
      ["T1086", "unknown", 0, ["r-future"]],
      ["T1999", "unknown", 1, ["r-future"]],
    ]);
    expect(coverage).toMatchObject({ coveredTechniques: 2, coveredSubtechniques: 1, mappedRules: 2, mappedOffRules: 2 });
    expect(Object.fromEntries(alertsByRule)).toEqual({ "r-webshell": 3, "r-future": 1 });
    expect(alertsInPeriod).toBe(4);

    const allTime = await findAttackCoverage(null);
    expect(cellOf(allTime.coverage.tactics.find((t) => t.tactic.id === "TA0003")!.techniques, "T1505.003")!.alerts).toBe(3);
    expect(allTime.alertsInPeriod).toBe(5);
  });

  it("follows a rule turned off or on", async () => {
    await db().rule.update({ where: { id: "r-webshell" }, data: { enabled: false } });
    await db().rule.update({ where: { id: "r-unix" }, data: { enabled: true } });
    const { coverage } = await findAttackCoverage(null);
    const covered = coverage.tactics.flatMap((t) => t.techniques.filter((c) => c.covered).map((c) => `${t.tactic.id}/${c.technique.id}`));
    expect(covered).toEqual(["TA0002/T1059"]);
  });

  it("counts a few thousand alerts by technique, sub-techniques included in their cell", async () => {
    const since = new Date(Date.now() - 30 * DAY);
    const cell = (c: Awaited<ReturnType<typeof findAttackCoverage>>["coverage"]) =>
      cellOf(c.tactics.find((t) => t.tactic.id === "TA0003")!.techniques, "T1505.003")?.alerts ?? 0;
    const before = await findAttackCoverage(since);
    const mitres = [[map("TA0003", "T1505", "T1505.003")], [map("TA0001", "T1190")], [map("TA0002", "T1999")], [map("TA0011", "T1071")]];
    await insertAlerts(Array.from({ length: 5000 }, (_, i) => ({ ruleId: i % 3 === 0 ? "r-future" : "r-webshell", mitre: mitres[i % mitres.length]!, ageDays: (i % 60) + 0.5 })));
    const after = await findAttackCoverage(since);
    // Ages (i % 60) + 0.5 days: 2,510 of the 5,000 fall inside the period, 669 of those are T1505.003.
    expect(after.alertsInPeriod - before.alertsInPeriod).toBe(2510);
    expect(cell(after.coverage) - cell(before.coverage)).toBe(669);
  });
});

describe("the stored ATT&CK catalogue", () => {
  const upload = { fileName: "enterprise-attack-mini.json", bytes: 13_000, sha256: "0".repeat(64) };

  it("is the built-in one until an import, which is audited and used by coverage", async () => {
    expect((await findAttackCatalogue()).origin).toBe("built-in");
    const data = catalogueFromStix(MINI_BUNDLE, { source: "test" });
    const saved = await saveAttackCatalogue(data, upload, ADMIN);
    expect(saved).toMatchObject({ origin: "imported", imported: { importedBy: ADMIN.actor, fileName: upload.fileName } });

    const inUse = await findAttackCatalogue();
    expect(inUse.origin).toBe("imported");
    expect(inUse.catalogue).toMatchObject({ attackVersion: "99.0", name: "Enterprise ATT&CK", released: "2026-10-28T14:00:00.000Z" });
    expect(inUse.catalogue.tactics.map((t) => t.id)).toEqual(["TA0001", "TA0002", "TA0003", "TA0011"]);

    // T1999 is known now; T1086 is revoked (its replacement T1059.001 is covered by the Sigma pairing).
    const { coverage } = await findAttackCoverage(null);
    expect(coverage.tactics.map((t) => t.tactic.id)).toEqual(["TA0001", "TA0002", "TA0003", "TA0011"]);
    const execution = coverage.tactics.find((t) => t.tactic.id === "TA0002")!;
    expect(cellOf(execution.techniques, "T1999")).toMatchObject({ covered: true, rules: [{ id: "r-future" }] });
    expect(cellOf(execution.techniques, "T1059.001")).toMatchObject({ covered: true, rules: [{ id: "r-future" }] });
    expect(coverage.uncatalogued).toEqual([expect.objectContaining({ id: "T1086", status: "revoked", revokedBy: "T1059.001" })]);

    const audit = await db().auditEvent.findMany({ where: { objectType: "attack_catalogue" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "attack_catalogue.import", actor: ADMIN.actor, before: expect.objectContaining({ origin: "built-in", attack_version: "18.0" }), after: expect.objectContaining({ origin: "imported", attack_version: "99.0", file_name: upload.fileName }) });
  });

  it("reverts to the built-in catalogue, audited; reverting again changes nothing", async () => {
    await saveAttackCatalogue(catalogueFromStix(MINI_BUNDLE), upload, ADMIN);
    expect(await deleteAttackCatalogue(ADMIN)).toBe(true);
    expect((await findAttackCatalogue()).origin).toBe("built-in");
    expect(await deleteAttackCatalogue(ADMIN)).toBe(false);
    const actions = (await db().auditEvent.findMany({ where: { objectType: "attack_catalogue" }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["attack_catalogue.import", "attack_catalogue.revert"]);
  });

  it("falls back to the built-in one, saying why, when the stored copy does not read back", async () => {
    await db().setting.create({ data: { key: ATTACK_CATALOGUE_SETTING, value: JSON.stringify({ format: 1, imported: { importedAt: "x" }, catalogue: { tactics: [] } }) } });
    const inUse = await findAttackCatalogue();
    expect(inUse.origin).toBe("built-in");
    expect(inUse.problem).toMatch(/cannot be read.*invalid ATT&CK catalogue/);
    expect(await deleteAttackCatalogue(ADMIN)).toBe(true);
    expect((await findAttackCatalogue()).problem).toBeUndefined();
  });
});
