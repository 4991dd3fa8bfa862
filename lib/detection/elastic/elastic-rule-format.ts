import { DetectionError, RuleValidationError, UnsupportedFeatureError, lineColumn, renderCaret, type SourceLocation } from "../errors";
import { compileEql } from "../eql/compile-eql";
import { parseEql } from "../eql/parse-eql";
import type { CompiledQuery } from "../kql/compiled-query";
import { compileKql } from "../kql/compile-kql";
import type { ParseLimits } from "../kql/parse-budget";
import { parseKql } from "../kql/parse-kql";
import { mitreFromElasticThreat } from "../mitre/mitre-from-elastic-threat";
import type { EcsEvent } from "../event/types";
import type { Detector, LoadedRule, MatchExplanation } from "../rules/detector";
import type { NoveltySpec } from "../stateful/types";
import type { FileLoadResult, LoadContext, RuleFile, RuleFormatLoader } from "../rules/load-rules";
import { RULE_TYPES, type RuleMeta, type RuleType } from "../rules/model";
import type { ElasticRuleModel } from "./model";
import { parseElasticRule } from "./parse-elastic-rule";
import { parseInvestigationGuide } from "./parse-guide";
import type { TomlPositions } from "./toml-positions";

/** The loader's result: FileLoadResult plus warnings (rules that load but deserve a look). */
export interface ElasticFileLoadResult extends FileLoadResult {
  warnings: DetectionError[];
  /** The parsed file, for callers that need Elastic-specific settings (new terms, suppression, …). */
  models: ElasticRuleModel[];
}

/**
 * Elastic detection-rules TOML (`[metadata]` + `[rule]`, one rule per file) as a Vigil rule
 * format: KQL (`language = "kuery"`) query and new_terms rules and EQL rules run; other Elastic
 * types load as unsupported with the reason. Errors carry the file's line and column, and a
 * query's syntax error points at the character inside the `'''` string.
 */
export const elasticRuleFormat: RuleFormatLoader = {
  format: "elastic",
  claims: (file) => /\.toml$/i.test(file.path) && /^[ \t]*\[(?:rule|metadata)\][ \t]*(?:#.*)?\r?$/m.test(file.text),
  load: (file, context) => loadElasticRuleFile(file, context),
};

export function loadElasticRuleFile(file: RuleFile, context: LoadContext): ElasticFileLoadResult {
  const parsed = parseElasticRule(file);
  const result: ElasticFileLoadResult = { rules: [], errors: [...parsed.errors], warnings: [], models: [] };
  const model = parsed.model;
  if (!model || !parsed.positions) return result;
  const positions = parsed.positions;
  result.models.push(model);

  const at = (path: string): SourceLocation => {
    const p = positions.nearest(path);
    return { file: file.path, line: p.line, column: p.column, offset: p.offset };
  };

  // ATT&CK: mapped through the shared catalogue; malformed entries are errors at their table.
  const mitre = mitreFromElasticThreat(model.raw.rule && (model.raw.rule as Record<string, unknown>).threat);
  for (const e of mitre.errors) result.errors.push(new RuleValidationError(e.code, e.summary, at(threatPath(e.summary))));
  if (mitre.unknown.length > 0) {
    result.warnings.push(
      new RuleValidationError("mitre_unknown_id", `ATT&CK ids not in the bundled catalogue: ${mitre.unknown.join(", ")}`, at("rule.threat")),
    );
  }

  const guide = parseInvestigationGuide(model.note, model.setup);
  const maturity = model.metadata.maturity?.toLowerCase();
  const meta: RuleMeta = {
    id: model.ruleId,
    name: model.name,
    description: model.description.trim(),
    format: "elastic",
    type: ruleType(model.type),
    severity: model.severity,
    riskScore: model.riskScore,
    tags: model.tags,
    mitre: mitre.mappings,
    references: model.references,
    falsePositives: [...model.falsePositives, ...guide.falsePositives],
    author: model.author,
    guide: {
      triage: guide.triage,
      response: guide.response,
      ...(guide.notes !== undefined && { notes: guide.notes }),
    },
    enabledByDefault: maturity !== "deprecated" && maturity !== "development",
  };
  const rule: LoadedRule = { meta, source: { path: file.path, text: file.text, line: 1 }, detector: null };

  const language = model.language?.toLowerCase();
  const limits: Partial<ParseLimits> = {
    maxLength: context.limits.maxQueryLength,
    maxDepth: context.limits.maxDepth,
    maxNodes: context.limits.maxNodes,
  };

  let compiled: CompiledQuery | undefined;
  let unsupported: DetectionError | undefined;
  const runnable = (model.type === "query" || model.type === "new_terms") && language === "kuery" ? "kuery" : model.type === "eql" && language === "eql" ? "eql" : undefined;
  if (runnable && model.query !== undefined) {
    const query = model.query;
    try {
      compiled =
        runnable === "kuery"
          ? compileKql(parseKql(query, { limits }), { source: query })
          : compileEql(parseEql(query, { limits }), { source: query });
    } catch (error) {
      if (!(error instanceof DetectionError)) throw error;
      const placed = placeQueryError(error, file, positions, query);
      if (error instanceof UnsupportedFeatureError) unsupported = placed;
      else {
        result.errors.push(placed);
        return result;
      }
    }
  } else {
    unsupported = new UnsupportedFeatureError("elastic_rule_type_unsupported", unsupportedReason(model.type, language), at(model.language === undefined ? "rule.type" : "rule.language"));
  }

  if (compiled) rule.detector = buildElasticDetector(model, compiled, runnable === "eql" ? "eql" : "kuery");
  if (unsupported) rule.unsupported = unsupported;
  result.rules.push(rule);
  return result;
}

/**
 * The detector for a runnable Elastic rule. A new_terms rule is stateful (DESIGN §4 "New terms"):
 * its query selects the events, every one of which records a sighting of the tuple of
 * `new_terms_fields`, and the stateful runtime alerts when the tuple has no sighting within
 * `history_window_start` (`now-7d` → 7 days) before the event. Elastic has no group-by or
 * learning period for new terms (it reads the window's history from the index), so both are
 * empty here. `timestamp_override` is not honoured: every window is measured in `@timestamp`
 * (DESIGN §4 "Event time"), so a replay behaves like the original week.
 */
export function buildElasticDetector(model: ElasticRuleModel, compiled: CompiledQuery, language: "kuery" | "eql"): Detector {
  const explain = (event: EcsEvent): MatchExplanation => ({ details: compiled.explain(event), language });
  const common = { test: compiled.test, explain, ...(compiled.prefilter && { prefilter: compiled.prefilter }) };
  if (model.type === "new_terms" && model.newTerms) {
    const spec: NoveltySpec = { kind: "novelty", fields: model.newTerms.fields, groupBy: [], windowMs: model.newTerms.historyWindowMs, learningMs: 0 };
    return { kind: "stateful", spec, ...common };
  }
  return { kind: "query", ...common };
}

function ruleType(type: string): RuleType {
  // Types Vigil does not run (threshold, machine_learning, …) keep their name and load as
  // unsupported with the reason attached.
  return (RULE_TYPES as readonly string[]).includes(type) ? (type as RuleType) : "query";
}

function unsupportedReason(type: string, language: string | undefined): string {
  if ((type === "query" || type === "new_terms") && language === "lucene") {
    return "Lucene query syntax (language = \"lucene\") is not supported; Vigil runs KQL (kuery) and EQL";
  }
  if (type === "query" || type === "new_terms" || type === "eql") {
    return `a ${type} rule with language = ${JSON.stringify(language ?? "")} is not supported (query and new_terms use kuery, eql uses eql)`;
  }
  return `Elastic rule type ${JSON.stringify(type)} is not supported yet; Vigil runs query, new_terms and eql rules`;
}

/** `threat[1].technique[0].id …` in a MITRE error → the TOML key (or table) it names. */
function threatPath(summary: string): string {
  const m = /^threat\[\d+\](?:\.(?:technique|subtechnique)\[\d+\]|\.tactic)*(?:\.id|\.name)?/.exec(summary);
  return m ? `rule.${m[0]}` : "rule.threat";
}

/**
 * A query error, moved from its offset in the query to the file: the query sits in a (usually
 * `'''`) string, so the character's file offset comes from the string's offset map.
 */
function placeQueryError(error: DetectionError, file: RuleFile, positions: TomlPositions, query: string): DetectionError {
  const span = positions.string("rule.query");
  // An error at the end of the query points just after its last character, not at the line
  // break before the closing delimiter (queries in rule files end with one).
  const offset = error.source.offset === undefined ? undefined : Math.min(error.source.offset, query.trimEnd().length);
  const length = error.source.length ?? 1;
  let fileOffset: number | undefined;
  if (span && span.value === query && offset !== undefined) {
    fileOffset = span.offsets[Math.min(Math.max(offset, 0), span.offsets.length - 1)];
  }
  if (fileOffset === undefined) {
    const key = positions.key("rule.query") ?? positions.nearest("rule.query");
    fileOffset = key.offset;
  }
  const { line, column } = lineColumn(file.text, fileOffset);
  const source: SourceLocation = { file: file.path, line, column, offset: fileOffset, length };
  const Ctor = error.constructor as new (code: string, summary: string, source: SourceLocation, rendered?: string) => DetectionError;
  return new Ctor(error.code, error.summary, source, `${file.path}:${line}:${column}: ${error.summary}\n${renderCaret(file.text, fileOffset, length)}`);
}
