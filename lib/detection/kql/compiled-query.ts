import type { EcsEvent } from "../event/types";
import type { MatchDetail, Prefilter } from "../rules/detector";

/**
 * A KQL or EQL query compiled once into closures (STYLE F2.6: the AST stays data; this is the
 * separate compiled form). `test` is the hot path and never throws on event shape; `explain` is
 * called only for matches and may be slower.
 */
export interface CompiledQuery {
  readonly test: (event: EcsEvent) => boolean;
  /** The positive clauses that held for `event`, each printed as the query writes it. */
  readonly explain: (event: EcsEvent) => MatchDetail[];
  /** A necessary condition for the rule index; `test` implies it. */
  readonly prefilter?: Prefilter;
}
