/**
 * What a Sigma conversion returns (README "Sigma conversion"): the query in the target language,
 * and every construct that did not convert, so the rule page can say which one could not.
 */
import type { SourceSpan } from "../types";

/** `sentinel`: Microsoft Sentinel KQL over ASIM `imProcessCreate`; `eql`: Elastic EQL over ECS. */
export type ConversionTarget = "sentinel" | "eql";

export interface UnsupportedConstruct {
  /**
   * The construct as the rule writes it: `CommandLine|fieldref`, `event.action`, `keywords`,
   * `logsource`, `correlation`, …
   */
  construct: string;
  /** Why it has no counterpart in the target, in a sentence an analyst can act on. */
  reason: string;
  /** The search identifier it sits in (`selection_img`), when it sits in one. */
  selection?: string;
  /** The Sigma field, when the construct belongs to one. */
  field?: string;
  /** Where it is written in the rule file. */
  location?: SourceSpan;
}

export interface SigmaConversion {
  target: ConversionTarget;
  /**
   * The query. When `complete` is false it is partial: each unsupported construct was left out
   * in the direction that widens the query (read as "holds" where the condition needs it to hold,
   * as "does not hold" under a `not`), so the query matches every event the rule matches and
   * possibly more; it is never silently narrower or silently different. Empty when nothing of the
   * rule can be converted (an unsupported logsource, a correlation rule).
   */
  query: string;
  /** `unsupported` is empty: the query is the rule's exact counterpart. */
  complete: boolean;
  unsupported: UnsupportedConstruct[];
  /**
   * Approximations that do not make the query partial but deserve a sentence on the page (the
   * product is not filtered in `imProcessCreate`, an ignored `timeframe`, …).
   */
  notes: string[];
}

export interface ConvertSigmaOptions {
  /** Values of `%name%` placeholders for `|expand` (as `EngineConfig.placeholders`). */
  placeholders?: Readonly<Record<string, readonly string[]>>;
}
