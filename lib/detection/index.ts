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

export { normalizeEvent } from "./event/normalize";
export type { RuleSetStats } from "./rules/rule-set";
export type { ValuePrefilter } from "./rules/detector";

// Languages: parse → print → compile, symmetrical per language (STYLE F3).
export { parseSigmaFile, parseSigmaRule } from "./sigma/parse-rule";
export { parseSigmaCondition, printSigmaCondition } from "./sigma/condition";
export { compileSigmaRule } from "./sigma/compile-sigma";
export { SIGMA_RULE_FORMAT } from "./sigma/sigma-loader";
export type { SigmaRule } from "./sigma/types";
export { parseKql } from "./kql/parse-kql";
export { printKql } from "./kql/print-kql";
export { compileKql } from "./kql/compile-kql";
export type { KqlAst } from "./kql/ast";
export { parseEql } from "./eql/parse-eql";
export { printEql } from "./eql/print-eql";
export { compileEql } from "./eql/compile-eql";
export type { EqlAst } from "./eql/ast";
export { sigmaToEql, sigmaToSentinel, type ConvertSigmaOptions, type SigmaConversion, type UnsupportedConstruct } from "./sigma/convert/convert-sigma";
export { elasticRuleFormat } from "./elastic/elastic-rule-format";
export type { ElasticRuleModel } from "./elastic/model";

// MITRE ATT&CK: the bundled Enterprise catalogue, lookups, and the mappers the loaders use.
export { ENTERPRISE_ATTACK, buildAttackCatalogue, findTactic, findTechnique, tacticsOfTechnique } from "./mitre/catalogue";
export type { AttackCatalogue, AttackCatalogueData, AttackTactic, AttackTechnique } from "./mitre/catalogue";
export { attackUrl } from "./mitre/attack-url";
export { mitreFromSigmaTags } from "./mitre/mitre-from-sigma-tags";
export { mitreFromElasticThreat } from "./mitre/mitre-from-elastic-threat";
export { catalogueFromStix } from "./mitre/stix";
export { buildAttackCoverage } from "./mitre/attack-coverage";
export type { AttackCoverage, CoverageRule, CoverageRuleRef, TacticCoverage, TechniqueCoverage, UncataloguedTechnique } from "./mitre/attack-coverage";

// Stateful rules: the state model and store interface (the server implements it on PostgreSQL).
export { DAY_MS, MAX_TERM_COMBINATIONS, stateMapKey } from "./stateful/types";
export type {
  EventTime,
  NoveltySpec,
  NoveltyState,
  RaritySpec,
  RarityState,
  StateKey,
  StateKind,
  StateStore,
  StatefulSpec,
  StoredState,
} from "./stateful/types";
export type { StatefulDetector } from "./rules/detector";
export { evaluateStateful } from "./stateful/evaluate";
export type { StatefulCandidate, StatefulVerdict } from "./stateful/evaluate";
export { noveltyKeys, noveltyStateKey, rarityKeys } from "./stateful/term-keys";
export { MemoryStateStore } from "./stateful/memory-store";
export { decideNovelty, noveltyHorizonMs } from "./stateful/novelty";
export { decideRarity, rarityKeepDays } from "./stateful/rarity";
export { formatDuration, parseDuration } from "./stateful/duration";
export { parseRareCondition, printRareCondition } from "./stateful/rare-condition";
export { LATE_EVENT_SLACK_MS, dayIndex } from "./stateful/types";
export type { NoveltyExplanation, RarityExplanation } from "./stateful/evaluate";
export { NATIVE_RULE_FORMAT } from "./native/native-rule-format";
export { renderGuideTemplate } from "./native/guide-template";

// Allowlist exceptions: validate untrusted entries, compile them to a predicate, warn about broad drafts.
export {
  EXCEPTION_LIMITS,
  EXCEPTION_OPERATORS,
  attackWarning,
  broadnessWarning,
  compileException,
  isOrGroup,
  sigmaFilterToExceptions,
  validateExceptionEntries,
} from "./exceptions";
export type {
  ExceptionEntry,
  ExceptionItem,
  ExceptionOperator,
  ExceptionOrGroup,
  ExceptionPredicate,
  ExceptionProblem,
  ExceptionValidation,
  SigmaFilterException,
  SigmaFilterImport,
} from "./exceptions";
