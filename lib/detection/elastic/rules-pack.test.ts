/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { parseEql } from "../eql/parse-eql";
import { printEql } from "../eql/print-eql";
import { stripLocations } from "../kql/ast";
import { parseKql } from "../kql/parse-kql";
import { printKql } from "../kql/print-kql";
import { mitreFromElasticThreat } from "../mitre/mitre-from-elastic-threat";
import { RULE_FORMAT_LOADERS } from "../rules/formats";
import { DEFAULT_RULE_LIMITS, loadRules } from "../rules/load-rules";
import { loadElasticRuleFile } from "./elastic-rule-format";

/**
 * Invariants over every shipped Elastic rule (STYLE F8, detection-rules' test_all_rules): each
 * loads with zero errors and runs, ids are unique UUIDs, file names follow the pattern, the ATT&CK
 * mapping is valid, the origin and license are stated, and the query is in canonical form:
 * printing it changes only its layout, and the printed form is a fixed point.
 */

const files = Object.entries(import.meta.glob("../../../rules/elastic/*.toml", { query: "?raw", import: "default", eager: true }) as Record<string, string>).map(
  ([key, text]) => ({ path: key.replace(/^(\.\.\/)+/, ""), text }),
);
const context = { limits: DEFAULT_RULE_LIMITS, config: { placeholders: {} } };

/** Equal up to layout: runs of blanks are one, none next to brackets. */
function layoutFree(q: string): string {
  return q
    .replace(/\s+/g, " ")
    .replace(/([([]) /g, "$1")
    .replace(/ ([)\]])/g, "$1")
    .trim();
}

describe("rules/elastic", () => {
  it("ships the seed rules", () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      "rules/elastic/unusual_command_execution_via_web_server.toml",
      "rules/elastic/webshell_detection_script_process_child_of_common_web_processes.toml",
    ]);
  });

  it("all load through the registry with zero errors, unique ids, and run", () => {
    const result = loadRules(files, { loaders: RULE_FORMAT_LOADERS });
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.rules).toHaveLength(files.length);
    expect(new Set(result.rules.map((r) => r.meta.id)).size).toBe(files.length);
    for (const r of result.rules) {
      expect(r.detector, r.source.path).not.toBeNull();
      expect(r.unsupported, r.source.path).toBeUndefined();
      expect(r.meta.format, r.source.path).toBe("elastic");
    }
  });

  describe.each(files)("$path", ({ path, text }) => {
    const loaded = loadElasticRuleFile({ path, text }, context);
    const model = loaded.models[0]!;

    it("file name, id, origin and license", () => {
      expect(path).toMatch(/^rules\/elastic\/[a-z0-9_]+\.toml$/);
      expect(model.ruleId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(text.startsWith("# ")).toBe(true);
      expect(text).toMatch(/^# Origin: Elastic's prebuilt detection rule/m);
      expect(model.license).toBe("Elastic License v2");
      expect(model.metadata.maturity).toBe("production");
      expect(model.metadata.creationDate).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
      expect(model.metadata.updatedDate).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
    });

    it("loads without errors or warnings; new_terms rules are stateful", () => {
      expect(loaded.errors).toEqual([]);
      expect(loaded.warnings).toEqual([]);
      expect(loaded.rules[0]!.detector!.kind).toBe(model.type === "new_terms" ? "stateful" : "query");
    });

    it("has a valid ATT&CK mapping the catalogue knows", () => {
      const mitre = mitreFromElasticThreat((model.raw.rule as Record<string, unknown>).threat);
      expect(mitre.errors).toEqual([]);
      expect(mitre.unknown).toEqual([]);
      expect(mitre.mappings.length).toBeGreaterThan(0);
      for (const t of model.threat) {
        expect(t.framework).toBe("MITRE ATT&CK");
        expect(t.tactic.reference).toBe(`https://attack.mitre.org/tactics/${t.tactic.id}/`);
        for (const tech of t.technique) {
          expect(tech.reference).toBe(`https://attack.mitre.org/techniques/${tech.id}/`);
          for (const sub of tech.subtechnique) {
            expect(sub.id.startsWith(`${tech.id}.`)).toBe(true);
            expect(sub.reference).toBe(`https://attack.mitre.org/techniques/${sub.id.replace(".", "/")}/`);
          }
        }
      }
    });

    it("the query is canonical: print(parse(q)) differs only in layout and is a fixed point", () => {
      const q = model.query!;
      const [parse, print] = model.language === "eql" ? [(s: string) => parseEql(s), printEql as (a: never) => string] : [(s: string) => parseKql(s), printKql as (a: never) => string];
      const printed = print(parse(q) as never);
      expect(layoutFree(printed)).toBe(layoutFree(q));
      expect(print(parse(printed) as never)).toBe(printed);
      expect(stripLocations(parse(printed))).toEqual(stripLocations(parse(q)));
    });
  });
});

describe("the seed rules' content", () => {
  const byName = (name: string) => {
    const f = files.find((x) => x.path.endsWith(name))!;
    const loaded = loadElasticRuleFile(f, context);
    return { model: loaded.models[0]!, rule: loaded.rules[0]! };
  };

  it("Unusual Command Execution via Web Server (seed 002)", () => {
    const { model, rule } = byName("unusual_command_execution_via_web_server.toml");
    expect(model).toMatchObject({
      ruleId: "65f28c4d-cfc8-4847-9cca-f2fb1e319151",
      type: "new_terms",
      language: "kuery",
      severity: "medium",
      riskScore: 47,
      timestampOverride: "event.ingested",
      from: "now-9m",
      index: ["logs-endpoint.events.process*"],
      newTerms: { fields: ["process.command_line", "host.id", "process.parent.executable"], historyWindowStart: "now-7d" },
    });
    expect(model.threat.map((t) => t.tactic.id)).toEqual(["TA0003", "TA0002", "TA0011", "TA0001"]);
    expect(rule.meta.mitre.map((m) => [m.tactic.id, m.technique?.id, m.subtechnique?.id])).toEqual([
      ["TA0001", "T1190", undefined],
      ["TA0002", "T1059", "T1059.004"],
      ["TA0003", "T1505", "T1505.003"],
      ["TA0011", "T1071", undefined],
    ]);
    expect(rule.meta.guide.triage).toHaveLength(5);
    expect(rule.meta.guide.triage[0]).toMatch(/^Reconstruct the process tree/);
    expect(rule.meta.guide.response).toHaveLength(6);
    expect(rule.meta.guide.response[5]).toMatch(/^Harden by disabling risky exec paths/);
    expect(rule.meta.falsePositives).toHaveLength(2);
    expect(rule.meta.guide.notes).toMatch(/^## Triage and analysis\n\n> \*\*Disclaimer\*\*/);
    expect(rule.meta.guide.notes).toContain("### Investigating Unusual Command Execution via Web Server");
    expect(rule.meta.type).toBe("new_terms");
    expect(rule.meta.tags).toContain("Resources: Investigation Guide");
    expect(rule.detector).toMatchObject({
      kind: "stateful",
      spec: { kind: "novelty", fields: ["process.command_line", "host.id", "process.parent.executable"], groupBy: [], windowMs: 7 * 86_400_000, learningMs: 0 },
    });
  });

  it("Webshell Detection: Script Process Child of Common Web Processes (seed 003)", () => {
    const { model, rule } = byName("webshell_detection_script_process_child_of_common_web_processes.toml");
    expect(model).toMatchObject({
      ruleId: "2917d495-59bd-4250-b395-c29409b76086",
      type: "eql",
      language: "eql",
      severity: "high",
      riskScore: 73,
      interval: "5m",
      from: "now-9m",
      maxSignals: 100,
      version: 4,
      index: ["winlogbeat-*", "logs-endpoint.events.*", "logs-windows.*"],
      references: ["https://www.microsoft.com/security/blog/2020/02/04/ghost-in-the-shell-investigating-web-shell-attacks/"],
      tags: ["Elastic", "Host", "Windows", "Threat Detection", "Persistence"],
    });
    expect(rule.meta.mitre.map((m) => [m.tactic.id, m.technique?.id, m.subtechnique?.id])).toEqual([
      ["TA0001", "T1190", undefined],
      ["TA0003", "T1505", "T1505.003"],
    ]);
    expect(rule.meta.guide.notes).toContain("post-exploitation process activity");
    expect(rule.meta.guide.notes).toContain("## Setup\n\nIf enabling an EQL rule on a non-elastic-agent index");
  });
});
