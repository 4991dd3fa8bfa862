import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MitreMapping } from "../rules/model";
import { ENTERPRISE_ATTACK, buildAttackCatalogue, catalogueData, tacticsOfTechnique } from "./catalogue";
import { mitreFromSigmaTags } from "./mitre-from-sigma-tags";

/** Mappings as "TA0003/T1505/T1505.003" strings: the order and pairing are what these tests check. */
const ids = (mappings: MitreMapping[]) =>
  mappings.map((m) => [m.tactic.id, m.technique?.id, m.subtechnique?.id].filter(Boolean).join("/"));

describe("mitreFromSigmaTags", () => {
  it("maps the seed Sigma rule (Suspicious Process By Web Server Process) with names and links", () => {
    const result = mitreFromSigmaTags(["attack.persistence", "attack.initial-access", "attack.t1505.003", "attack.t1190"]);
    expect(result.unknown).toEqual([]);
    expect(result.retired).toEqual([]);
    // Matrix order: Initial Access is the matrix's third column, Persistence its fifth.
    expect(result.mappings).toEqual([
      {
        tactic: { id: "TA0001", name: "Initial Access", reference: "https://attack.mitre.org/tactics/TA0001/" },
        technique: { id: "T1190", name: "Exploit Public-Facing Application", reference: "https://attack.mitre.org/techniques/T1190/" },
      },
      {
        tactic: { id: "TA0003", name: "Persistence", reference: "https://attack.mitre.org/tactics/TA0003/" },
        technique: { id: "T1505", name: "Server Software Component", reference: "https://attack.mitre.org/techniques/T1505/" },
        subtechnique: { id: "T1505.003", name: "Web Shell", reference: "https://attack.mitre.org/techniques/T1505/003/" },
      },
    ]);
  });

  it("keeps a tactic no technique pairs with as a tactic-only mapping (seed: Linux web server shells)", () => {
    const result = mitreFromSigmaTags([
      "attack.command_and_control",
      "attack.execution",
      "attack.persistence",
      "attack.t1059.004",
      "attack.t1505.003",
    ]);
    expect(ids(result.mappings)).toEqual(["TA0002/T1059/T1059.004", "TA0003/T1505/T1505.003", "TA0011"]);
    expect(result.mappings[2]).toEqual({
      tactic: { id: "TA0011", name: "Command and Control", reference: "https://attack.mitre.org/tactics/TA0011/" },
    });
  });

  it("pairs a technique only with the rule's tactics that the catalogue lists for it", () => {
    // T1078 Valid Accounts serves four tactics; the rule claims two of them.
    const result = mitreFromSigmaTags(["attack.persistence", "attack.privilege-escalation", "attack.t1078.003"]);
    expect(ids(result.mappings)).toEqual(["TA0003/T1078/T1078.003", "TA0004/T1078/T1078.003"]);
  });

  it("uses all the catalogue's tactics for a technique none of the rule's tactics fit", () => {
    // Seed native rule: tactic Execution with technique T1190, which ATT&CK files under Initial Access.
    expect(ids(mitreFromSigmaTags(["attack.execution", "attack.t1190"]).mappings)).toEqual(["TA0001/T1190", "TA0002"]);
    expect(ids(mitreFromSigmaTags(["attack.t1078"]).mappings)).toEqual([
      "TA0001/T1078",
      "TA0003/T1078",
      "TA0004/T1078",
      "TA0005/T1078",
    ]);
  });

  it("maps a rule with only tactics to tactic-only mappings", () => {
    expect(ids(mitreFromSigmaTags(["attack.impact", "attack.discovery"]).mappings)).toEqual(["TA0007", "TA0040"]);
  });

  it("accepts - or _, any case, and repeated tags", () => {
    const a = mitreFromSigmaTags(["attack.initial_access", "ATTACK.T1190", "attack.t1190", "attack.Initial-Access"]);
    const b = mitreFromSigmaTags(["attack.initial-access", "attack.t1190"]);
    expect(a).toEqual(b);
    expect(ids(a.mappings)).toEqual(["TA0001/T1190"]);
  });

  it("drops a technique mapping that a sub-technique mapping of the same tactic already says", () => {
    const result = mitreFromSigmaTags(["attack.persistence", "attack.t1505", "attack.t1505.003"]);
    expect(ids(result.mappings)).toEqual(["TA0003/T1505/T1505.003"]);
    expect(ids(mitreFromSigmaTags(["attack.t1505", "attack.t1505.003", "attack.t1505.004"]).mappings)).toEqual([
      "TA0003/T1505/T1505.003",
      "TA0003/T1505/T1505.004",
    ]);
  });

  it("skips groups, software and the other tag namespaces without reporting them", () => {
    const result = mitreFromSigmaTags([
      "attack.g0016",
      "attack.s0002",
      "cve.2021-44228",
      "cve.2021.44228",
      "detection.emerging-threats",
      "detection.threat-hunting",
      "car.2013-05-002",
      "tlp.amber",
      "stp.1u",
      "attack",
      "persistence",
    ]);
    expect(result).toEqual({ mappings: [], unknown: [], retired: [] });
  });

  it("reports ids and tactics the catalogue lacks as written, and never invents a mapping for them", () => {
    const result = mitreFromSigmaTags([
      "attack.t9999",
      "attack.T1505.999",
      "attack.persistance",
      "attack.t1086",
      "attack.persistence",
      "attack.t9999",
    ]);
    expect(result.unknown).toEqual(["attack.t9999", "attack.T1505.999", "attack.persistance", "attack.t1086"]);
    expect(ids(result.mappings)).toEqual(["TA0003"]);
  });

  it("follows a revoked technique to its replacement in an uploaded catalogue, and says so", () => {
    const data = catalogueData(ENTERPRISE_ATTACK);
    data.techniques.push(
      { id: "T1086", name: "PowerShell", url: "", tactics: ["execution"], revoked: true, revokedBy: "T1059.001" },
      { id: "T1064", name: "Scripting", url: "", tactics: ["execution", "defense-evasion"], deprecated: true },
    );
    const withRetired = buildAttackCatalogue(data);
    const result = mitreFromSigmaTags(["attack.execution", "attack.t1086", "attack.t1064"], withRetired);
    expect(ids(result.mappings)).toEqual(["TA0002/T1059/T1059.001", "TA0002/T1064"]);
    expect(result.retired).toEqual(["attack.t1086", "attack.t1064"]);
    expect(result.unknown).toEqual([]);
  });
});

describe("mitreFromSigmaTags properties", () => {
  const known = ENTERPRISE_ATTACK.techniques.map((t) => `attack.${t.id.toLowerCase()}`);
  const tactics = ENTERPRISE_ATTACK.tactics.flatMap((t) => [`attack.${t.shortname}`, `attack.${t.shortname.replace(/-/g, "_")}`]);
  const noise = ["attack.t9999", "attack.g0007", "cve.2024-1", "tlp.red", "attack.nonsense"];
  const tags = fc.array(fc.constantFrom(...known, ...tactics, ...noise), { maxLength: 8 });

  it("does not depend on the order of the tags", () => {
    fc.assert(
      fc.property(tags, (list) => {
        expect(mitreFromSigmaTags([...list].reverse()).mappings).toEqual(mitreFromSigmaTags(list).mappings);
      }),
    );
  });

  it("only ever pairs a technique with a tactic ATT&CK lists for it, and lists each mapping once", () => {
    fc.assert(
      fc.property(tags, (list) => {
        const { mappings } = mitreFromSigmaTags(list);
        const keys = ids(mappings);
        expect(new Set(keys).size).toBe(keys.length);
        for (const m of mappings) {
          const most = m.subtechnique ?? m.technique;
          if (most) expect(tacticsOfTechnique(most.id).map((t) => t.id)).toContain(m.tactic.id);
          if (m.subtechnique) expect(m.subtechnique.id.startsWith(`${m.technique!.id}.`)).toBe(true);
        }
      }),
    );
  });

  it("maps every known technique tag and reports every unknown attack tag", () => {
    fc.assert(
      fc.property(tags, (list) => {
        const { mappings, unknown } = mitreFromSigmaTags(list);
        const mapped = new Set(mappings.flatMap((m) => [m.technique?.id, m.subtechnique?.id]));
        for (const tag of list.filter((t) => known.includes(t))) expect(mapped.has(tag.slice(7).toUpperCase())).toBe(true);
        expect(unknown.sort()).toEqual([...new Set(list.filter((t) => t === "attack.t9999" || t === "attack.nonsense"))].sort());
      }),
    );
  });
});
