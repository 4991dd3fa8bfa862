/**
 * Test support, the engine's second public entry (tests only): a minimal rule format that
 * exercises the rule seam without depending on any real detection language.
 */
export { equalsRule, equalsRuleFormat } from "./rules/testing/equals-rule-format";
/** fast-check generators of events in every ingest format (property tests, bench/normalize-diff.ts). */
export { ecsDocument, security4688, shaped, sysmonEvtx, sysmonFlat, sysmonWinlogbeat, windowsOrEcs } from "./event/arbitraries";
/** Stateful rule fixtures: a RuleMeta for a spec (tests, bench/new-terms.ts). */
export { ruleMeta } from "./stateful/test-support";
/** A complete RuleMeta for tests and benches. */
export { testRuleMeta } from "./rules/testing/rule-meta";
