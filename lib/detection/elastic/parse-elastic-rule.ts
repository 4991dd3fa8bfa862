import { parse as parseToml, TomlError } from "smol-toml";
import { DetectionError, RuleValidationError, renderCaret } from "../errors";
import { parseDateMath } from "../compile/date-math";
import type { RuleFile } from "../rules/load-rules";
import {
  ELASTIC_SEVERITIES,
  type ElasticAlertSuppression,
  type ElasticMetadata,
  type ElasticNewTerms,
  type ElasticRuleModel,
  type ElasticSeverity,
  type ElasticThreat,
  type ElasticThreatRef,
} from "./model";
import { scanTomlPositions, type TomlPositions } from "./toml-positions";

export interface ParsedElasticRule {
  /** Undefined when the file is not a usable rule (see `errors`). */
  model?: ElasticRuleModel;
  errors: DetectionError[];
  positions?: TomlPositions;
}

/** `[rule]` keys the model names; anything else lands in `extra`. */
const KNOWN_RULE_KEYS = new Set([
  "rule_id",
  "name",
  "description",
  "type",
  "language",
  "query",
  "severity",
  "risk_score",
  "author",
  "license",
  "tags",
  "references",
  "false_positives",
  "threat",
  "note",
  "setup",
  "index",
  "data_view_id",
  "from",
  "interval",
  "max_signals",
  "version",
  "timestamp_override",
  "timestamp_override_fallback_disabled",
  "building_block_type",
  "rule_name_override",
  "exceptions_list",
  "alert_suppression",
  "investigation_fields",
  "risk_score_mapping",
  "severity_mapping",
  "new_terms",
  "threshold",
]);

const MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Read an Elastic detection-rules TOML file into an ElasticRuleModel, collecting every problem
 * with the file, line and column (STYLE F4.4): TOML syntax errors as smol-toml reports them, and
 * missing or mistyped keys at the key (or its table). Unknown keys are kept, never errors.
 * Never throws.
 */
export function parseElasticRule(file: RuleFile): ParsedElasticRule {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(file.text, { unsafeKeyBehaviour: "throw", maxDepth: 64 }) as Record<string, unknown>;
  } catch (error) {
    return { errors: [tomlError(file, error)] };
  }
  const positions = scanTomlPositions(file.text);
  const errors: DetectionError[] = [];
  const at = (path: string) => {
    const p = positions.nearest(path);
    return { file: file.path, line: p.line, column: p.column, offset: p.offset };
  };
  const fail = (code: string, summary: string, path: string) => {
    errors.push(new RuleValidationError(code, summary, at(path)));
  };

  const rule = doc.rule;
  if (!isTable(rule)) {
    fail("elastic_missing_rule_table", "not an Elastic detection rule: the [rule] table is missing", "rule");
    return { errors, positions };
  }
  const metadataRaw = isTable(doc.metadata) ? doc.metadata : {};

  const requiredString = (key: string): string => {
    const v = rule[key];
    if (typeof v === "string" && v.trim() !== "") return v;
    fail("elastic_missing_key", v === undefined ? `rule.${key} is required` : `rule.${key} must be a non-empty string`, `rule.${key}`);
    return "";
  };
  const optionalString = (key: string, table: Record<string, unknown> = rule, prefix = "rule"): string | undefined => {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v === "string") return v;
    fail("elastic_invalid_key", `${prefix}.${key} must be a string`, `${prefix}.${key}`);
    return undefined;
  };
  const stringList = (key: string, table: Record<string, unknown> = rule, prefix = "rule"): string[] => {
    const v = table[key];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    fail("elastic_invalid_key", `${prefix}.${key} must be an array of strings`, `${prefix}.${key}`);
    return [];
  };
  const optionalNumber = (key: string): number | undefined => {
    const v = rule[key];
    if (v === undefined) return undefined;
    if (typeof v === "number" && Number.isFinite(v)) return v;
    fail("elastic_invalid_key", `rule.${key} must be a number`, `rule.${key}`);
    return undefined;
  };
  const tableList = (key: string): Record<string, unknown>[] => {
    const v = rule[key];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every(isTable)) return v as Record<string, unknown>[];
    fail("elastic_invalid_key", `rule.${key} must be an array of tables`, `rule.${key}`);
    return [];
  };

  const ruleId = requiredString("rule_id");
  const name = requiredString("name");
  const description = requiredString("description");
  const type = requiredString("type");

  const severityRaw = requiredString("severity");
  const severity = severityRaw.toLowerCase() as ElasticSeverity;
  if (severityRaw && !ELASTIC_SEVERITIES.includes(severity)) {
    fail("elastic_invalid_severity", `rule.severity must be one of ${ELASTIC_SEVERITIES.join(", ")}, not ${JSON.stringify(severityRaw)}`, "rule.severity");
  }
  const riskScore = rule.risk_score;
  if (typeof riskScore !== "number" || !Number.isInteger(riskScore) || riskScore < 0 || riskScore > 100) {
    fail("elastic_invalid_risk_score", riskScore === undefined ? "rule.risk_score is required" : "rule.risk_score must be an integer from 0 to 100", "rule.risk_score");
  }

  const language = optionalString("language");
  const query = optionalString("query");
  if ((type === "query" || type === "eql" || type === "new_terms") && query === undefined) {
    fail("elastic_missing_key", `rule.query is required for ${type} rules`, "rule.query");
  }
  if ((type === "query" || type === "eql" || type === "new_terms") && language === undefined) {
    fail("elastic_missing_key", `rule.language is required for ${type} rules`, "rule.language");
  }

  const threat = readThreat(rule.threat, fail);
  const newTerms = type === "new_terms" ? readNewTerms(rule.new_terms, fail) : undefined;
  const alertSuppression = readAlertSuppression(rule.alert_suppression, fail);
  let investigationFields: { fieldNames: string[] } | undefined;
  if (rule.investigation_fields !== undefined) {
    const f = rule.investigation_fields;
    if (isTable(f)) investigationFields = { fieldNames: stringList("field_names", f, "rule.investigation_fields") };
    else fail("elastic_invalid_key", "rule.investigation_fields must be a table with field_names", "rule.investigation_fields");
  }

  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rule)) if (!KNOWN_RULE_KEYS.has(k)) extra[k] = v;

  const metadata: ElasticMetadata = {
    integration: typeof metadataRaw.integration === "string" ? [metadataRaw.integration] : stringList("integration", metadataRaw, "metadata"),
    raw: metadataRaw,
  };
  const metaString = (key: string, prop: "creationDate" | "updatedDate" | "maturity" | "minStackVersion" | "minStackComments" | "deprecationDate") => {
    const v = optionalString(key, metadataRaw, "metadata");
    if (v !== undefined) metadata[prop] = v;
  };
  metaString("creation_date", "creationDate");
  metaString("updated_date", "updatedDate");
  metaString("maturity", "maturity");
  metaString("min_stack_version", "minStackVersion");
  metaString("min_stack_comments", "minStackComments");
  metaString("deprecation_date", "deprecationDate");

  const model: ElasticRuleModel = {
    metadata,
    ruleId,
    name,
    description,
    type,
    severity,
    riskScore: typeof riskScore === "number" ? riskScore : 0,
    author: stringList("author"),
    tags: stringList("tags"),
    references: stringList("references"),
    falsePositives: stringList("false_positives"),
    threat,
    exceptionsList: tableList("exceptions_list"),
    riskScoreMapping: tableList("risk_score_mapping"),
    severityMapping: tableList("severity_mapping"),
    extra,
    raw: doc,
  };
  const assign = <K extends keyof ElasticRuleModel>(key: K, value: ElasticRuleModel[K] | undefined) => {
    if (value !== undefined) model[key] = value;
  };
  assign("language", language);
  assign("query", query);
  assign("license", optionalString("license"));
  assign("note", optionalString("note"));
  assign("setup", optionalString("setup"));
  if (rule.index !== undefined) assign("index", stringList("index"));
  assign("dataViewId", optionalString("data_view_id"));
  assign("from", optionalString("from"));
  assign("interval", optionalString("interval"));
  assign("maxSignals", optionalNumber("max_signals"));
  assign("version", optionalNumber("version"));
  assign("timestampOverride", optionalString("timestamp_override"));
  if (rule.timestamp_override_fallback_disabled !== undefined) {
    if (typeof rule.timestamp_override_fallback_disabled === "boolean") assign("timestampOverrideFallbackDisabled", rule.timestamp_override_fallback_disabled);
    else fail("elastic_invalid_key", "rule.timestamp_override_fallback_disabled must be true or false", "rule.timestamp_override_fallback_disabled");
  }
  assign("buildingBlockType", optionalString("building_block_type"));
  assign("ruleNameOverride", optionalString("rule_name_override"));
  assign("alertSuppression", alertSuppression);
  assign("investigationFields", investigationFields);
  assign("newTerms", newTerms);
  if (isTable(rule.threshold)) assign("threshold", rule.threshold);

  if (errors.length > 0) return { errors, positions };
  return { model, errors, positions };
}

type Fail = (code: string, summary: string, path: string) => void;

function readThreat(raw: unknown, fail: Fail): ElasticThreat[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    fail("elastic_invalid_key", "rule.threat must be an array of tables ([[rule.threat]])", "rule.threat");
    return [];
  }
  const ref = (v: unknown): ElasticThreatRef => {
    const t = isTable(v) ? v : {};
    return {
      id: typeof t.id === "string" ? t.id : "",
      name: typeof t.name === "string" ? t.name : "",
      ...(typeof t.reference === "string" && { reference: t.reference }),
    };
  };
  return raw.filter(isTable).map((t) => ({
    framework: typeof t.framework === "string" ? t.framework : "",
    tactic: ref(t.tactic),
    technique: (Array.isArray(t.technique) ? t.technique : []).filter(isTable).map((tech) => ({
      ...ref(tech),
      subtechnique: (Array.isArray(tech.subtechnique) ? tech.subtechnique : []).map(ref),
    })),
  }));
}

/**
 * detection-rules writes new terms as
 *   [rule.new_terms] field = "new_terms_fields", value = [...]
 *   [[rule.new_terms.history_window_start]] field = "history_window_start", value = "now-7d"
 */
function readNewTerms(raw: unknown, fail: Fail): ElasticNewTerms | undefined {
  if (!isTable(raw)) {
    fail("elastic_missing_key", "new_terms rules need [rule.new_terms] with the new_terms_fields", "rule.new_terms");
    return undefined;
  }
  const fields = raw.value;
  if (raw.field !== "new_terms_fields" || !Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === "string" && f !== "")) {
    fail("elastic_invalid_new_terms", 'rule.new_terms must be field = "new_terms_fields", value = ["field", …] (one to three fields)', "rule.new_terms");
    return undefined;
  }
  if (fields.length > 3) {
    fail("elastic_invalid_new_terms", `rule.new_terms has ${fields.length} fields; Elastic allows at most 3`, "rule.new_terms.value");
    return undefined;
  }
  const windows = raw.history_window_start;
  const window = Array.isArray(windows) ? windows.find((w) => isTable(w) && w.field === "history_window_start") : undefined;
  const start = isTable(window) ? window.value : undefined;
  const windowMs = typeof start === "string" ? historyWindowMs(start) : { error: "" };
  if ("error" in windowMs) {
    const index = Array.isArray(windows) ? windows.indexOf(window) : -1;
    fail(
      "elastic_invalid_new_terms",
      `new_terms rules need [[rule.new_terms.history_window_start]] with field = "history_window_start" and a value such as "now-7d"${windowMs.error ? `: ${windowMs.error}` : ""}`,
      index >= 0 ? `rule.new_terms.history_window_start[${index}].value` : "rule.new_terms",
    );
    return undefined;
  }
  return { fields: fields as string[], historyWindowStart: start as string, historyWindowMs: windowMs.ms };
}

/**
 * The length of a new-terms history window written as date math relative to now: `now-7d` is
 * 7 days, `now-1w-12h` is 7.5 days. Only fixed-length units (w, d, h, m, s): a month or a year,
 * or rounding (`now-7d/d`), would make the window's length depend on when it is evaluated.
 */
function historyWindowMs(text: string): { ms: number } | { error: string } {
  const math = parseDateMath(text);
  if (!math || math.anchor !== "now") return { error: `${JSON.stringify(text)} is not date math relative to now` };
  let ms = 0;
  for (const step of math.steps) {
    if (step.op === "/") return { error: `rounding (/${step.unit}) makes the window's length depend on when it is evaluated` };
    const size = MS[step.unit];
    if (size === undefined) return { error: `${step.unit === "M" ? "months" : "years"} have no fixed length; use days or weeks` };
    ms += (step.op === "-" ? 1 : -1) * step.amount * size;
  }
  return ms > 0 ? { ms } : { error: `${JSON.stringify(text)} does not lie in the past` };
}

function readAlertSuppression(raw: unknown, fail: Fail): ElasticAlertSuppression | undefined {
  if (raw === undefined) return undefined;
  if (!isTable(raw) || !Array.isArray(raw.group_by) || !raw.group_by.every((g) => typeof g === "string")) {
    fail("elastic_invalid_key", "rule.alert_suppression needs group_by = [\"field\", …]", "rule.alert_suppression");
    return undefined;
  }
  const out: ElasticAlertSuppression = { groupBy: raw.group_by as string[], raw };
  if (isTable(raw.duration) && typeof raw.duration.value === "number" && typeof raw.duration.unit === "string") {
    out.duration = { value: raw.duration.value, unit: raw.duration.unit };
  }
  if (typeof raw.missing_fields_strategy === "string") out.missingFieldsStrategy = raw.missing_fields_strategy;
  return out;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** smol-toml's error, with the file's line, column and a caret (its message is multi-line). */
function tomlError(file: RuleFile, error: unknown): DetectionError {
  if (error instanceof TomlError) {
    const summary = error.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "invalid TOML: ");
    const lines = file.text.split("\n");
    const offset = lines.slice(0, error.line - 1).reduce((n, l) => n + l.length + 1, 0) + error.column - 1;
    const source = { file: file.path, line: error.line, column: error.column, offset };
    return new RuleValidationError("toml_syntax", summary, source, `${file.path}:${error.line}:${error.column}: ${summary}\n${renderCaret(file.text, offset)}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RuleValidationError("toml_syntax", `invalid TOML: ${message}`, { file: file.path, line: 1, column: 1 });
}
