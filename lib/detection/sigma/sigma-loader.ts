import { DEFAULT_MAX_REGEX_LENGTH } from "../compile/safe-regex";
import { RuleValidationError, type DetectionError } from "../errors";
import type { LoadedRule } from "../rules/detector";
import type { FileLoadResult, LoadContext, RuleFile, RuleFormatLoader } from "../rules/load-rules";
import { mitreFromSigmaTags } from "../mitre/mitre-from-sigma-tags";
import { compileSigmaRule } from "./compile-sigma";
import { parseSigmaFile } from "./parse-rule";
import { sigmaRuleMeta } from "./rule-meta";
import type { SigmaRule, SigmaUnsupportedDocument } from "./types";

/** A Sigma document has a top-level `detection` (or, for correlations, `correlation`) key. */
const SIGMA_SHAPE = /^(?:detection|correlation)\s*:|^action\s*:\s*['"]?global/m;

/**
 * The Sigma rule format: `.yml` / `.yaml` files with a top-level `detection` or `correlation`.
 * Rules that parse but cannot run (an unsupported logsource, a regex construct RE2 lacks, a
 * correlation rule) load with `detector: null` and the reason, never weakened; rules that are
 * wrong (a YAML error, an undefined identifier, an unknown modifier, an unconfigured placeholder)
 * are errors and do not load.
 */
export const SIGMA_RULE_FORMAT: RuleFormatLoader = {
  format: "sigma",
  claims(file: RuleFile): boolean {
    return /\.ya?ml$/i.test(file.path) && SIGMA_SHAPE.test(file.text);
  },
  load(file: RuleFile, context: LoadContext): FileLoadResult {
    const parsed = parseSigmaFile(file.text, { file: file.path, limits: context.limits });
    const errors: DetectionError[] = [...parsed.errors];
    const warnings: DetectionError[] = [];
    const rules: LoadedRule[] = [];
    for (const rule of parsed.rules) {
      if (!withId(rule, errors, file)) continue;
      warnings.push(...attackTagWarnings(rule, file));
      if (rule.detection.timeframe !== undefined) {
        warnings.push(
          new RuleValidationError("timeframe_ignored", "`timeframe` has no effect on a single-event rule (it belongs to correlation rules)", {
            file: file.path,
            line: rule.detection.location.line,
            column: rule.detection.location.column,
          }),
        );
      }
      const source = { path: file.path, text: rule.source.text, line: rule.location.line };
      const compiled = compileSigmaRule(rule, {
        config: context.config,
        text: file.text,
        maxRegexLength: Math.min(context.limits.maxQueryLength, DEFAULT_MAX_REGEX_LENGTH),
      });
      if (compiled.ok) rules.push({ meta: sigmaRuleMeta(rule), source, detector: compiled.detector });
      else if (compiled.unsupported) rules.push({ meta: sigmaRuleMeta(rule), source, detector: null, unsupported: compiled.unsupported });
      else errors.push(...compiled.errors);
    }
    for (const { document, reason } of parsed.unsupported) {
      if (!withId(document, errors, file)) continue;
      warnings.push(...attackTagWarnings(document, file));
      rules.push({
        meta: sigmaRuleMeta(document),
        source: { path: file.path, text: document.source.text, line: document.location.line },
        detector: null,
        unsupported: reason,
      });
    }
    return { rules, errors, warnings };
  },
};

/**
 * ATT&CK tags the catalogue does not know, or that name a revoked or deprecated technique: the
 * rule loads (third-party rules carry old tags), and the tag is pointed out.
 */
function attackTagWarnings(rule: SigmaRule | SigmaUnsupportedDocument, file: RuleFile): DetectionError[] {
  const { unknown, retired } = mitreFromSigmaTags(rule.tags);
  const at = (tag: string) => {
    const span = rule.tagLocations[rule.tags.indexOf(tag)] ?? rule.location;
    return { file: file.path, line: span.line, column: span.column };
  };
  return [
    ...unknown.map((tag) => new RuleValidationError("unknown_attack_tag", `ATT&CK tag \`${tag}\` is not in the ATT&CK catalogue; it is kept as a tag but maps to nothing`, at(tag))),
    ...retired.map((tag) => new RuleValidationError("retired_attack_tag", `ATT&CK tag \`${tag}\` names a revoked or deprecated technique`, at(tag))),
  ];
}

/** Vigil keys alerts, exceptions and history by rule id, so a Sigma rule needs one. */
function withId<T extends SigmaRule | SigmaUnsupportedDocument>(rule: T, errors: DetectionError[], file: RuleFile): rule is T & { id: string } {
  if (rule.id !== undefined) return true;
  errors.push(
    new RuleValidationError("missing_id", `rule "${rule.title}" has no \`id\`: Vigil keys alerts by rule id (add \`id: <a new UUID>\`)`, {
      file: file.path,
      line: rule.location.line,
      column: rule.location.column,
    }),
  );
  return false;
}
