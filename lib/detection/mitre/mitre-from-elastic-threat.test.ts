import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import type { MitreMapping } from "../rules/model";
import { mitreFromElasticThreat } from "./mitre-from-elastic-threat";

/** The threat tables of the seed Elastic new_terms rule, as written in its TOML file. */
const SEED_TOML = `
[rule]
name = "Unusual Command Execution from Web Server Parent"

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1505"
name = "Server Software Component"
reference = "https://attack.mitre.org/techniques/T1505/"

[[rule.threat.technique.subtechnique]]
id = "T1505.003"
name = "Web Shell"
reference = "https://attack.mitre.org/techniques/T1505/003/"

[rule.threat.tactic]
id = "TA0003"
name = "Persistence"
reference = "https://attack.mitre.org/tactics/TA0003/"

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1059"
name = "Command and Scripting Interpreter"
reference = "https://attack.mitre.org/techniques/T1059/"

[[rule.threat.technique.subtechnique]]
id = "T1059.004"
name = "Unix Shell"
reference = "https://attack.mitre.org/techniques/T1059/004/"

[rule.threat.tactic]
id = "TA0002"
name = "Execution"
reference = "https://attack.mitre.org/tactics/TA0002/"

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1071"
name = "Application Layer Protocol"
reference = "https://attack.mitre.org/techniques/T1071/"

[rule.threat.tactic]
id = "TA0011"
name = "Command and Control"
reference = "https://attack.mitre.org/tactics/TA0011/"

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1190"
name = "Exploit Public-Facing Application"
reference = "https://attack.mitre.org/techniques/T1190/"

[rule.threat.tactic]
id = "TA0001"
name = "Initial Access"
reference = "https://attack.mitre.org/tactics/TA0001/"
`;

const seedThreat = () => (parse(SEED_TOML) as { rule: { threat: unknown } }).rule.threat;
const ids = (mappings: MitreMapping[]) =>
  mappings.map((m) => [m.tactic.id, m.technique?.id, m.subtechnique?.id].filter(Boolean).join("/"));
const ref = (id: string, name: string, path: string) => ({ id, name, reference: `https://attack.mitre.org/${path}` });

describe("mitreFromElasticThreat", () => {
  it("maps the seed rule's four threat entries, one mapping each, in matrix order", () => {
    const result = mitreFromElasticThreat(seedThreat());
    expect(result.errors).toEqual([]);
    expect(result.unknown).toEqual([]);
    expect(result.retired).toEqual([]);
    expect(result.mappings).toEqual([
      {
        tactic: ref("TA0001", "Initial Access", "tactics/TA0001/"),
        technique: ref("T1190", "Exploit Public-Facing Application", "techniques/T1190/"),
      },
      {
        tactic: ref("TA0002", "Execution", "tactics/TA0002/"),
        technique: ref("T1059", "Command and Scripting Interpreter", "techniques/T1059/"),
        subtechnique: ref("T1059.004", "Unix Shell", "techniques/T1059/004/"),
      },
      {
        tactic: ref("TA0003", "Persistence", "tactics/TA0003/"),
        technique: ref("T1505", "Server Software Component", "techniques/T1505/"),
        subtechnique: ref("T1505.003", "Web Shell", "techniques/T1505/003/"),
      },
      {
        tactic: ref("TA0011", "Command and Control", "tactics/TA0011/"),
        technique: ref("T1071", "Application Layer Protocol", "techniques/T1071/"),
      },
    ]);
  });

  it("gives one mapping per sub-technique, and a tactic-only mapping for a tactic without techniques", () => {
    const result = mitreFromElasticThreat([
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0005", name: "Defense Evasion" },
        technique: [
          { id: "T1036", name: "Masquerading", subtechnique: [{ id: "T1036.003" }, { id: "T1036.005" }] },
          { id: "T1027", name: "Obfuscated Files or Information" },
        ],
      },
      { framework: "MITRE ATT&CK", tactic: { id: "TA0007", name: "Discovery" } },
      { framework: "MITRE ATT&CK", tactic: { id: "TA0009", name: "Collection" }, technique: [] },
    ]);
    expect(result.errors).toEqual([]);
    expect(ids(result.mappings)).toEqual(["TA0005/T1027", "TA0005/T1036/T1036.003", "TA0005/T1036/T1036.005", "TA0007", "TA0009"]);
  });

  it("keeps the file's names and fills missing ones from the catalogue", () => {
    const result = mitreFromElasticThreat([
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0003" },
        technique: [{ id: "T1505", name: "Server Software Components (old name)", subtechnique: [{ id: "T1505.003", name: "" }] }],
      },
    ]);
    expect(result.mappings).toEqual([
      {
        tactic: ref("TA0003", "Persistence", "tactics/TA0003/"),
        technique: ref("T1505", "Server Software Components (old name)", "techniques/T1505/"),
        subtechnique: ref("T1505.003", "Web Shell", "techniques/T1505/003/"),
      },
    ]);
  });

  it("builds links from the ids and never copies the file's reference", () => {
    const result = mitreFromElasticThreat([
      { framework: "MITRE ATT&CK", tactic: { id: "TA0001", name: "Initial Access", reference: "javascript:alert(1)" } },
    ]);
    expect(result.mappings[0]!.tactic.reference).toBe("https://attack.mitre.org/tactics/TA0001/");
  });

  it("ignores other frameworks and an absent threat", () => {
    const atlas = [{ framework: "MITRE ATLAS", tactic: { id: "AML.TA0002", name: "Reconnaissance" } }];
    expect(mitreFromElasticThreat(atlas)).toEqual({ mappings: [], unknown: [], retired: [], errors: [] });
    expect(mitreFromElasticThreat(undefined).mappings).toEqual([]);
  });

  it("maps well-formed ids the catalogue lacks when the file names them, and reports them", () => {
    const result = mitreFromElasticThreat([
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0099", name: "Future Tactic" },
        technique: [{ id: "T1999", name: "Future Technique" }, { id: "T1998" }],
      },
    ]);
    expect(result.unknown).toEqual(["TA0099", "T1999", "T1998"]);
    expect(result.mappings).toEqual([
      {
        tactic: ref("TA0099", "Future Tactic", "tactics/TA0099/"),
        technique: ref("T1999", "Future Technique", "techniques/T1999/"),
      },
    ]);
    expect(result.errors).toEqual([]);
  });

  it("reports malformed entries with their path and code, and keeps the rest", () => {
    const result = mitreFromElasticThreat([
      "not a table",
      { tactic: { id: "TA0001" } },
      { framework: "MITRE ATT&CK", tactic: { id: "Initial Access" } },
      { framework: "MITRE ATT&CK", tactic: { id: "TA0001" }, technique: { id: "T1190" } },
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0003" },
        technique: [
          { id: "T1505.003" },
          { id: "T1505", subtechnique: [{ id: "T1059.004" }, { id: "T1505.003" }] },
          { id: "T1136", subtechnique: [{ id: "T1136" }] },
        ],
      },
    ]);
    expect(result.errors.map((e) => [e.code, e.summary])).toEqual([
      ["mitre_threat_shape", "threat[0] must be a table"],
      ["mitre_threat_shape", "threat[1].framework is missing"],
      ["mitre_threat_invalid_id", 'threat[2].tactic.id must look like TA0001, got "Initial Access"'],
      ["mitre_threat_shape", "threat[3].technique must be an array"],
      ["mitre_threat_invalid_id", 'threat[4].technique[0].id must look like T1505, got "T1505.003"'],
      ["mitre_threat_subtechnique_mismatch", "threat[4].technique[1].subtechnique[0].id: T1059.004 is not a sub-technique of T1505"],
      ["mitre_threat_invalid_id", 'threat[4].technique[2].subtechnique[0].id must look like T1136.001, got "T1136"'],
    ]);
    // T1136 lost its only sub-technique but still says the technique.
    expect(ids(result.mappings)).toEqual(["TA0003/T1136", "TA0003/T1505/T1505.003"]);
  });

  it("reports a threat that is not an array", () => {
    const result = mitreFromElasticThreat({ framework: "MITRE ATT&CK" });
    expect(result.errors.map((e) => e.code)).toEqual(["mitre_threat_shape"]);
    expect(result.mappings).toEqual([]);
  });
});
