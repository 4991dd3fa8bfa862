import { RuleValidationError } from "../errors";
import enterpriseData from "./attack-enterprise.json";
import { TACTIC_ID, TECHNIQUE_ID, attackUrl } from "./attack-url";
import { isRecord, text } from "./guards";

/** One ATT&CK tactic (a column of the matrix). */
export interface AttackTactic {
  /** TA0001 */
  readonly id: string;
  /** Initial Access */
  readonly name: string;
  /** initial-access: what STIX kill_chain_phases and Sigma tags use. */
  readonly shortname: string;
  readonly url: string;
}

/** One technique or sub-technique. */
export interface AttackTechnique {
  /** T1505 or T1505.003 */
  readonly id: string;
  readonly name: string;
  readonly url: string;
  /** Shortnames of the tactics it serves, in matrix order. May be empty only when retired. */
  readonly tactics: readonly string[];
  /** Set on sub-techniques: the parent technique's id (always the id's prefix). */
  readonly subtechniqueOf?: string;
  readonly deprecated?: boolean;
  readonly revoked?: boolean;
  /** For a revoked technique: the id that replaced it, when the source says. */
  readonly revokedBy?: string;
}

/** The catalogue as stored: attack-enterprise.json, or what `catalogueFromStix` builds. */
export interface AttackCatalogueData {
  /** ATT&CK release, e.g. "18.0". */
  attackVersion: string;
  /** "enterprise-attack" */
  domain: string;
  /** Where the data came from, for the README and the admin page. */
  source: string;
  /** The release's own name when the source gives one (a STIX bundle's collection: "Enterprise ATT&CK"). */
  name?: string;
  /** When the release was published or last modified (ISO 8601), when the source says. */
  released?: string;
  /** In matrix order. */
  tactics: AttackTactic[];
  /** Sorted by id, so each sub-technique follows its parent. */
  techniques: AttackTechnique[];
}

/** A validated catalogue with its lookup indexes. Build one with `buildAttackCatalogue`. */
export interface AttackCatalogue {
  readonly attackVersion: string;
  readonly domain: string;
  readonly source: string;
  readonly name?: string;
  readonly released?: string;
  readonly tactics: readonly AttackTactic[];
  readonly techniques: readonly AttackTechnique[];
  /** Id, shortname and name keys (see `tacticKey`) → tactic. */
  readonly tacticByKey: ReadonlyMap<string, AttackTactic>;
  /** Upper-case id → technique or sub-technique. */
  readonly techniqueById: ReadonlyMap<string, AttackTechnique>;
  /** Tactic id → column index in the matrix, for sorting. */
  readonly tacticRank: ReadonlyMap<string, number>;
}

const SHORTNAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_REPORTED_PROBLEMS = 10;
/** A catalogue's name and release date are labels on a page, never essays. */
const MAX_LABEL = 200;

/**
 * "TA0001", "initial-access", "initial_access", "Initial Access" and "INITIAL ACCESS" all give
 * "ta0001" or "initial-access": one key space for ids, shortnames and names.
 */
function tacticKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

/**
 * Validate catalogue data (the bundled JSON, a stored copy, or `catalogueFromStix` output) and
 * index it. Technique tactic lists are re-sorted into matrix order.
 *
 * @throws RuleValidationError `mitre_catalogue_invalid` naming the first problems: a malformed id,
 *   a duplicate, a sub-technique whose parent is missing, a technique under an unknown tactic.
 */
export function buildAttackCatalogue(data: unknown): AttackCatalogue {
  const problems: string[] = [];
  const fail = (problem: string) => {
    problems.push(problem);
  };
  const root = isRecord(data) ? data : {};
  if (!isRecord(data)) fail("the catalogue is not an object");
  const attackVersion = text(root.attackVersion);
  const domain = text(root.domain);
  const source = typeof root.source === "string" ? root.source : "";
  const releaseName = text(root.name).slice(0, MAX_LABEL);
  const released = text(root.released).slice(0, MAX_LABEL);
  if (!attackVersion) fail("attackVersion is missing");
  if (!domain) fail("domain is missing");

  const tactics: AttackTactic[] = [];
  const tacticByKey = new Map<string, AttackTactic>();
  const tacticRank = new Map<string, number>();
  const rankByShortname = new Map<string, number>();
  const rawTactics = Array.isArray(root.tactics) ? root.tactics : [];
  if (rawTactics.length === 0) fail("tactics is missing or empty");
  for (const [i, raw] of rawTactics.entries()) {
    const t = isRecord(raw) ? raw : {};
    const id = text(t.id).toUpperCase();
    const name = text(t.name);
    const shortname = text(t.shortname);
    if (!TACTIC_ID.test(id) || !name || !SHORTNAME.test(shortname)) {
      fail(`tactics[${i}] needs an id like TA0001, a name and a shortname like initial-access`);
      continue;
    }
    if (tacticRank.has(id) || rankByShortname.has(shortname)) {
      fail(`tactic ${id} (${shortname}) is listed twice`);
      continue;
    }
    const tactic: AttackTactic = { id, name, shortname, url: urlOf(id) };
    tacticRank.set(id, tactics.length);
    rankByShortname.set(shortname, tactics.length);
    tactics.push(tactic);
    for (const key of [id, shortname, name]) tacticByKey.set(tacticKey(key), tactic);
  }

  const techniques: AttackTechnique[] = [];
  const techniqueById = new Map<string, AttackTechnique>();
  const rawTechniques = Array.isArray(root.techniques) ? root.techniques : [];
  if (rawTechniques.length === 0) fail("techniques is missing or empty");
  for (const [i, raw] of rawTechniques.entries()) {
    const t = isRecord(raw) ? raw : {};
    const id = text(t.id).toUpperCase();
    const name = text(t.name);
    if (!TECHNIQUE_ID.test(id) || !name) {
      fail(`techniques[${i}] needs an id like T1505 or T1505.003 and a name`);
      continue;
    }
    if (techniqueById.has(id)) {
      fail(`technique ${id} is listed twice`);
      continue;
    }
    const shortnames = Array.isArray(t.tactics) ? t.tactics : [];
    const unknownTactic = shortnames.find((s) => typeof s !== "string" || !rankByShortname.has(s));
    if (unknownTactic !== undefined) {
      fail(`technique ${id} names unknown tactic ${JSON.stringify(unknownTactic)}`);
      continue;
    }
    const deprecated = t.deprecated === true;
    const revoked = t.revoked === true;
    if (shortnames.length === 0 && !deprecated && !revoked) {
      fail(`technique ${id} has no tactic`);
      continue;
    }
    const parent = id.includes(".") ? id.slice(0, id.indexOf(".")) : undefined;
    if (t.subtechniqueOf !== undefined && text(t.subtechniqueOf).toUpperCase() !== parent) {
      fail(`technique ${id}: subtechniqueOf must be its id's prefix`);
      continue;
    }
    const revokedBy = text(t.revokedBy).toUpperCase();
    const technique: AttackTechnique = {
      id,
      name,
      url: urlOf(id),
      tactics: [...new Set(shortnames as string[])].sort(
        (a, b) => (rankByShortname.get(a) ?? 0) - (rankByShortname.get(b) ?? 0),
      ),
      ...(parent !== undefined && { subtechniqueOf: parent }),
      ...(deprecated && { deprecated }),
      ...(revoked && { revoked }),
      ...(revokedBy && { revokedBy }),
    };
    techniques.push(technique);
    techniqueById.set(id, technique);
  }

  for (const t of techniques) {
    if (t.subtechniqueOf !== undefined && !techniqueById.has(t.subtechniqueOf)) {
      fail(`sub-technique ${t.id} has no parent ${t.subtechniqueOf}`);
    }
    if (t.revokedBy !== undefined && !techniqueById.has(t.revokedBy)) {
      fail(`technique ${t.id} is revoked by ${t.revokedBy}, which is not in the catalogue`);
    }
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).join("; ");
    const more = problems.length > MAX_REPORTED_PROBLEMS ? ` (and ${problems.length - MAX_REPORTED_PROBLEMS} more)` : "";
    throw new RuleValidationError("mitre_catalogue_invalid", `invalid ATT&CK catalogue: ${shown}${more}`);
  }

  techniques.sort((a, b) => compareIds(a.id, b.id));
  return {
    attackVersion,
    domain,
    source,
    ...(releaseName && { name: releaseName }),
    ...(released && { released }),
    tactics,
    techniques,
    tacticByKey,
    techniqueById,
    tacticRank,
  };
}

/** The catalogue shipped in the repo (attack-enterprise.json; see README.md for its source). */
export const ENTERPRISE_ATTACK: AttackCatalogue = buildAttackCatalogue(enterpriseData);

/** Back to the stored shape, e.g. to save an uploaded catalogue. */
export function catalogueData(catalogue: AttackCatalogue): AttackCatalogueData {
  return {
    attackVersion: catalogue.attackVersion,
    domain: catalogue.domain,
    source: catalogue.source,
    ...(catalogue.name !== undefined && { name: catalogue.name }),
    ...(catalogue.released !== undefined && { released: catalogue.released }),
    tactics: [...catalogue.tactics],
    techniques: [...catalogue.techniques],
  };
}

/**
 * A tactic by id, shortname or name, case-insensitive, with `_` or spaces for `-`:
 * "TA0001", "initial-access", "initial_access" and "Initial Access" all find Initial Access.
 */
export function findTactic(query: string, catalogue: AttackCatalogue = ENTERPRISE_ATTACK): AttackTactic | undefined {
  return catalogue.tacticByKey.get(tacticKey(query));
}

/** A technique or sub-technique by id ("T1505", "t1505.003"), retired ones included. */
export function findTechnique(id: string, catalogue: AttackCatalogue = ENTERPRISE_ATTACK): AttackTechnique | undefined {
  return catalogue.techniqueById.get(id.trim().toUpperCase());
}

/**
 * The tactics a technique or sub-technique serves, in matrix order; [] for an unknown id. A
 * sub-technique with no tactics of its own (only ever a retired one) inherits its parent's.
 */
export function tacticsOfTechnique(id: string, catalogue: AttackCatalogue = ENTERPRISE_ATTACK): AttackTactic[] {
  const technique = findTechnique(id, catalogue);
  if (!technique) return [];
  let shortnames = technique.tactics;
  if (shortnames.length === 0 && technique.subtechniqueOf !== undefined) {
    shortnames = findTechnique(technique.subtechniqueOf, catalogue)?.tactics ?? [];
  }
  return shortnames.flatMap((s) => catalogue.tacticByKey.get(s) ?? []);
}

/** T1505 < T1505.001 < T1505.003 < T1518: plain string order works because ids are fixed-width. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function urlOf(id: string): string {
  const url = attackUrl(id);
  if (url === undefined) throw new Error(`attackUrl rejected validated id ${id}`);
  return url;
}
