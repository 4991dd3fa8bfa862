import { compileCidrMatcher, type Cidr } from "../compile/cidr";
import { ALL_FIELDS, fieldAccess, leafEntries, type FieldAccess, type Scalar } from "../compile/field-access";
import { foldCase } from "../compile/fold-case";
import { compileNumericComparison, toNumber } from "../compile/numeric";
import { ANY_CHARS, normalizePattern, patternShape, type PatternPart } from "../compile/pattern";
import { compilePatternSet } from "../compile/pattern-set";
import { compileSafeRegex } from "../compile/safe-regex";
import { DetectionError, LimitExceededError, RuleValidationError, UnsupportedFeatureError, type SourceLocation } from "../errors";
import type { EcsEvent } from "../event/types";
import type { MatchDetail, MatchExplanation, Prefilter, QueryDetector } from "../rules/detector";
import type { EngineConfig } from "../rules/load-rules";
import { assertNever, type ConditionNode } from "./condition-ast";
import { resolveOfTargets } from "./condition";
import { resolveLogsource, type LogsourceBinding } from "./resolve-logsource";
import { parseSigmaString } from "./sigma-string";
import type { DetectionItem, SearchExpression, SigmaMatchValue, SigmaRule, SigmaStringPart, SourceSpan, TimeUnit } from "./types";
import { contentOffset } from "./yaml-source";

/**
 * Sigma rule → QueryDetector, compiled once (STYLE F2.6, C engine.py): every search identifier
 * becomes a closure over precompiled matchers (sets, tries, automata, RE2 programs, CIDR
 * integers), strings are case-folded here and never again per rule, and fields are read through
 * interned FieldAccess objects that fold each event value once for all rules.
 *
 * Evaluation is total (STYLE F4.5): a missing field, `null` or a value of another type is "no
 * match"; nothing in `test` throws on the shape of an event.
 */

export interface CompileSigmaOptions {
  config?: Partial<EngineConfig>;
  /** The file text the rule came from, for error carets (errors still carry file/line/column without it). */
  text?: string;
  /** Longest regular expression accepted. */
  maxRegexLength?: number;
}

export type CompileSigmaResult =
  | { ok: true; detector: QueryDetector }
  /** The rule is valid Sigma that Vigil cannot run as written: report it, never weaken it. */
  | { ok: false; unsupported: DetectionError; errors: DetectionError[] }
  /** The rule is wrong (e.g. an invalid regular expression, an unconfigured placeholder). */
  | { ok: false; unsupported?: undefined; errors: DetectionError[] };

type Test = (event: EcsEvent) => boolean;

/** A necessary condition: at least one atom holds whenever the node holds. */
interface Atom {
  kind: "equals" | "startswith" | "endswith" | "contains";
  access: FieldAccess;
  value: string;
}

interface Plan {
  test: Test;
  /** Append why the node held (called only when it did). */
  explain(event: EcsEvent, out: MatchDetail[]): void;
  /** Atoms of which one must hold for the node to hold; `null` when none can be stated. */
  necessary: Atom[] | null;
}

class CompileContext {
  readonly errors: DetectionError[] = [];

  constructor(
    readonly rule: SigmaRule,
    readonly config: EngineConfig,
    readonly options: CompileSigmaOptions,
  ) {}

  private at(span: SourceSpan, length?: number): SourceLocation {
    return {
      ...(this.rule.source.file !== undefined && { file: this.rule.source.file }),
      line: span.line,
      column: span.column,
      offset: span.start,
      length: length ?? Math.max(span.end - span.start, 1),
    };
  }

  report(Ctor: new (code: string, summary: string, source: SourceLocation) => DetectionError, code: string, summary: string, span: SourceSpan): void {
    this.errors.push(new Ctor(code, summary, this.at(span)));
  }

  /** An error from a compile primitive (offset relative to a value's text) placed in the file. */
  relocate(error: DetectionError, value: { location: SourceSpan; scalar?: { raw: string; style: "plain" | "single" | "double" | "block" }; text: string }): DetectionError {
    const inner = error.source.offset ?? 0;
    let offset = value.location.start;
    if (value.scalar) offset = contentOffset(value.scalar, value.location.start, value.text, inner);
    const { line, column } = this.options.text !== undefined ? lineColumnOf(this.options.text, offset) : { line: value.location.line, column: value.location.column + (offset - value.location.start) };
    const Ctor = error.constructor as new (code: string, summary: string, source: SourceLocation) => DetectionError;
    return new Ctor(error.code, error.summary, {
      ...(this.rule.source.file !== undefined && { file: this.rule.source.file }),
      line,
      column,
      offset,
      length: error.source.length ?? 1,
    });
  }
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Compile a parsed rule. Never throws: problems come back as errors with positions, and a rule
 * using something Vigil cannot run comes back `unsupported` with the reason.
 */
export function compileSigmaRule(rule: SigmaRule, options: CompileSigmaOptions = {}): CompileSigmaResult {
  const config: EngineConfig = { placeholders: {}, ...options.config };
  const ctx = new CompileContext(rule, config, options);
  if (rule.taxonomy !== undefined && rule.taxonomy.toLowerCase() !== "sigma") {
    ctx.report(UnsupportedFeatureError, "taxonomy_unsupported", `taxonomy \`${rule.taxonomy}\` is not supported: Vigil maps the default \`sigma\` field names`, rule.location);
    return { ok: false, unsupported: ctx.errors[0]!, errors: ctx.errors };
  }
  const resolution = resolveLogsource(rule.logsource);
  if (!resolution.ok) {
    ctx.report(UnsupportedFeatureError, "logsource_unsupported", resolution.reason, rule.logsource.location);
    return { ok: false, unsupported: ctx.errors[0]!, errors: ctx.errors };
  }
  const perBinding = resolution.bindings.map((binding) => ({ binding, plan: compileForBinding(rule, binding, ctx) }));
  if (ctx.errors.length > 0) {
    const unsupported = ctx.errors.find((e) => e instanceof UnsupportedFeatureError);
    return unsupported && ctx.errors.every((e) => e instanceof UnsupportedFeatureError) ? { ok: false, unsupported, errors: ctx.errors } : { ok: false, errors: ctx.errors };
  }
  return { ok: true, detector: makeDetector(perBinding) };
}

function makeDetector(perBinding: { binding: LogsourceBinding; plan: Plan }[]): QueryDetector {
  const prefilter = buildPrefilter(perBinding);
  const guarded = perBinding.map(({ binding, plan }) => {
    const scope = binding.scope;
    const inner = plan.test;
    return (event: EcsEvent) => scope(event) && inner(event);
  });
  const test: Test = guarded.length === 1 ? guarded[0]! : (event) => guarded.some((t) => t(event));
  return {
    kind: "query",
    test: (event) => {
      try {
        return test(event);
      } catch {
        // Unreachable by construction (matchers are total); kept so one malformed event can never break ingest.
        return false;
      }
    },
    explain(event): MatchExplanation {
      const details: MatchDetail[] = [];
      for (const { binding, plan } of perBinding) {
        if (binding.scope(event) && plan.test(event)) {
          plan.explain(event, details);
          return { details, logsource: binding.key.replace(/^sigma:/, "") };
        }
      }
      return { details };
    },
    ...(prefilter && { prefilter }),
  };
}

function compileForBinding(rule: SigmaRule, binding: LogsourceBinding, ctx: CompileContext): Plan {
  const searches = new Map<string, Plan>();
  for (const search of rule.detection.searches) {
    const plan = compileExpression(search.expression, binding, ctx);
    searches.set(search.name, named(search.name, plan));
  }
  const names = rule.detection.searches.map((s) => s.name);
  const conditions = rule.detection.conditions.map((c) => compileCondition(c.ast, searches, names));
  return conditions.length === 1 ? conditions[0]! : or(conditions);
}

/** A search identifier: explains its details under its own name. */
function named(name: string, plan: Plan): Plan {
  return {
    test: plan.test,
    necessary: plan.necessary,
    explain(event, out) {
      const mine: MatchDetail[] = [];
      plan.explain(event, mine);
      for (const d of mine) out.push({ ...d, condition: d.condition ? `${name}: ${d.condition}` : name });
    },
  };
}

function compileCondition(node: ConditionNode, searches: Map<string, Plan>, names: readonly string[]): Plan {
  switch (node.type) {
    case "LogicalExpression": {
      const operands = node.operands.map((o) => compileCondition(o, searches, names));
      return node.operator === "and" ? and(operands) : or(operands);
    }
    case "NotExpression":
      return not(compileCondition(node.operand, searches, names));
    case "Identifier":
      return searches.get(node.name)!;
    case "OfExpression": {
      const targets = resolveOfTargets(node, names).map((n) => searches.get(n)!);
      return node.quantifier === "all" ? and(targets) : or(targets);
    }
    default:
      return assertNever(node);
  }
}

function and(children: Plan[]): Plan {
  if (children.length === 1) return children[0]!;
  const tests = children.map((c) => c.test);
  const test: Test =
    tests.length === 2
      ? ((a, b) => (e: EcsEvent) => a(e) && b(e))(tests[0]!, tests[1]!)
      : (e) => {
          for (let i = 0; i < tests.length; i++) if (!tests[i]!(e)) return false;
          return true;
        };
  return {
    test,
    necessary: bestOf(children.map((c) => c.necessary)),
    explain(event, out) {
      for (const c of children) c.explain(event, out);
    },
  };
}

function or(children: Plan[]): Plan {
  if (children.length === 1) return children[0]!;
  const tests = children.map((c) => c.test);
  const test: Test = (e) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(e)) return true;
    return false;
  };
  return {
    test,
    necessary: unionOf(children.map((c) => c.necessary)),
    explain(event, out) {
      // Every alternative that holds is reported: an analyst sees all the reasons, not the first.
      for (const c of children) if (c.test(event)) c.explain(event, out);
    },
  };
}

function not(child: Plan): Plan {
  const inner = child.test;
  return { test: (e) => !inner(e), necessary: null, explain() {} };
}

function compileExpression(expr: SearchExpression, binding: LogsourceBinding, ctx: CompileContext): Plan {
  switch (expr.type) {
    case "AllOf":
      return and(expr.items.map((i) => compileItem(i, binding, ctx)));
    case "AnyOf":
      return or(expr.items.map((i) => compileExpression(i, binding, ctx)));
    case "DetectionItem":
      return compileItem(expr, binding, ctx);
    default:
      return assertNever(expr);
  }
}

/** One value alternative after placeholders were resolved and expansions flattened. */
type Alternative = Exclude<SigmaMatchValue, { type: "Expansion" }>;

function compileItem(item: DetectionItem, binding: LogsourceBinding, ctx: CompileContext): Plan {
  const access = item.field === null ? ALL_FIELDS : binding.field(item.field);
  const keyword = item.field === null;
  const anchored = item.modifiers.some((m) => m.name === "startswith" || m.name === "endswith");
  // One group of alternatives per raw value: `any` ORs everything, `all` needs each group.
  const groups: Alternative[][] = item.matchValues.map((v) => {
    const alternatives = flatten(v).flatMap((a) => resolvePlaceholders(a, item, ctx));
    // Keywords are searched for anywhere in the event (spec "Keywords search").
    return keyword && !anchored ? alternatives.map(asContains) : alternatives;
  });
  const label = describeItem(item);
  let probe: Test | undefined;
  if (keyword) {
    // The same alternatives over one leaf, for explanations; their compile errors were already
    // reported by the real matcher compiled below, so they are not reported twice.
    const before = ctx.errors.length;
    probe = compileAlternatives(groups.flat(), KEYWORD_PROBE, binding, item, ctx);
    ctx.errors.length = before;
  }
  let test: Test;
  let necessary: Atom[] | null;
  if (item.linking === "all") {
    const tests = groups.map((g) => compileAlternatives(g, access, binding, item, ctx));
    test = (e) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i]!(e)) return false;
      return true;
    };
    necessary = keyword ? null : bestOf(groups.map((g) => atomsOf(g, access)));
  } else {
    test = compileAlternatives(groups.flat(), access, binding, item, ctx);
    necessary = keyword ? null : atomsOf(groups.flat(), access);
  }
  if (item.negated) {
    const inner = test;
    // `neq`: the field must hold a value and none of its elements may match (DESIGN.md §4: "a
    // negated condition holds when none does"); a missing field is not "different".
    test = (e) => {
      const scalars = access.scalars(e);
      if (scalars === undefined || !scalars.some((s) => s !== null)) return false;
      return !inner(e);
    };
    necessary = null;
  }
  return {
    test,
    necessary,
    explain(event, out) {
      if (probe) {
        out.push(explainKeyword(event, probe, label) ?? { condition: label });
        return;
      }
      const scalars = access.scalars(event);
      const value = scalars === undefined ? null : scalars.length === 1 ? scalars[0]! : [...scalars];
      out.push({ condition: label, field: access.pathOf(event) ?? item.field ?? undefined, value });
    },
  };
}

function describeItem(item: DetectionItem): string {
  const mods = item.modifiers.map((m) => `|${m.name}`).join("");
  return item.field === null ? `keyword search${mods}` : `${item.field}${mods}`;
}

/** Reads the single value of a probe event, to test keyword alternatives one leaf at a time. */
const KEYWORD_PROBE_FIELD = "\u0000keyword-probe";
const KEYWORD_PROBE = fieldAccess(KEYWORD_PROBE_FIELD, { get: (e) => e[KEYWORD_PROBE_FIELD] });

/** For a keyword match, the first event field holding a matching value. */
function explainKeyword(event: EcsEvent, probe: Test, label: string): MatchDetail | undefined {
  for (const [path, value] of leafEntries(event)) {
    if (value !== null && probe({ [KEYWORD_PROBE_FIELD]: value })) return { condition: label, field: path, value };
  }
  return undefined;
}

function flatten(v: SigmaMatchValue): Alternative[] {
  return v.type === "Expansion" ? v.values.flatMap(flatten) : [v];
}

function asContains(a: Alternative): Alternative {
  if (a.type === "Number" || a.type === "Boolean") {
    const t = a.type === "Number" ? a.raw : String(a.value);
    return { type: "String", from: a.from, parts: [ANY_CHARS, { type: "Text", text: t }, ANY_CHARS], cased: false };
  }
  if (a.type !== "String") return a;
  const parts = [...a.parts];
  if (parts[0]?.type !== "AnyChars") parts.unshift(ANY_CHARS);
  if (parts[parts.length - 1]?.type !== "AnyChars") parts.push(ANY_CHARS);
  return { ...a, parts };
}

const MAX_PLACEHOLDER_EXPANSION = 4096;

/**
 * `|expand`: each `%name%` becomes every value configured for it (an OR; several placeholders
 * give every combination). Configured values are Sigma strings, so they may use wildcards. A
 * placeholder without configuration stops the rule: running it without the placeholder would
 * match something else than its author meant.
 */
function resolvePlaceholders(a: Alternative, item: DetectionItem, ctx: CompileContext): Alternative[] {
  if (a.type !== "String" || !a.parts.some((p) => p.type === "Placeholder")) return [a];
  let variants: SigmaStringPart[][] = [[]];
  for (const part of a.parts) {
    if (part.type !== "Placeholder") {
      variants = variants.map((v) => [...v, part]);
      continue;
    }
    const configured = Object.hasOwn(ctx.config.placeholders, part.name) ? ctx.config.placeholders[part.name] : undefined;
    if (!configured) {
      const raw = item.values[a.from];
      ctx.report(
        RuleValidationError,
        "unconfigured_placeholder",
        `placeholder %${part.name}% has no configured values: configure placeholders.${part.name} (the rule is not loaded, since running it without the values would change its meaning)`,
        raw?.location ?? item.location,
      );
      return [];
    }
    const replacements = configured.map((c) => parseSigmaString(c));
    variants = variants.flatMap((v) => replacements.map((r) => [...v, ...r]));
    if (variants.length > MAX_PLACEHOLDER_EXPANSION) {
      ctx.report(LimitExceededError, "expansion_too_large", `placeholders expand this value into more than ${MAX_PLACEHOLDER_EXPANSION} alternatives`, item.values[a.from]?.location ?? item.location);
      return [];
    }
  }
  return variants.map((parts) => ({ ...a, parts }));
}

/** Compile OR-ed alternatives into one test: string-likes share one pattern set per case mode. */
function compileAlternatives(alternatives: Alternative[], access: FieldAccess, binding: LogsourceBinding, item: DetectionItem, ctx: CompileContext): Test {
  const insensitive: PatternPart[][] = [];
  const sensitive: PatternPart[][] = [];
  const cidrs: Cidr[] = [];
  const others: Test[] = [];
  let matchNull = false;
  for (const a of alternatives) {
    switch (a.type) {
      case "String":
        (a.cased ? sensitive : insensitive).push(a.parts as PatternPart[]);
        break;
      case "Number":
        // `EventID: 4688` matches the number and its text ("4688", or as written: `0x10`, `010`).
        insensitive.push([{ type: "Text", text: String(a.value) }]);
        if (a.raw !== String(a.value)) insensitive.push([{ type: "Text", text: a.raw }]);
        break;
      case "Boolean":
        insensitive.push([{ type: "Text", text: String(a.value) }]);
        break;
      case "Null":
        matchNull = true;
        break;
      case "Regex":
        others.push(compileRegex(a, access, item, ctx));
        break;
      case "Cidr":
        cidrs.push(a.network);
        break;
      case "Compare": {
        const cmp = compileNumericComparison(a.operator, a.value);
        others.push((e) => {
          const scalars = access.scalars(e);
          if (!scalars) return false;
          for (let i = 0; i < scalars.length; i++) {
            const n = toNumber(scalars[i]!);
            if (n !== undefined && cmp(n)) return true;
          }
          return false;
        });
        break;
      }
      case "Exists":
        others.push(a.exists ? (e) => access.scalars(e) !== undefined : (e) => access.scalars(e) === undefined);
        break;
      case "FieldRef":
        others.push(compileFieldRef(a, access, binding));
        break;
      case "TimePart":
        others.push(compileTimePart(a.unit, a.value, access));
        break;
      default:
        assertNever(a);
    }
  }
  const tests: Test[] = [];
  if (insensitive.length > 0) {
    const set = compilePatternSet(insensitive, { caseInsensitive: true });
    tests.push((e) => {
      const values = access.folded(e);
      for (let i = 0; i < values.length; i++) if (set.test(values[i]!)) return true;
      return false;
    });
  }
  if (sensitive.length > 0) {
    const set = compilePatternSet(sensitive, { caseInsensitive: false });
    tests.push((e) => {
      const values = access.strings(e);
      for (let i = 0; i < values.length; i++) if (set.test(values[i]!)) return true;
      return false;
    });
  }
  if (cidrs.length > 0) {
    const matcher = compileCidrMatcher(cidrs);
    tests.push((e) => {
      const values = access.strings(e);
      for (let i = 0; i < values.length; i++) if (matcher.test(values[i]!)) return true;
      return false;
    });
  }
  if (matchNull) {
    // `Field: null`: the field is missing or holds only nulls.
    tests.push((e) => {
      const scalars = access.scalars(e);
      return scalars === undefined || scalars.every((s) => s === null);
    });
  }
  tests.push(...others);
  if (tests.length === 0) return () => false;
  if (tests.length === 1) return tests[0]!;
  return (e) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(e)) return true;
    return false;
  };
}

function compileRegex(a: Extract<Alternative, { type: "Regex" }>, access: FieldAccess, item: DetectionItem, ctx: CompileContext): Test {
  const raw = item.values[a.from];
  try {
    const re = compileSafeRegex(a.pattern, {
      ignoreCase: a.ignoreCase,
      multiline: a.multiline,
      dotAll: a.dotAll,
      ...(ctx.options.maxRegexLength !== undefined && { maxLength: ctx.options.maxRegexLength }),
    });
    return (e) => {
      const values = access.strings(e);
      for (let i = 0; i < values.length; i++) if (re.test(values[i]!)) return true;
      return false;
    };
  } catch (error) {
    if (!(error instanceof DetectionError)) throw error;
    // Positions inside the pattern hold only while `startswith`/`endswith` have not wrapped it.
    const wrapped = raw?.type === "String" && a.pattern !== raw.value;
    const relocated = raw?.type === "String" && !wrapped ? ctx.relocate(error, { location: raw.location, scalar: raw.scalar, text: raw.value }) : ctx.relocate(error, { location: raw?.location ?? item.location, text: a.pattern });
    ctx.errors.push(relocated);
    return () => false;
  }
}

function compileFieldRef(a: Extract<Alternative, { type: "FieldRef" }>, access: FieldAccess, binding: LogsourceBinding): Test {
  const other = binding.field(a.field);
  const relation = (value: string, ref: string) =>
    a.startsWith && a.endsWith ? value.includes(ref) : a.startsWith ? value.startsWith(ref) : a.endsWith ? value.endsWith(ref) : value === ref;
  // Case-insensitive like every Sigma comparison unless `cased`; any element against any element.
  return (e) => {
    const values = a.cased ? access.strings(e) : access.folded(e);
    const refs = a.cased ? other.strings(e) : other.folded(e);
    for (const v of values) for (const r of refs) if (relation(v, r)) return true;
    return false;
  };
}

/**
 * Date parts (`hour`, `day`, …) of the field's timestamp, in UTC. Strings are ISO-8601, or
 * Sysmon's `2026-11-09 10:15:02.123` (which carries no zone and is UTC); numbers are epoch
 * milliseconds, or seconds when below 10^11. Anything else never matches.
 */
function compileTimePart(unit: TimeUnit, expected: number, access: FieldAccess): Test {
  return (e) => {
    const scalars = access.scalars(e);
    if (!scalars) return false;
    for (const s of scalars) {
      const date = toDate(s);
      if (date && timePart(date, unit) === expected) return true;
    }
    return false;
  };
}

function toDate(s: Scalar): Date | undefined {
  let ms: number;
  if (typeof s === "number") ms = Math.abs(s) < 1e11 ? s * 1000 : s;
  else if (typeof s === "string") {
    let t = s.trim();
    if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) t = `${t.replace(" ", "T")}Z`;
    if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
    ms = Date.parse(t);
  } else return undefined;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

function timePart(d: Date, unit: TimeUnit): number {
  switch (unit) {
    case "minute":
      return d.getUTCMinutes();
    case "hour":
      return d.getUTCHours();
    case "day":
      return d.getUTCDate();
    case "month":
      return d.getUTCMonth() + 1;
    case "year":
      return d.getUTCFullYear();
    case "week": {
      // ISO-8601 week number: the week with the year's first Thursday is week 1.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Prefilter: a necessary condition on one field value, so the rule set can index the rule.

/** Atoms that cover every alternative (a disjunction), or null if one alternative has none. */
function atomsOf(alternatives: Alternative[], access: FieldAccess): Atom[] | null {
  if (alternatives.length === 0) return null;
  const out: Atom[] = [];
  for (const a of alternatives) {
    const atoms = alternativeAtoms(a, access);
    if (!atoms) return null;
    out.push(...atoms);
  }
  return out;
}

function alternativeAtoms(a: Alternative, access: FieldAccess): Atom[] | null {
  switch (a.type) {
    case "Number": {
      const values = new Set([String(a.value), foldCase(a.raw)]);
      return [...values].map((value) => ({ kind: "equals", access, value }));
    }
    case "Boolean":
      return [{ kind: "equals", access, value: String(a.value) }];
    case "String": {
      // Case-sensitive values index lower-cased too: matching exactly implies matching folded.
      const parts = normalizePattern((a.parts as PatternPart[]).map((p) => (p.type === "Text" ? { type: "Text", text: foldCase(p.text) } : p)));
      const atom = patternAtom(parts);
      return atom ? [{ ...atom, access }] : null;
    }
    default:
      return null;
  }
}

function patternAtom(parts: PatternPart[]): Omit<Atom, "access"> | null {
  const shape = patternShape(parts);
  switch (shape.kind) {
    case "equals":
      return { kind: "equals", value: shape.value };
    case "startsWith":
      return { kind: "startswith", value: shape.value };
    case "endsWith":
      return { kind: "endswith", value: shape.value };
    case "includes":
      return { kind: "contains", value: shape.value };
    case "startsAndEndsWith":
      return shape.suffix.length >= shape.prefix.length ? { kind: "endswith", value: shape.suffix } : { kind: "startswith", value: shape.prefix };
    case "anything":
      return null;
    case "glob": {
      const candidates: Omit<Atom, "access">[] = [];
      const first = parts[0];
      const last = parts[parts.length - 1];
      if (first?.type === "Text") candidates.push({ kind: "startswith", value: first.text });
      if (last?.type === "Text") candidates.push({ kind: "endswith", value: last.text });
      for (const p of parts) if (p.type === "Text") candidates.push({ kind: "contains", value: p.text });
      return candidates.sort((x, y) => atomScore(y) - atomScore(x))[0] ?? null;
    }
  }
}

/**
 * A guess at how selective an atom is within its logsource (higher is rarer), used to choose
 * which necessary condition of an AND to index. Longer values are rarer; a value anchored at a
 * path separator (`\cmd.exe`, `/nginx`) names a program and is very selective; booleans and
 * other tiny values (`Initiated: true`, `EventID: 1`) split a logsource in a few large parts.
 */
function atomScore(atom: Pick<Atom, "kind" | "value">): number {
  const n = atom.value.length;
  const path = /[\\/]/.test(atom.value) ? 20 : 0;
  switch (atom.kind) {
    case "equals":
      return n <= 5 ? 5 + n : 30 + 4 * n + path;
    case "startswith":
    case "endswith":
      return 20 + 3 * n + path;
    case "contains":
      return 2 * n + path / 2;
  }
}

/** How selective a disjunction is: its weakest atom decides, many atoms cost a little. */
function disjunctionScore(atoms: Atom[]): number {
  let min = Infinity;
  for (const a of atoms) min = Math.min(min, atomScore(a));
  return min - Math.log2(atoms.length);
}

function bestOf(candidates: (Atom[] | null)[]): Atom[] | null {
  let best: Atom[] | null = null;
  let bestScore = -Infinity;
  for (const c of candidates) {
    if (!c) continue;
    const s = disjunctionScore(c);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

function unionOf(candidates: (Atom[] | null)[]): Atom[] | null {
  const out: Atom[] = [];
  for (const c of candidates) {
    if (!c) return null;
    out.push(...c);
  }
  return out;
}

function buildPrefilter(perBinding: { binding: LogsourceBinding; plan: Plan }[]): Prefilter | undefined {
  const scopes: Prefilter[] = perBinding.map(({ binding, plan }) => {
    const atoms = plan.necessary;
    const within = atoms ? atomsToPrefilter(atoms) : undefined;
    return { kind: "scope", key: binding.key, test: binding.scope, ...(within && { within }) };
  });
  return scopes.length === 1 ? scopes[0] : { kind: "anyOf", of: scopes };
}

function atomsToPrefilter(atoms: Atom[]): Prefilter {
  const groups = new Map<string, { kind: Atom["kind"]; access: FieldAccess; values: Set<string> }>();
  for (const a of atoms) {
    const key = `${a.kind}\u0000${a.access.key}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: a.kind, access: a.access, values: new Set() }));
    g.values.add(a.value);
  }
  const of: Prefilter[] = [...groups.values()].map((g) => ({ kind: g.kind, field: g.access.key, values: [...g.values], caseInsensitive: true, access: g.access }));
  return of.length === 1 ? of[0]! : { kind: "anyOf", of };
}
