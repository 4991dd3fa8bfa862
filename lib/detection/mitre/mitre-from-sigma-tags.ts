import type { MitreMapping } from "../rules/model";
import { TECHNIQUE_ID } from "./attack-url";
import { ENTERPRISE_ATTACK, findTactic, findTechnique, tacticsOfTechnique } from "./catalogue";
import type { AttackCatalogue, AttackTactic, AttackTechnique } from "./catalogue";
import { mappingFromCatalogue, normalizeMitreMappings } from "./normalize-mitre-mappings";

export interface SigmaMitreResult {
  /** Deduplicated, in matrix order (see normalizeMitreMappings). */
  mappings: MitreMapping[];
  /** `attack.*` tags the catalogue does not know, as written: the loader reports them as warnings. */
  unknown: string[];
  /**
   * Tags naming a revoked or deprecated technique, as written. A revoked one is mapped as the
   * technique that replaced it when the catalogue names one, otherwise (and when deprecated) as
   * itself.
   */
  retired: string[];
}

/** attack.g0001 (group) and attack.s0001 (software) are ATT&CK, but not tactics or techniques. */
const GROUP_OR_SOFTWARE = /^[gs]\d{4}$/i;
/** A revoked-by chain longer than this is a loop in a hand-edited catalogue. */
const MAX_REVOCATIONS = 8;

/**
 * The ATT&CK mappings a Sigma rule's tags state (Sigma tags appendix: `attack.<tactic>` with `-` or
 * `_`, `attack.tNNNN[.NNN]`). Tags of other namespaces (`cve.*`, `detection.*`, `car.*`, `tlp.*`, …)
 * and `attack.gNNNN` / `attack.sNNNN` are not mappings and are skipped without a word.
 *
 * Sigma tags are a flat list, so which tactic a technique serves has to be worked out:
 * - a technique (or sub-technique) pairs with those of the rule's tactics the catalogue lists for it;
 * - when none of the rule's tactics fits, it takes all of the catalogue's tactics for it, since
 *   the rule does say the technique and the catalogue says where it belongs;
 * - a tactic that no technique paired with stands alone, as a tactic-only mapping;
 * - a sub-technique maps as technique = its parent, subtechnique = itself.
 * Nothing is invented: an id the catalogue lacks goes to `unknown`, never into `mappings`.
 *
 *   ["attack.persistence", "attack.initial-access", "attack.t1505.003", "attack.t1190"]
 *   → Initial Access / T1190, Persistence / T1505 / T1505.003
 */
export function mitreFromSigmaTags(
  tags: readonly string[],
  catalogue: AttackCatalogue = ENTERPRISE_ATTACK,
): SigmaMitreResult {
  const ruleTactics = new Map<string, AttackTactic>();
  const techniques: AttackTechnique[] = [];
  const unknown: string[] = [];
  const retired: string[] = [];

  for (const tag of tags) {
    if (typeof tag !== "string") continue;
    const trimmed = tag.trim();
    const dot = trimmed.indexOf(".");
    if (dot <= 0 || trimmed.slice(0, dot).toLowerCase() !== "attack") continue;
    const value = trimmed.slice(dot + 1);
    if (GROUP_OR_SOFTWARE.test(value)) continue;

    if (TECHNIQUE_ID.test(value)) {
      const found = findTechnique(value, catalogue);
      const current = found && currentTechnique(found, catalogue);
      if (!current || tacticsOfTechnique(current.id, catalogue).length === 0) {
        unknown.push(tag);
        continue;
      }
      if (current !== found || found.deprecated || found.revoked) retired.push(tag);
      techniques.push(current);
      continue;
    }

    const tactic = findTactic(value, catalogue);
    if (tactic) ruleTactics.set(tactic.id, tactic);
    else unknown.push(tag);
  }

  const mappings: MitreMapping[] = [];
  const paired = new Set<string>();
  for (const technique of techniques) {
    const own = tacticsOfTechnique(technique.id, catalogue);
    const fitting = own.filter((t) => ruleTactics.has(t.id));
    for (const tactic of fitting.length > 0 ? fitting : own) {
      paired.add(tactic.id);
      mappings.push(mappingFromCatalogue(tactic, technique, catalogue));
    }
  }
  for (const tactic of ruleTactics.values()) {
    if (!paired.has(tactic.id)) mappings.push(mappingFromCatalogue(tactic, undefined, catalogue));
  }

  return {
    mappings: normalizeMitreMappings(mappings, catalogue),
    unknown: [...new Set(unknown)],
    retired: [...new Set(retired)],
  };
}

/** Follow revoked-by to the technique in use today; undefined when the chain leads nowhere. */
function currentTechnique(technique: AttackTechnique, catalogue: AttackCatalogue): AttackTechnique | undefined {
  let current = technique;
  for (let hops = 0; current.revoked && current.revokedBy !== undefined; hops++) {
    const next = findTechnique(current.revokedBy, catalogue);
    if (!next || hops === MAX_REVOCATIONS) return undefined;
    current = next;
  }
  return current;
}
