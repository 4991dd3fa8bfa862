import { describe, expect, it } from "vitest";
import { DetectionError } from "../errors";
import {
  ENTERPRISE_ATTACK,
  buildAttackCatalogue,
  catalogueData,
  findTactic,
  findTechnique,
  tacticsOfTechnique,
} from "./catalogue";
import type { AttackCatalogueData } from "./catalogue";
import bundled from "./attack-enterprise.json";

const tiny = (): AttackCatalogueData => ({
  attackVersion: "1.0",
  domain: "enterprise-attack",
  source: "test",
  tactics: [
    { id: "TA0001", name: "Initial Access", shortname: "initial-access", url: "" },
    { id: "TA0003", name: "Persistence", shortname: "persistence", url: "" },
  ],
  techniques: [
    { id: "T1505", name: "Server Software Component", url: "", tactics: ["persistence"] },
    { id: "T1505.003", name: "Web Shell", url: "", tactics: ["persistence"], subtechniqueOf: "T1505" },
    { id: "T1078", name: "Valid Accounts", url: "", tactics: ["persistence", "initial-access"] },
  ],
});

describe("findTactic", () => {
  it.each(["TA0001", "ta0001", "initial-access", "initial_access", "Initial Access", "INITIAL ACCESS", " initial-access "])(
    "finds Initial Access from %j",
    (query) => {
      expect(findTactic(query)?.id).toBe("TA0001");
    },
  );

  it.each([
    ["command-and-control", "TA0011"],
    ["command_and_control", "TA0011"],
    ["Command and Control", "TA0011"],
    ["privilege_escalation", "TA0004"],
    ["resource-development", "TA0042"],
    ["TA0040", "TA0040"],
  ])("finds %j as %s", (query, id) => {
    expect(findTactic(query)?.id).toBe(id);
  });

  it.each(["", "TA9999", "initial", "t1190", "initial--access"])("finds nothing for %j", (query) => {
    expect(findTactic(query)).toBeUndefined();
  });
});

describe("findTechnique", () => {
  it("finds techniques and sub-techniques case-insensitively", () => {
    expect(findTechnique("T1505")).toMatchObject({ id: "T1505", name: "Server Software Component" });
    expect(findTechnique("t1505.003")).toMatchObject({
      id: "T1505.003",
      name: "Web Shell",
      subtechniqueOf: "T1505",
      url: "https://attack.mitre.org/techniques/T1505/003/",
      tactics: ["persistence"],
    });
    expect(findTechnique(" T1190 ")?.name).toBe("Exploit Public-Facing Application");
  });

  it("finds nothing for unknown or malformed ids", () => {
    expect(findTechnique("T9999")).toBeUndefined();
    expect(findTechnique("T1505.999")).toBeUndefined();
    expect(findTechnique("TA0001")).toBeUndefined();
  });
});

describe("tacticsOfTechnique", () => {
  it("lists a technique's tactics in matrix order", () => {
    // T1078 Valid Accounts serves four tactics; the matrix puts Initial Access first.
    expect(tacticsOfTechnique("T1078").map((t) => t.shortname)).toEqual([
      "initial-access",
      "persistence",
      "privilege-escalation",
      "defense-evasion",
    ]);
    expect(tacticsOfTechnique("t1505.003").map((t) => t.id)).toEqual(["TA0003"]);
  });

  it("gives [] for an unknown id", () => {
    expect(tacticsOfTechnique("T9999")).toEqual([]);
  });

  it("uses the catalogue it is given", () => {
    const custom = buildAttackCatalogue(tiny());
    expect(tacticsOfTechnique("T1078", custom).map((t) => t.id)).toEqual(["TA0001", "TA0003"]);
    expect(findTechnique("T1190", custom)).toBeUndefined();
    expect(findTactic("execution", custom)).toBeUndefined();
  });

  it("lets a retired sub-technique without tactics inherit its parent's", () => {
    const data = tiny();
    data.techniques.push({ id: "T1505.009", name: "Old", url: "", tactics: [], subtechniqueOf: "T1505", deprecated: true });
    expect(tacticsOfTechnique("T1505.009", buildAttackCatalogue(data)).map((t) => t.id)).toEqual(["TA0003"]);
  });
});

describe("buildAttackCatalogue", () => {
  it("round-trips through catalogueData, with canonical urls and sorted techniques", () => {
    const data = tiny();
    const built = buildAttackCatalogue(data);
    expect(built.techniques.map((t) => t.id)).toEqual(["T1078", "T1505", "T1505.003"]);
    expect(built.tactics[1]!.url).toBe("https://attack.mitre.org/tactics/TA0003/");
    expect(built.techniques[0]!.tactics).toEqual(["initial-access", "persistence"]);
    expect(buildAttackCatalogue(catalogueData(built))).toEqual(built);
  });

  it.each<[string, (d: AttackCatalogueData) => void, string]>([
    ["a sub-technique without its parent", (d) => d.techniques.push({ id: "T1059.004", name: "Unix Shell", url: "", tactics: ["persistence"] }), "T1059.004 has no parent T1059"],
    ["a duplicate id", (d) => d.techniques.push({ id: "t1505", name: "Again", url: "", tactics: ["persistence"] }), "T1505 is listed twice"],
    ["an unknown tactic", (d) => d.techniques.push({ id: "T1190", name: "Exploit", url: "", tactics: ["execution"] }), 'unknown tactic "execution"'],
    ["an active technique with no tactic", (d) => d.techniques.push({ id: "T1190", name: "Exploit", url: "", tactics: [] }), "T1190 has no tactic"],
    ["a malformed id", (d) => d.techniques.push({ id: "T15", name: "Short", url: "", tactics: ["persistence"] }), "techniques[3]"],
    ["a duplicate tactic", (d) => d.tactics.push({ id: "TA0003", name: "Persistence", shortname: "persistence", url: "" }), "TA0003 (persistence) is listed twice"],
    ["a dangling revokedBy", (d) => d.techniques.push({ id: "T1100", name: "Web Shell", url: "", tactics: ["persistence"], revoked: true, revokedBy: "T1999" }), "revoked by T1999"],
    ["no version", (d) => { d.attackVersion = ""; }, "attackVersion is missing"],
  ])("rejects %s", (_, spoil, message) => {
    const data = tiny();
    spoil(data);
    let error: unknown;
    try {
      buildAttackCatalogue(data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DetectionError);
    expect((error as DetectionError).code).toBe("mitre_catalogue_invalid");
    expect((error as DetectionError).summary).toContain(message);
  });

  it("rejects what is not a catalogue at all", () => {
    expect(() => buildAttackCatalogue(null)).toThrow(/not an object/);
    expect(() => buildAttackCatalogue([])).toThrow(/not an object/);
  });
});

describe("the bundled Enterprise catalogue", () => {
  const cat = ENTERPRISE_ATTACK;
  const subs = cat.techniques.filter((t) => t.subtechniqueOf !== undefined);
  const parents = cat.techniques.filter((t) => t.subtechniqueOf === undefined);

  it("is stored in canonical form (what buildAttackCatalogue would write back)", () => {
    expect(catalogueData(cat)).toEqual(bundled);
  });

  it("is ATT&CK Enterprise 18.0", () => {
    expect(cat.attackVersion).toBe("18.0");
    expect(cat.domain).toBe("enterprise-attack");
  });

  it("has every tactic, in matrix order", () => {
    expect(cat.tactics.length).toBeGreaterThanOrEqual(14);
    expect(cat.tactics.map((t) => t.id)).toEqual([
      "TA0043", "TA0042", "TA0001", "TA0002", "TA0003", "TA0004", "TA0005",
      "TA0006", "TA0007", "TA0008", "TA0009", "TA0011", "TA0010", "TA0040",
    ]);
  });

  it("has at least 190 techniques and 400 sub-techniques", () => {
    expect(parents.length).toBeGreaterThanOrEqual(190);
    expect(subs.length).toBeGreaterThanOrEqual(400);
  });

  it("has unique ids and well-formed urls", () => {
    const ids = cat.techniques.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(cat.tactics.map((t) => t.id)).size).toBe(cat.tactics.length);
    expect(new Set(cat.tactics.map((t) => t.shortname)).size).toBe(cat.tactics.length);
    for (const t of cat.tactics) expect(t.url).toBe(`https://attack.mitre.org/tactics/${t.id}/`);
    for (const t of parents) expect(t.url).toMatch(/^https:\/\/attack\.mitre\.org\/techniques\/T\d{4}\/$/);
    for (const t of subs) expect(t.url).toMatch(/^https:\/\/attack\.mitre\.org\/techniques\/T\d{4}\/\d{3}\/$/);
    for (const t of cat.techniques) expect(t.url).toContain(t.id.replace(".", "/"));
  });

  it("gives every sub-technique an existing parent, and every technique a known tactic", () => {
    for (const t of subs) {
      expect(t.id.startsWith(`${t.subtechniqueOf}.`)).toBe(true);
      expect(findTechnique(t.subtechniqueOf!)).toBeDefined();
    }
    const shortnames = new Set(cat.tactics.map((t) => t.shortname));
    for (const t of cat.techniques) {
      expect(t.tactics.length).toBeGreaterThan(0);
      for (const s of t.tactics) expect(shortnames.has(s)).toBe(true);
    }
  });

  it("has every tactic used by some technique", () => {
    const used = new Set(cat.techniques.flatMap((t) => t.tactics));
    expect(cat.tactics.filter((t) => !used.has(t.shortname))).toEqual([]);
  });

  it("names the seed rules' techniques as ATT&CK does", () => {
    expect(
      ["T1505", "T1505.003", "T1059", "T1059.004", "T1071", "T1071.001", "T1190"].map((id) => findTechnique(id)?.name),
    ).toEqual([
      "Server Software Component",
      "Web Shell",
      "Command and Scripting Interpreter",
      "Unix Shell",
      "Application Layer Protocol",
      "Web Protocols",
      "Exploit Public-Facing Application",
    ]);
  });
});
