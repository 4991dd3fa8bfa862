import { RuleValidationError } from "../errors";
import { TACTIC_ID, TECHNIQUE_ID, attackUrl } from "./attack-url";
import { buildAttackCatalogue, compareIds } from "./catalogue";
import type { AttackCatalogueData, AttackTactic, AttackTechnique } from "./catalogue";
import { isRecord, text } from "./guards";

export interface CatalogueFromStixOptions {
  /** ATT&CK release; defaults to the bundle's x-mitre-collection x_mitre_version (STIX 2.1 bundles). */
  attackVersion?: string;
  /** Default "enterprise-attack": objects whose x_mitre_domains leave it out are skipped. */
  domain?: string;
  /** Default "mitre-attack", the enterprise kill chain in kill_chain_phases. */
  killChainName?: string;
  /** Recorded in the catalogue's `source`. */
  source?: string;
}

type StixObject = Record<string, unknown>;

/** How many problems one error lists before it says "and N more". */
const MAX_REPORTED_PROBLEMS = 10;

/**
 * Build the catalogue's stored shape from an official ATT&CK STIX 2.x bundle (as published in
 * mitre-attack/attack-stix-data or mitre/cti), already parsed from JSON:
 *
 * - tactics: `x-mitre-tactic` objects (id from the `mitre-attack` external reference, name,
 *   `x_mitre_shortname`), ordered as the domain's `x-mitre-matrix` `tactic_refs`; revoked or
 *   deprecated tactics are left out;
 * - techniques: `attack-pattern` objects, tactics from `kill_chain_phases` of the `mitre-attack`
 *   kill chain (phase_name = tactic shortname), sub-techniques by `x_mitre_is_subtechnique` or a
 *   dotted id, `revoked` and `x_mitre_deprecated` kept as flags, and `revoked-by` relationships as
 *   `revokedBy`;
 * - version: `options.attackVersion`, else the `x-mitre-collection`'s `x_mitre_version`;
 * - name and release date: the collection's `name` and `modified` (else `created`), when present.
 *
 * When an active and a retired object share an id (MITRE re-used a few), the active one wins.
 * Links are rebuilt from ids in attack.mitre.org's canonical form (STIX omits the trailing slash).
 *
 * @throws RuleValidationError `stix_bundle_invalid` when the input is not a bundle, is another
 *   domain's bundle, has no version, no tactics or no techniques, or an active technique is
 *   malformed (unknown tactic, duplicate id, missing parent); the result always passes
 *   `buildAttackCatalogue`.
 */
export function catalogueFromStix(bundle: unknown, options: CatalogueFromStixOptions = {}): AttackCatalogueData {
  const domain = options.domain ?? "enterprise-attack";
  const killChain = options.killChainName ?? "mitre-attack";
  const problems: string[] = [];

  if (!isRecord(bundle) || !Array.isArray(bundle.objects)) {
    throw invalid(["expected a STIX bundle: an object with an `objects` array"]);
  }
  const objects = bundle.objects.filter(
    (o): o is StixObject => isRecord(o) && (!Array.isArray(o.x_mitre_domains) || o.x_mitre_domains.includes(domain)),
  );
  const ofType = (type: string) => objects.filter((o) => o.type === type);
  const retired = (o: StixObject) => o.revoked === true || o.x_mitre_deprecated === true;

  // The usual wrong file is another domain's bundle (mobile-attack.json for enterprise-attack.json).
  if (!objects.some((o) => o.type === "attack-pattern")) {
    const others = new Set<string>();
    for (const o of bundle.objects) {
      if (!isRecord(o) || !Array.isArray(o.x_mitre_domains)) continue;
      for (const d of o.x_mitre_domains) if (typeof d === "string" && d !== domain) others.add(d);
    }
    if (others.size > 0) problems.push(`the bundle is ${[...others].sort().join(", ")}, not ${domain}`);
  }

  const collection = ofType("x-mitre-collection").find((c) => !retired(c));
  const attackVersion = options.attackVersion?.trim() || text(collection?.x_mitre_version);
  if (!attackVersion) problems.push("no ATT&CK version: the bundle has no x-mitre-collection; pass attackVersion");
  const releaseName = text(collection?.name);
  const released = text(collection?.modified) || text(collection?.created);

  // Tactics, keyed by STIX id for the matrix's tactic_refs.
  const tacticByStixId = new Map<string, AttackTactic>();
  for (const o of ofType("x-mitre-tactic")) {
    if (retired(o)) continue;
    const id = attackId(o);
    const name = text(o.name);
    const shortname = text(o.x_mitre_shortname);
    if (!TACTIC_ID.test(id) || !name || !shortname) {
      problems.push(`x-mitre-tactic ${text(o.id) || "(no id)"} lacks an ATT&CK id, name or x_mitre_shortname`);
      continue;
    }
    tacticByStixId.set(text(o.id), { id, name, shortname, url: attackUrl(id) ?? "" });
  }
  const matrices = ofType("x-mitre-matrix").filter((m) => !retired(m));
  const matrix = matrices.find((m) => attackId(m) === domain) ?? matrices[0];
  const tactics: AttackTactic[] = [];
  for (const ref of Array.isArray(matrix?.tactic_refs) ? matrix.tactic_refs : []) {
    const tactic = tacticByStixId.get(text(ref));
    if (tactic && !tactics.includes(tactic)) tactics.push(tactic);
  }
  // Tactics no matrix places (or no matrix at all) follow, by id.
  const unplaced = [...tacticByStixId.values()].filter((t) => !tactics.includes(t));
  tactics.push(...unplaced.sort((a, b) => compareIds(a.id, b.id)));
  if (tactics.length === 0) problems.push("no x-mitre-tactic objects");
  const shortnames = new Set(tactics.map((t) => t.shortname));

  const revokedBy = new Map<string, string>();
  for (const r of ofType("relationship")) {
    if (r.relationship_type === "revoked-by") revokedBy.set(text(r.source_ref), text(r.target_ref));
  }

  // Techniques, first by STIX id (to resolve revoked-by), then by ATT&CK id.
  const stixToAttackId = new Map<string, string>();
  const byId = new Map<string, AttackTechnique>();
  for (const o of ofType("attack-pattern")) {
    const id = attackId(o).toUpperCase();
    if (!TECHNIQUE_ID.test(id)) continue; // not an ATT&CK technique (or not in this domain)
    const isRetired = retired(o);
    const name = text(o.name);
    const phases = (Array.isArray(o.kill_chain_phases) ? o.kill_chain_phases : [])
      .filter((p) => isRecord(p) && p.kill_chain_name === killChain)
      .map((p) => text((p as StixObject).phase_name));
    const strange = phases.filter((p) => !shortnames.has(p));
    if (!isRetired && (!name || phases.length === 0 || strange.length > 0)) {
      problems.push(
        !name
          ? `attack-pattern ${id} has no name`
          : strange.length > 0
            ? `attack-pattern ${id} is in unknown tactic(s) ${strange.join(", ")}`
            : `attack-pattern ${id} has no ${killChain} kill_chain_phases`,
      );
      continue;
    }
    const previous = byId.get(id);
    if (previous) {
      const previousRetired = previous.revoked === true || previous.deprecated === true;
      if (!previousRetired && !isRetired) problems.push(`two active attack-patterns have id ${id}`);
      if (isRetired || !previousRetired) continue;
    }
    stixToAttackId.set(text(o.id), id);
    const parent = id.includes(".") ? id.slice(0, id.indexOf(".")) : undefined;
    byId.set(id, {
      id,
      name: name || id,
      url: attackUrl(id) ?? "",
      tactics: [...new Set(phases.filter((p) => shortnames.has(p)))],
      ...(parent !== undefined && { subtechniqueOf: parent }),
      ...(o.x_mitre_deprecated === true && { deprecated: true }),
      ...(o.revoked === true && { revoked: true }),
    });
  }
  // Resolved once every attack-pattern is known: a replacement may come later in the bundle.
  for (const [stixId, id] of stixToAttackId) {
    const technique = byId.get(id);
    const target = revokedBy.get(stixId);
    const by = target === undefined ? undefined : stixToAttackId.get(target);
    if (technique?.revoked && by !== undefined && by !== id) byId.set(id, { ...technique, revokedBy: by });
  }

  const techniques: AttackTechnique[] = [];
  for (const t of byId.values()) {
    if (t.subtechniqueOf !== undefined && !byId.has(t.subtechniqueOf)) {
      // A retired sub-technique may outlive its parent in old bundles; an active one may not.
      if (!(t.revoked || t.deprecated)) problems.push(`sub-technique ${t.id} has no parent ${t.subtechniqueOf}`);
      continue;
    }
    techniques.push(t);
  }
  if (!techniques.some((t) => !t.revoked && !t.deprecated)) problems.push("no active attack-pattern objects");
  if (problems.length > 0) throw invalid(problems);

  const data: AttackCatalogueData = {
    attackVersion,
    domain,
    source: options.source ?? `ATT&CK STIX bundle (${domain})`,
    ...(releaseName && { name: releaseName }),
    ...(released && { released }),
    tactics,
    techniques: techniques.sort((a, b) => compareIds(a.id, b.id)),
  };
  // The same checks the stored catalogue gets (and the tactic order of each technique).
  const built = buildAttackCatalogue(data);
  return { ...data, techniques: [...built.techniques] };
}

/** The `mitre-attack` external reference's id: TA0001, T1505.003, enterprise-attack. */
function attackId(o: StixObject): string {
  const refs = Array.isArray(o.external_references) ? o.external_references : [];
  const ref = refs.find((r) => isRecord(r) && r.source_name === "mitre-attack" && typeof r.external_id === "string");
  return isRecord(ref) ? text(ref.external_id) : "";
}

function invalid(problems: string[]): RuleValidationError {
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).join("; ");
  const more = problems.length > MAX_REPORTED_PROBLEMS ? ` (and ${problems.length - MAX_REPORTED_PROBLEMS} more)` : "";
  return new RuleValidationError("stix_bundle_invalid", `invalid ATT&CK STIX bundle: ${shown}${more}`);
}
