import { stringify } from "yaml";
import {
  DetectionError,
  LimitExceededError,
  RuleValidationError,
  UnsupportedFeatureError,
  type SourceLocation,
} from "../errors";
import { compileSafeRegex, DEFAULT_MAX_REGEX_LENGTH } from "../compile/safe-regex";
import { DEFAULT_RULE_LIMITS, type RuleLimits } from "../rules/load-rules";
import type { RuleGuide } from "../rules/model";
import { assertNever, type ConditionNode } from "./condition-ast";
import { parseSigmaCondition, resolveOfTargets } from "./condition";
import {
  applyValueModifier,
  initialValue,
  lookupModifier,
  suggestModifier,
  type ItemState,
  type ModifierContext,
  type ModifierErrorKind,
} from "./modifiers";
import {
  SIGMA_LEVELS,
  SIGMA_STATUSES,
  type DetectionItem,
  type ModifierRef,
  type SearchExpression,
  type SearchIdentifier,
  type SigmaCondition,
  type SigmaDetection,
  type SigmaLevel,
  type SigmaLogsource,
  type SigmaMatchValue,
  type SigmaRawValue,
  type SigmaRule,
  type SigmaRuleSource,
  type SigmaStatus,
  type SigmaUnsupportedDocument,
  type SourceSpan,
} from "./types";
import { contentOffset, mergeNodes, readYamlDocuments, SourceText, toPlain, type YEntry, type YMap, type YNode, type YScalar } from "./yaml-source";

export interface ParseSigmaOptions {
  /** The path errors and rules are reported under. */
  file?: string;
  limits?: Partial<RuleLimits>;
}

export interface SigmaFileParseResult {
  rules: SigmaRule[];
  /** Correlation rules and meta filters: read for their metadata, not runnable yet. */
  unsupported: { document: SigmaUnsupportedDocument; reason: DetectionError }[];
  errors: DetectionError[];
}

/**
 * Parse a Sigma file: one rule, or several YAML documents (`---`), including pySigma's
 * `action: global` / `reset` / `repeat` collections. Never throws: every problem becomes an error
 * with file, line and column (STYLE F4.4, collect-all-errors), and one broken rule never costs
 * the others in the file.
 */
export function parseSigmaFile(text: string, options: ParseSigmaOptions = {}): SigmaFileParseResult {
  const limits = { ...DEFAULT_RULE_LIMITS, ...options.limits };
  const src = new SourceText(text, options.file);
  const result: SigmaFileParseResult = { rules: [], unsupported: [], errors: [] };
  const read = readYamlDocuments(src);
  result.errors.push(...read.errors);

  let global: { node: YNode; text: string } | null = null;
  let previous: YNode | null = null;
  read.documents.forEach(({ doc, node: parsedNode, errors }, index) => {
    if (errors.length > 0) {
      result.errors.push(...errors);
      return;
    }
    let node = parsedNode;
    if (node === null) return; // an empty document, e.g. after a trailing `---`
    // The rule starts at its first key, not at a preceding `---` or comment.
    const start = node.span.start;
    const end = doc.range[2];
    const docText = text.slice(start, end);
    if (node.kind !== "map") {
      result.errors.push(src.error(RuleValidationError, "not_a_mapping", "a Sigma rule is a YAML mapping (title, logsource, detection, …)", node.span.start));
      return;
    }
    const action = entryOf(node, "action");
    if (action) {
      const value = action.value.kind === "scalar" ? action.value.value : undefined;
      const rest: YMap = { ...node, entries: node.entries.filter((e) => e.key !== "action") };
      if (value === "global") {
        global = { node: rest, text: docText };
        return;
      }
      if (value === "reset") {
        global = null;
        return;
      }
      if (value === "repeat") {
        if (!previous) {
          result.errors.push(src.error(RuleValidationError, "repeat_without_rule", "`action: repeat` needs a rule before it to repeat", action.keySpan.start));
          return;
        }
        node = mergeNodes(previous, rest);
      } else {
        result.errors.push(
          src.error(RuleValidationError, "unknown_action", `unknown \`action: ${String(value)}\` (expected global, reset or repeat)`, action.value.span.start),
        );
        return;
      }
    } else if (global) {
      node = mergeNodes((global as { node: YNode }).node, node);
    }
    previous = node;
    const g = global as { node: YNode; text: string } | null;
    const source: SigmaRuleSource = {
      ...(options.file !== undefined && { file: options.file }),
      document: index,
      text: g ? `${g.text.replace(/\s+$/, "")}\n---\n${docText}` : docText,
    };
    const ctx = new RuleContext(src, limits);
    const map = node as YMap;
    const docSpan = src.span(start, end);
    if (entryOf(map, "correlation") || (entryOf(map, "filter") && !entryOf(map, "detection"))) {
      const parsed = parseUnsupportedDocument(map, ctx, docSpan, source);
      if (parsed) result.unsupported.push(parsed);
      result.errors.push(...ctx.errors);
      return;
    }
    const rule = parseRuleMap(map, ctx, docSpan, source);
    result.errors.push(...ctx.errors.sort((a, b) => (a.source.offset ?? 0) - (b.source.offset ?? 0)));
    if (rule && ctx.errors.length === 0) result.rules.push(rule);
  });
  return result;
}

export interface ParseSigmaRuleOptions extends ParseSigmaOptions {
  collectErrors?: boolean;
}

/**
 * Parse one Sigma rule from YAML text or an already-parsed object (positions then refer to the
 * object's YAML rendering).
 * @throws DetectionError the first problem, unless `collectErrors` is set
 */
export function parseSigmaRule(input: string | Record<string, unknown>, options: ParseSigmaRuleOptions & { collectErrors: true }): { rule?: SigmaRule; errors: DetectionError[] };
export function parseSigmaRule(input: string | Record<string, unknown>, options?: ParseSigmaRuleOptions & { collectErrors?: false }): SigmaRule;
export function parseSigmaRule(
  input: string | Record<string, unknown>,
  options: ParseSigmaRuleOptions = {},
): SigmaRule | { rule?: SigmaRule; errors: DetectionError[] } {
  const text = typeof input === "string" ? input : stringify(input);
  const parsed = parseSigmaFile(text, options);
  const errors = [...parsed.errors, ...parsed.unsupported.map((u) => u.reason)];
  if (parsed.rules.length > 1) {
    const second = parsed.rules[1]!;
    errors.push(
      new RuleValidationError("multiple_rules", "the text holds several rules; use parseSigmaFile", {
        ...(options.file !== undefined && { file: options.file }),
        line: second.location.line,
        column: second.location.column,
      }),
    );
  }
  if (parsed.rules.length === 0 && errors.length === 0) {
    errors.push(new RuleValidationError("empty_rule", "no Sigma rule in the text", { ...(options.file !== undefined && { file: options.file }), line: 1, column: 1 }));
  }
  const rule = errors.length === 0 ? parsed.rules[0] : undefined;
  if (options.collectErrors) return { ...(rule && { rule }), errors };
  if (!rule) throw errors[0]!;
  return rule;
}

class RuleContext {
  readonly errors: DetectionError[] = [];
  /**
   * Problems the compiler would report (a regex RE2 cannot run), kept to be reported with the
   * rule's other errors when it has some: one `rules check` then shows everything at once. A
   * rule without other errors gets them from the compiler, as "unsupported".
   */
  readonly deferred: DetectionError[] = [];
  nodes = 0;

  constructor(
    readonly src: SourceText,
    readonly limits: RuleLimits,
  ) {}

  fail(
    Ctor: new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError,
    code: string,
    summary: string,
    span: SourceSpan,
  ): void {
    this.errors.push(this.src.error(Ctor, code, summary, span.start, Math.max(span.end - span.start, 1)));
  }

  invalid(code: string, summary: string, span: SourceSpan): void {
    this.fail(RuleValidationError, code, summary, span);
  }
}

function entryOf(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

const KNOWN_KEYS = new Set([
  "title",
  "id",
  "name",
  "related",
  "taxonomy",
  "status",
  "description",
  "license",
  "references",
  "author",
  "date",
  "modified",
  "logsource",
  "detection",
  "fields",
  "falsepositives",
  "level",
  "tags",
  "scope",
  "vigil",
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}[-/]\d{2}[-/]\d{2}$/;
const RELATION_TYPES = new Set(["derived", "obsolete", "merged", "renamed", "similar"]);

function scalarString(node: YNode): string | undefined {
  if (node.kind !== "scalar" || node.value === null) return undefined;
  return typeof node.value === "string" ? node.value : node.scalar.raw.replace(/^['"]|['"]$/g, "");
}

function readString(map: YMap, key: string, ctx: RuleContext, required = false): string | undefined {
  const entry = entryOf(map, key);
  if (!entry || (entry.value.kind === "scalar" && entry.value.value === null)) {
    if (required) ctx.invalid("missing_attribute", `\`${key}\` is required`, map.span);
    return undefined;
  }
  const s = scalarString(entry.value);
  if (s === undefined) ctx.invalid("invalid_attribute", `\`${key}\` must be a string`, entry.value.span);
  return s;
}

/** A list of strings; a single string is accepted as a list of one (common in hand-written rules). */
function readStringList(map: YMap, key: string, ctx: RuleContext): string[] {
  const entry = entryOf(map, key);
  if (!entry) return [];
  const v = entry.value;
  if (v.kind === "scalar") {
    if (v.value === null) return [];
    return [scalarString(v)!];
  }
  if (v.kind === "seq") {
    const out: string[] = [];
    for (const item of v.items) {
      const s = scalarString(item);
      if (s === undefined) ctx.invalid("invalid_attribute", `\`${key}\` must be a list of strings`, item.span);
      else out.push(s);
    }
    return out;
  }
  ctx.invalid("invalid_attribute", `\`${key}\` must be a list of strings`, v.span);
  return [];
}

function readEnum<T extends string>(map: YMap, key: string, allowed: readonly T[], ctx: RuleContext): T | undefined {
  const entry = entryOf(map, key);
  const s = readString(map, key, ctx);
  if (s === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(s)) {
    ctx.invalid(`invalid_${key}`, `\`${key}: ${s}\` is not one of ${allowed.join(", ")}`, entry!.value.span);
    return undefined;
  }
  return s as T;
}

function readMetadata(map: YMap, ctx: RuleContext) {
  const title = readString(map, "title", ctx, true);
  if (title !== undefined && title.length > 256) ctx.invalid("invalid_title", "`title` is longer than 256 characters", entryOf(map, "title")!.value.span);
  const id = readString(map, "id", ctx);
  if (id !== undefined && !UUID.test(id)) ctx.invalid("invalid_id", `\`id: ${id}\` is not a UUID`, entryOf(map, "id")!.value.span);
  for (const key of ["date", "modified"]) {
    const d = readString(map, key, ctx);
    if (d !== undefined && !DATE.test(d)) ctx.invalid(`invalid_${key}`, `\`${key}: ${d}\` is not a date (YYYY-MM-DD)`, entryOf(map, key)!.value.span);
  }
  const authorEntry = entryOf(map, "author");
  const author = authorEntry?.value.kind === "seq" ? readStringList(map, "author", ctx).join(", ") : readString(map, "author", ctx);
  return {
    title: title ?? "",
    id,
    status: readEnum<SigmaStatus>(map, "status", SIGMA_STATUSES, ctx),
    level: readEnum<SigmaLevel>(map, "level", SIGMA_LEVELS, ctx),
    description: readString(map, "description", ctx),
    author,
    tags: readStringList(map, "tags", ctx),
    tagLocations: itemSpans(map, "tags"),
  };
}

/** Positions of the items of a list attribute (one span for a scalar). */
function itemSpans(map: YMap, key: string): SourceSpan[] {
  const entry = entryOf(map, key);
  if (!entry) return [];
  return entry.value.kind === "seq" ? entry.value.items.map((i) => i.span) : [entry.value.span];
}

function parseUnsupportedDocument(map: YMap, ctx: RuleContext, location: SourceSpan, source: SigmaRuleSource): { document: SigmaUnsupportedDocument; reason: DetectionError } | undefined {
  const meta = readMetadata(map, ctx);
  if (ctx.errors.length > 0) return undefined;
  const isCorrelation = entryOf(map, "correlation") !== undefined;
  const document: SigmaUnsupportedDocument = {
    type: isCorrelation ? "SigmaCorrelation" : "SigmaFilter",
    title: meta.title,
    ...(meta.id !== undefined && { id: meta.id }),
    ...(meta.level !== undefined && { level: meta.level }),
    ...(meta.status !== undefined && { status: meta.status }),
    ...(meta.description !== undefined && { description: meta.description }),
    ...(meta.author !== undefined && { author: meta.author }),
    tags: meta.tags,
    tagLocations: meta.tagLocations,
    location,
    source,
  };
  const reason = ctx.src.error(
    UnsupportedFeatureError,
    isCorrelation ? "correlation_unsupported" : "meta_filter_unsupported",
    isCorrelation
      ? "Sigma correlation rules are not run yet: Vigil runs single-event Sigma rules"
      : "Sigma meta filters are not applied yet: use Vigil exceptions to suppress matches",
    location.start,
  );
  return { document, reason };
}

function parseRuleMap(map: YMap, ctx: RuleContext, location: SourceSpan, source: SigmaRuleSource): SigmaRule | undefined {
  const meta = readMetadata(map, ctx);
  const logsource = parseLogsource(map, ctx);
  const detectionEntry = entryOf(map, "detection");
  let detection: SigmaDetection | undefined;
  if (!detectionEntry) ctx.invalid("missing_attribute", "`detection` is required", map.span);
  else if (detectionEntry.value.kind !== "map") ctx.invalid("invalid_detection", "`detection` must be a mapping of search identifiers and a condition", detectionEntry.value.span);
  else detection = parseDetection(detectionEntry.value, ctx);

  const related = parseRelated(map, ctx);
  const guide = parseVigilExtension(map, ctx);
  // fromEntries defines own properties, so a `__proto__` attribute stays data.
  const custom: Record<string, unknown> = Object.fromEntries(map.entries.filter((e) => !KNOWN_KEYS.has(e.key)).map((e) => [e.key, toPlain(e.value)]));
  if (ctx.errors.length > 0) ctx.errors.push(...ctx.deferred);
  if (!logsource || !detection) return undefined;
  const rule: SigmaRule = {
    type: "SigmaRule",
    title: meta.title,
    ...(meta.id !== undefined && { id: meta.id }),
    ...optionalString(map, "name", ctx),
    ...(meta.status !== undefined && { status: meta.status }),
    ...(meta.description !== undefined && { description: meta.description }),
    ...optionalString(map, "license", ctx),
    ...(meta.author !== undefined && { author: meta.author }),
    references: readStringList(map, "references", ctx),
    ...optionalString(map, "date", ctx),
    ...optionalString(map, "modified", ctx),
    tags: meta.tags,
    tagLocations: meta.tagLocations,
    falsepositives: readStringList(map, "falsepositives", ctx),
    ...(meta.level !== undefined && { level: meta.level }),
    fields: readStringList(map, "fields", ctx),
    related,
    scope: readStringList(map, "scope", ctx),
    ...optionalString(map, "taxonomy", ctx),
    logsource,
    detection,
    ...(guide && { guide }),
    custom,
    location,
    source,
  };
  return rule;
}

function optionalString<K extends string>(map: YMap, key: K, ctx: RuleContext): Partial<Record<K, string>> {
  const s = readString(map, key, ctx);
  return s === undefined ? {} : ({ [key]: s } as Record<K, string>);
}

function parseRelated(map: YMap, ctx: RuleContext): { id: string; type: string }[] {
  const entry = entryOf(map, "related");
  if (!entry) return [];
  if (entry.value.kind !== "seq") {
    ctx.invalid("invalid_related", "`related` must be a list of {id, type}", entry.value.span);
    return [];
  }
  const out: { id: string; type: string }[] = [];
  for (const item of entry.value.items) {
    if (item.kind !== "map") {
      ctx.invalid("invalid_related", "each `related` entry is a mapping with `id` and `type`", item.span);
      continue;
    }
    const id = readString(item, "id", ctx, true);
    const type = readString(item, "type", ctx, true);
    if (type !== undefined && !RELATION_TYPES.has(type)) {
      ctx.invalid("invalid_related", `related \`type: ${type}\` is not one of ${[...RELATION_TYPES].join(", ")}`, entryOf(item, "type")!.value.span);
    }
    if (id !== undefined && type !== undefined) out.push({ id, type });
  }
  return out;
}

function parseLogsource(map: YMap, ctx: RuleContext): SigmaLogsource | undefined {
  const entry = entryOf(map, "logsource");
  if (!entry) {
    ctx.invalid("missing_attribute", "`logsource` is required", map.span);
    return undefined;
  }
  if (entry.value.kind !== "map") {
    ctx.invalid("invalid_logsource", "`logsource` must be a mapping (category, product, service)", entry.value.span);
    return undefined;
  }
  const m = entry.value;
  const logsource: SigmaLogsource = { location: entry.keySpan };
  for (const key of ["category", "product", "service", "definition"] as const) {
    const v = readString(m, key, ctx);
    if (v !== undefined) logsource[key] = v;
  }
  if (!logsource.category && !logsource.product && !logsource.service) {
    ctx.invalid("invalid_logsource", "`logsource` needs at least one of category, product or service", entry.value.span);
  }
  return logsource;
}

const GUIDE_KEYS = new Set(["what_happened", "goal", "strategy", "triage", "response", "notes"]);

/**
 * Vigil's own attribute (README "Sigma"): `vigil.guide` carries what the alert page shows an
 * analyst. The spec allows custom attributes; other tools ignore it. Being ours, it is checked
 * strictly: an unknown key is a typo, not data to keep.
 */
function parseVigilExtension(map: YMap, ctx: RuleContext): RuleGuide | undefined {
  const entry = entryOf(map, "vigil");
  if (!entry) return undefined;
  if (entry.value.kind !== "map") {
    ctx.invalid("invalid_vigil", "`vigil` must be a mapping with a `guide`", entry.value.span);
    return undefined;
  }
  for (const e of entry.value.entries) {
    if (e.key !== "guide") ctx.invalid("unknown_attribute", `unknown \`vigil.${e.key}\` (expected \`guide\`)`, e.keySpan);
  }
  const guideEntry = entryOf(entry.value, "guide");
  if (!guideEntry) return undefined;
  if (guideEntry.value.kind !== "map") {
    ctx.invalid("invalid_vigil", "`vigil.guide` must be a mapping", guideEntry.value.span);
    return undefined;
  }
  const g = guideEntry.value;
  for (const e of g.entries) {
    if (!GUIDE_KEYS.has(e.key)) ctx.invalid("unknown_attribute", `unknown \`vigil.guide.${e.key}\` (expected ${[...GUIDE_KEYS].join(", ")})`, e.keySpan);
  }
  const guide: RuleGuide = { triage: readStringList(g, "triage", ctx), response: readStringList(g, "response", ctx) };
  const whatHappened = readString(g, "what_happened", ctx);
  const goal = readString(g, "goal", ctx);
  const strategy = readString(g, "strategy", ctx);
  const notes = readString(g, "notes", ctx);
  if (whatHappened !== undefined) guide.whatHappened = whatHappened;
  if (goal !== undefined) guide.goal = goal;
  if (strategy !== undefined) guide.strategy = strategy;
  if (notes !== undefined) guide.notes = notes;
  return guide;
}

function parseDetection(map: YMap, ctx: RuleContext): SigmaDetection | undefined {
  const searches: SearchIdentifier[] = [];
  let conditionEntry: YEntry | undefined;
  let timeframe: string | undefined;
  const before = ctx.errors.length;
  for (const entry of map.entries) {
    if (entry.key === "condition") {
      conditionEntry = entry;
      continue;
    }
    if (entry.key === "timeframe") {
      timeframe = scalarString(entry.value);
      continue;
    }
    const expression = parseSearchExpression(entry.value, ctx, 0);
    if (expression) searches.push({ name: entry.key, expression, location: entry.keySpan });
  }
  if (!conditionEntry) {
    ctx.invalid("missing_condition", "`detection` needs a `condition`", map.span);
    return undefined;
  }
  const conditionNodes: YScalar[] = [];
  const cv = conditionEntry.value;
  if (cv.kind === "scalar" && typeof cv.value === "string") conditionNodes.push(cv);
  else if (cv.kind === "seq" && cv.items.length > 0 && cv.items.every((i): i is YScalar => i.kind === "scalar" && typeof i.value === "string")) {
    conditionNodes.push(...cv.items);
  } else {
    ctx.invalid("invalid_condition", "`condition` must be a string or a list of strings", cv.span);
    return undefined;
  }
  // Names of every search identifier, also those with errors, so one mistake is reported once.
  const names = map.entries.filter((e) => e.key !== "condition" && e.key !== "timeframe").map((e) => e.key);
  const conditions: SigmaCondition[] = [];
  for (const node of conditionNodes) {
    const text = node.value as string;
    const scalarRef = { span: node.span, scalar: node.scalar, content: text };
    let ast: ConditionNode;
    try {
      ast = parseSigmaCondition(text, { maxLength: ctx.limits.maxQueryLength, maxDepth: ctx.limits.maxDepth, maxNodes: ctx.limits.maxNodes });
    } catch (error) {
      if (!(error instanceof DetectionError)) throw error;
      ctx.errors.push(ctx.src.relocate(error, scalarRef));
      continue;
    }
    for (const problem of checkIdentifiers(ast, names)) ctx.errors.push(ctx.src.relocate(problem, scalarRef));
    conditions.push({ text, ast, location: node.span, scalar: node.scalar });
  }
  if (ctx.errors.length > before) return undefined;
  return { searches, conditions, ...(timeframe !== undefined && { timeframe }), location: map.span };
}

/** Undefined identifiers and patterns that select nothing, positioned in the condition text. */
function checkIdentifiers(ast: ConditionNode, names: readonly string[]): DetectionError[] {
  const problems: DetectionError[] = [];
  const at = (loc: { start: number; end: number }): SourceLocation => ({ offset: loc.start, length: Math.max(loc.end - loc.start, 1) });
  const walk = (node: ConditionNode): void => {
    switch (node.type) {
      case "LogicalExpression":
        node.operands.forEach(walk);
        return;
      case "NotExpression":
        walk(node.operand);
        return;
      case "Identifier":
        if (!names.includes(node.name)) {
          const keyword = /^(and|or|not|of|them|all|any)$/i.test(node.name) ? " (condition keywords are lower case)" : "";
          const close = names.find((n) => n.toLowerCase() === node.name.toLowerCase());
          const hint = close ? ` (did you mean \`${close}\`?)` : keyword;
          problems.push(new RuleValidationError("undefined_identifier", `\`${node.name}\` is not a search identifier of this rule${hint}`, at(node.location)));
        }
        return;
      case "OfExpression":
        if (resolveOfTargets(node, names).length === 0) {
          const what = node.target.type === "Them" ? "`them`" : `\`${node.target.pattern}\``;
          problems.push(
            new RuleValidationError(
              "pattern_matches_nothing",
              `${what} selects no search identifier (identifiers starting with \`_\` are excluded): the condition would silently change meaning`,
              at(node.location),
            ),
          );
        }
        return;
      default:
        assertNever(node);
    }
  };
  walk(ast);
  return problems;
}

function isScalarNode(node: YNode): node is YScalar {
  return node.kind === "scalar";
}

function parseSearchExpression(node: YNode, ctx: RuleContext, depth: number): SearchExpression | undefined {
  if (depth > ctx.limits.maxDepth) {
    ctx.fail(LimitExceededError, "detection_too_deep", `detection nests deeper than ${ctx.limits.maxDepth} levels`, node.span);
    return undefined;
  }
  if (node.kind === "map") {
    if (node.entries.length === 0) {
      ctx.invalid("empty_search", "a search identifier must not be empty", node.span);
      return undefined;
    }
    const items: DetectionItem[] = [];
    for (const entry of node.entries) {
      const item = parseFieldItem(entry, ctx);
      if (item) items.push(item);
    }
    return items.length === node.entries.length ? { type: "AllOf", items, location: node.span } : undefined;
  }
  if (node.kind === "seq") {
    if (node.items.length === 0) {
      ctx.invalid("empty_search", "a search identifier must not be an empty list", node.span);
      return undefined;
    }
    // A list of plain values is one keyword item (OR); anything else is an OR of sub-searches.
    if (node.items.every(isScalarNode)) return buildItem(null, [], node.items, true, node.span, ctx);
    const items: SearchExpression[] = [];
    for (const item of node.items) {
      const sub = isScalarNode(item) ? buildItem(null, [], [item], false, item.span, ctx) : parseSearchExpression(item, ctx, depth + 1);
      if (sub) items.push(sub);
    }
    return items.length === node.items.length ? { type: "AnyOf", items, location: node.span } : undefined;
  }
  if (node.value === null) {
    ctx.invalid("empty_search", "a search identifier must not be empty", node.span);
    return undefined;
  }
  return buildItem(null, [], [node], false, node.span, ctx);
}

function parseFieldItem(entry: YEntry, ctx: RuleContext): DetectionItem | undefined {
  const pieces = entry.key.split("|");
  const field = pieces[0]!;
  const modifiers: ModifierRef[] = [];
  let index = field.length;
  for (const name of pieces.slice(1)) {
    const from = index + 1;
    const start = contentOffset(entry.keyScalar, entry.keySpan.start, entry.key, from);
    const end = contentOffset(entry.keyScalar, entry.keySpan.start, entry.key, from + name.length);
    modifiers.push({ name, location: ctx.src.span(start, Math.max(end, start + 1)) });
    index = from + name.length;
  }
  const v = entry.value;
  let values: YScalar[];
  let isList = false;
  if (v.kind === "scalar") values = [v];
  else if (v.kind === "seq" && v.items.every(isScalarNode)) {
    values = v.items;
    isList = true;
  } else {
    ctx.invalid("invalid_value", `the value of \`${entry.key}\` must be a scalar or a list of scalars`, v.span);
    return undefined;
  }
  return buildItem(field === "" ? null : field, modifiers, values, isList, entry.keySpan, ctx);
}

function rawValue(node: YScalar): SigmaRawValue {
  const v = node.value;
  if (v === null) return { type: "Null", location: node.span };
  if (typeof v === "boolean") return { type: "Boolean", value: v, location: node.span };
  if (typeof v === "number") return { type: "Number", value: v, raw: node.scalar.raw, location: node.span };
  return { type: "String", value: v, location: node.span, scalar: node.scalar };
}

function buildItem(field: string | null, modifiers: ModifierRef[], nodes: YScalar[], valueIsList: boolean, location: SourceSpan, ctx: RuleContext): DetectionItem | undefined {
  const values = nodes.map(rawValue);
  const state: ItemState = { field, linking: "any", negated: false };
  // `Field: []` is pySigma's spelling of `Field: null`.
  let matchValues: SigmaMatchValue[] = values.length === 0 && field !== null ? [{ type: "Null", from: -1 }] : values.map((v, i) => initialValue(v, i));
  if (field === null && values.some((v) => v.type === "Null")) {
    ctx.invalid("keyword_null", "a keyword cannot be null: null needs a field", location);
    return undefined;
  }
  const applied: string[] = [];
  const errorsBefore = ctx.errors.length;
  for (const ref of modifiers) {
    const modifier = lookupModifier(ref.name);
    if (!modifier) {
      const suggestion = suggestModifier(ref.name);
      ctx.invalid("unknown_modifier", `unknown modifier \`${ref.name}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ""}`, ref.location);
      return undefined;
    }
    const fail = (code: string, summary: string, span: SourceSpan, kind: ModifierErrorKind = "validation"): never => {
      const Ctor = kind === "limit" ? LimitExceededError : kind === "unsupported" ? UnsupportedFeatureError : RuleValidationError;
      throw ctx.src.error(Ctor, code, summary, span.start, Math.max(span.end - span.start, 1));
    };
    const mctx: ModifierContext = {
      name: ref.name,
      applied,
      item: state,
      rawText: (from) => {
        const raw = values[from];
        return raw?.type === "String" ? raw.value : raw?.type === "Number" ? raw.raw : undefined;
      },
      fail: (code, summary, kind) => fail(code, summary, ref.location, kind),
      failValue: (from, code, summary, kind) => fail(code, summary, values[from]?.location ?? location, kind),
    };
    try {
      if (modifier.kind === "item") modifier.apply(state, mctx);
      else matchValues = matchValues.map((v) => applyValueModifier(modifier, v, mctx));
    } catch (error) {
      if (!(error instanceof DetectionError)) throw error;
      ctx.errors.push(error);
      return undefined;
    }
    applied.push(ref.name);
  }
  if (state.linking === "all" && !(valueIsList && values.length >= 2)) {
    const ref = modifiers.find((m) => m.name === "all")!;
    ctx.invalid(
      "all_single_value",
      "`all` needs a list of at least two values: with one value it changes nothing and usually hides a mistake (write a second selection instead)",
      ref.location,
    );
    return undefined;
  }
  for (const v of matchValues) checkRegex(v, values, ctx);
  ctx.nodes += countValues(matchValues);
  if (ctx.nodes > ctx.limits.maxNodes) {
    ctx.fail(LimitExceededError, "rule_too_large", `the rule has more than ${ctx.limits.maxNodes} values`, location);
    return undefined;
  }
  if (ctx.errors.length > errorsBefore) return undefined;
  return { type: "DetectionItem", field, modifiers, values, valueIsList, linking: state.linking, negated: state.negated, matchValues, location };
}

function checkRegex(v: SigmaMatchValue, values: readonly SigmaRawValue[], ctx: RuleContext): void {
  if (v.type === "Expansion") {
    for (const inner of v.values) checkRegex(inner, values, ctx);
    return;
  }
  if (v.type !== "Regex") return;
  try {
    compileSafeRegex(v.pattern, { maxLength: Math.min(ctx.limits.maxQueryLength, DEFAULT_MAX_REGEX_LENGTH) });
  } catch (error) {
    if (!(error instanceof DetectionError)) throw error;
    const raw = values[v.from];
    if (raw?.type === "String" && raw.value === v.pattern) ctx.deferred.push(ctx.src.relocate(error, { span: raw.location, scalar: raw.scalar, content: raw.value }));
    else if (raw) ctx.deferred.push(ctx.src.error(error.constructor as typeof RuleValidationError, error.code, error.summary, raw.location.start));
  }
}

function countValues(values: readonly SigmaMatchValue[]): number {
  let n = 0;
  for (const v of values) n += v.type === "Expansion" ? countValues(v.values) : 1;
  return n;
}
