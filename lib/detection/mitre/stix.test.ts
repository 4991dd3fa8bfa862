import { describe, expect, it } from "vitest";
import { DetectionError } from "../errors";
import { buildAttackCatalogue } from "./catalogue";
import { mitreFromSigmaTags } from "./mitre-from-sigma-tags";
import { catalogueFromStix } from "./stix";

const ref = (external_id: string, path: string) => ({
  source_name: "mitre-attack",
  external_id,
  url: `https://attack.mitre.org/${path}`, // STIX writes no trailing slash
});
const tactic = (stixId: string, id: string, name: string, shortname: string, extra: object = {}) => ({
  type: "x-mitre-tactic",
  id: `x-mitre-tactic--${stixId}`,
  name,
  x_mitre_shortname: shortname,
  external_references: [ref(id, `tactics/${id}`)],
  ...extra,
});
const pattern = (stixId: string, id: string, name: string, phases: string[], extra: object = {}) => ({
  type: "attack-pattern",
  id: `attack-pattern--${stixId}`,
  name,
  kill_chain_phases: phases.map((phase_name) => ({ kill_chain_name: "mitre-attack", phase_name })),
  external_references: [ref(id, `techniques/${id.replace(".", "/")}`), { source_name: "capec", external_id: "CAPEC-650" }],
  x_mitre_domains: ["enterprise-attack"],
  x_mitre_is_subtechnique: id.includes("."),
  ...extra,
});

/** A small hand-made Enterprise bundle with the shapes the real one has. */
function bundle() {
  return {
    type: "bundle",
    id: "bundle--1",
    objects: [
      { type: "x-mitre-collection", id: "x-mitre-collection--1", name: "Enterprise ATT&CK", x_mitre_version: "18.0", modified: "2025-10-28T14:00:00.000Z" },
      {
        type: "x-mitre-matrix",
        id: "x-mitre-matrix--1",
        name: "Enterprise ATT&CK",
        external_references: [ref("enterprise-attack", "matrices/enterprise")],
        tactic_refs: ["x-mitre-tactic--ia", "x-mitre-tactic--ex", "x-mitre-tactic--pe"],
      },
      // Listed out of matrix order on purpose.
      tactic("pe", "TA0003", "Persistence", "persistence"),
      tactic("ex", "TA0002", "Execution", "execution"),
      tactic("ia", "TA0001", "Initial Access", "initial-access"),
      tactic("old", "TA0099", "Old Tactic", "old-tactic", { x_mitre_deprecated: true }),
      // A revoked-by relationship before the objects it links.
      {
        type: "relationship",
        id: "relationship--1",
        relationship_type: "revoked-by",
        source_ref: "attack-pattern--t1086",
        target_ref: "attack-pattern--t1059-001",
      },
      { type: "relationship", id: "relationship--2", relationship_type: "subtechnique-of", source_ref: "attack-pattern--t1505-003", target_ref: "attack-pattern--t1505" },
      pattern("t1505-003", "T1505.003", "Web Shell", ["persistence"]),
      pattern("t1505", "T1505", "Server Software Component", ["persistence"]),
      pattern("t1190", "T1190", "Exploit Public-Facing Application", ["initial-access"]),
      // Phases in reverse matrix order, plus one of another kill chain that must be ignored.
      pattern("t1078", "T1078", "Valid Accounts", ["persistence", "initial-access"], {
        kill_chain_phases: [
          { kill_chain_name: "mitre-attack", phase_name: "persistence" },
          { kill_chain_name: "lockheed", phase_name: "exploitation" },
          { kill_chain_name: "mitre-attack", phase_name: "initial-access" },
        ],
      }),
      pattern("t1059", "T1059", "Command and Scripting Interpreter", ["execution"]),
      pattern("t1059-001", "T1059.001", "PowerShell", ["execution"]),
      pattern("t1086", "T1086", "PowerShell", ["execution"], { revoked: true }),
      pattern("t1064", "T1064", "Scripting", ["execution"], { x_mitre_deprecated: true }),
      // A retired object and an active one sharing an id: the active one wins, in either order.
      pattern("t1190-old", "T1190", "Exploit Public-Facing Application (old)", ["initial-access"], { revoked: true }),
      // Not this domain, not ATT&CK, not a technique.
      pattern("mobile", "T1398", "Boot or Logon Initialization Scripts", ["persistence"], { x_mitre_domains: ["mobile-attack"] }),
      { type: "attack-pattern", id: "attack-pattern--capec", name: "CAPEC only", external_references: [{ source_name: "capec", external_id: "CAPEC-1" }] },
      { type: "course-of-action", id: "course-of-action--1", name: "Audit", external_references: [ref("M1047", "mitigations/M1047")] },
      { type: "malware", id: "malware--1", name: "China Chopper", external_references: [ref("S0020", "software/S0020")] },
    ],
  };
}

describe("catalogueFromStix", () => {
  it("builds the catalogue shape from a bundle", () => {
    const data = catalogueFromStix(bundle(), { source: "test bundle" });
    expect(data.attackVersion).toBe("18.0");
    expect(data.domain).toBe("enterprise-attack");
    expect(data.source).toBe("test bundle");
    expect(data.name).toBe("Enterprise ATT&CK");
    expect(data.released).toBe("2025-10-28T14:00:00.000Z");
    expect(data.tactics).toEqual([
      { id: "TA0001", name: "Initial Access", shortname: "initial-access", url: "https://attack.mitre.org/tactics/TA0001/" },
      { id: "TA0002", name: "Execution", shortname: "execution", url: "https://attack.mitre.org/tactics/TA0002/" },
      { id: "TA0003", name: "Persistence", shortname: "persistence", url: "https://attack.mitre.org/tactics/TA0003/" },
    ]);
    expect(data.techniques).toEqual([
      { id: "T1059", name: "Command and Scripting Interpreter", url: "https://attack.mitre.org/techniques/T1059/", tactics: ["execution"] },
      {
        id: "T1059.001",
        name: "PowerShell",
        url: "https://attack.mitre.org/techniques/T1059/001/",
        tactics: ["execution"],
        subtechniqueOf: "T1059",
      },
      { id: "T1064", name: "Scripting", url: "https://attack.mitre.org/techniques/T1064/", tactics: ["execution"], deprecated: true },
      {
        id: "T1078",
        name: "Valid Accounts",
        url: "https://attack.mitre.org/techniques/T1078/",
        tactics: ["initial-access", "persistence"],
      },
      {
        id: "T1086",
        name: "PowerShell",
        url: "https://attack.mitre.org/techniques/T1086/",
        tactics: ["execution"],
        revoked: true,
        revokedBy: "T1059.001",
      },
      { id: "T1190", name: "Exploit Public-Facing Application", url: "https://attack.mitre.org/techniques/T1190/", tactics: ["initial-access"] },
      { id: "T1505", name: "Server Software Component", url: "https://attack.mitre.org/techniques/T1505/", tactics: ["persistence"] },
      {
        id: "T1505.003",
        name: "Web Shell",
        url: "https://attack.mitre.org/techniques/T1505/003/",
        tactics: ["persistence"],
        subtechniqueOf: "T1505",
      },
    ]);
  });

  it("gives data the mapping functions can use at once (the admin-upload path)", () => {
    const catalogue = buildAttackCatalogue(JSON.parse(JSON.stringify(catalogueFromStix(bundle()))));
    const result = mitreFromSigmaTags(["attack.persistence", "attack.t1505.003", "attack.t1086", "attack.t1071"], catalogue);
    expect(result.mappings.map((m) => [m.tactic.id, m.technique?.id, m.subtechnique?.id])).toEqual([
      ["TA0002", "T1059", "T1059.001"],
      ["TA0003", "T1505", "T1505.003"],
    ]);
    expect(result.retired).toEqual(["attack.t1086"]);
    expect(result.unknown).toEqual(["attack.t1071"]);
  });

  it("keeps the active object when a retired one with the same id comes first", () => {
    const b = bundle();
    const i = b.objects.findIndex((o) => o.id === "attack-pattern--t1190");
    const [active] = b.objects.splice(i, 1);
    b.objects.push(active!);
    const t1190 = catalogueFromStix(b).techniques.find((t) => t.id === "T1190");
    expect(t1190).toEqual({
      id: "T1190",
      name: "Exploit Public-Facing Application",
      url: "https://attack.mitre.org/techniques/T1190/",
      tactics: ["initial-access"],
    });
  });

  it("takes the version from the options when the bundle has no collection (mitre/cti STIX 2.0)", () => {
    const b = bundle();
    b.objects = b.objects.filter((o) => o.type !== "x-mitre-collection");
    expect(catalogueFromStix(b, { attackVersion: "17.1" }).attackVersion).toBe("17.1");
  });

  it("orders tactics by id when the bundle has no matrix", () => {
    const b = bundle();
    b.objects = b.objects.filter((o) => o.type !== "x-mitre-matrix");
    expect(catalogueFromStix(b).tactics.map((t) => t.id)).toEqual(["TA0001", "TA0002", "TA0003"]);
  });

  const rejects = (input: unknown, message: string, options = {}) => {
    let error: unknown;
    try {
      catalogueFromStix(input, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DetectionError);
    expect((error as DetectionError).code).toBe("stix_bundle_invalid");
    expect((error as DetectionError).summary).toContain(message);
  };

  it("rejects what is not a bundle", () => {
    rejects(null, "expected a STIX bundle");
    rejects({ type: "bundle" }, "expected a STIX bundle");
    rejects([], "expected a STIX bundle");
  });

  it("rejects a bundle without a version, tactics or techniques", () => {
    const noVersion = bundle();
    noVersion.objects = noVersion.objects.filter((o) => o.type !== "x-mitre-collection");
    rejects(noVersion, "no ATT&CK version");
    rejects({ type: "bundle", objects: [] }, "no x-mitre-tactic objects", { attackVersion: "1" });
    const noTechniques = bundle();
    noTechniques.objects = noTechniques.objects.filter((o) => o.type !== "attack-pattern");
    rejects(noTechniques, "no active attack-pattern objects");
  });

  it("says so when the bundle is another domain's", () => {
    const mobile = bundle();
    mobile.objects = mobile.objects.map((o) => (o.type === "attack-pattern" ? { ...o, x_mitre_domains: ["mobile-attack"] } : o));
    rejects(mobile, "the bundle is mobile-attack, not enterprise-attack");
  });

  it("keeps the catalogue's name and release date through a stored copy", () => {
    const stored = buildAttackCatalogue(JSON.parse(JSON.stringify(catalogueFromStix(bundle()))));
    expect(stored.name).toBe("Enterprise ATT&CK");
    expect(stored.released).toBe("2025-10-28T14:00:00.000Z");
  });

  it("rejects an active technique in an unknown tactic, twice defined, or without its parent", () => {
    const strange = bundle();
    strange.objects.push(pattern("x", "T1600", "Weaken Encryption", ["defense-evasion"]));
    rejects(strange, "T1600 is in unknown tactic(s) defense-evasion");

    const twice = bundle();
    twice.objects.push(pattern("t1505-again", "T1505", "Server Software Component", ["persistence"]));
    rejects(twice, "two active attack-patterns have id T1505");

    const orphan = bundle();
    orphan.objects = orphan.objects.filter((o) => o.id !== "attack-pattern--t1505");
    rejects(orphan, "sub-technique T1505.003 has no parent T1505");
  });

  it("drops a retired sub-technique whose parent is gone", () => {
    const b = bundle();
    b.objects.push(pattern("t1999-1", "T1999.001", "Gone", ["persistence"], { x_mitre_deprecated: true }));
    expect(catalogueFromStix(b).techniques.map((t) => t.id)).not.toContain("T1999.001");
  });
});
