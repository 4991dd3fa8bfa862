/**
 * Compiling an exception into a predicate over normalized events: validated once, compiled once
 * onto the engine's shared matchers (compile/pattern.ts, pattern-set.ts, cidr.ts, field-access.ts),
 * then tested against many alerts with no per-event parsing and no RegExp built from user text.
 *
 * Semantics (the README "Semantics" table, with the choices below):
 * - Case: case-insensitive (foldCase on both sides) unless the entry says `case_sensitive: true`.
 * - Types: numbers and booleans in events compare in their string form (`process.pid` 42 is "42").
 * - Windows paths: when the exception value or the event value looks like a Windows path (holds a
 *   backslash, or starts with a drive such as `C:/` or `c:\`), `/` and `\` are the same character:
 *   both sides are compared with every `/` turned into `\`. `case_sensitive` keeps the case but not
 *   the slash. So `C:/Windows/System32/CMD.EXE` matches `c:\windows\system32\cmd.exe`. To put a
 *   wildcard right after a separator, write the separator as `/` or `\\` (`C:/Users/` then `*`):
 *   a single `\` before `*` is the escape of a literal `*`, as in Sigma.
 * - `matches`: `*` any run of characters, `?` one character; `\*`, `\?` and `\\` are literal
 *   `*`, `?` and `\`, and any other backslash is a plain backslash (Sigma's string syntax).
 * - Arrays: a positive operator (is, is_one_of, matches, cidr) holds when any value matches; a
 *   negative one (is_not, is_not_one_of, does_not_match) when the field has values and none of
 *   them matches the positive form.
 * - Missing fields: a negative operator on a missing field (or one holding only null, [] or an
 *   object) does NOT hold. This is Elastic's choice for exceptions ("is not" needs the field), and
 *   it errs on the side of alerting: an exception that cannot see the field suppresses nothing.
 *   Use does_not_exist to allowlist on absence.
 * - `exists`: the field holds at least one non-null value (at any depth, as Elasticsearch's exists
 *   query); `does_not_exist` is its negation.
 * - `cidr`: any value of the field is an IPv4 or IPv6 address inside any of the networks.
 */
import { compileCidrMatcher, parseCidr, type Cidr } from "../compile/cidr";
import { compilePathGetter, fieldAccess, type FieldAccess } from "../compile/field-access";
import { mapPatternText, text, type PatternPart } from "../compile/pattern";
import { compilePatternSet, type PatternSet } from "../compile/pattern-set";
import { RuleValidationError } from "../errors";
import type { EcsEvent, FieldValue } from "../event/types";
import { parseSigmaString } from "../sigma/sigma-string";
import { isNegative, operandsOf } from "./operators";
import { isOrGroup, type ExceptionEntry, type ExceptionItem, type ExceptionPredicate } from "./types";
import { validateExceptionEntries } from "./validate";

type Test = (event: EcsEvent) => boolean;
/** Whether any of the field's values matches; undefined when the field has no value to test. */
type AnyValueTest = (event: EcsEvent) => boolean | undefined;

/**
 * The predicate of an exception: true when the event is allowlisted. Throws RuleValidationError
 * (code `invalid_exception`) when the entries do not validate; the predicate itself never throws.
 */
export function compileException(entries: readonly ExceptionItem[]): ExceptionPredicate {
  const validation = validateExceptionEntries(entries);
  if (!validation.ok) {
    const shown = validation.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`);
    const more = validation.problems.length > 3 ? `; and ${validation.problems.length - 3} more` : "";
    throw new RuleValidationError("invalid_exception", `invalid exception: ${shown.join("; ")}${more}`);
  }
  const test = compileAll(validation.entries);
  return (event) => {
    try {
      return test(event);
    } catch {
      // Totality: an unexpected failure suppresses nothing, so the alert is still raised.
      return false;
    }
  };
}

function compileItem(item: ExceptionItem): Test {
  return isOrGroup(item) ? compileAny(item.any) : compileEntry(item);
}

function compileAll(items: readonly ExceptionItem[]): Test {
  const tests = items.map(compileItem);
  if (tests.length === 1) return tests[0]!;
  return (event) => {
    for (const t of tests) if (!t(event)) return false;
    return true;
  };
}

function compileAny(items: readonly ExceptionItem[]): Test {
  const tests = items.map(compileItem);
  if (tests.length === 1) return tests[0]!;
  return (event) => {
    for (const t of tests) if (t(event)) return true;
    return false;
  };
}

function compileEntry(entry: ExceptionEntry): Test {
  if (entry.operator === "exists") return compilePresence(entry.field);
  if (entry.operator === "does_not_exist") {
    const present = compilePresence(entry.field);
    return (event) => !present(event);
  }
  const anyValue = compileAnyValue(entry);
  // A negative operator needs values to look at: `=== false`, so a missing field is no match.
  return isNegative(entry.operator) ? (event) => anyValue(event) === false : (event) => anyValue(event) === true;
}

/** The positive form of a value operator (is / is_one_of / matches / cidr and their negations). */
function compileAnyValue(entry: ExceptionEntry): AnyValueTest {
  const operands = operandsOf(entry);
  switch (entry.operator) {
    case "cidr":
      return compileCidrTest(entry.field, operands);
    case "matches":
    case "does_not_match":
      return compileStringTest(entry.field, operands.map(parseSigmaString), entry.case_sensitive === true);
    default:
      return compileStringTest(entry.field, operands.map(literal), entry.case_sensitive === true);
  }
}

function literal(value: string): PatternPart[] {
  return [text(value)];
}

// ---- strings and paths ----

/**
 * Any value of `field` matches any of `patterns`. Patterns that look like Windows paths are
 * compiled with `\` for `/` and tested against the field's slash-normalized values (read and
 * folded once per event, shared by every exception on the field). The other patterns are tested
 * as written, except against an event value that itself looks like a path, when a pattern with a
 * `/` in it is tested in its normalized form (a pattern without slashes cannot tell the two apart).
 */
function compileStringTest(field: string, patterns: readonly PatternPart[][], caseSensitive: boolean): AnyValueTest {
  const read = caseSensitive ? (a: FieldAccess, e: EcsEvent) => a.strings(e) : (a: FieldAccess, e: EcsEvent) => a.folded(e);
  const options = { caseInsensitive: !caseSensitive };
  const plain = fieldAccess(field);
  const normalized = slashNormalizedAccess(field);
  const pathPatterns = patterns.filter(looksLikePathPattern);
  const otherPatterns = patterns.filter((p) => !looksLikePathPattern(p));
  const pathSet = setOf(pathPatterns.map(toBackslashes), options);
  const otherSet = setOf(otherPatterns, options);
  const otherAsPaths = otherPatterns.some(hasSlash) ? setOf(otherPatterns.map(toBackslashes), options) : undefined;
  return (event) => {
    const values = read(plain, event);
    if (values.length === 0) return undefined;
    if (pathSet !== undefined && anyMatches(pathSet, read(normalized, event))) return true;
    if (otherSet === undefined) return false;
    for (const v of values) {
      const asPath = otherAsPaths !== undefined && looksLikePath(v);
      if (asPath ? otherAsPaths.test(backslashes(v)) : otherSet.test(v)) return true;
    }
    return false;
  };
}

function setOf(patterns: readonly PatternPart[][], options: { caseInsensitive: boolean }): PatternSet | undefined {
  return patterns.length === 0 ? undefined : compilePatternSet(patterns, options);
}

function anyMatches(set: PatternSet, values: readonly string[]): boolean {
  for (const v of values) if (set.test(v)) return true;
  return false;
}

const DRIVE = /^[a-z]:[\\/]/i;

/** A Windows path: it holds a backslash or starts with a drive (`C:\`, `c:/`). */
function looksLikePath(value: string): boolean {
  return value.includes("\\") || DRIVE.test(value);
}

function looksLikePathPattern(parts: readonly PatternPart[]): boolean {
  const first = parts[0];
  if (first?.type === "Text" && DRIVE.test(first.text)) return true;
  return parts.some((p) => p.type === "Text" && p.text.includes("\\"));
}

function hasSlash(parts: readonly PatternPart[]): boolean {
  return parts.some((p) => p.type === "Text" && p.text.includes("/"));
}

function toBackslashes(parts: readonly PatternPart[]): PatternPart[] {
  return mapPatternText(parts, backslashes);
}

function backslashes(value: string): string {
  return value.includes("/") ? value.replaceAll("/", "\\") : value;
}

/** The field with every `/` in its string values turned into `\`, memoized per event like any field. */
function slashNormalizedAccess(field: string): FieldAccess {
  const get = compilePathGetter(field);
  return fieldAccess(`\u0000exception-backslashes:${field}`, {
    get: (event) => mapStrings(get(event), backslashes),
    pathOf: (event) => (get(event) === undefined ? undefined : field),
  });
}

function mapStrings(value: FieldValue | undefined, map: (s: string) => string): FieldValue | undefined {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map) ?? null);
  return value;
}

// ---- presence and networks ----

/** Presence as Elasticsearch's `exists` sees it: some non-null value, at any depth. */
function compilePresence(field: string): Test {
  const get = compilePathGetter(field);
  return (event) => hasValue(get(event));
}

function hasValue(value: FieldValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(hasValue);
  if (typeof value === "object") {
    for (const key in value) if (hasValue(value[key])) return true;
    return false;
  }
  return true;
}

function compileCidrTest(field: string, operands: readonly string[]): AnyValueTest {
  const matcher = compileCidrMatcher(operands.map(network));
  const access = fieldAccess(field);
  return (event) => {
    const values = access.strings(event);
    if (values.length === 0) return undefined;
    for (const v of values) if (matcher.test(v)) return true;
    return false;
  };
}

function network(value: string): Cidr {
  const parsed = parseCidr(value);
  // Validation has parsed every network already; this only keeps the types honest.
  if (!parsed.ok) throw new RuleValidationError("invalid_exception", parsed.reason);
  return parsed.cidr;
}
