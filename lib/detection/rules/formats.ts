import { elasticRuleFormat } from "../elastic/elastic-rule-format";
import { NATIVE_RULE_FORMAT } from "../native/native-rule-format";
import { SIGMA_RULE_FORMAT } from "../sigma/sigma-loader";
import type { RuleFormatLoader } from "./load-rules";

/**
 * Every rule format Vigil reads, in the order they are asked whether they claim a file.
 * Each format's loader lives with its language (sigma/, elastic/, native/).
 */
export const RULE_FORMAT_LOADERS: readonly RuleFormatLoader[] = [SIGMA_RULE_FORMAT, elasticRuleFormat, NATIVE_RULE_FORMAT];
