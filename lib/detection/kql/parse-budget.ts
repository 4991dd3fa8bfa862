import { LimitExceededError, syntaxErrorAt } from "../errors";
import { DEFAULT_RULE_LIMITS } from "../rules/load-rules";

/**
 * Resource limits on query text (STYLE F4.6), enforced while parsing so a hostile query fails
 * before it costs anything: the length is checked before the first character is read, depth and
 * node count as the parser descends. Shared by the KQL and EQL parsers.
 */
export interface ParseLimits {
  /** Longest query accepted, in UTF-16 code units. */
  maxLength: number;
  /** Deepest nesting of parentheses, `not`, value lists and function calls. */
  maxDepth: number;
  /** Most AST nodes one query may produce. */
  maxNodes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxLength: DEFAULT_RULE_LIMITS.maxQueryLength,
  maxDepth: DEFAULT_RULE_LIMITS.maxDepth,
  maxNodes: DEFAULT_RULE_LIMITS.maxNodes,
};

export class ParseBudget {
  private nodes = 0;
  readonly limits: ParseLimits;

  constructor(
    private readonly text: string,
    private readonly language: "KQL" | "EQL",
    limits: Partial<ParseLimits> = {},
  ) {
    this.limits = { ...DEFAULT_PARSE_LIMITS, ...limits };
    if (text.length > this.limits.maxLength) {
      throw syntaxErrorAt(
        "query_too_long",
        `${language} query is ${text.length} characters; the limit is ${this.limits.maxLength}`,
        text,
        this.limits.maxLength,
        1,
        LimitExceededError,
      );
    }
  }

  /** Count one AST node created at `offset`. */
  node(offset: number): void {
    if (++this.nodes > this.limits.maxNodes) {
      throw syntaxErrorAt(
        "query_too_many_nodes",
        `${this.language} query has more than ${this.limits.maxNodes} nodes`,
        this.text,
        offset,
        1,
        LimitExceededError,
      );
    }
  }

  /** Check a nesting depth reached at `offset`. */
  depth(depth: number, offset: number): void {
    if (depth > this.limits.maxDepth) {
      throw syntaxErrorAt(
        "query_too_deep",
        `${this.language} query nests deeper than ${this.limits.maxDepth} levels`,
        this.text,
        offset,
        1,
        LimitExceededError,
      );
    }
  }
}
