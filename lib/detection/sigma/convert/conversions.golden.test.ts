/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { parseEql } from "../../eql/parse-eql";
import { printEql } from "../../eql/print-eql";
import { parseSigmaFile } from "../parse-rule";
import type { SigmaRule } from "../types";
import { sigmaToEql, sigmaToSentinel } from "./convert-sigma";
import { CASES } from "./__fixtures__/construct-cases";
import type { SigmaConversion } from "./types";

/**
 * Golden files of every conversion, reviewed by hand when they change: each rule in rules/sigma
 * and each construct case, as Sentinel KQL and as EQL, with what did not convert and why.
 * (Kusto cannot run here; these files and sentinel-target.test.ts are its tests.)
 */

const shipped = Object.entries(import.meta.glob("../../../../rules/sigma/*.yml", { query: "?raw", import: "default", eager: true }) as Record<string, string>)
  .map(([path, text]) => ({ path: path.replace(/^(\.\.\/)+/, ""), text }))
  .sort((a, b) => a.path.localeCompare(b.path));

function describeConversion(title: string, c: SigmaConversion, fence: string): string {
  let out = `### ${title} (${c.complete ? "complete" : "partial"})\n\n`;
  out += c.query === "" ? "(no query)\n" : `\`\`\`${fence}\n${c.query}\n\`\`\`\n`;
  for (const u of c.unsupported) {
    const where = [u.selection, u.location && `line ${u.location.line}`].filter(Boolean).join(", ");
    out += `\n- not converted: \`${u.construct}\`${where ? ` (${where})` : ""}: ${u.reason}`;
  }
  for (const n of c.notes) out += `\n- note: ${n}`;
  return `${out}${c.unsupported.length + c.notes.length > 0 ? "\n" : ""}`;
}

function section(title: string, rule: SigmaRule, source: string, placeholders?: Record<string, string[]>): string {
  const options = placeholders ? { placeholders } : {};
  const sentinel = sigmaToSentinel(rule, options);
  const eql = sigmaToEql(rule, options);
  // Every EQL query is valid EQL in canonical form.
  if (eql.query !== "") expect(printEql(parseEql(eql.query)), title).toBe(eql.query);
  return `## ${title}\n\n\`\`\`yaml\n${source.trimEnd()}\n\`\`\`\n\n${describeConversion("Microsoft Sentinel (ASIM imProcessCreate)", sentinel, "kusto")}\n${describeConversion("Elastic EQL", eql, "eql")}`;
}

describe("golden conversions", () => {
  it("of every rule in rules/sigma", async () => {
    expect(shipped.length).toBeGreaterThan(0);
    const sections = shipped.flatMap(({ path, text }) => {
      const parsed = parseSigmaFile(text, { file: path });
      expect(parsed.errors).toEqual([]);
      const detection = text.slice(text.indexOf("detection:"), text.search(/^falsepositives:/m));
      return parsed.rules.map((rule) => section(`${path}: ${rule.title}`, rule, `logsource:\n    category: ${rule.logsource.category ?? ""}\n    product: ${rule.logsource.product ?? ""}\n${detection}`));
    });
    await expect(`# Conversions of rules/sigma\n\n${sections.join("\n")}`).toMatchFileSnapshot("./__fixtures__/shipped-rules.golden.md");
  });

  it("of every construct case", async () => {
    const sections = CASES.map((k) => {
      const rule = parseSigmaFile(k.text).rules[0]!;
      const source = k.text.slice(k.text.indexOf("logsource:"), k.text.indexOf("level:"));
      return section(k.name, rule, source, k.placeholders);
    });
    await expect(`# Conversions of the construct cases\n\n${sections.join("\n")}`).toMatchFileSnapshot("./__fixtures__/construct-cases.golden.md");
  });
});
