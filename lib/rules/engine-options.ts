import { RULE_FORMAT_LOADERS, type LoadRulesOptions } from "@/lib/detection";

/** The loader options every caller uses (server, CLI), so a rule that loads in one loads in all. */
export function ruleLoadOptions(placeholders: Record<string, string[]> = {}): LoadRulesOptions {
  return { loaders: RULE_FORMAT_LOADERS, config: { placeholders } };
}
