import { AhoCorasick } from "./aho-corasick";
import { CharTrie } from "./char-trie";
import { compilePattern, type PatternOptions, type PatternPart, type StringMatcher } from "./pattern";

/**
 * Several patterns OR-ed together, compiled into one matcher (STYLE F6 "Sets"): exact values go
 * into a Set, long prefix/suffix lists into a trie, long substring lists into an Aho–Corasick
 * automaton, and only the remaining general globs are tried one by one. A Sigma list of 200
 * `endswith` values costs one trie walk per event value, not 200 comparisons.
 */
export interface PatternSet {
  readonly size: number;
  /** `value` must be folded when the set was compiled case-insensitive (see PatternOptions). */
  test(value: string): boolean;
}

/** Below these sizes a plain loop over the built-ins is faster than building an index. */
const TRIE_THRESHOLD = 8;
const AUTOMATON_THRESHOLD = 16;

export function compilePatternSet(patterns: readonly (readonly PatternPart[])[], options: PatternOptions): PatternSet {
  const matchers = patterns.map((p) => compilePattern(p, options));
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const needles: string[] = [];
  const rest: StringMatcher[] = [];
  let anything = false;
  for (const m of matchers) {
    const shape = m.shape;
    if (shape.kind === "equals") exact.add(shape.value);
    else if (shape.kind === "startsWith") prefixes.push(shape.value);
    else if (shape.kind === "endsWith") suffixes.push(shape.value);
    else if (shape.kind === "includes") needles.push(shape.value);
    else if (shape.kind === "anything") anything = true;
    else rest.push(m);
  }
  if (anything) return { size: matchers.length, test: () => true };

  const tests: ((s: string) => boolean)[] = [];
  if (exact.size === 1) {
    const [only] = exact;
    tests.push((s) => s === only);
  } else if (exact.size > 1) {
    tests.push((s) => exact.has(s));
  }
  tests.push(...affixTests(prefixes, "prefix"), ...affixTests(suffixes, "suffix"));
  if (needles.length >= AUTOMATON_THRESHOLD) {
    const automaton = new AhoCorasick(needles.map((n) => [n, true] as const));
    tests.push((s) => automaton.matchesAny(s));
  } else {
    for (const n of needles) tests.push((s) => s.includes(n));
  }
  for (const m of rest) tests.push(m.test);

  if (tests.length === 1) return { size: matchers.length, test: tests[0]! };
  return {
    size: matchers.length,
    test(s) {
      for (const t of tests) if (t(s)) return true;
      return false;
    },
  };
}

function affixTests(values: string[], direction: "prefix" | "suffix"): ((s: string) => boolean)[] {
  if (values.length >= TRIE_THRESHOLD) {
    const trie = new CharTrie<true>(direction);
    for (const v of values) trie.add(v, true);
    return [(s) => trie.matchesAny(s)];
  }
  return values.map((v) => (direction === "prefix" ? (s: string) => s.startsWith(v) : (s: string) => s.endsWith(v)));
}
