import type { MitreMapping, MitreRef } from "../rules/model";
import { attackUrl } from "./attack-url";
import { ENTERPRISE_ATTACK, compareIds } from "./catalogue";
import type { AttackCatalogue, AttackTactic, AttackTechnique } from "./catalogue";

/**
 * One canonical list, whatever the rule format:
 * 1. duplicates go (the first one wins, so a file's own names survive);
 * 2. a mapping that a more specific one already says goes: {Persistence} beside
 *    {Persistence, T1505}, and {Persistence, T1505} beside {Persistence, T1505, T1505.003};
 * 3. the order is the matrix's tactic order (tactics the catalogue does not know go last, by id),
 *    then technique id, then sub-technique id, with the less specific mapping first.
 */
export function normalizeMitreMappings(
  mappings: readonly MitreMapping[],
  catalogue: AttackCatalogue = ENTERPRISE_ATTACK,
): MitreMapping[] {
  const unique = new Map<string, MitreMapping>();
  const covered = new Set<string>();
  for (const m of mappings) {
    const key = mappingKey(m);
    if (!unique.has(key)) unique.set(key, m);
    if (m.technique) covered.add(`${m.tactic.id}||`);
    if (m.technique && m.subtechnique) covered.add(`${m.tactic.id}|${m.technique.id}|`);
  }
  const rank = (m: MitreMapping) => catalogue.tacticRank.get(m.tactic.id) ?? Number.MAX_SAFE_INTEGER;
  return [...unique.entries()]
    .filter(([key]) => !covered.has(key))
    .map(([, m]) => m)
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        compareIds(a.tactic.id, b.tactic.id) ||
        compareIds(a.technique?.id ?? "", b.technique?.id ?? "") ||
        compareIds(a.subtechnique?.id ?? "", b.subtechnique?.id ?? ""),
    );
}

function mappingKey(m: MitreMapping): string {
  return `${m.tactic.id}|${m.technique?.id ?? ""}|${m.subtechnique?.id ?? ""}`;
}

/** A mapping for a catalogue tactic and, optionally, a technique or sub-technique of it. */
export function mappingFromCatalogue(
  tactic: AttackTactic,
  technique: AttackTechnique | undefined,
  catalogue: AttackCatalogue = ENTERPRISE_ATTACK,
): MitreMapping {
  if (!technique) return { tactic: refOf(tactic) };
  if (technique.subtechniqueOf === undefined) return { tactic: refOf(tactic), technique: refOf(technique) };
  const parent = catalogue.techniqueById.get(technique.subtechniqueOf);
  // buildAttackCatalogue guarantees every sub-technique's parent; reaching this is a bug.
  if (!parent) throw new Error(`catalogue has no parent for ${technique.id}`);
  return { tactic: refOf(tactic), technique: refOf(parent), subtechnique: refOf(technique) };
}

function refOf(entry: AttackTactic | AttackTechnique): MitreRef {
  return { id: entry.id, name: entry.name, reference: entry.url };
}

/**
 * A reference for an id and name from a rule file. The link is always built from the id, never
 * copied from the file: the console renders it as a link, and a rule file is user input.
 */
export function refFromFile(id: string, name: string): MitreRef {
  const reference = attackUrl(id);
  return reference === undefined ? { id, name } : { id, name, reference };
}
