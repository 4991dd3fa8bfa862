/**
 * The one case-folding function of the engine. Case-insensitive comparisons fold both sides with
 * it: rule values once at compile time, event values once per event (FieldAccess.folded).
 *
 * `toLowerCase` is Unicode-aware and locale-independent, which is what Sigma and Elasticsearch's
 * lowercase normalizer do. It may change a string's length (`İ` → `i̇`); matching stays
 * consistent because both sides go through the same function.
 */
export function foldCase(value: string): string {
  return value.toLowerCase();
}
