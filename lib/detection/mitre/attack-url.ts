/** ATT&CK identifiers and their pages on attack.mitre.org. */

export const ATTACK_SITE = "https://attack.mitre.org";

/** TA0001 */
export const TACTIC_ID = /^TA\d{4}$/i;
/** T1505 or T1505.003 */
export const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/i;
/** T1505.003 only */
export const SUBTECHNIQUE_ID = /^T\d{4}\.\d{3}$/i;

const PAGES: readonly (readonly [RegExp, string])[] = [
  [TACTIC_ID, "tactics"],
  [TECHNIQUE_ID, "techniques"],
  [/^G\d{4}$/i, "groups"],
  [/^S\d{4}$/i, "software"],
  [/^M\d{4}$/i, "mitigations"],
];

/**
 * The attack.mitre.org page of an ATT&CK id, in the site's canonical form with a trailing slash:
 * `TA0001` → `…/tactics/TA0001/`, `T1505` → `…/techniques/T1505/`,
 * `T1505.003` → `…/techniques/T1505/003/` (the site has no `T1505.003` path). Group (`G0001`),
 * software (`S0001`) and mitigation (`M1036`) ids work too. Case-insensitive.
 *
 * Total: an id of no known form gives `undefined`, never a guessed link.
 */
export function attackUrl(id: string): string | undefined {
  const canonical = id.trim().toUpperCase();
  for (const [pattern, page] of PAGES) {
    if (pattern.test(canonical)) return `${ATTACK_SITE}/${page}/${canonical.replace(".", "/")}/`;
  }
  return undefined;
}
