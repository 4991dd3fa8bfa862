import { AhoCorasick } from "../compile/aho-corasick";
import { CharTrie } from "../compile/char-trie";
import { fieldAccess, type FieldAccess } from "../compile/field-access";
import { foldCase } from "../compile/fold-case";
import type { EcsEvent } from "../event/types";
import type { Detector, LoadedRule, Prefilter, RuleMatch } from "./detector";
import type { RuleMeta } from "./model";

/**
 * The enabled, runnable rules compiled together, built once per rule change and shared by every
 * ingest request, worker and CLI run.
 */
export interface RuleSet {
  readonly rules: readonly RuleMeta[];
  /**
   * Every rule whose query matches the event, in rule-set order. Matches of stateful rules carry
   * `stateful`: they are candidates the stateful runtime still has to decide.
   */
  match(event: EcsEvent): RuleMatch[];
  /** How the rules were indexed (for the bench, `rules check` and tests). */
  readonly stats: RuleSetStats;
}

export interface RuleSetStats {
  rules: number;
  /** Rules reachable only through a value index (evaluated when their value is seen). */
  indexed: number;
  /** Rules evaluated for every event of their scope (e.g. every Windows process start). */
  scoped: number;
  /** Rules evaluated for every event: no usable prefilter. */
  unindexed: number;
  scopes: number;
  fieldIndexes: number;
}

/**
 * The rule index (issue 3: "index by field and value, do not loop over rules"). Each rule's
 * prefilter, a necessary condition, is flattened into alternatives `(scope?, atom?)`; an atom
 * (`field` equals / starts with / ends with / contains a value) goes into the index of its field
 * within its scope. Per event:
 *
 * 1. each scope test runs once (a Sigma logsource: "Windows process start");
 * 2. in the scopes that hold, each indexed field is read and lower-cased once (FieldAccess), then
 *    looked up: a hash map for equality, tries for prefixes and suffixes (one walk finds every
 *    `endswith '\cmd.exe'`-style value that applies, however many rules use one), and one
 *    Aho–Corasick pass for all `contains` values;
 * 3. only the rules found (plus those that gave no prefilter) are evaluated, in rule-set order.
 *
 * Soundness: an alternative is only ever a necessary condition of its rule, and dropping one
 * (an unknown shape, a nested scope) only makes the rule a candidate more often. The index
 * compares lower-cased, which a case-sensitive condition implies.
 */
export function buildRuleSet(rules: readonly LoadedRule[]): RuleSet {
  const entries: { meta: RuleMeta; detector: Detector }[] = [];
  for (const r of rules) if (r.detector) entries.push({ meta: r.meta, detector: r.detector });

  const index = new RuleIndex(entries.length);
  const kinds = { indexed: 0, scoped: 0, unindexed: 0 };
  entries.forEach((entry, i) => kinds[index.add(i, entry.detector.prefilter)]++);
  index.seal();

  const detectors = entries.map((e) => e.detector);
  return {
    rules: entries.map((e) => e.meta),
    stats: { rules: entries.length, ...kinds, scopes: index.scopeCount, fieldIndexes: index.fieldIndexCount },
    match(event) {
      const count = index.candidates(event);
      const candidates = index.found;
      let out: RuleMatch[] | undefined;
      for (let c = 0; c < count; c++) {
        const i = candidates[c]!;
        const detector = detectors[i]!;
        if (!detector.test(event)) continue;
        const match: RuleMatch = { rule: entries[i]!.meta, explanation: detector.explain(event) };
        if (detector.kind === "stateful") match.stateful = detector.spec;
        (out ??= []).push(match);
      }
      return out ?? [];
    },
  };
}

type Atom = Extract<Prefilter, { values: string[] }>;
type Scope = Extract<Prefilter, { kind: "scope" }>;

interface Alternative {
  scope: Scope | null;
  atom: Atom | null;
}

/** A flattened prefilter; `null` scope means "any event", `null` atom "any value". */
function alternatives(prefilter: Prefilter | undefined): Alternative[] {
  if (!prefilter) return [{ scope: null, atom: null }];
  const out: Alternative[] = [];
  const walk = (p: Prefilter, scope: Scope | null, top: boolean): void => {
    switch (p.kind) {
      case "anyOf":
        if (p.of.length === 0) out.push({ scope, atom: null });
        for (const child of p.of) walk(child, scope, top);
        return;
      case "scope":
        // A scope inside a scope is still necessary, but one scope per alternative is enough.
        if (!top || scope) {
          if (p.within) walk(p.within, scope, false);
          else out.push({ scope, atom: null });
          return;
        }
        if (p.within) walk(p.within, p, false);
        else out.push({ scope: p, atom: null });
        return;
      default:
        out.push({ scope, atom: p });
    }
  };
  walk(prefilter, null, true);
  return out;
}

class FieldIndex {
  private readonly equals = new Map<string, number[]>();
  private readonly prefixes = new CharTrie<number>("prefix");
  private readonly suffixes = new CharTrie<number>("suffix");
  private readonly needles: [string, number][] = [];
  private automaton: AhoCorasick<number> | null = null;

  constructor(readonly access: FieldAccess) {}

  add(kind: Atom["kind"], value: string, rule: number): void {
    switch (kind) {
      case "equals": {
        const list = this.equals.get(value);
        if (list) list.push(rule);
        else this.equals.set(value, [rule]);
        return;
      }
      case "startswith":
        this.prefixes.add(value, rule);
        return;
      case "endswith":
        this.suffixes.add(value, rule);
        return;
      case "contains":
        this.needles.push([value, rule]);
        return;
    }
  }

  /** The structures that hold values, or null: `probe` tests a field for each kind once. */
  private equalsIndex: Map<string, number[]> | null = null;
  private prefixIndex: CharTrie<number> | null = null;
  private suffixIndex: CharTrie<number> | null = null;

  seal(): void {
    if (this.needles.length > 0) this.automaton = new AhoCorasick(this.needles);
    this.equalsIndex = this.equals.size > 0 ? this.equals : null;
    this.prefixIndex = this.prefixes.size > 0 ? this.prefixes : null;
    this.suffixIndex = this.suffixes.size > 0 ? this.suffixes : null;
  }

  probe(event: EcsEvent, mark: (rule: number) => void): void {
    const values = this.access.folded(event);
    const { equalsIndex, prefixIndex, suffixIndex, automaton } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (equalsIndex !== null) {
        const hits = equalsIndex.get(v);
        if (hits !== undefined) for (let h = 0; h < hits.length; h++) mark(hits[h]!);
      }
      if (prefixIndex !== null) prefixIndex.forEachMatch(v, mark);
      if (suffixIndex !== null) suffixIndex.forEachMatch(v, mark);
      if (automaton !== null) automaton.forEachMatch(v, mark);
    }
  }
}

class ScopeIndex {
  readonly always: number[] = [];
  readonly fields = new Map<string, FieldIndex>();

  constructor(readonly test: ((event: EcsEvent) => boolean) | null) {}

  field(atom: Atom): FieldIndex {
    let f = this.fields.get(atom.field);
    if (!f) {
      f = new FieldIndex(atom.access ?? fieldAccess(atom.field));
      this.fields.set(atom.field, f);
    }
    return f;
  }
}

/**
 * Candidate lists are short: an insertion sort in place for those, since `Array.prototype.sort`
 * allocated a work copy on every call (a tenth of the matching allocations of the 500-rule
 * bench); the built-in for long ones.
 */
function sortAscending(items: number[], count: number): void {
  if (count > 32) {
    const sorted = items.slice(0, count).sort((a, b) => a - b);
    for (let i = 0; i < count; i++) items[i] = sorted[i]!;
    return;
  }
  for (let i = 1; i < count; i++) {
    const x = items[i]!;
    let j = i - 1;
    while (j >= 0 && items[j]! > x) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = x;
  }
}

/** A scope test that throws cannot rule anything out: its rules are evaluated (and stay total). */
function scopeHolds(scope: ScopeIndex, event: EcsEvent): boolean {
  try {
    return scope.test!(event);
  } catch {
    return true;
  }
}

class RuleIndex {
  private readonly global = new ScopeIndex(null);
  private readonly scopes = new Map<string, ScopeIndex>();
  private scopeList: ScopeIndex[] = [];
  private fieldLists: FieldIndex[][] = [];
  private globalFields: FieldIndex[] = [];
  private readonly stamp: Int32Array;
  private epoch = 0;
  /**
   * The candidates of the current event: the first `count` entries (see `candidates`). Reused
   * and never truncated: `length = 0` gave the array's storage back, and every event then
   * allocated it again.
   */
  readonly found: number[] = [];
  private count = 0;
  private readonly mark = (rule: number): void => {
    if (this.stamp[rule] !== this.epoch) {
      this.stamp[rule] = this.epoch;
      this.found[this.count++] = rule;
    }
  };

  constructor(size: number) {
    this.stamp = new Int32Array(size);
  }

  get scopeCount(): number {
    return this.scopes.size;
  }

  get fieldIndexCount(): number {
    let n = this.global.fields.size;
    for (const s of this.scopes.values()) n += s.fields.size;
    return n;
  }

  /** Register rule `i`; says how it will be found. */
  add(i: number, prefilter: Prefilter | undefined): "indexed" | "scoped" | "unindexed" {
    const alts = alternatives(prefilter);
    if (alts.some((a) => a.scope === null && a.atom === null)) {
      this.global.always.push(i);
      return "unindexed";
    }
    let scoped = false;
    for (const { scope, atom } of alts) {
      const target = scope ? this.scopeFor(scope) : this.global;
      if (!atom) {
        target.always.push(i);
        scoped = true;
        continue;
      }
      const field = target.field(atom);
      for (const value of new Set(atom.values.map(foldCase))) field.add(atom.kind, value, i);
    }
    return scoped ? "scoped" : "indexed";
  }

  private scopeFor(scope: Scope): ScopeIndex {
    let s = this.scopes.get(scope.key);
    if (!s) {
      s = new ScopeIndex(scope.test);
      this.scopes.set(scope.key, s);
    }
    return s;
  }

  seal(): void {
    for (const f of this.global.fields.values()) f.seal();
    for (const s of this.scopes.values()) for (const f of s.fields.values()) f.seal();
    this.scopeList = [...this.scopes.values()];
    this.fieldLists = this.scopeList.map((s) => [...s.fields.values()]);
    this.globalFields = [...this.global.fields.values()];
  }

  /**
   * Find the candidate rules for `event`: returns how many, and leaves them ascending (rule-set
   * order) in the first entries of `found`, valid until the next call.
   */
  candidates(event: EcsEvent): number {
    this.epoch = this.epoch === 0x7fffffff ? 1 : this.epoch + 1;
    if (this.epoch === 1) this.stamp.fill(0);
    this.count = 0;
    const mark = this.mark;
    const always = this.global.always;
    for (let i = 0; i < always.length; i++) mark(always[i]!);
    const globalFields = this.globalFields;
    for (let i = 0; i < globalFields.length; i++) globalFields[i]!.probe(event, mark);
    const scopes = this.scopeList;
    for (let s = 0; s < scopes.length; s++) {
      const scope = scopes[s]!;
      if (!scopeHolds(scope, event)) continue;
      const scoped = scope.always;
      for (let i = 0; i < scoped.length; i++) mark(scoped[i]!);
      const fields = this.fieldLists[s]!;
      for (let i = 0; i < fields.length; i++) fields[i]!.probe(event, mark);
    }
    const count = this.count;
    if (count > 1) sortAscending(this.found, count);
    return count;
  }
}
