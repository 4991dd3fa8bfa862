/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { mitreFromSigmaTags } from "../mitre/mitre-from-sigma-tags";
import { loadRuleFile, DEFAULT_RULE_LIMITS } from "../rules/load-rules";
import { printSigmaCondition } from "./condition";
import { parseSigmaFile } from "./parse-rule";
import { SIGMA_RULE_FORMAT } from "./sigma-loader";

/** Invariants over every Sigma rule Vigil ships (STYLE F8 "invariant tests over every rule file"). */
const files = Object.entries(import.meta.glob("../../../rules/sigma/*.yml", { query: "?raw", import: "default", eager: true }) as Record<string, string>).map(
  ([path, text]) => ({ path: path.replace(/^(\.\.\/)+/, ""), text }),
);

describe("rules/sigma", () => {
  it("ships the rule pack of issue 3", () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      "rules/sigma/net_connection_lnx_webserver_unusual_outbound.yml",
      "rules/sigma/proc_creation_lnx_webserver_susp_child_process.yml",
      "rules/sigma/proc_creation_win_webshell_susp_process_spawned_from_webserver.yml",
    ]);
  });

  it("rule ids are unique across files", () => {
    const ids = files.flatMap((f) => parseSigmaFile(f.text).rules.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(files)("$path", ({ path, text }) => {
    const result = loadRuleFile({ path, text }, [SIGMA_RULE_FORMAT], { limits: DEFAULT_RULE_LIMITS, config: { placeholders: {} } });
    const rules = parseSigmaFile(text, { file: path }).rules;

    it("parses and compiles with zero errors, into runnable detectors", () => {
      expect(result.errors.map((e) => e.message)).toEqual([]);
      expect((result.warnings ?? []).map((e) => e.message)).toEqual([]);
      expect(result.rules.length).toBeGreaterThan(0);
      for (const r of result.rules) expect(r.detector, `${path}: ${r.unsupported?.message}`).not.toBeNull();
    });

    it("has a SigmaHQ-style file name", () => {
      expect(path.split("/").pop()).toMatch(/^[a-z0-9_]{10,70}\.yml$/);
    });

    it("carries the metadata an analyst needs", () => {
      for (const rule of rules) {
        expect(rule.id, path).toMatch(/^[0-9a-f-]{36}$/);
        expect(rule.status, path).toBeDefined();
        expect(rule.level, path).toBeDefined();
        expect(rule.description?.length, path).toBeGreaterThan(40);
        expect(rule.author, path).toBeTruthy();
        expect(rule.date, path).toBeTruthy();
        expect(rule.falsepositives.length, path).toBeGreaterThan(0);
        expect(rule.guide?.triage.length, `${path}: vigil.guide.triage`).toBeGreaterThanOrEqual(3);
        expect(rule.guide?.response.length, `${path}: vigil.guide.response`).toBeGreaterThanOrEqual(2);
      }
    });

    it("has valid ATT&CK tags naming at least one technique", () => {
      for (const rule of rules) {
        const mitre = mitreFromSigmaTags(rule.tags);
        expect(mitre.unknown, path).toEqual([]);
        expect(mitre.retired, path).toEqual([]);
        expect(mitre.mappings.some((m) => m.technique), path).toBe(true);
      }
    });

    it("writes conditions in canonical form", () => {
      for (const rule of rules) for (const c of rule.detection.conditions) expect(printSigmaCondition(c.ast), path).toBe(c.text);
    });

    it("is indexable (the rule set never has to evaluate it for every event)", () => {
      for (const r of result.rules) {
        const p = r.detector?.prefilter;
        expect(p?.kind, path).toBe("scope");
        if (p?.kind === "scope") expect(p.within, path).toBeDefined();
      }
    });
  });

  it("attributes the rule derived from SigmaHQ under DRL 1.1", () => {
    const derived = files.find((f) => f.path.endsWith("proc_creation_win_webshell_susp_process_spawned_from_webserver.yml"))!;
    expect(derived.text).toContain("Detection Rule License (DRL) 1.1");
    expect(derived.text).toContain("license: DRL-1.1");
    expect(derived.text).toContain("Thomas Patzke, Florian Roth (Nextron Systems)");
  });
});
