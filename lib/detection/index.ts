/**
 * The detection engine's public entry: the only module outside lib/detection may import
 * (STYLE F2.2). Pure TypeScript: no framework, database, file system or environment.
 */
export {
  DetectionError,
  LimitExceededError,
  QuerySyntaxError,
  RuleValidationError,
  UnsupportedFeatureError,
  lineColumn,
  renderCaret,
} from "./errors";
export type { SourceLocation } from "./errors";

export type {
  EcsEvent,
  EventObject,
  FieldValue,
  NormalizeOptions,
  NormalizeResult,
  SourceFormat,
} from "./event/types";
export { SOURCE_FORMATS } from "./event/types";
export { compileFieldGetter, getField, getString } from "./event/fields";
export type { FieldGetter } from "./event/fields";

export { DEFAULT_RISK_SCORE, RULE_FORMATS, RULE_TYPES, SEVERITIES, emptyGuide } from "./rules/model";
export type { MitreMapping, MitreRef, RuleFormat, RuleGuide, RuleMeta, RuleType, Severity } from "./rules/model";
export type {
  Detector,
  LoadedRule,
  MatchDetail,
  MatchExplanation,
  Prefilter,
  QueryDetector,
  RuleMatch,
} from "./rules/detector";
export { buildRuleSet } from "./rules/rule-set";
export type { RuleSet } from "./rules/rule-set";
export { DEFAULT_RULE_LIMITS, RULE_FILE_EXTENSIONS, loadRuleFile, loadRules } from "./rules/load-rules";
export type {
  EngineConfig,
  FileLoadResult,
  LoadContext,
  LoadRulesOptions,
  LoadRulesResult,
  RuleFile,
  RuleFormatLoader,
  RuleLimits,
} from "./rules/load-rules";
export { RULE_FORMAT_LOADERS } from "./rules/formats";
