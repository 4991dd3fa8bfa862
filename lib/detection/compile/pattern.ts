/**
 * Wildcard patterns as typed parts, compiled once into the cheapest matcher that decides them
 * (STYLE F6 "Wildcards"). Every language parses its own escaping rules (Sigma's `\*`, KQL's `\*`,
 * EQL's `like`) into these parts; the matching is shared.
 *
 * A pattern matches a whole value: `cmd.exe` is equality, `*\cmd.exe` a suffix test, `*mimikatz*`
 * a substring test. `*` matches any run of characters (also none), `?` exactly one character (a
 * whole code point, so an astral character counts once).
 */
import { foldCase } from "./fold-case";

/** One piece of a pattern: literal text, `*` (any run of characters) or `?` (one character). */
export type PatternPart =
  | { readonly type: "Text"; readonly text: string }
  | { readonly type: "AnyChars" }
  | { readonly type: "AnyChar" };

export const ANY_CHARS: PatternPart = Object.freeze({ type: "AnyChars" });
export const ANY_CHAR: PatternPart = Object.freeze({ type: "AnyChar" });

export function text(value: string): PatternPart {
  return { type: "Text", text: value };
}

/**
 * The canonical form of a pattern: adjacent texts merged, empty texts dropped, runs of `*`
 * collapsed (`**` and `*` match the same values). Matchers and printers expect this form.
 */
export function normalizePattern(parts: readonly PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.type === "Text") {
      if (part.text === "") continue;
      if (last?.type === "Text") out[out.length - 1] = text(last.text + part.text);
      else out.push(part);
    } else if (part.type === "AnyChars") {
      if (last?.type !== "AnyChars") out.push(ANY_CHARS);
    } else {
      out.push(ANY_CHAR);
    }
  }
  return out;
}

export function hasWildcards(parts: readonly PatternPart[]): boolean {
  return parts.some((p) => p.type !== "Text");
}

/** The literal value of a wildcard-free pattern (`""` for the empty pattern). */
export function literalOf(parts: readonly PatternPart[]): string | undefined {
  let out = "";
  for (const part of parts) {
    if (part.type !== "Text") return undefined;
    out += part.text;
  }
  return out;
}

/** Apply `fold` (usually lower-casing) to the literal texts; wildcards stay as they are. */
export function mapPatternText(parts: readonly PatternPart[], fold: (s: string) => string): PatternPart[] {
  return parts.map((p) => (p.type === "Text" ? text(fold(p.text)) : p));
}

/** Which fast path a compiled pattern took; tests and the rule index read it. */
export type PatternShape =
  | { kind: "equals"; value: string }
  | { kind: "startsWith"; value: string }
  | { kind: "endsWith"; value: string }
  | { kind: "includes"; value: string }
  | { kind: "startsAndEndsWith"; prefix: string; suffix: string }
  | { kind: "anything" }
  | { kind: "glob" };

/** The shape of a normalized pattern. */
export function patternShape(parts: readonly PatternPart[]): PatternShape {
  const p = normalizePattern(parts);
  const [a, b, c] = p;
  if (p.length === 0) return { kind: "equals", value: "" };
  if (p.length === 1) {
    if (a!.type === "Text") return { kind: "equals", value: a!.text };
    if (a!.type === "AnyChars") return { kind: "anything" };
    return { kind: "glob" };
  }
  if (p.length === 2) {
    if (a!.type === "Text" && b!.type === "AnyChars") return { kind: "startsWith", value: a!.text };
    if (a!.type === "AnyChars" && b!.type === "Text") return { kind: "endsWith", value: b!.text };
    return { kind: "glob" };
  }
  if (p.length === 3) {
    if (a!.type === "AnyChars" && b!.type === "Text" && c!.type === "AnyChars") return { kind: "includes", value: b!.text };
    if (a!.type === "Text" && b!.type === "AnyChars" && c!.type === "Text") {
      return { kind: "startsAndEndsWith", prefix: a!.text, suffix: c!.text };
    }
  }
  return { kind: "glob" };
}

/** A compiled pattern. `test` receives the value already case-folded when the pattern was compiled case-insensitive. */
export interface StringMatcher {
  readonly shape: PatternShape;
  readonly caseInsensitive: boolean;
  test(value: string): boolean;
}

export interface PatternOptions {
  /**
   * Fold the pattern's text once, now, with `fold`; the caller passes values folded with the same
   * function (FieldAccess.folded does), so no per-event work is spent on the pattern.
   */
  caseInsensitive: boolean;
  fold?: (s: string) => string;
}

/**
 * Compile a pattern into a matcher: equality, prefix, suffix, substring and prefix+suffix tests
 * use the string built-ins; anything else runs a glob matcher that is O(value × pattern) in the
 * worst case and never backtracks exponentially (no RegExp is built from rule text).
 */
export function compilePattern(parts: readonly PatternPart[], options: PatternOptions): StringMatcher {
  const fold = options.fold ?? foldCase;
  const normalized = normalizePattern(options.caseInsensitive ? mapPatternText(parts, fold) : parts);
  const shape = patternShape(normalized);
  const caseInsensitive = options.caseInsensitive;
  switch (shape.kind) {
    case "equals": {
      const v = shape.value;
      return { shape, caseInsensitive, test: (s) => s === v };
    }
    case "startsWith": {
      const v = shape.value;
      return { shape, caseInsensitive, test: (s) => s.startsWith(v) };
    }
    case "endsWith": {
      const v = shape.value;
      return { shape, caseInsensitive, test: (s) => s.endsWith(v) };
    }
    case "includes": {
      const v = shape.value;
      return { shape, caseInsensitive, test: (s) => s.includes(v) };
    }
    case "startsAndEndsWith": {
      const { prefix, suffix } = shape;
      const min = prefix.length + suffix.length;
      return { shape, caseInsensitive, test: (s) => s.length >= min && s.startsWith(prefix) && s.endsWith(suffix) };
    }
    case "anything":
      return { shape, caseInsensitive, test: () => true };
    case "glob": {
      const tokens = normalized;
      return { shape, caseInsensitive, test: (s) => globMatch(tokens, s) };
    }
  }
}

/**
 * Classic wildcard matching with a single backtrack point (the last `*` seen): when a literal
 * fails, the last `*` absorbs one more character and matching resumes. Each `*` only ever moves
 * forward, so the cost is bounded by value length × pattern length.
 */
export function globMatch(parts: readonly PatternPart[], value: string): boolean {
  let pi = 0; // index into parts
  let off = 0; // offset inside parts[pi] when it is Text
  let vi = 0; // index into value
  let starPi = -1;
  let starVi = 0;
  const n = value.length;
  for (;;) {
    if (pi < parts.length) {
      const part = parts[pi]!;
      if (part.type === "AnyChars") {
        starPi = pi;
        starVi = vi;
        pi++;
        off = 0;
        continue;
      }
      if (part.type === "AnyChar") {
        if (vi < n) {
          vi += codePointWidth(value, vi);
          pi++;
          off = 0;
          continue;
        }
      } else if (vi < n && value.charCodeAt(vi) === part.text.charCodeAt(off)) {
        vi++;
        off++;
        if (off === part.text.length) {
          pi++;
          off = 0;
        }
        continue;
      }
    } else if (vi === n) {
      return true;
    }
    // Mismatch: let the last `*` take one more character, or fail.
    if (starPi < 0 || starVi >= n) return false;
    starVi += codePointWidth(value, starVi);
    vi = starVi;
    pi = starPi + 1;
    off = 0;
  }
}

function codePointWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** The pattern as an anchored regular expression source (for engines that need one). */
export function patternToRegexSource(parts: readonly PatternPart[]): string {
  let out = "^";
  for (const p of normalizePattern(parts)) {
    if (p.type === "Text") out += escapeRegex(p.text);
    else if (p.type === "AnyChars") out += "[\\s\\S]*";
    else out += "[\\s\\S]";
  }
  return out + "$";
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
