import { mitreFromSigmaTags } from "../mitre/mitre-from-sigma-tags";
import { DEFAULT_RISK_SCORE, emptyGuide, type RuleMeta, type Severity } from "../rules/model";
import type { SigmaRule, SigmaUnsupportedDocument } from "./types";

/**
 * The normalized rule record of a Sigma rule (DESIGN.md §3). Decisions (README "Sigma"):
 * - `level` becomes the severity; a rule without one is `medium`, the middle of Sigma's scale;
 *   the risk score is Elastic's default for the severity.
 * - `status: deprecated` or `unsupported` rules load disabled by default (operators may enable
 *   them); every other status loads enabled.
 * - `author` is split on commas outside parentheses ("Florian Roth (Nextron Systems), Zach").
 * - The guide comes from Vigil's `vigil.guide` attribute; third-party rules have none.
 */
export function sigmaRuleMeta(rule: (SigmaRule | SigmaUnsupportedDocument) & { id: string }): RuleMeta {
  const severity: Severity = rule.level ?? "medium";
  const full = rule.type === "SigmaRule" ? rule : undefined;
  return {
    id: rule.id,
    name: rule.title,
    description: rule.description ?? "",
    format: "sigma",
    type: rule.type === "SigmaCorrelation" ? "correlation" : "query",
    severity,
    riskScore: DEFAULT_RISK_SCORE[severity],
    tags: [...rule.tags],
    mitre: mitreFromSigmaTags(rule.tags).mappings,
    references: full ? [...full.references] : [],
    falsePositives: full ? [...full.falsepositives] : [],
    author: splitAuthors(rule.author),
    guide: full?.guide ?? emptyGuide(),
    enabledByDefault: rule.status !== "deprecated" && rule.status !== "unsupported",
  };
}

export function splitAuthors(author: string | undefined): string[] {
  if (!author) return [];
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of author) {
    if (c === "(" || c === "[") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
    if (c === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.map((a) => a.trim()).filter((a) => a !== "");
}
