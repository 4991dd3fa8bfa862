import { TECHNIQUE_ID } from "./attack-url";
import { ENTERPRISE_ATTACK, compareIds, findTactic, findTechnique, tacticsOfTechnique } from "./catalogue";
import type { AttackCatalogue, AttackTactic, AttackTechnique } from "./catalogue";
import { isRecord, text } from "./guards";
import { mitreFromSigmaTags } from "./mitre-from-sigma-tags";

/** A rule as coverage sees it: its stored ATT&CK mappings and tags, and whether it runs. */
export interface CoverageRule {
  id: string;
  name: string;
  /**
   * Why the rule does not run ("disabled", "unsupported", "missing"), or undefined when it runs.
   * Only rules that run cover a technique; the others are shown beside the gap they would fill.
   */
  off?: string;
  /** The stored `MitreMapping[]` (read defensively: it is a JSON column). */
  mitre: unknown;
  /** Tags as written; `attack.*` ones are read again against the catalogue in use. */
  tags: readonly string[];
}

export interface CoverageRuleRef {
  id: string;
  name: string;
  off?: string;
}

/** One technique (or sub-technique) in one tactic's column. */
export interface TechniqueCoverage {
  technique: AttackTechnique;
  /** Running rules mapped to exactly this technique in this tactic. */
  rules: CoverageRuleRef[];
  /** Rules mapped to it that do not run (disabled, unsupported, missing). */
  offRules: CoverageRuleRef[];
  /** Running rules on this technique or any of its sub-techniques here, each once. */
  coveringRules: CoverageRuleRef[];
  /** Alerts carrying the id (a parent's count includes its sub-techniques' alerts). */
  alerts: number;
  /** Covered by a running rule, itself or through a sub-technique. */
  covered: boolean;
  /** A parent's sub-techniques in this tactic; [] for a sub-technique. */
  subtechniques: TechniqueCoverage[];
}

export interface TacticCoverage {
  tactic: AttackTactic;
  /** Every current top-level technique of the tactic, by id. */
  techniques: TechniqueCoverage[];
  /** Top-level techniques covered (directly or through a sub-technique) and in the column. */
  covered: number;
  total: number;
  /** Running rules mapped to the tactic without naming a technique. */
  tacticOnlyRules: CoverageRuleRef[];
}

/** A technique a rule names that the matrix cannot place: unknown to the catalogue, or retired. */
export interface UncataloguedTechnique {
  id: string;
  /** The name the rule gives it, if any (an unknown id has no other). */
  name?: string;
  status: "unknown" | "revoked" | "deprecated";
  /** For a revoked technique: its replacement, when the catalogue names one. */
  revokedBy?: string;
  rules: CoverageRuleRef[];
  alerts: number;
}

export interface AttackCoverage {
  /** Every tactic of the catalogue, in matrix (kill-chain) order. */
  tactics: TacticCoverage[];
  /** By id. */
  uncatalogued: UncataloguedTechnique[];
  /** Distinct top-level techniques covered / current in the catalogue (one counted once across tactics). */
  coveredTechniques: number;
  totalTechniques: number;
  coveredSubtechniques: number;
  totalSubtechniques: number;
  /** Running rules with at least one ATT&CK mapping or tag; 0 → the page's empty state. */
  mappedRules: number;
  /** Rules with ATT&CK mappings or tags that do not run (disabled, unsupported, missing). */
  mappedOffRules: number;
}

/** Alert counts by ATT&CK id (technique or sub-technique). */
export type AlertCounts = ReadonlyMap<string, number>;

interface Placement {
  /** A tactic id, shortname or name as the rule wrote it; undefined when the rule named none. */
  tactic?: string;
  technique?: string;
  /** The rule's own name for the technique, kept for ids the catalogue lacks. */
  name?: string;
}

/**
 * The ATT&CK matrix of what the rules cover, for the catalogue in use:
 *
 * - a rule's mappings are its stored ones plus its `attack.*` tags read again against `catalogue`
 *   (rules were mapped when they loaded, maybe with another catalogue: a tag the built-in one
 *   lacked may name a technique an imported one has);
 * - a technique goes in the column of the tactic the rule pairs it with when the catalogue lists
 *   the technique under that tactic; with no tactic, or one the catalogue does not list for it,
 *   it goes in every column of its kill-chain phases (as Sigma pairing does);
 * - a sub-technique sits under its parent, in its parent's cell;
 * - an id the catalogue lacks, and a revoked or deprecated technique, is never placed: it is
 *   listed in `uncatalogued` with the rules that name it.
 *
 * Pure: counts of alerts come in as a map (the database aggregates them).
 */
export function buildAttackCoverage(
  rules: readonly CoverageRule[],
  alerts: AlertCounts = new Map(),
  catalogue: AttackCatalogue = ENTERPRISE_ATTACK,
): AttackCoverage {
  const alertsOf = (id: string) => alerts.get(id) ?? 0;
  // tactic id → technique id → rule id → rule (the whole matrix is filled in below).
  const placed = new Map<string, Map<string, Map<string, CoverageRuleRef>>>();
  const tacticOnly = new Map<string, Map<string, CoverageRuleRef>>();
  const uncatalogued = new Map<string, { entry: UncataloguedTechnique; rules: Map<string, CoverageRuleRef> }>();
  let mappedRules = 0;
  let mappedOffRules = 0;

  for (const rule of rules) {
    const ref: CoverageRuleRef = { id: rule.id, name: rule.name, ...(rule.off !== undefined && { off: rule.off }) };
    const placements = placementsOf(rule, catalogue);
    if (placements.length > 0) {
      if (rule.off === undefined) mappedRules++;
      else mappedOffRules++;
    }
    for (const p of placements) {
      if (p.technique === undefined) {
        const tactic = p.tactic === undefined ? undefined : findTactic(p.tactic, catalogue);
        if (tactic && rule.off === undefined) getOrCreate(tacticOnly, tactic.id, () => new Map()).set(rule.id, ref);
        continue;
      }
      const technique = findTechnique(p.technique, catalogue);
      if (!technique || technique.revoked || technique.deprecated) {
        const id = (technique?.id ?? p.technique).toUpperCase();
        const name = technique?.name ?? p.name;
        const slot = getOrCreate(uncatalogued, id, () => ({
          entry: {
            id,
            ...(name !== undefined && { name }),
            status: !technique ? "unknown" : technique.revoked ? "revoked" : "deprecated",
            ...(technique?.revokedBy !== undefined && { revokedBy: technique.revokedBy }),
            rules: [],
            alerts: alertsOf(id),
          } satisfies UncataloguedTechnique,
          rules: new Map(),
        }));
        slot.rules.set(rule.id, ref);
        continue;
      }
      const phases = tacticsOfTechnique(technique.id, catalogue);
      const named = p.tactic === undefined ? undefined : findTactic(p.tactic, catalogue);
      const columns = named && phases.some((t) => t.id === named.id) ? [named] : phases;
      for (const column of columns) {
        getOrCreate(getOrCreate(placed, column.id, () => new Map()), technique.id, () => new Map()).set(rule.id, ref);
      }
    }
  }

  // The matrix: every current technique under each of its tactics, sub-techniques under parents.
  const current = catalogue.techniques.filter((t) => !t.revoked && !t.deprecated);
  const subsOf = new Map<string, AttackTechnique[]>();
  const tacticIdsOf = new Map<string, Set<string>>();
  for (const t of current) {
    if (t.subtechniqueOf !== undefined) getOrCreate(subsOf, t.subtechniqueOf, () => []).push(t);
    tacticIdsOf.set(t.id, new Set(tacticsOfTechnique(t.id, catalogue).map((x) => x.id)));
  }
  const coveredIds = new Set<string>();
  const tactics: TacticCoverage[] = catalogue.tactics.map((tactic) => {
    const inColumn = placed.get(tactic.id) ?? new Map<string, Map<string, CoverageRuleRef>>();
    const cell = (technique: AttackTechnique, subtechniques: TechniqueCoverage[]): TechniqueCoverage => {
      const all = [...(inColumn.get(technique.id)?.values() ?? [])];
      const rules = sortRefs(all.filter((r) => r.off === undefined));
      const covering = new Map(rules.map((r) => [r.id, r]));
      for (const s of subtechniques) for (const r of s.rules) covering.set(r.id, r);
      const covered = covering.size > 0;
      if (covered) coveredIds.add(technique.id);
      return {
        technique,
        rules,
        offRules: sortRefs(all.filter((r) => r.off !== undefined)),
        coveringRules: sortRefs([...covering.values()]),
        alerts: alertsOf(technique.id),
        covered,
        subtechniques,
      };
    };
    const inTactic = (t: AttackTechnique) => tacticIdsOf.get(t.id)?.has(tactic.id) === true;
    // A parent is in the column if the catalogue puts it there, or if a rule placed it or one of
    // its sub-techniques there (a sub-technique's tactics need not be its parent's).
    const parentIds = new Set<string>();
    for (const t of current) if (t.subtechniqueOf === undefined && inTactic(t)) parentIds.add(t.id);
    for (const id of inColumn.keys()) parentIds.add(id.includes(".") ? id.slice(0, id.indexOf(".")) : id);
    const techniques = [...parentIds]
      .sort(compareIds)
      .flatMap((id) => {
        const parent = findTechnique(id, catalogue);
        if (!parent) return [];
        const subs = (subsOf.get(id) ?? []).filter((s) => inTactic(s) || inColumn.has(s.id)).map((s) => cell(s, []));
        return [cell(parent, subs)];
      });
    return {
      tactic,
      techniques,
      covered: techniques.filter((t) => t.covered).length,
      total: techniques.length,
      tacticOnlyRules: sortRefs([...(tacticOnly.get(tactic.id)?.values() ?? [])]),
    };
  });

  return {
    tactics,
    uncatalogued: [...uncatalogued.values()]
      .map(({ entry, rules: r }) => ({ ...entry, rules: sortRefs([...r.values()]) }))
      .sort((a, b) => compareIds(a.id, b.id)),
    coveredTechniques: [...coveredIds].filter((id) => !id.includes(".")).length,
    totalTechniques: current.filter((t) => t.subtechniqueOf === undefined).length,
    coveredSubtechniques: [...coveredIds].filter((id) => id.includes(".")).length,
    totalSubtechniques: current.filter((t) => t.subtechniqueOf !== undefined).length,
    mappedRules,
    mappedOffRules,
  };
}

/** What a rule says about ATT&CK: its stored mappings, then its `attack.*` tags. */
function placementsOf(rule: CoverageRule, catalogue: AttackCatalogue): Placement[] {
  const out: Placement[] = [];
  for (const m of Array.isArray(rule.mitre) ? rule.mitre : []) {
    if (!isRecord(m)) continue;
    const tactic = isRecord(m.tactic) ? text(m.tactic.id) || text(m.tactic.name) : "";
    const own = isRecord(m.subtechnique) ? m.subtechnique : isRecord(m.technique) ? m.technique : undefined;
    const id = own ? text(own.id).toUpperCase() : "";
    if (own && !TECHNIQUE_ID.test(id)) continue; // a malformed id is the loader's to report
    out.push({ ...(tactic && { tactic }), ...(id && { technique: id }), ...(own && text(own.name) && { name: text(own.name) }) });
  }
  const tags = rule.tags.filter((t) => typeof t === "string" && /^attack\./i.test(t.trim()));
  if (tags.length > 0) {
    const fromTags = mitreFromSigmaTags(tags, catalogue);
    for (const m of fromTags.mappings) {
      const own = m.subtechnique ?? m.technique;
      out.push({ tactic: m.tactic.id, ...(own && { technique: own.id }) });
    }
    // Unknown and retired technique tags are listed, not dropped (Sigma maps a revoked one as its
    // replacement too, which the mappings above placed).
    for (const tag of [...fromTags.unknown, ...fromTags.retired]) {
      const id = tag.trim().slice("attack.".length).toUpperCase();
      if (TECHNIQUE_ID.test(id)) out.push({ technique: id });
    }
  }
  return out;
}

function sortRefs(refs: CoverageRuleRef[]): CoverageRuleRef[] {
  return refs.sort((a, b) => a.name.localeCompare(b.name) || compareIds(a.id, b.id));
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
