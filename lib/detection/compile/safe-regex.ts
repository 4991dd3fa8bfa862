import RE2 from "re2";
import { LimitExceededError, QuerySyntaxError, UnsupportedFeatureError, type DetectionError } from "../errors";

/**
 * Regular expressions from rules run on RE2 (STACK-NOTES §13): matching time is linear in the
 * input, so a pathological rule such as `(a+)+$` cannot stall ingest. RE2 has no lookaround, no
 * backreferences, no atomic groups or possessive quantifiers and no `\Z`; a rule that uses them is
 * rejected with the construct's position (UnsupportedFeatureError), never rewritten into
 * something that matches differently.
 *
 * Errors carry `source.offset` (and `length`) relative to the pattern; callers that know where
 * the pattern sits in a rule file move them there.
 */

export interface SafeRegexOptions {
  ignoreCase?: boolean;
  /** `^` and `$` match at line breaks. */
  multiline?: boolean;
  /** `.` matches line breaks too. */
  dotAll?: boolean;
  /** Longest pattern accepted; RE2 also refuses programs above its own memory budget. */
  maxLength?: number;
}

export interface SafeRegex {
  readonly source: string;
  readonly flags: string;
  /** Unanchored search, as Sigma `|re`, EQL `regex` after anchoring and Lucene do. Never throws. */
  test(value: string): boolean;
}

export const DEFAULT_MAX_REGEX_LENGTH = 8192;

/**
 * @throws UnsupportedFeatureError `regex_lookaround`, `regex_backreference`, `regex_atomic_group`,
 *   `regex_possessive`, `regex_conditional`, `regex_recursion`, `regex_unsupported_escape`,
 *   `regex_unsupported` for constructs RE2 cannot run
 * @throws LimitExceededError `regex_too_long`, `regex_too_complex`
 * @throws QuerySyntaxError `regex_syntax` for a pattern that is not a regular expression at all
 */
export function compileSafeRegex(pattern: string, options: SafeRegexOptions = {}): SafeRegex {
  const maxLength = options.maxLength ?? DEFAULT_MAX_REGEX_LENGTH;
  if (pattern.length > maxLength) {
    throw new LimitExceededError("regex_too_long", `regular expression is ${pattern.length} characters; the limit is ${maxLength}`, {
      offset: 0,
      length: pattern.length,
    });
  }
  const unsupported = findUnsupportedConstruct(pattern);
  if (unsupported) throw unsupported;
  const flags = `${options.ignoreCase ? "i" : ""}${options.multiline ? "m" : ""}${options.dotAll ? "s" : ""}`;
  let re: RE2;
  try {
    re = new RE2(pattern, flags);
  } catch (error) {
    throw translateRe2Error(pattern, error);
  }
  return {
    source: pattern,
    flags,
    test(value) {
      try {
        return re.test(value);
      } catch {
        // Evaluation is total (STYLE F4.5): a value RE2 cannot take is "no match".
        return false;
      }
    },
  };
}

/**
 * Scan for constructs RE2 lacks, so the error points at the construct instead of quoting RE2's
 * message. The scan follows escapes and character classes so `[(?=]` or `\(?=` are not flagged.
 */
export function findUnsupportedConstruct(pattern: string): DetectionError | undefined {
  const at = (code: string, summary: string, offset: number, length: number) =>
    new UnsupportedFeatureError(code, summary, { offset, length });
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) break;
      if (!inClass && next >= "1" && next <= "9") {
        return at("regex_backreference", `backreference \\${next} is not supported: RE2 matches in linear time and has no backreferences`, i, 2);
      }
      if (!inClass && next === "k" && (pattern[i + 2] === "<" || pattern[i + 2] === "{" || pattern[i + 2] === "'")) {
        return at("regex_backreference", "named backreference \\k<…> is not supported: RE2 has no backreferences", i, 3);
      }
      if (next === "Z") {
        return at("regex_unsupported_escape", "\\Z (end of input before a final line break) is not supported by RE2; use $ or \\z", i, 2);
      }
      if (next === "G" || next === "K" || next === "R" || next === "X") {
        return at("regex_unsupported_escape", `\\${next} is not supported by RE2`, i, 2);
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      // `]` right after `[` or `[^` is a literal member, not the end of the class.
      if (pattern[i + 1] === "^") i++;
      if (pattern[i + 1] === "]") i++;
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith("=") || rest.startsWith("!")) {
        return at("regex_lookaround", `lookahead (?${rest[0]} is not supported: RE2 has no lookaround`, i, 3);
      }
      if (rest === "<=" || rest === "<!") {
        return at("regex_lookaround", `lookbehind (?${rest} is not supported: RE2 has no lookaround`, i, 4);
      }
      if (rest.startsWith(">")) return at("regex_atomic_group", "atomic group (?> is not supported by RE2", i, 3);
      if (rest.startsWith("(")) return at("regex_conditional", "conditional group (?( is not supported by RE2", i, 3);
      if (/^[R0-9+-]/.test(rest)) return at("regex_recursion", "recursion (?R) / subroutine calls are not supported by RE2", i, 3);
      continue;
    }
    if ((c === "*" || c === "+" || c === "?" || c === "}") && pattern[i + 1] === "+" && isQuantifierEnd(pattern, i)) {
      return at("regex_possessive", `possessive quantifier ${c}+ is not supported by RE2`, i, 2);
    }
  }
  return undefined;
}

/** Whether the character at `i` ends a quantifier (so a following `+` makes it possessive). */
function isQuantifierEnd(pattern: string, i: number): boolean {
  const c = pattern[i];
  if (c === "}") return /\{\d+(,\d*)?\}$/.test(pattern.slice(0, i + 1));
  if (c === "?") {
    // `(?` is a group opener and `x??` a lazy quantifier; only a quantifier `?` counts.
    const prev = pattern[i - 1];
    return prev !== "(" && prev !== undefined;
  }
  return i > 0;
}

function translateRe2Error(pattern: string, error: unknown): DetectionError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pattern too large|program size|compile failed|invalid repetition size/i.test(message)) {
    return new LimitExceededError("regex_too_complex", `regular expression is too complex for the safe engine (${message})`, {
      offset: 0,
      length: pattern.length,
    });
  }
  // RE2 quotes the offending fragment ("invalid escape sequence: \h"); point at it when found.
  const fragment = /:\s*(.+)$/.exec(message)?.[1];
  const offset = fragment ? pattern.indexOf(fragment) : -1;
  const location = offset >= 0 ? { offset, length: fragment!.length } : { offset: 0, length: pattern.length };
  if (/invalid escape|invalid perl operator/i.test(message)) {
    return new UnsupportedFeatureError("regex_unsupported", `regular expression uses syntax RE2 does not support: ${message}`, location);
  }
  return new QuerySyntaxError("regex_syntax", `invalid regular expression: ${message}`, location);
}
