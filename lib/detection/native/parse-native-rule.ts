import { DetectionError, RuleValidationError, type SourceLocation } from "../errors";
import { TECHNIQUE_ID } from "../mitre/attack-url";
import { closestName } from "../suggest";
import { ENTERPRISE_ATTACK, findTactic, findTechnique, tacticsOfTechnique } from "../mitre/catalogue";
import { mitreFromSigmaTags } from "../mitre/mitre-from-sigma-tags";
import { mappingFromCatalogue, normalizeMitreMappings } from "../mitre/normalize-mitre-mappings";
import { DEFAULT_RULE_LIMITS, type RuleLimits } from "../rules/load-rules";
import { DEFAULT_RISK_SCORE, SEVERITIES, type MitreMapping, type RuleGuide } from "../rules/model";
import { SourceText, contentOffset, readYamlDocuments, toPlain, type YEntry, type YMap, type YNode, type YScalar } from "../sigma/yaml-source";
import { formatDuration, parseDuration } from "../stateful/duration";
import { parseRareCondition } from "../stateful/rare-condition";
import { DAY_MS } from "../stateful/types";
import { parseGuideTemplate } from "./guide-template";
import {
  NATIVE_DEFAULTS,
  NATIVE_FORMAT_VERSION,
  NATIVE_LIMITS,
  NATIVE_QUERY_LANGUAGES,
  NATIVE_RULE_TYPES,
  type NativeNewValue,
  type NativeQueryLanguage,
  type NativeRare,
  type NativeRule,
} from "./model";

/** One rule of a native file, parsed, with what the loader needs to place query errors. */
export interface ParsedNativeDocument {
  rule: NativeRule;
  /** 1-based line of the document's first key. */
  line: number;
  /** Moves an error positioned in the query text (offset, length) to the file. */
  placeQueryError(error: DetectionError): DetectionError;
}

/** The query of a document that failed for other reasons: compiled too, so one pass reports every error. */
export interface UncheckedNativeQuery {
  query: string;
  language: NativeQueryLanguage;
  placeQueryError(error: DetectionError): DetectionError;
}

export interface NativeFileParseResult {
  documents: ParsedNativeDocument[];
  unchecked: UncheckedNativeQuery[];
  /** Problems that stop a rule (the other documents of the file still load). */
  errors: DetectionError[];
  /** Things that load but deserve a look (an ATT&CK id the bundled catalogue does not know). */
  warnings: DetectionError[];
}

export interface ParseNativeOptions {
  file?: string;
  limits?: Partial<RuleLimits>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELD_PATH = /^[A-Za-z_@][A-Za-z0-9_@-]*(?:\.[A-Za-z0-9_@-]+)*$/;

const TOP_KEYS = [
  "vigil",
  "id",
  "name",
  "description",
  "type",
  "severity",
  "risk_score",
  "language",
  "query",
  "new_value",
  "rare",
  "tags",
  "mitre",
  "references",
  "false_positives",
  "author",
  "guide",
  "enabled",
];
const NEW_VALUE_KEYS = ["fields", "group_by", "learning", "forget_after"];
const RARE_KEYS = ["group_by", "window", "condition", "learning"];
const MITRE_KEYS = ["tactic", "technique", "subtechnique"];
const GUIDE_KEYS = ["what_happened", "goal", "strategy", "triage", "response", "notes"];

/**
 * Parse a native rule file: one rule per YAML document (`---` separates several). Never throws:
 * every problem is an error (or warning) with file, line and column (STYLE F4.4), and a broken
 * document never costs the others. Queries are not compiled here (the loader does it), but rare
 * conditions are parsed, so their errors point into the file too.
 */
export function parseNativeFile(text: string, options: ParseNativeOptions = {}): NativeFileParseResult {
  const limits = { ...DEFAULT_RULE_LIMITS, ...options.limits };
  const src = new SourceText(text, options.file);
  const result: NativeFileParseResult = { documents: [], unchecked: [], errors: [], warnings: [] };
  const read = readYamlDocuments(src);
  result.errors.push(...read.errors);
  for (const { node, errors } of read.documents) {
    if (errors.length > 0) {
      result.errors.push(...errors);
      continue;
    }
    if (node === null || (node.kind === "scalar" && node.value === null)) continue; // an empty document (a trailing `---`)
    const reader = new Reader(src, limits);
    const parsed = reader.rule(node);
    result.warnings.push(...reader.warnings);
    if (parsed && "rule" in parsed) result.documents.push(parsed);
    else {
      result.errors.push(...reader.errors);
      if (parsed) result.unchecked.push(parsed);
    }
  }
  return result;
}

type ErrorCtor = new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError;

class Reader {
  readonly errors: DetectionError[] = [];
  readonly warnings: DetectionError[] = [];

  constructor(
    private readonly src: SourceText,
    private readonly limits: RuleLimits,
  ) {}

  private fail(code: string, summary: string, at: { start: number; end: number }, Ctor: ErrorCtor = RuleValidationError): undefined {
    this.errors.push(this.src.error(Ctor, code, summary, at.start, Math.max(at.end - at.start, 1)));
    return undefined;
  }

  private warn(code: string, summary: string, at: { start: number; end: number }): void {
    this.warnings.push(this.src.error(RuleValidationError, code, summary, at.start, Math.max(at.end - at.start, 1)));
  }

  /** The rule, or (when it has errors) its query for checking, or nothing. */
  rule(node: YNode): ParsedNativeDocument | UncheckedNativeQuery | undefined {
    if (node.kind !== "map") return this.fail("not_a_mapping", "a native rule is a YAML mapping (vigil: 1, id, name, type, query, …)", node.span);
    const map = node;
    this.checkKeys(map, TOP_KEYS, "");

    const version = entryOf(map, "vigil");
    if (!version) this.fail("missing_attribute", "`vigil: 1` (the format version) is required", map.span);
    else if (version.value.kind !== "scalar" || version.value.value !== NATIVE_FORMAT_VERSION) {
      this.fail("invalid_version", `unsupported native format version: expected \`vigil: ${NATIVE_FORMAT_VERSION}\``, version.value.span);
    }

    const id = this.string(map, "id", true);
    if (id !== undefined && !UUID.test(id)) this.fail("invalid_id", "`id` must be a UUID (Vigil keys alerts and baselines by it)", entryOf(map, "id")!.value.span);
    const name = this.string(map, "name", true);
    const description = this.string(map, "description", true);
    const type = this.oneOf(map, "type", NATIVE_RULE_TYPES, true);
    const severity = this.oneOf(map, "severity", SEVERITIES, true);
    const riskScore = this.riskScore(map);
    const languageEntry = entryOf(map, "language");
    const declaredLanguage = this.oneOf(map, "language", NATIVE_QUERY_LANGUAGES, false);
    const language = languageEntry && !isNull(languageEntry.value) ? declaredLanguage : NATIVE_DEFAULTS.language;
    const queryEntry = entryOf(map, "query");
    const query = this.string(map, "query", true);
    if (query !== undefined && query.trim() === "") this.fail("invalid_query", "`query` is empty (use `*` in KQL, or `any where true` in EQL, to take every event)", queryEntry!.value.span);

    const newValueEntry = entryOf(map, "new_value");
    const rareEntry = entryOf(map, "rare");
    if (type !== undefined && type !== "new_value" && newValueEntry) this.fail("misplaced_attribute", `\`new_value\` belongs to rules of type new_value, not ${type}`, newValueEntry.keySpan);
    if (type !== undefined && type !== "rare" && rareEntry) this.fail("misplaced_attribute", `\`rare\` belongs to rules of type rare, not ${type}`, rareEntry.keySpan);
    let newValue: NativeNewValue | undefined;
    let rare: NativeRare | undefined;
    if (type === "new_value") {
      if (!newValueEntry) this.fail("missing_attribute", "a new_value rule needs `new_value: {fields: […], …}`", map.span);
      else newValue = this.newValue(newValueEntry);
    }
    if (type === "rare") {
      if (!rareEntry) this.fail("missing_attribute", "a rare rule needs `rare: {group_by: […], condition: …, …}`", map.span);
      else rare = this.rare(rareEntry);
    }

    const tags = this.stringList(map, "tags");
    const mitre = this.mitre(map, tags);
    const references = this.stringList(map, "references");
    const falsePositives = this.stringList(map, "false_positives");
    const author = this.author(map);
    const guide = this.guide(map);
    const enabled = this.boolean(map, "enabled") ?? true;

    const extensions: Record<string, unknown> = {};
    for (const e of map.entries) if (e.key.startsWith("x-")) extensions[e.key] = toPlain(e.value);

    const queryScalar = queryEntry?.value as YScalar | undefined;
    const placeQueryError = (e: DetectionError) => this.place(e, queryScalar!, query!);
    if (this.errors.length > 0 || id === undefined || name === undefined || description === undefined || type === undefined || severity === undefined || query === undefined || language === undefined) {
      return query !== undefined && query.trim() !== "" && language !== undefined ? { query, language, placeQueryError } : undefined;
    }
    const rule: NativeRule = {
      version: NATIVE_FORMAT_VERSION,
      id: id.toLowerCase(),
      name,
      description: description.trim(),
      type,
      severity,
      riskScore: riskScore ?? DEFAULT_RISK_SCORE[severity],
      language,
      query,
      ...(newValue && { newValue }),
      ...(rare && { rare }),
      tags,
      mitre,
      references,
      falsePositives,
      author,
      guide,
      enabled,
      extensions,
    };
    return { rule, line: map.span.line, placeQueryError };
  }

  /** Unknown keys are errors (typo protection), with a suggestion; `x-` keys are free. */
  private checkKeys(map: YMap, known: readonly string[], where: string): void {
    for (const e of map.entries) {
      if (known.includes(e.key) || e.key.startsWith("x-")) continue;
      const near = suggest(e.key, known);
      this.fail(
        "unknown_attribute",
        `unknown \`${where}${e.key}\`${near ? ` (did you mean \`${where}${near}\`?)` : ""}; extensions go under keys starting with \`x-\``,
        e.keySpan,
      );
    }
  }

  private string(map: YMap, key: string, required: boolean): string | undefined {
    const entry = entryOf(map, key);
    if (!entry || isNull(entry.value)) {
      if (required) this.fail("missing_attribute", `\`${key}\` is required`, entry ? entry.keySpan : map.span);
      return undefined;
    }
    if (entry.value.kind !== "scalar" || typeof entry.value.value !== "string") {
      return this.fail("invalid_attribute", `\`${key}\` must be a string`, entry.value.span);
    }
    if (required && entry.value.value.trim() === "" && key !== "query") return this.fail("invalid_attribute", `\`${key}\` is empty`, entry.value.span);
    return entry.value.value;
  }

  private oneOf<T extends string>(map: YMap, key: string, allowed: readonly T[], required: boolean): T | undefined {
    const s = this.string(map, key, required);
    if (s === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(s)) {
      return this.fail(`invalid_${key}`, `\`${key}\` must be one of ${allowed.join(", ")}; got ${JSON.stringify(s)}`, entryOf(map, key)!.value.span);
    }
    return s as T;
  }

  private boolean(map: YMap, key: string): boolean | undefined {
    const entry = entryOf(map, key);
    if (!entry || isNull(entry.value)) return undefined;
    if (entry.value.kind !== "scalar" || typeof entry.value.value !== "boolean") return this.fail("invalid_attribute", `\`${key}\` must be true or false`, entry.value.span);
    return entry.value.value;
  }

  private riskScore(map: YMap): number | undefined {
    const entry = entryOf(map, "risk_score");
    if (!entry || isNull(entry.value)) return undefined;
    const v = entry.value.kind === "scalar" ? entry.value.value : undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 100) {
      return this.fail("invalid_risk_score", "`risk_score` must be an integer from 0 to 100 (default: 21, 47, 73 or 99 by severity)", entry.value.span);
    }
    return v;
  }

  /** A list of strings (a lone string is accepted as a list of one). */
  private stringList(map: YMap, key: string): string[] {
    const entry = entryOf(map, key);
    if (!entry || isNull(entry.value)) return [];
    const v = entry.value;
    if (v.kind === "scalar" && typeof v.value === "string") return [v.value];
    if (v.kind !== "seq") {
      this.fail("invalid_attribute", `\`${key}\` must be a list of strings`, v.span);
      return [];
    }
    const out: string[] = [];
    for (const item of v.items) {
      if (item.kind === "scalar" && typeof item.value === "string") out.push(item.value);
      else this.fail("invalid_attribute", `\`${key}\` must be a list of strings`, item.span);
    }
    return out;
  }

  private author(map: YMap): string[] {
    const entry = entryOf(map, "author");
    if (!entry || isNull(entry.value)) return [];
    if (entry.value.kind === "scalar" && typeof entry.value.value === "string") {
      return entry.value.value
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean);
    }
    return this.stringList(map, "author");
  }

  /** A list of 1–5 (`min` 0 for an optional group-by) distinct ECS field paths. */
  private fields(parent: YMap, owner: YEntry, key: string, where: string, min: number): string[] {
    const entry = entryOf(parent, key);
    if (!entry || isNull(entry.value)) {
      if (min > 0) this.fail("missing_attribute", `\`${where}.${key}\` is required: a list of 1 to ${NATIVE_LIMITS.maxFields} fields`, entry ? entry.keySpan : owner.keySpan);
      return [];
    }
    const v = entry.value;
    const items = v.kind === "seq" ? v.items : [v];
    const out: string[] = [];
    for (const item of items) {
      if (item.kind !== "scalar" || typeof item.value !== "string" || !FIELD_PATH.test(item.value)) {
        this.fail("invalid_field", `\`${where}.${key}\` must list ECS field paths such as process.name`, item.span);
        continue;
      }
      if (out.includes(item.value)) this.fail("duplicate_field", `\`${item.value}\` is listed twice in \`${where}.${key}\``, item.span);
      else out.push(item.value);
    }
    if (out.length < min) this.fail("invalid_field", `\`${where}.${key}\` needs at least ${min} field`, v.span);
    if (out.length > NATIVE_LIMITS.maxFields) this.fail("too_many_fields", `\`${where}.${key}\` lists ${out.length} fields; the limit is ${NATIVE_LIMITS.maxFields}`, v.span);
    return out;
  }

  private duration(parent: YMap, key: string, where: string, range: { minDays: number; maxDays: number; wholeDays?: boolean }, fallbackMs: number): number {
    const entry = entryOf(parent, key);
    if (!entry || isNull(entry.value)) return fallbackMs;
    const v = entry.value;
    const raw = v.kind === "scalar" ? v.value : undefined;
    const ms = typeof raw === "string" ? parseDuration(raw) : raw === 0 ? 0 : undefined;
    const expected = range.wholeDays ? "a number of days such as 7d" : "a duration such as 7d or 12h";
    if (ms === undefined) {
      this.fail("invalid_duration", `\`${where}.${key}\` must be ${expected}`, v.span);
      return fallbackMs;
    }
    if (range.wholeDays && ms % DAY_MS !== 0) {
      this.fail("invalid_duration", `\`${where}.${key}\` must be whole days (the window is kept as event-time day buckets); got ${formatDuration(ms)}`, v.span);
      return fallbackMs;
    }
    if (ms < range.minDays * DAY_MS || ms > range.maxDays * DAY_MS) {
      this.fail("duration_out_of_range", `\`${where}.${key}\` must be from ${range.minDays === 0 ? "0" : `${range.minDays}d`} to ${range.maxDays}d; got ${formatDuration(ms)}`, v.span);
      return fallbackMs;
    }
    return ms;
  }

  private newValue(entry: YEntry): NativeNewValue | undefined {
    if (entry.value.kind !== "map") return this.fail("invalid_attribute", "`new_value` must be a mapping: {fields: […], group_by: […], learning: 7d, forget_after: 30d}", entry.value.span);
    const map = entry.value;
    this.checkKeys(map, NEW_VALUE_KEYS, "new_value.");
    const fields = this.fields(map, entry, "fields", "new_value", 1);
    const groupBy = this.fields(map, entry, "group_by", "new_value", 0);
    for (const f of groupBy) {
      if (fields.includes(f)) this.fail("duplicate_field", `\`${f}\` is both a watched field and a group-by field`, entryOf(map, "group_by")!.value.span);
    }
    const learningMs = this.duration(map, "learning", "new_value", { minDays: 0, maxDays: NATIVE_LIMITS.maxLearningDays }, NATIVE_DEFAULTS.newValueLearningDays * DAY_MS);
    const forgetAfterMs = this.duration(
      map,
      "forget_after",
      "new_value",
      { minDays: NATIVE_LIMITS.minForgetAfterDays, maxDays: NATIVE_LIMITS.maxForgetAfterDays },
      NATIVE_DEFAULTS.forgetAfterDays * DAY_MS,
    );
    return { fields, groupBy, learningMs, forgetAfterMs };
  }

  private rare(entry: YEntry): NativeRare | undefined {
    if (entry.value.kind !== "map") return this.fail("invalid_attribute", "`rare` must be a mapping: {group_by: […], window: 7d, condition: …, learning: 7d}", entry.value.span);
    const map = entry.value;
    this.checkKeys(map, RARE_KEYS, "rare.");
    const groupBy = this.fields(map, entry, "group_by", "rare", 1);
    const windowMs = this.duration(
      map,
      "window",
      "rare",
      { minDays: NATIVE_LIMITS.minWindowDays, maxDays: NATIVE_LIMITS.maxWindowDays, wholeDays: true },
      NATIVE_DEFAULTS.rareWindowDays * DAY_MS,
    );
    const learningMs = this.duration(map, "learning", "rare", { minDays: 0, maxDays: NATIVE_LIMITS.maxLearningDays }, windowMs);
    const conditionEntry = entryOf(map, "condition");
    if (!conditionEntry || isNull(conditionEntry.value)) {
      return this.fail("missing_attribute", "`rare.condition` is required, e.g. `count < 5 and distinct(host.id) == 1`", conditionEntry ? conditionEntry.keySpan : entry.keySpan);
    }
    const v = conditionEntry.value;
    if (v.kind !== "scalar" || typeof v.value !== "string") return this.fail("invalid_attribute", "`rare.condition` must be a string", v.span);
    try {
      const condition = parseRareCondition(v.value, { maxLength: this.limits.maxQueryLength, maxDepth: this.limits.maxDepth });
      return { groupBy, windowDays: windowMs / DAY_MS, condition, conditionText: v.value, learningMs };
    } catch (error) {
      if (!(error instanceof DetectionError)) throw error;
      this.errors.push(this.place(error, v, v.value));
      return undefined;
    }
  }

  /**
   * ATT&CK from `attack.*` tags (as Sigma writes them) and from explicit `mitre` entries
   * ({tactic, technique, subtechnique} by id, or tactic by name), resolved in the bundled catalogue.
   */
  private mitre(map: YMap, tags: string[]): MitreMapping[] {
    const fromTags = mitreFromSigmaTags(tags);
    const tagsEntry = entryOf(map, "tags");
    for (const tag of fromTags.unknown) this.warn("unknown_attack_tag", `ATT&CK tag not in the bundled catalogue: ${tag}`, tagSpan(tagsEntry, tag));
    for (const tag of fromTags.retired) this.warn("retired_attack_tag", `ATT&CK tag names a revoked or deprecated technique: ${tag}`, tagSpan(tagsEntry, tag));

    const mappings: MitreMapping[] = [...fromTags.mappings];
    const entry = entryOf(map, "mitre");
    if (entry && !isNull(entry.value)) {
      if (entry.value.kind !== "seq") {
        this.fail("invalid_mitre", "`mitre` must be a list of {tactic, technique, subtechnique}", entry.value.span);
      } else {
        for (const item of entry.value.items) {
          const m = this.mitreEntry(item);
          if (m) mappings.push(m);
        }
      }
    }
    return normalizeMitreMappings(mappings);
  }

  private mitreEntry(item: YNode): MitreMapping | undefined {
    if (item.kind !== "map") return this.fail("invalid_mitre", "each `mitre` entry is a mapping: {tactic: TA0002, technique: T1059, subtechnique: T1059.004}", item.span);
    this.checkKeys(item, MITRE_KEYS, "mitre[].");
    const text = (key: string): { value: string; span: YNode["span"] } | undefined => {
      const e = entryOf(item, key);
      if (!e || isNull(e.value)) return undefined;
      if (e.value.kind !== "scalar" || typeof e.value.value !== "string") {
        this.fail("invalid_mitre", `\`mitre[].${key}\` must be a string`, e.value.span);
        return undefined;
      }
      return { value: e.value.value.trim(), span: e.value.span };
    };
    const tacticText = text("tactic");
    const techniqueText = text("technique");
    const subText = text("subtechnique");
    if (!tacticText) return this.fail("invalid_mitre", "a `mitre` entry needs a `tactic` (id such as TA0002, or name)", item.span);
    const tactic = findTactic(tacticText.value);
    if (!tactic) {
      this.warn("mitre_unknown_id", `ATT&CK tactic not in the bundled catalogue: ${tacticText.value}`, tacticText.span);
      return undefined;
    }
    let techniqueId = techniqueText?.value;
    let subId = subText?.value;
    if (techniqueId !== undefined && !TECHNIQUE_ID.test(techniqueId)) return this.fail("invalid_mitre", `\`${techniqueId}\` is not a technique id (T1234 or T1234.001)`, techniqueText!.span);
    if (techniqueId?.includes(".") && subId === undefined) {
      subId = techniqueId;
      techniqueId = techniqueId.slice(0, techniqueId.indexOf("."));
    }
    if (subId !== undefined) {
      if (techniqueId === undefined) return this.fail("invalid_mitre", "a `subtechnique` needs its `technique`", subText!.span);
      if (!/^T\d{4}\.\d{3}$/i.test(subId) || subId.slice(0, techniqueId.length).toUpperCase() !== techniqueId.toUpperCase()) {
        return this.fail("invalid_mitre", `\`${subId}\` is not a sub-technique of ${techniqueId}`, (subText ?? techniqueText)!.span);
      }
    }
    if (techniqueId === undefined) return mappingFromCatalogue(tactic, undefined);
    const targetId = subId ?? techniqueId;
    const target = findTechnique(targetId);
    const span = (subText ?? techniqueText)!.span;
    if (!target) {
      this.warn("mitre_unknown_id", `ATT&CK technique not in the bundled catalogue: ${targetId}`, span);
      return undefined;
    }
    if (target.revoked || target.deprecated) this.warn("retired_attack_id", `${targetId} is ${target.revoked ? "revoked" : "deprecated"} in ATT&CK`, span);
    const own = tacticsOfTechnique(target.id);
    if (!own.some((t) => t.id === tactic.id)) {
      return this.fail(
        "mitre_tactic_mismatch",
        `${target.id} (${target.name}) is not a technique of ${tactic.id} ${tactic.name} in ATT&CK; it serves ${own.map((t) => `${t.id} ${t.name}`).join(", ") || "no tactic"}`,
        span,
      );
    }
    return mappingFromCatalogue(tactic, target, ENTERPRISE_ATTACK);
  }

  private guide(map: YMap): RuleGuide {
    const entry = entryOf(map, "guide");
    const guide: RuleGuide = { triage: [], response: [] };
    if (!entry || isNull(entry.value)) return guide;
    if (entry.value.kind !== "map") {
      this.fail("invalid_guide", "`guide` must be a mapping: {what_happened, goal, strategy, triage: […], response: […], notes}", entry.value.span);
      return guide;
    }
    const g = entry.value;
    this.checkKeys(g, GUIDE_KEYS, "guide.");
    const whatHappened = this.string(g, "what_happened", false);
    if (whatHappened !== undefined) {
      const v = entryOf(g, "what_happened")!.value as YScalar;
      for (const e of parseGuideTemplate(whatHappened).errors) {
        const start = contentOffset(v.scalar, v.span.start, whatHappened, e.offset);
        const end = contentOffset(v.scalar, v.span.start, whatHappened, e.offset + e.length);
        this.errors.push(this.src.error(RuleValidationError, "invalid_template", e.summary, start, Math.max(end - start, 1)));
      }
      guide.whatHappened = whatHappened.trim();
    }
    const goal = this.string(g, "goal", false);
    const strategy = this.string(g, "strategy", false);
    const notes = this.string(g, "notes", false);
    if (goal !== undefined) guide.goal = goal.trim();
    if (strategy !== undefined) guide.strategy = strategy.trim();
    guide.triage = this.stringList(g, "triage").map((s) => s.trim());
    guide.response = this.stringList(g, "response").map((s) => s.trim());
    if (notes !== undefined) guide.notes = notes.trim();
    return guide;
  }

  /**
   * An error at an offset inside a scalar's content (a query, a condition), moved into the file.
   * An error at the end points just after the last character, not at the line break a block
   * scalar ends with.
   */
  place(error: DetectionError, scalar: YScalar, content: string): DetectionError {
    const inner = Math.min(error.source.offset ?? 0, content.trimEnd().length);
    const length = error.source.length ?? 1;
    const start = scalarOffset(scalar, content, inner);
    const end = scalarOffset(scalar, content, inner + length);
    const Ctor = error.constructor as ErrorCtor;
    return this.src.error(Ctor, error.code, error.summary, start, Math.max(end - start, 1));
  }
}

/**
 * The file offset of character `index` of a scalar's content. Literal block scalars (`query: |`,
 * the usual form of a multi-line query) map exactly, line by line past their indentation; other
 * styles go through the Sigma loader's `contentOffset`.
 */
function scalarOffset(scalar: YScalar, content: string, index: number): number {
  const raw = scalar.scalar.raw;
  if (scalar.scalar.style !== "block" || !raw.startsWith("|")) return contentOffset(scalar.scalar, scalar.span.start, content, index);
  const i = Math.min(Math.max(index, 0), content.length);
  const before = content.slice(0, i);
  const line = before.split("\n").length - 1;
  const column = i - (before.lastIndexOf("\n") + 1);
  const rawLines = raw.split("\n");
  let indent = Infinity;
  for (const l of rawLines.slice(1)) if (l.trim() !== "") indent = Math.min(indent, l.length - l.trimStart().length);
  if (!Number.isFinite(indent)) indent = 0;
  // Line 0 of raw is the header (`|`, `|-`, `|2`); content line k is raw line k + 1.
  let offset = rawLines[0]!.length + 1;
  for (let k = 0; k < line && k + 1 < rawLines.length; k++) offset += rawLines[k + 1]!.length + 1;
  const rawLine = rawLines[line + 1] ?? "";
  return scalar.span.start + Math.min(offset + Math.min(indent, rawLine.length) + column, raw.length);
}

function entryOf(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

function isNull(node: YNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

function tagSpan(entry: YEntry | undefined, tag: string): { start: number; end: number } {
  if (entry?.value.kind === "seq") {
    const item = entry.value.items.find((i) => i.kind === "scalar" && i.value === tag);
    if (item) return item.span;
  }
  return entry ? entry.value.span : { start: 0, end: 1 };
}

/** The closest known key within two edits, for "did you mean". */
function suggest(key: string, known: readonly string[]): string | undefined {
  return closestName(key, known, 2);
}

