import { DEFAULT_RISK_SCORE, emptyGuide, type RuleMeta } from "../model";

/** A complete RuleMeta for tests and benches: a low-severity Sigma query rule unless overridden. */
export function testRuleMeta(id: string, overrides: Partial<RuleMeta> = {}): RuleMeta {
  const severity = overrides.severity ?? "low";
  return {
    id,
    name: id,
    description: "",
    format: "sigma",
    type: "query",
    severity,
    riskScore: DEFAULT_RISK_SCORE[severity],
    tags: [],
    mitre: [],
    references: [],
    falsePositives: [],
    author: [],
    guide: emptyGuide(),
    enabledByDefault: true,
    ...overrides,
  };
}
