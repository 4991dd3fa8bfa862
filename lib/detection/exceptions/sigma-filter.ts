/**
 * Importing Sigma (v2) filter documents as Vigil allowlist exceptions. A filter names the rules it
 * applies to (`filter.rules`), search identifiers in the rule syntax and a condition of the form
 * `not <selection>`; Vigil's exception is the part after `not`: the events to allowlist.
 *
 * Mapping (one exception per filter document, every problem with file, line and column):
 * - `title` → name; `description` (or "imported Sigma filter <id|title>") → reason; `rules` → rule_refs
 *   as written (ids or names: the caller resolves them). A filter without rules is reported
 *   (`filter_without_rules`) and still returned with empty rule_refs, so a caller may choose "all".
 * - Field names go through the filter's logsource (logsources.ts): the first plain path of the
 *   field's sources; a dotted unmapped name is an ECS path; an unmapped name on a Windows
 *   logsource is `winlog.event_data.<Name>`. Several definitions must agree on the path.
 * - A selection is the AND of its fields; a list of selections (maps) is an OR.
 * - Values: none → `is` (`matches` with wildcards), contains/startswith/endswith → `matches`,
 *   cidr → `cidr`, exists → exists / does_not_exist, null → does_not_exist, cased →
 *   `case_sensitive`, all → one entry per value; a list otherwise → `is_one_of`, or an `any` group.
 *   Every other modifier, keywords, and other condition shapes are problems, never approximations.
 * - `not (a or b)` / `not 1 of filter_*` is the OR of the selections. Exceptions have AND lists and
 *   OR groups but no AND-inside-OR, so an OR of selections with several entries is written in
 *   conjunctive normal form: one `any` group per combination (exact, bounded by EXCEPTION_LIMITS).
 */
import { parseCidr } from "../compile/cidr";
import { ANY_CHARS, text as textPart, type PatternPart } from "../compile/pattern";
import { DetectionError, RuleValidationError, UnsupportedFeatureError, type SourceLocation } from "../errors";
import type { ConditionNode } from "../sigma/condition-ast";
import { parseSigmaCondition, resolveOfTargets } from "../sigma/condition";
import type { LogsourceDefinition } from "../sigma/logsources";
import { lookupModifier } from "../sigma/modifiers";
import { resolveLogsource } from "../sigma/resolve-logsource";
import { hasSpecialParts, parseSigmaString, plainText, printSigmaString } from "../sigma/sigma-string";
import type { SourceSpan } from "../sigma/types";
import { contentOffset, readYamlDocuments, SourceText, type YEntry, type YMap, type YNode, type YScalar } from "../sigma/yaml-source";
import { EXCEPTION_LIMITS, type ExceptionEntry, type ExceptionItem } from "./types";
import { validateExceptionEntries } from "./validate";

/** One imported filter: an exception draft and the rules it names (ids or titles, unresolved). */
export interface SigmaFilterException {
  name: string;
  reason: string;
  rule_refs: string[];
  entries: ExceptionItem[];
}

export interface SigmaFilterImport {
  exceptions: SigmaFilterException[];
  problems: DetectionError[];
}

type ErrorCtor = new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError;

/** The problems of one document, placed in the file. */
class DocContext {
  readonly problems: DetectionError[] = [];

  constructor(readonly src: SourceText) {}

  at(span: { start: number; end: number }, code: string, summary: string, Ctor: ErrorCtor = RuleValidationError): void {
    this.problems.push(this.src.error(Ctor, code, summary, span.start, Math.max(span.end - span.start, 1)));
  }

  unsupported(span: { start: number; end: number }, code: string, summary: string): void {
    this.at(span, code, summary, UnsupportedFeatureError);
  }
}

/**
 * Sigma filter documents (multi-document YAML allowed) as exception drafts. Never throws: a
 * document with a problem gives no exception (except a filter without rules, see above), and
 * the other documents are still imported.
 */
export function sigmaFilterToExceptions(text: string, file: string): SigmaFilterImport {
  const src = new SourceText(text, file);
  const result: SigmaFilterImport = { exceptions: [], problems: [] };
  const read = readYamlDocuments(src);
  result.problems.push(...read.errors);
  for (const { node, errors } of read.documents) {
    const ctx = new DocContext(src);
    ctx.problems.push(...errors);
    // An empty document (after a trailing `---`) holds nothing to import.
    if (ctx.problems.length > 0 || node === null || (node.kind === "scalar" && node.value === null)) {
      result.problems.push(...ctx.problems);
      continue;
    }
    const exception = importDocument(node, ctx);
    result.problems.push(...ctx.problems);
    if (exception) result.exceptions.push(exception);
  }
  return result;
}

function importDocument(node: YNode, ctx: DocContext): SigmaFilterException | undefined {
  if (node.kind !== "map") {
    ctx.at(node.span, "not_a_filter", "a Sigma filter is a YAML mapping (title, logsource, filter)");
    return undefined;
  }
  const filterEntry = entryOf(node, "filter");
  if (!filterEntry || entryOf(node, "detection") || entryOf(node, "correlation") || entryOf(node, "action")) {
    const what = entryOf(node, "detection")
      ? "a Sigma rule"
      : entryOf(node, "correlation")
        ? "a Sigma correlation"
        : entryOf(node, "action")
          ? "a Sigma rule collection (`action`)"
          : "a document without a `filter` section";
    ctx.at(firstKeySpan(node), "not_a_filter", `this document is ${what}, not a Sigma filter: only filters (title, logsource, filter: {rules, selections, condition}) import as exceptions`);
    return undefined;
  }
  const title = readString(node, "title", ctx, true);
  const id = readString(node, "id", ctx);
  const description = readString(node, "description", ctx);
  const definitions = readLogsource(node, ctx);
  if (filterEntry.value.kind !== "map") {
    ctx.at(filterEntry.value.span, "invalid_filter", "`filter` must be a mapping with `rules`, search identifiers and a `condition`");
    return undefined;
  }
  const filter = filterEntry.value;
  const ruleRefs = readRules(filter, filterEntry, ctx);
  const selected = readCondition(filter, filterEntry, ctx);
  if (!selected || !definitions || title === undefined) return undefined;
  const alternatives: ExceptionItem[][] = [];
  for (const entry of selected) {
    const alts = translateSelection(entry, definitions, ctx);
    if (alts) alternatives.push(...alts);
  }
  // Only the missing rules may remain (the caller chooses what a filter without rules applies to).
  if (ctx.problems.some((p) => p.code !== "filter_without_rules")) return undefined;
  const entries = orOfSelections(alternatives, filterEntry, ctx);
  if (!entries) return undefined;
  const validation = validateExceptionEntries(entries);
  if (!validation.ok) {
    const shown = validation.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`);
    ctx.at(filterEntry.keySpan, "invalid_exception", `the filter does not give a valid exception: ${shown.join("; ")}`);
    return undefined;
  }
  return {
    name: title,
    reason: description ?? `imported Sigma filter ${id ?? title}`,
    rule_refs: ruleRefs,
    entries: validation.entries,
  };
}

// ---- document attributes ----

function entryOf(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

function firstKeySpan(map: YMap): SourceSpan {
  return map.entries[0]?.keySpan ?? map.span;
}

function scalarText(node: YNode): string | undefined {
  if (node.kind !== "scalar" || node.value === null) return undefined;
  return typeof node.value === "string" ? node.value : String(node.value);
}

function readString(map: YMap, key: string, ctx: DocContext, required = false): string | undefined {
  const entry = entryOf(map, key);
  if (!entry || (entry.value.kind === "scalar" && entry.value.value === null)) {
    if (required) ctx.at(firstKeySpan(map), "missing_attribute", `\`${key}\` is required`);
    return undefined;
  }
  const s = scalarText(entry.value);
  if (s === undefined) ctx.at(entry.value.span, "invalid_attribute", `\`${key}\` must be a string`);
  return s;
}

function readLogsource(map: YMap, ctx: DocContext): readonly LogsourceDefinition[] | undefined {
  const entry = entryOf(map, "logsource");
  if (!entry) {
    ctx.at(firstKeySpan(map), "missing_attribute", "`logsource` is required: it says where the filter's fields are read");
    return undefined;
  }
  if (entry.value.kind !== "map") {
    ctx.at(entry.value.span, "invalid_logsource", "`logsource` must be a mapping (category, product, service)");
    return undefined;
  }
  const m = entry.value;
  const logsource: { category?: string; product?: string; service?: string } = {};
  for (const key of ["category", "product", "service"] as const) {
    const v = readString(m, key, ctx);
    if (v !== undefined) logsource[key] = v;
  }
  if (!logsource.category && !logsource.product && !logsource.service) {
    ctx.at(entry.keySpan, "invalid_logsource", "`logsource` needs at least one of category, product or service");
    return undefined;
  }
  const resolved = resolveLogsource(logsource);
  if (!resolved.ok) {
    ctx.unsupported(entry.keySpan, "unsupported_logsource", resolved.reason);
    return undefined;
  }
  return resolved.bindings.map((b) => b.definition);
}

function readRules(filter: YMap, filterEntry: YEntry, ctx: DocContext): string[] {
  const entry = entryOf(filter, "rules");
  const missing = (span: SourceSpan) => {
    ctx.at(span, "filter_without_rules", "the filter names no rules (`filter.rules`): Vigil's exceptions apply to explicit rules unless you choose all rules");
    return [];
  };
  if (!entry) return missing(filterEntry.keySpan);
  const v = entry.value;
  if (v.kind === "scalar") {
    const s = scalarText(v);
    return s === undefined || s.trim() === "" ? missing(entry.keySpan) : [s];
  }
  if (v.kind !== "seq") {
    ctx.at(v.span, "invalid_rules", "`rules` must be a list of rule ids or names");
    return [];
  }
  if (v.items.length === 0) return missing(entry.keySpan);
  const refs: string[] = [];
  for (const item of v.items) {
    const s = scalarText(item);
    if (s === undefined || s.trim() === "") ctx.at(item.span, "invalid_rules", "each entry of `rules` is a rule id or name");
    else refs.push(s);
  }
  return refs;
}

// ---- condition ----

/** The selections the condition ORs, or undefined after a problem. */
function readCondition(filter: YMap, filterEntry: YEntry, ctx: DocContext): YEntry[] | undefined {
  const entry = entryOf(filter, "condition");
  if (!entry) {
    ctx.at(filterEntry.keySpan, "missing_condition", "`filter` needs a `condition` such as `not selection`");
    return undefined;
  }
  const v = entry.value;
  if (v.kind !== "scalar" || typeof v.value !== "string") {
    ctx.at(v.span, "invalid_condition", "`condition` must be a string such as `not selection`");
    return undefined;
  }
  const condition = v.value;
  const ref = { span: v.span, scalar: v.scalar, content: condition };
  const place = (loc: { start: number; end: number }) => {
    const start = contentOffset(v.scalar, v.span.start, condition, loc.start);
    const end = contentOffset(v.scalar, v.span.start, condition, loc.end);
    return { start, end };
  };
  let ast: ConditionNode;
  try {
    ast = parseSigmaCondition(condition);
  } catch (error) {
    if (!(error instanceof DetectionError)) throw error;
    ctx.problems.push(ctx.src.relocate(error, ref));
    return undefined;
  }
  const selections = filter.entries.filter((e) => e.key !== "rules" && e.key !== "condition");
  const names = selections.map((e) => e.key);
  const unsupported = () => {
    ctx.unsupported(
      place(ast.location),
      "unsupported_filter_condition",
      `condition \`${condition}\` cannot be imported: an exception is written \`not <selection>\`, \`not 1 of <pattern>\` or \`not (<a> or <b> …)\``,
    );
    return undefined;
  };
  if (ast.type !== "NotExpression") return unsupported();
  const chosen: string[] = [];
  const collect = (node: ConditionNode): boolean => {
    if (node.type === "Identifier") {
      if (!names.includes(node.name)) {
        ctx.at(place(node.location), "undefined_identifier", `\`${node.name}\` is not a search identifier of this filter`);
        return true;
      }
      chosen.push(node.name);
      return true;
    }
    if (node.type === "OfExpression" && node.quantifier !== "all") {
      const targets = resolveOfTargets(node, names);
      if (targets.length === 0) ctx.at(place(node.location), "pattern_matches_nothing", "this pattern selects no search identifier of this filter");
      chosen.push(...targets);
      return true;
    }
    if (node.type === "LogicalExpression" && node.operator === "or") return node.operands.every(collect);
    return false;
  };
  const before = ctx.problems.length;
  if (!collect(ast.operand)) return unsupported();
  if (ctx.problems.length > before) return undefined;
  return selections.filter((e) => chosen.includes(e.key));
}

// ---- selections ----

/** A selection as alternatives (OR), each an AND of items; undefined after a problem. */
function translateSelection(entry: YEntry, definitions: readonly LogsourceDefinition[], ctx: DocContext): ExceptionItem[][] | undefined {
  const v = entry.value;
  if (v.kind === "map") {
    const items = translateMap(v, definitions, ctx);
    return items ? [items] : undefined;
  }
  if (v.kind === "seq" && v.items.length > 0 && v.items.every((i): i is YMap => i.kind === "map")) {
    const alternatives: ExceptionItem[][] = [];
    for (const map of v.items) {
      const items = translateMap(map, definitions, ctx);
      if (items) alternatives.push(items);
    }
    return alternatives.length === v.items.length ? alternatives : undefined;
  }
  ctx.unsupported(
    entry.keySpan,
    "unsupported_selection",
    `selection \`${entry.key}\` is not a map of fields: keyword searches (values without a field) cannot be imported as an exception`,
  );
  return undefined;
}

function translateMap(map: YMap, definitions: readonly LogsourceDefinition[], ctx: DocContext): ExceptionItem[] | undefined {
  if (map.entries.length === 0) {
    ctx.at(map.span, "empty_search", "a selection must not be empty");
    return undefined;
  }
  const items: ExceptionItem[] = [];
  let ok = true;
  for (const entry of map.entries) {
    const translated = translateField(entry, definitions, ctx);
    if (translated) items.push(...translated);
    else ok = false;
  }
  return ok ? items : undefined;
}

const STRING_MODIFIERS = new Set(["contains", "startswith", "endswith"]);
const KIND_MODIFIERS = new Set([...STRING_MODIFIERS, "cidr", "exists"]);

/** One `Field|modifiers: value(s)` as ANDed items; undefined after a problem. */
function translateField(entry: YEntry, definitions: readonly LogsourceDefinition[], ctx: DocContext): ExceptionItem[] | undefined {
  const pieces = entry.key.split("|");
  const name = pieces[0]!;
  const modifiers: { name: string; span: { start: number; end: number } }[] = [];
  let index = name.length;
  for (const m of pieces.slice(1)) {
    const from = index + 1;
    const start = contentOffset(entry.keyScalar, entry.keySpan.start, entry.key, from);
    const end = contentOffset(entry.keyScalar, entry.keySpan.start, entry.key, from + m.length);
    modifiers.push({ name: m, span: { start, end: Math.max(end, start + 1) } });
    index = from + m.length;
  }
  if (name === "") {
    ctx.unsupported(entry.keySpan, "unsupported_keyword", "a keyword search (no field) cannot be imported as an exception");
    return undefined;
  }
  let kind: string | undefined;
  let cased = false;
  let all = false;
  for (const m of modifiers) {
    if (m.name === "cased") cased = true;
    else if (m.name === "all") all = true;
    else if (KIND_MODIFIERS.has(m.name)) {
      if (kind !== undefined) {
        ctx.unsupported(m.span, "unsupported_modifier", `field \`${name}\`: modifier \`${m.name}\` after \`${kind}\` cannot be imported as an exception`);
        return undefined;
      }
      kind = m.name;
    } else {
      const known = lookupModifier(m.name) !== undefined;
      if (known) ctx.unsupported(m.span, "unsupported_modifier", `field \`${name}\`: modifier \`${m.name}\` cannot be imported as an exception (supported: contains, startswith, endswith, cidr, exists, cased, all)`);
      else ctx.at(m.span, "unknown_modifier", `field \`${name}\`: unknown modifier \`${m.name}\``);
      return undefined;
    }
  }
  if (cased && (kind === "cidr" || kind === "exists")) {
    ctx.unsupported(modifiers.find((m) => m.name === "cased")!.span, "unsupported_modifier", `field \`${name}\`: \`cased\` does not combine with \`${kind}\``);
    return undefined;
  }
  const field = ecsField(name, entry, definitions, ctx);
  const values = valueNodes(entry, ctx);
  if (field === undefined || values === undefined) return undefined;

  if (kind === "exists") {
    const v = values[0];
    if (values.length !== 1 || v === undefined || typeof v.value !== "boolean") {
      ctx.at(v?.span ?? entry.value.span, "invalid_exists", `field \`${name}\`: \`exists\` takes true or false`);
      return undefined;
    }
    return [{ field, operator: v.value ? "exists" : "does_not_exist" }];
  }
  if (kind === "cidr") {
    const networks: string[] = [];
    for (const v of values) {
      const parsed = typeof v.value === "string" ? parseCidr(v.value) : undefined;
      if (!parsed?.ok) {
        ctx.at(v.span, "invalid_cidr", `field \`${name}\`: ${parsed ? parsed.reason : "`cidr` takes a network such as 10.0.0.0/8"}`);
        return undefined;
      }
      networks.push(v.value as string);
    }
    if (all) return networks.map((value) => ({ field, operator: "cidr", value }));
    return [networks.length === 1 ? { field, operator: "cidr", value: networks[0]! } : { field, operator: "cidr", values: networks }];
  }

  const converted: StringOperand[] = [];
  for (const v of values) {
    if (v.value === null) {
      if (kind !== undefined || values.length > 1) {
        ctx.at(v.span, "invalid_null", `field \`${name}\`: null stands alone (it means the field is absent)`);
        return undefined;
      }
      return [{ field, operator: "does_not_exist" }];
    }
    converted.push(stringOperand(v, kind));
  }
  const extra = cased ? { case_sensitive: true } : {};
  const entryOfOperand = (o: StringOperand): ExceptionEntry =>
    o.literal !== undefined ? { field, operator: "is", value: o.literal, ...extra } : { field, operator: "matches", value: o.pattern, ...extra };
  if (all || converted.length === 1) return converted.map(entryOfOperand);
  const literals = converted.map((o) => o.literal);
  if (literals.every((l): l is string => l !== undefined)) return [{ field, operator: "is_one_of", values: literals, ...extra }];
  return [{ any: converted.map(entryOfOperand) }];
}

function valueNodes(entry: YEntry, ctx: DocContext): YScalar[] | undefined {
  const v = entry.value;
  if (v.kind === "scalar") return [v];
  if (v.kind === "seq" && v.items.length > 0 && v.items.every((i): i is YScalar => i.kind === "scalar")) return v.items;
  ctx.at(v.span, "invalid_value", `the value of \`${entry.key}\` must be a scalar or a non-empty list of scalars`);
  return undefined;
}

/** A value as an exact literal (no wildcards) or as a `matches` pattern in Sigma string syntax. */
interface StringOperand {
  literal?: string;
  pattern: string;
}

function stringOperand(node: YScalar, kind: string | undefined): StringOperand {
  const raw = typeof node.value === "string" ? node.value : String(node.value);
  // Numbers and booleans are their text; strings carry Sigma's wildcards and escapes.
  const parts: PatternPart[] = typeof node.value === "string" ? parseSigmaString(raw) : [textPart(raw)];
  const written = typeof node.value === "string" ? raw : printSigmaString(parts);
  if (kind === undefined) return hasSpecialParts(parts) ? { pattern: written } : { literal: plainText(parts), pattern: written };
  const before = kind === "contains" || kind === "endswith";
  const after = kind === "contains" || kind === "startswith";
  const wanted = [...parts];
  if (before && wanted[0]?.type !== "AnyChars") wanted.unshift(ANY_CHARS);
  if (after && wanted[wanted.length - 1]?.type !== "AnyChars") wanted.push(ANY_CHARS);
  // The value as written with `*` around it when that reads back the same (it does unless the
  // value ends in a lone backslash, which would escape the `*`); otherwise the canonical form.
  const simple = `${before && !written.startsWith("*") ? "*" : ""}${written}${after && !endsWithWildcard(parts) ? "*" : ""}`;
  return { pattern: samePattern(parseSigmaString(simple), wanted) ? simple : printSigmaString(wanted) };
}

function endsWithWildcard(parts: readonly PatternPart[]): boolean {
  return parts[parts.length - 1]?.type === "AnyChars";
}

function samePattern(a: readonly PatternPart[], b: readonly PatternPart[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- fields ----

/** The ECS path of a Sigma field under every definition the logsource covers; undefined after a problem. */
function ecsField(name: string, entry: YEntry, definitions: readonly LogsourceDefinition[], ctx: DocContext): string | undefined {
  const paths = new Set<string>();
  for (const definition of definitions) {
    const path = pathIn(definition, name);
    if (path === undefined) {
      ctx.unsupported(
        entry.keySpan,
        "unmappable_field",
        `field \`${name}\` is rebuilt from several ECS fields (or translated) on ${describe(definition)}: it has no single field an exception can test`,
      );
      return undefined;
    }
    paths.add(path);
  }
  if (paths.size !== 1) {
    ctx.at(
      entry.keySpan,
      "ambiguous_field",
      `field \`${name}\` is read from different fields on the logsources this filter covers (${[...paths].join(", ")}): name a product in \`logsource\``,
    );
    return undefined;
  }
  return [...paths][0]!;
}

/** The first plain path of the field's sources (logsources.ts); undefined when it has only join/hashes/values sources. */
function pathIn(definition: LogsourceDefinition, name: string): string | undefined {
  const stripped = name.replace(/\s+/g, "");
  const own = (key: string) => (Object.hasOwn(definition.fields, key) ? definition.fields[key] : undefined);
  const mapped = own(name) ?? own(stripped);
  if (mapped && mapped.length > 0) return mapped.find((s): s is string => typeof s === "string");
  if (name.includes(".")) return name;
  return definition.windowsFields ? `winlog.event_data.${stripped}` : name;
}

function describe(definition: LogsourceDefinition): string {
  return [definition.product, definition.category, definition.service].filter((p) => p !== undefined).join("/");
}

// ---- OR of selections ----

/**
 * The OR of alternatives (each an AND of items) as one exception body. One alternative is its
 * items; several are written in conjunctive normal form: for every choice of one item per
 * alternative, an `any` group of the chosen items (groups among them are flattened, an OR in an OR).
 */
function orOfSelections(alternatives: ExceptionItem[][], filterEntry: YEntry, ctx: DocContext): ExceptionItem[] | undefined {
  if (alternatives.length === 1) return alternatives[0]!;
  let clauses = 1;
  for (const alt of alternatives) clauses *= alt.length;
  if (clauses > EXCEPTION_LIMITS.maxEntries) {
    ctx.unsupported(
      filterEntry.keySpan,
      "filter_too_large",
      `the OR of these selections needs ${clauses} groups as one exception (at most ${EXCEPTION_LIMITS.maxEntries}): split the filter into several filters`,
    );
    return undefined;
  }
  let combos: ExceptionItem[][] = [[]];
  for (const alt of alternatives) combos = combos.flatMap((combo) => alt.map((item) => [...combo, item]));
  return combos.map((combo) => ({ any: combo.flatMap((item) => ("any" in item ? item.any : [item])) }));
}
