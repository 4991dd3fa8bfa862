import { DetectionError, RuleValidationError } from "../errors";
import type { MitreMapping, MitreRef } from "../rules/model";
import { SUBTECHNIQUE_ID, TACTIC_ID } from "./attack-url";
import { ENTERPRISE_ATTACK, findTactic, findTechnique } from "./catalogue";
import type { AttackCatalogue, AttackTactic, AttackTechnique } from "./catalogue";
import { isRecord, text } from "./guards";
import { normalizeMitreMappings, refFromFile } from "./normalize-mitre-mappings";

export interface ElasticMitreResult {
  /** Deduplicated, in matrix order (see normalizeMitreMappings). */
  mappings: MitreMapping[];
  /**
   * Well-formed ids the catalogue does not know. Those the file names are still mapped (a rule may
   * follow a newer ATT&CK than the bundled catalogue); those it does not name cannot be shown and
   * are left out.
   */
  unknown: string[];
  /** Ids of revoked or deprecated techniques; they are mapped as the file states them. */
  retired: string[];
  /** Entries that are not the shape Elastic documents; each was skipped. Codes: mitre_threat_*. */
  errors: DetectionError[];
}

/** Elastic's value for ATT&CK; other frameworks (e.g. "MITRE ATLAS") are not ours to map. */
export const ELASTIC_ATTACK_FRAMEWORK = "MITRE ATT&CK";
const TECHNIQUE_ONLY_ID = /^T\d{4}$/i;

/**
 * The ATT&CK mappings of an Elastic rule's `threat` array (TOML `[[rule.threat]]`):
 *
 *   threat     = { framework, tactic: {id, name, reference}, technique?: [technique] }
 *   technique  = { id, name, reference, subtechnique?: [{id, name, reference}] }
 *
 * One mapping per (tactic, technique, sub-technique) combination: a technique with
 * sub-techniques gives one mapping per sub-technique, one without gives a technique mapping, and
 * a tactic with no technique gives a tactic-only mapping. Names written in the file are kept; a
 * missing name is filled from the catalogue. The `reference` links are rebuilt from the ids, never
 * copied from the file (the console renders them as links). Never throws: bad entries become
 * `errors` and are skipped.
 */
export function mitreFromElasticThreat(
  threat: unknown,
  catalogue: AttackCatalogue = ENTERPRISE_ATTACK,
): ElasticMitreResult {
  const result: ElasticMitreResult = { mappings: [], unknown: [], retired: [], errors: [] };
  if (threat === undefined || threat === null) return result;
  if (!Array.isArray(threat)) {
    result.errors.push(shapeError("threat must be an array of tables"));
    return result;
  }

  const mappings: MitreMapping[] = [];
  for (const [i, entry] of threat.entries()) {
    const at = `threat[${i}]`;
    if (!isRecord(entry)) {
      result.errors.push(shapeError(`${at} must be a table`));
      continue;
    }
    const framework = text(entry.framework);
    if (!framework) {
      result.errors.push(shapeError(`${at}.framework is missing`));
      continue;
    }
    if (framework !== ELASTIC_ATTACK_FRAMEWORK) continue;

    const tactic = resolveRef(entry.tactic, `${at}.tactic`, TACTIC_ID, "TA0001", catalogue, result);
    if (!tactic) continue;

    const techniques = entry.technique ?? [];
    if (!Array.isArray(techniques)) {
      result.errors.push(shapeError(`${at}.technique must be an array`));
      continue;
    }
    if (techniques.length === 0) mappings.push({ tactic });

    for (const [j, rawTechnique] of techniques.entries()) {
      const tAt = `${at}.technique[${j}]`;
      const technique = resolveRef(rawTechnique, tAt, TECHNIQUE_ONLY_ID, "T1505", catalogue, result);
      if (!technique) continue;
      const subs = (isRecord(rawTechnique) ? rawTechnique.subtechnique : undefined) ?? [];
      if (!Array.isArray(subs)) {
        result.errors.push(shapeError(`${tAt}.subtechnique must be an array`));
        mappings.push({ tactic, technique });
        continue;
      }
      let mapped = false;
      for (const [k, rawSub] of subs.entries()) {
        const sAt = `${tAt}.subtechnique[${k}]`;
        const sub = resolveRef(rawSub, sAt, SUBTECHNIQUE_ID, `${technique.id}.001`, catalogue, result);
        if (!sub) continue;
        if (!sub.id.startsWith(`${technique.id}.`)) {
          result.errors.push(
            new RuleValidationError(
              "mitre_threat_subtechnique_mismatch",
              `${sAt}.id: ${sub.id} is not a sub-technique of ${technique.id}`,
            ),
          );
          continue;
        }
        mappings.push({ tactic, technique, subtechnique: sub });
        mapped = true;
      }
      // A technique whose sub-techniques were all rejected still says the technique.
      if (!mapped) mappings.push({ tactic, technique });
    }
  }

  result.mappings = normalizeMitreMappings(mappings, catalogue);
  result.unknown = [...new Set(result.unknown)];
  result.retired = [...new Set(result.retired)];
  return result;
}

/**
 * {id, name, reference} from the file → a MitreRef with the file's name (or the catalogue's), or
 * undefined after recording why it was skipped.
 */
function resolveRef(
  raw: unknown,
  at: string,
  idPattern: RegExp,
  example: string,
  catalogue: AttackCatalogue,
  result: ElasticMitreResult,
): MitreRef | undefined {
  if (!isRecord(raw)) {
    result.errors.push(shapeError(`${at} must be a table with an id`));
    return undefined;
  }
  const id = text(raw.id).toUpperCase();
  if (!idPattern.test(id)) {
    result.errors.push(
      new RuleValidationError("mitre_threat_invalid_id", `${at}.id must look like ${example}, got ${JSON.stringify(raw.id ?? null)}`),
    );
    return undefined;
  }
  let known: AttackTactic | AttackTechnique | undefined;
  if (idPattern === TACTIC_ID) {
    known = findTactic(id, catalogue);
  } else {
    const technique = findTechnique(id, catalogue);
    if (technique?.revoked || technique?.deprecated) result.retired.push(id);
    known = technique;
  }
  if (!known) result.unknown.push(id);
  const name = text(raw.name) || known?.name;
  if (!name) return undefined;
  return known ? { id, name, reference: known.url } : refFromFile(id, name);
}

function shapeError(summary: string): DetectionError {
  return new RuleValidationError("mitre_threat_shape", summary);
}
