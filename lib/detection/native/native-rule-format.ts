import { DetectionError, UnsupportedFeatureError } from "../errors";
import { compileEql } from "../eql/compile-eql";
import { parseEql } from "../eql/parse-eql";
import type { CompiledQuery } from "../kql/compiled-query";
import { compileKql } from "../kql/compile-kql";
import type { ParseLimits } from "../kql/parse-budget";
import { parseKql } from "../kql/parse-kql";
import type { Detector, LoadedRule, MatchExplanation } from "../rules/detector";
import type { FileLoadResult, LoadContext, RuleFile, RuleFormatLoader } from "../rules/load-rules";
import type { RuleMeta } from "../rules/model";
import { SIGMA_RULE_FORMAT } from "../sigma/sigma-loader";
import { rareConditionFields } from "../stateful/rare-condition";
import type { EcsEvent } from "../event/types";
import type { NativeRule } from "./model";
import { parseNativeFile } from "./parse-native-rule";

/** A native document's first key: `vigil:` with a scalar (the format version), at the top level. */
const NATIVE_SHAPE = /^vigil[ \t]*:[ \t]*['"]?\d/m;

/**
 * Vigil's native rule format (`.yml` / `.yaml` with a top-level `vigil: <version>`): new_value,
 * rare and query rules (README "Native rules"). Sigma rules may carry a `vigil:` mapping (the
 * guide attribute) too, so a file the Sigma loader claims (a top-level `detection:` or
 * `correlation:`) is never claimed here: exactly one loader owns any file.
 */
export const NATIVE_RULE_FORMAT: RuleFormatLoader = {
  format: "native",
  claims(file: RuleFile): boolean {
    return /\.ya?ml$/i.test(file.path) && NATIVE_SHAPE.test(file.text) && !SIGMA_RULE_FORMAT.claims(file);
  },
  load(file: RuleFile, context: LoadContext): FileLoadResult {
    return loadNativeRuleFile(file, context);
  },
};

export function loadNativeRuleFile(file: RuleFile, context: LoadContext): FileLoadResult & { warnings: DetectionError[]; models: NativeRule[] } {
  const parsed = parseNativeFile(file.text, { file: file.path, limits: context.limits });
  const result = { rules: [] as LoadedRule[], errors: [...parsed.errors], warnings: [...parsed.warnings], models: [] as NativeRule[] };
  const limits: Partial<ParseLimits> = {
    maxLength: context.limits.maxQueryLength,
    maxDepth: context.limits.maxDepth,
    maxNodes: context.limits.maxNodes,
  };
  const compile = (query: string, language: NativeRule["language"]): CompiledQuery =>
    language === "eql" ? compileEql(parseEql(query, { limits }), { source: query }) : compileKql(parseKql(query, { limits }), { source: query });
  // A rule with other errors does not load, but its query's errors are reported in the same pass.
  for (const u of parsed.unchecked) {
    try {
      compile(u.query, u.language);
    } catch (error) {
      if (!(error instanceof DetectionError)) throw error;
      if (!(error instanceof UnsupportedFeatureError)) result.errors.push(u.placeQueryError(error));
    }
  }
  for (const doc of parsed.documents) {
    const model = doc.rule;
    const rule: LoadedRule = { meta: nativeRuleMeta(model), source: { path: file.path, text: file.text, line: doc.line }, detector: null };
    let compiled: CompiledQuery;
    try {
      compiled = compile(model.query, model.language);
    } catch (error) {
      if (!(error instanceof DetectionError)) throw error;
      const placed = doc.placeQueryError(error);
      if (error instanceof UnsupportedFeatureError) {
        rule.unsupported = placed;
        result.rules.push(rule);
        result.models.push(model);
      } else {
        result.errors.push(placed);
      }
      continue;
    }
    rule.detector = buildNativeDetector(model, compiled);
    result.rules.push(rule);
    result.models.push(model);
  }
  return result;
}

/** The rule record every format loads into. */
export function nativeRuleMeta(model: NativeRule): RuleMeta {
  return {
    id: model.id,
    name: model.name,
    description: model.description,
    format: "native",
    type: model.type === "query" ? (model.language === "eql" ? "eql" : "query") : model.type,
    severity: model.severity,
    riskScore: model.riskScore,
    tags: model.tags,
    mitre: model.mitre,
    references: model.references,
    falsePositives: model.falsePositives,
    author: model.author,
    guide: model.guide,
    enabledByDefault: model.enabled,
  };
}

/**
 * The detector of a native rule: its query selects events; new_value and rare rules are stateful
 * (the query's matches are candidates the stateful runtime decides), query rules alert on every
 * match.
 */
export function buildNativeDetector(model: NativeRule, compiled: CompiledQuery): Detector {
  const explain = (event: EcsEvent): MatchExplanation => ({ details: compiled.explain(event), language: model.language });
  const common = { test: compiled.test, explain, ...(compiled.prefilter && { prefilter: compiled.prefilter }) };
  if (model.newValue) {
    const nv = model.newValue;
    return {
      kind: "stateful",
      spec: { kind: "novelty", fields: nv.fields, groupBy: nv.groupBy, windowMs: nv.forgetAfterMs, learningMs: nv.learningMs },
      ...common,
    };
  }
  if (model.rare) {
    const r = model.rare;
    return {
      kind: "stateful",
      spec: { kind: "rarity", groupBy: r.groupBy, windowDays: r.windowDays, condition: r.condition, distinctFields: rareConditionFields(r.condition), learningMs: r.learningMs },
      ...common,
    };
  }
  return { kind: "query", ...common };
}
