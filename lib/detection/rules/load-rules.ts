import { DetectionError, LimitExceededError, RuleValidationError } from "../errors";
import type { LoadedRule } from "./detector";
import type { RuleFormat } from "./model";

/** A rule file's text and the path it should be reported under. */
export interface RuleFile {
  path: string;
  text: string;
}

/** Limits on user-authored rules (STYLE F4.6): parsing is an attack surface. */
export interface RuleLimits {
  maxFileBytes: number;
  maxRulesPerFile: number;
  maxQueryLength: number;
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_RULE_LIMITS: RuleLimits = {
  maxFileBytes: 1 << 20,
  maxRulesPerFile: 100,
  maxQueryLength: 64 * 1024,
  maxDepth: 100,
  maxNodes: 20_000,
};

export interface EngineConfig {
  /** Values for Sigma `|expand` placeholders (`%domain_controllers%` → ["dc1", "dc2"]). */
  placeholders: Record<string, string[]>;
}

export interface LoadContext {
  limits: RuleLimits;
  config: EngineConfig;
}

/** What one file yielded: rules (runnable or unsupported) and the errors that stopped others. */
export interface FileLoadResult {
  rules: LoadedRule[];
  errors: DetectionError[];
  /** Rules that loaded but deserve a look (an unknown ATT&CK id, a behaviour not evaluated yet). */
  warnings?: DetectionError[];
}

/** One rule format. Loaders never throw on bad input: they return errors with file positions. */
export interface RuleFormatLoader {
  readonly format: RuleFormat | string;
  /** Whether this loader owns the file, by extension and, where needed, a look at the content. */
  claims(file: RuleFile): boolean;
  load(file: RuleFile, context: LoadContext): FileLoadResult;
}

export interface LoadRulesOptions {
  loaders: readonly RuleFormatLoader[];
  limits?: Partial<RuleLimits>;
  config?: Partial<EngineConfig>;
}

export interface LoadRulesResult {
  /** Rules that loaded, runnable or not (`detector === null` with `unsupported` set). */
  rules: LoadedRule[];
  /** Files, or rules inside files, that failed, each with file, line and column where known. */
  errors: DetectionError[];
  /** Things that loaded but deserve a look; never stop a rule. */
  warnings: DetectionError[];
}

/** Extensions Vigil treats as rule files when walking a folder. */
export const RULE_FILE_EXTENSIONS = [".yml", ".yaml", ".toml"] as const;

/**
 * Load many rule files with collect-all-errors semantics (STYLE F4.4): a broken file never costs
 * the good ones, and a rule id defined twice keeps the first definition and reports the second.
 */
export function loadRules(files: readonly RuleFile[], options: LoadRulesOptions): LoadRulesResult {
  const context: LoadContext = {
    limits: { ...DEFAULT_RULE_LIMITS, ...options.limits },
    config: { placeholders: {}, ...options.config },
  };
  const rules: LoadedRule[] = [];
  const errors: DetectionError[] = [];
  const warnings: DetectionError[] = [];
  const firstSeen = new Map<string, LoadedRule>();

  for (const file of files) {
    const result = loadRuleFile(file, options.loaders, context);
    errors.push(...result.errors);
    warnings.push(...(result.warnings ?? []));
    for (const rule of result.rules) {
      const earlier = firstSeen.get(rule.meta.id);
      if (earlier) {
        errors.push(
          new RuleValidationError(
            "duplicate_rule_id",
            `rule id ${rule.meta.id} is already defined in ${earlier.source.path}:${earlier.source.line}`,
            { file: file.path, line: rule.source.line, column: 1 },
          ),
        );
        continue;
      }
      firstSeen.set(rule.meta.id, rule);
      rules.push(rule);
    }
  }
  return { rules, errors, warnings };
}

/** Load one file through the loader that claims it. */
export function loadRuleFile(
  file: RuleFile,
  loaders: readonly RuleFormatLoader[],
  context: LoadContext,
): FileLoadResult {
  const bytes = utf8Length(file.text);
  if (bytes > context.limits.maxFileBytes) {
    return {
      rules: [],
      errors: [
        new LimitExceededError(
          "file_too_large",
          `rule file is ${bytes} bytes; the limit is ${context.limits.maxFileBytes}`,
          { file: file.path, line: 1, column: 1 },
        ),
      ],
    };
  }
  const loader = loaders.find((l) => l.claims(file));
  if (!loader) {
    return {
      rules: [],
      errors: [
        new RuleValidationError(
          "unknown_rule_format",
          "not a rule file Vigil reads: expected Sigma or native YAML (.yml, .yaml) or Elastic TOML (.toml)",
          { file: file.path, line: 1, column: 1 },
        ),
      ],
    };
  }
  try {
    const result = loader.load(file, context);
    if (result.rules.length > context.limits.maxRulesPerFile) {
      return {
        rules: result.rules.slice(0, context.limits.maxRulesPerFile),
        errors: [
          ...result.errors,
          new LimitExceededError(
            "too_many_rules",
            `file holds ${result.rules.length} rules; the limit is ${context.limits.maxRulesPerFile}`,
            { file: file.path, line: 1, column: 1 },
          ),
        ],
      };
    }
    return result;
  } catch (error) {
    // A loader bug must not take the other files down; report it against the file.
    const message = error instanceof Error ? error.message : String(error);
    return {
      rules: [],
      errors: [
        error instanceof DetectionError
          ? error.source.file
            ? error
            : error.withFile(file.path)
          : new RuleValidationError("loader_failed", `could not load: ${message}`, { file: file.path }),
      ],
    };
  }
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
