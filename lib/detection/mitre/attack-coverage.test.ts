import { describe, expect, it } from "vitest";
import { buildAttackCoverage, type CoverageRule } from "./attack-coverage";
import { buildAttackCatalogue, ENTERPRISE_ATTACK } from "./catalogue";

const mapping = (tactic: string, technique?: string, subtechnique?: string) => ({
  tactic: { id: tactic, name: tactic },
  ...(technique && { technique: { id: technique, name: technique } }),
  ...(subtechnique && { subtechnique: { id: subtechnique, name: subtechnique } }),
});
const rule = (id: string, mitre: unknown[], extra: Partial<CoverageRule> = {}): CoverageRule => ({ id, name: `Rule ${id}`, mitre, tags: [], ...extra });

const column = (coverage: ReturnType<typeof buildAttackCoverage>, tactic: string) => coverage.tactics.find((t) => t.tactic.id === tactic)!;
const cell = (coverage: ReturnType<typeof buildAttackCoverage>, tactic: string, technique: string) => {
  const parent = technique.split(".")[0]!;
  const top = column(coverage, tactic).techniques.find((t) => t.technique.id === parent);
  return technique.includes(".") ? top?.subtechniques.find((s) => s.technique.id === technique) : top;
};

describe("buildAttackCoverage", () => {
  it("lists every tactic in matrix order with every current technique, covered or not", () => {
    const coverage = buildAttackCoverage([]);
    expect(coverage.tactics.map((t) => t.tactic.shortname)).toEqual(ENTERPRISE_ATTACK.tactics.map((t) => t.shortname));
    expect(coverage.tactics[0]!.tactic.name).toBe("Reconnaissance");
    expect(coverage.tactics.at(-1)!.tactic.name).toBe("Impact");
    expect(coverage.totalTechniques).toBe(216);
    expect(coverage.totalSubtechniques).toBe(475);
    expect(coverage.coveredTechniques).toBe(0);
    expect(coverage.mappedRules).toBe(0);
    const persistence = column(coverage, "TA0003");
    expect(persistence.covered).toBe(0);
    expect(persistence.total).toBe(persistence.techniques.length);
    expect(cell(coverage, "TA0003", "T1505.003")).toMatchObject({ covered: false, rules: [], alerts: 0 });
  });

  it("places a sub-technique under its parent in the rule's tactic, and the parent counts as covered", () => {
    const coverage = buildAttackCoverage([rule("a", [mapping("TA0003", "T1505", "T1505.003")])], new Map([["T1505", 7], ["T1505.003", 5]]));
    const parent = cell(coverage, "TA0003", "T1505")!;
    expect(parent).toMatchObject({ covered: true, rules: [], alerts: 7 });
    expect(parent.coveringRules.map((r) => r.id)).toEqual(["a"]);
    expect(cell(coverage, "TA0003", "T1505.003")).toMatchObject({ covered: true, rules: [{ id: "a", name: "Rule a" }], alerts: 5 });
    expect(column(coverage, "TA0003").covered).toBe(1);
    expect(coverage).toMatchObject({ coveredTechniques: 1, coveredSubtechniques: 1, mappedRules: 1 });
  });

  it("counts only running rules; the others are shown beside the gap", () => {
    const coverage = buildAttackCoverage([
      rule("on", [mapping("TA0001", "T1190")]),
      rule("off", [mapping("TA0002", "T1059", "T1059.004")], { off: "disabled" }),
    ]);
    expect(cell(coverage, "TA0001", "T1190")).toMatchObject({ covered: true, rules: [{ id: "on" }] });
    expect(cell(coverage, "TA0002", "T1059.004")).toMatchObject({ covered: false, rules: [], offRules: [{ id: "off", off: "disabled" }] });
    expect(cell(coverage, "TA0002", "T1059")!.covered).toBe(false);
    expect(coverage.mappedRules).toBe(1);
    expect(coverage.mappedOffRules).toBe(1);
  });

  it("places a technique whose tactic is missing or not its own by the catalogue's kill-chain phases", () => {
    // T1078 Valid Accounts: defense evasion, persistence, privilege escalation, initial access.
    const phases = ENTERPRISE_ATTACK.techniqueById.get("T1078")!.tactics;
    expect(phases.length).toBeGreaterThan(1);
    const coverage = buildAttackCoverage([rule("a", [{ technique: { id: "T1078", name: "Valid Accounts" } }]), rule("b", [mapping("TA0040", "T1078")])]);
    const placed = coverage.tactics.filter((t) => t.techniques.some((c) => c.technique.id === "T1078" && c.covered)).map((t) => t.tactic.shortname);
    expect(placed).toEqual(phases);
    // The one tactic the rule named, when the catalogue lists the technique under it.
    const only = buildAttackCoverage([rule("c", [mapping("TA0003", "T1078")])]);
    expect(only.tactics.filter((t) => t.techniques.some((c) => c.technique.id === "T1078" && c.covered)).map((t) => t.tactic.id)).toEqual(["TA0003"]);
    expect(only.coveredTechniques).toBe(1);
  });

  it("lists ids the catalogue lacks and retired techniques instead of dropping them", () => {
    const catalogue = buildAttackCatalogue({
      attackVersion: "1",
      domain: "enterprise-attack",
      source: "test",
      tactics: [{ id: "TA0002", name: "Execution", shortname: "execution" }],
      techniques: [
        { id: "T1059", name: "Command and Scripting Interpreter", tactics: ["execution"] },
        { id: "T1059.001", name: "PowerShell", tactics: ["execution"] },
        { id: "T1086", name: "PowerShell", tactics: ["execution"], revoked: true, revokedBy: "T1059.001" },
        { id: "T1064", name: "Scripting", tactics: ["execution"], deprecated: true },
      ],
    });
    const coverage = buildAttackCoverage(
      [
        rule("elastic", [mapping("TA0002", "T1999", "T1999.001"), mapping("TA0002", "T1064")]),
        rule("sigma", [], { tags: ["attack.execution", "attack.t1086", "attack.t1234", "attack.g0016", "cve.2021-44228"] }),
      ],
      new Map([["T1999.001", 3]]),
      catalogue,
    );
    expect(coverage.uncatalogued).toEqual([
      { id: "T1064", name: "Scripting", status: "deprecated", rules: [{ id: "elastic", name: "Rule elastic" }], alerts: 0 },
      { id: "T1086", name: "PowerShell", status: "revoked", revokedBy: "T1059.001", rules: [{ id: "sigma", name: "Rule sigma" }], alerts: 0 },
      { id: "T1234", status: "unknown", rules: [{ id: "sigma", name: "Rule sigma" }], alerts: 0 },
      { id: "T1999.001", name: "T1999.001", status: "unknown", rules: [{ id: "elastic", name: "Rule elastic" }], alerts: 3 },
    ]);
    // Sigma maps the revoked tag as its replacement, so the replacement is covered.
    expect(cell(coverage, "TA0002", "T1059.001")).toMatchObject({ covered: true, rules: [{ id: "sigma" }] });
  });

  it("reads attack tags against the catalogue in use, whatever the stored mappings say", () => {
    const newer = buildAttackCatalogue({
      attackVersion: "99",
      domain: "enterprise-attack",
      source: "test",
      tactics: [{ id: "TA0002", name: "Execution", shortname: "execution" }],
      techniques: [{ id: "T1999", name: "Future Technique", tactics: ["execution"] }],
    });
    const coverage = buildAttackCoverage([rule("a", [], { tags: ["attack.t1999"] })], new Map(), newer);
    expect(cell(coverage, "TA0002", "T1999")).toMatchObject({ covered: true });
    expect(coverage.uncatalogued).toEqual([]);
  });

  it("keeps tactic-only mappings per column, and ignores malformed entries", () => {
    const coverage = buildAttackCoverage([rule("a", [mapping("TA0011"), { tactic: "nonsense" }, null, mapping("TA0011", "T10x")])]);
    expect(column(coverage, "TA0011").tacticOnlyRules.map((r) => r.id)).toEqual(["a"]);
    expect(column(coverage, "TA0011").covered).toBe(0);
    expect(coverage.uncatalogued).toEqual([]);
    expect(coverage.mappedRules).toBe(1);
  });

  it("places the shipped rules' techniques (T1190, T1505.003, T1059.004, T1071)", () => {
    const coverage = buildAttackCoverage([
      rule("elastic", [mapping("TA0003", "T1505", "T1505.003"), mapping("TA0002", "T1059", "T1059.004"), mapping("TA0011", "T1071"), mapping("TA0001", "T1190")]),
      rule("sigma", [], { tags: ["attack.command-and-control", "attack.t1071.001"] }),
    ]);
    expect(cell(coverage, "TA0001", "T1190")!.covered).toBe(true);
    expect(cell(coverage, "TA0003", "T1505.003")!.covered).toBe(true);
    expect(cell(coverage, "TA0002", "T1059.004")!.covered).toBe(true);
    const c2 = cell(coverage, "TA0011", "T1071")!;
    expect(c2.rules.map((r) => r.id)).toEqual(["elastic"]);
    expect(c2.coveringRules.map((r) => r.id)).toEqual(["elastic", "sigma"]);
    expect(coverage.coveredTechniques).toBe(4);
  });
});
