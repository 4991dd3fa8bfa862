/**
 * Test support, the engine's second public entry (tests only): a minimal rule format that
 * exercises the rule seam without depending on any real detection language.
 */
export { equalsRule, equalsRuleFormat } from "./rules/testing/equals-rule-format";
