import {
  buildAttackCatalogue,
  buildAttackCoverage,
  ENTERPRISE_ATTACK,
  type AttackCatalogue,
  type AttackCatalogueData,
  type AttackCoverage,
  type CoverageRule,
} from "@/lib/detection";
import { auditRow, type Actor } from "./audit";
import { db, Prisma } from "./client";

/**
 * The ATT&CK coverage page's data: which catalogue is in use (the one in the repo, or an admin's
 * import kept in the settings table), the rules' mappings and one aggregate of alert counts.
 */

/** The settings row holding an imported catalogue (absent: the built-in one is used). */
export const ATTACK_CATALOGUE_SETTING = "attack.catalogue";

/** How the catalogue in use got there, when an admin imported it. */
export interface CatalogueImport {
  importedAt: string;
  importedBy: string;
  /** The uploaded file's name, when the client said. */
  fileName: string | null;
  bytes: number;
  sha256: string;
}

export interface CatalogueInUse {
  catalogue: AttackCatalogue;
  origin: "built-in" | "imported";
  imported?: CatalogueImport;
  /** A stored import that no longer reads back: the built-in catalogue is used, and this says why. */
  problem?: string;
}

/** The stored value: a version of this shape, the import's facts, and the catalogue data. */
interface StoredCatalogue {
  format: 1;
  imported: CatalogueImport;
  catalogue: AttackCatalogueData;
}

const BUILT_IN: CatalogueInUse = { catalogue: ENTERPRISE_ATTACK, origin: "built-in" };

// The stored catalogue is ~200 KB of JSON: parsed and validated once per change, not per request.
const cache = globalThis as unknown as { vigilAttackCatalogue?: { hash: string; value: CatalogueInUse } };

/** The catalogue the console uses: an admin's import, else the one kept in the repo. */
export async function findAttackCatalogue(): Promise<CatalogueInUse> {
  const rows = await db().$queryRaw<{ hash: string }[]>`SELECT md5(value) AS hash FROM settings WHERE key = ${ATTACK_CATALOGUE_SETTING}`;
  const hash = rows[0]?.hash;
  if (hash === undefined) return BUILT_IN;
  if (cache.vigilAttackCatalogue?.hash === hash) return cache.vigilAttackCatalogue.value;
  const stored = await db().$queryRaw<{ value: string; hash: string }[]>`
    SELECT value, md5(value) AS hash FROM settings WHERE key = ${ATTACK_CATALOGUE_SETTING}`;
  const row = stored[0];
  if (!row) return BUILT_IN;
  const value = readStored(row.value);
  cache.vigilAttackCatalogue = { hash: row.hash, value };
  return value;
}

function readStored(text: string): CatalogueInUse {
  try {
    const parsed = JSON.parse(text) as Partial<StoredCatalogue>;
    if (parsed.format !== 1 || !parsed.imported) throw new Error("unknown stored format");
    return { catalogue: buildAttackCatalogue(parsed.catalogue), origin: "imported", imported: parsed.imported };
  } catch (error) {
    return { ...BUILT_IN, problem: `the imported catalogue cannot be read (${(error as Error).message}); the built-in one is in use` };
  }
}

/** What the audit trail and the API say about a catalogue (never the whole of it). */
export function catalogueSummary(c: CatalogueInUse) {
  const techniques = c.catalogue.techniques.filter((t) => !t.revoked && !t.deprecated);
  return {
    origin: c.origin,
    attack_version: c.catalogue.attackVersion,
    domain: c.catalogue.domain,
    name: c.catalogue.name ?? null,
    released: c.catalogue.released ?? null,
    source: c.catalogue.source,
    tactics: c.catalogue.tactics.length,
    techniques: techniques.filter((t) => t.subtechniqueOf === undefined).length,
    subtechniques: techniques.filter((t) => t.subtechniqueOf !== undefined).length,
    retired: c.catalogue.techniques.length - techniques.length,
    imported_at: c.imported?.importedAt ?? null,
    imported_by: c.imported?.importedBy ?? null,
    file_name: c.imported?.fileName ?? null,
    sha256: c.imported?.sha256 ?? null,
    ...(c.problem !== undefined && { problem: c.problem }),
  };
}

/** Makes an imported catalogue the one in use (replacing an earlier import), audited in the same transaction. */
export async function saveAttackCatalogue(
  data: AttackCatalogueData,
  upload: { fileName: string | null; bytes: number; sha256: string },
  who: Actor,
): Promise<CatalogueInUse> {
  const previous = await findAttackCatalogue();
  const imported: CatalogueImport = { importedAt: new Date().toISOString(), importedBy: who.actor, ...upload };
  const next: CatalogueInUse = { catalogue: buildAttackCatalogue(data), origin: "imported", imported };
  const value = JSON.stringify({ format: 1, imported, catalogue: data } satisfies StoredCatalogue);
  await db().$transaction([
    db().$executeRaw`INSERT INTO settings (key, value) VALUES (${ATTACK_CATALOGUE_SETTING}, ${value})
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    db().auditEvent.create({
      data: auditRow(who, {
        action: "attack_catalogue.import",
        objectType: "attack_catalogue",
        objectId: data.domain,
        before: catalogueSummary(previous),
        after: catalogueSummary(next),
      }),
    }),
  ]);
  return next;
}

/** Back to the catalogue kept in the repo; false when no import was in use. */
export async function deleteAttackCatalogue(who: Actor): Promise<boolean> {
  const previous = await findAttackCatalogue();
  if (previous.origin === "built-in" && previous.problem === undefined) return false;
  const [deleted] = await db().$transaction([
    db().setting.deleteMany({ where: { key: ATTACK_CATALOGUE_SETTING } }),
    db().auditEvent.create({
      data: auditRow(who, {
        action: "attack_catalogue.revert",
        objectType: "attack_catalogue",
        objectId: previous.catalogue.domain,
        before: catalogueSummary(previous),
        after: catalogueSummary(BUILT_IN),
      }),
    }),
  ]);
  return deleted.count > 0;
}

export interface CoverageView {
  coverage: AttackCoverage;
  catalogue: CatalogueInUse;
  /** Alerts per rule id in the period (the rules listed in cells link to them). */
  alertsByRule: ReadonlyMap<string, number>;
  /** Alerts in the period, whatever their tags. */
  alertsInPeriod: number;
}

/**
 * The coverage matrix for the catalogue in use, with alert counts since `since` (event time, as
 * the queue's `since` filter; null: all retained alerts). Three queries, in parallel: the
 * catalogue's fingerprint, the mapped rules, and one aggregate over the period's alerts.
 */
export async function findAttackCoverage(since: Date | null): Promise<CoverageView> {
  const [catalogue, rules, counts] = await Promise.all([findAttackCatalogue(), findMappedRules(), countAlertsByAttackIdAndRule(since)]);
  return {
    coverage: buildAttackCoverage(rules, counts.byAttackId, catalogue.catalogue),
    catalogue,
    alertsByRule: counts.byRule,
    alertsInPeriod: counts.total,
  };
}

/** Rules with an ATT&CK mapping or an `attack.*` tag, running or not (the matrix shows both). */
async function findMappedRules(): Promise<CoverageRule[]> {
  const rows = await db().$queryRaw<{ id: string; name: string; enabled: boolean; state: string; mitre: unknown; tags: string[] }[]>`
    SELECT id, name, enabled, state, mitre, tags FROM rules
    WHERE mitre <> '[]'::jsonb OR EXISTS (SELECT 1 FROM unnest(tags) AS t WHERE t ILIKE 'attack.%')`;
  return rows.map((r) => {
    const off = r.state !== "active" ? r.state : r.enabled ? undefined : "disabled";
    return { id: r.id, name: r.name, mitre: r.mitre, tags: r.tags, ...(off !== undefined && { off }) };
  });
}

/**
 * Alerts per ATT&CK id and per rule in one pass over the period's alerts. Counted on the alert's
 * own `mitre_ids` and `rule_ids` (what the queue's `mitre` and `rule` filters match), so a count
 * and the queue it links to always agree.
 */
async function countAlertsByAttackIdAndRule(since: Date | null) {
  const rows = await db().$queryRaw<{ kind: string; key: string; n: number }[]>`
    SELECT k.kind, k.key, count(*)::int AS n
    FROM alerts a
    CROSS JOIN LATERAL (
      SELECT 'attack' AS kind, m AS key FROM unnest(a.mitre_ids) AS m
      UNION ALL SELECT 'rule', r FROM unnest(a.rule_ids) AS r
      UNION ALL SELECT 'total', ''
    ) k
    ${since ? Prisma.sql`WHERE a.ts >= ${since}::timestamptz` : Prisma.empty}
    GROUP BY k.kind, k.key`;
  const byAttackId = new Map<string, number>();
  const byRule = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    if (r.kind === "attack") byAttackId.set(r.key, r.n);
    else if (r.kind === "rule") byRule.set(r.key, r.n);
    else total = r.n;
  }
  return { byAttackId, byRule, total };
}
