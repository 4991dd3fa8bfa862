/**
 * The public entry of Sigma conversion (README "Sigma conversion"): a parsed Sigma rule shown as
 * a Microsoft Sentinel query over ASIM `imProcessCreate` and as an Elastic EQL query over ECS,
 * so an analyst can hunt with it in the SIEM they already have. Every construct either converts
 * or is listed in `unsupported` with the reason; a partial query only ever widens (types.ts).
 */
import type { SigmaRule, SigmaUnsupportedDocument } from "../types";
import { eqlConversion } from "./eql-target";
import { sentinelConversion } from "./sentinel-target";
import type { ConversionTarget, ConvertSigmaOptions, SigmaConversion } from "./types";

export type { ConversionTarget, ConvertSigmaOptions, SigmaConversion, UnsupportedConstruct } from "./types";

/**
 * Microsoft Sentinel KQL over the ASIM `imProcessCreate` parser (process_creation rules).
 * Pure and total: never throws for a rule that `parseSigmaFile` returned.
 */
export function sigmaToSentinel(rule: SigmaRule | SigmaUnsupportedDocument, options: ConvertSigmaOptions = {}): SigmaConversion {
  return preflight(rule, "sentinel") ?? withRuleNotes(rule as SigmaRule, sentinelConversion(rule as SigmaRule, options));
}

/**
 * Elastic EQL (`process where host.os.type == "windows" and event.type == "start" and …`) over
 * the ECS fields Vigil's Sigma field mapping names. Pure and total: never throws for a rule
 * that `parseSigmaFile` returned.
 */
export function sigmaToEql(rule: SigmaRule | SigmaUnsupportedDocument, options: ConvertSigmaOptions = {}): SigmaConversion {
  return preflight(rule, "eql") ?? withRuleNotes(rule as SigmaRule, eqlConversion(rule as SigmaRule, options));
}

/** What stops a conversion before the detection is looked at: correlation rules, meta filters, other taxonomies. */
function preflight(rule: SigmaRule | SigmaUnsupportedDocument, target: ConversionTarget): SigmaConversion | undefined {
  const none = (construct: string, reason: string): SigmaConversion => ({
    target,
    query: "",
    complete: false,
    unsupported: [{ construct, reason, location: rule.location }],
    notes: [],
  });
  if (rule.type === "SigmaCorrelation") {
    return none("correlation", "correlation rules count or relate events over time windows; they convert to neither language here (Vigil does not run them either)");
  }
  if (rule.type === "SigmaFilter") {
    return none("filter", "a Sigma meta filter modifies other rules and is not a query of its own");
  }
  if (rule.type !== "SigmaRule") return undefined;
  if (rule.taxonomy !== undefined && rule.taxonomy.toLowerCase() !== "sigma") {
    return none("taxonomy", `taxonomy \`${rule.taxonomy}\` names fields differently; only the default \`sigma\` field names are mapped`);
  }
  return undefined;
}

function withRuleNotes(rule: SigmaRule, result: SigmaConversion): SigmaConversion {
  if (rule.detection.timeframe === undefined) return result;
  return { ...result, notes: [...result.notes, `\`timeframe: ${rule.detection.timeframe}\` is ignored: it only matters to correlation rules`] };
}
