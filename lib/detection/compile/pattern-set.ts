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
  const size = matchers.length;
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
  if (anything) return { size, test: () => true };
  // One pattern: its own matcher is the tightest test.
  if (size === 1) return { size, test: matchers[0]!.test };
  if (size === 0) return { size, test: () => false };

  // Several: one function that tries each strategy in turn, cheapest first, with loops over
  // plain arrays; a list of one closure per value made every value an indirect call.
  const exactOne = exact.size === 1 ? [...exact][0]! : undefined;
  const exactMany = exact.size > 1 ? exact : undefined;
  const prefixTrie = prefixes.length >= TRIE_THRESHOLD ? trieOf(prefixes, "prefix") : undefined;
  const prefixList = prefixTrie ? NONE : prefixes;
  const suffixTrie = suffixes.length >= TRIE_THRESHOLD ? trieOf(suffixes, "suffix") : undefined;
  const suffixList = suffixTrie ? NONE : suffixes;
  const automaton = needles.length >= AUTOMATON_THRESHOLD ? new AhoCorasick(needles.map((n) => [n, true] as const)) : undefined;
  const needleList = automaton ? NONE : needles;
  const globs = rest.map((m) => m.test);
  return {
    size,
    test(s) {
      if (exactOne !== undefined ? s === exactOne : exactMany !== undefined && exactMany.has(s)) return true;
      for (let i = 0; i < prefixList.length; i++) if (s.startsWith(prefixList[i]!)) return true;
      if (prefixTrie !== undefined && prefixTrie.matchesAny(s)) return true;
      for (let i = 0; i < suffixList.length; i++) if (s.endsWith(suffixList[i]!)) return true;
      if (suffixTrie !== undefined && suffixTrie.matchesAny(s)) return true;
      for (let i = 0; i < needleList.length; i++) if (s.includes(needleList[i]!)) return true;
      if (automaton !== undefined && automaton.matchesAny(s)) return true;
      for (let i = 0; i < globs.length; i++) if (globs[i]!(s)) return true;
      return false;
    },
  };
}

const NONE: readonly string[] = Object.freeze([]);

function trieOf(values: readonly string[], direction: "prefix" | "suffix"): CharTrie<true> {
  const trie = new CharTrie<true>(direction);
  for (const v of values) trie.add(v, true);
  return trie;
}
