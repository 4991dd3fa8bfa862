import { parseSigmaFile, sigmaToEql, sigmaToSentinel, type SigmaConversion } from "@/lib/detection";

/** A Sigma rule as queries for the SIEMs analysts already have (the rule page's "Hunt with it elsewhere"). */
export interface HuntQueries {
  sentinel: SigmaConversion;
  eql: SigmaConversion;
}

/**
 * Converts a stored Sigma rule (its own document, with the file's global part when it had one)
 * to Microsoft Sentinel KQL and Elastic EQL. Null when the source no longer parses to a rule with
 * this id (it did when it was stored; engine changes can make that untrue).
 */
export function huntQueries(rule: { id: string; source: string; sourcePath: string }, placeholders: Readonly<Record<string, readonly string[]>> = {}): HuntQueries | null {
  const parsed = parseSigmaFile(rule.source, { file: rule.sourcePath });
  const doc = parsed.rules.find((r) => r.id === rule.id) ?? parsed.unsupported.map((u) => u.document).find((d) => d.id === rule.id);
  if (!doc) return null;
  return { sentinel: sigmaToSentinel(doc, { placeholders }), eql: sigmaToEql(doc, { placeholders }) };
}
