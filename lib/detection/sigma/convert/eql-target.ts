/**
 * Sigma → Elastic EQL over ECS (README "Sigma conversion"). The query selects the events Vigil
 * selects for the logsource (eqlScope), reads the fields Vigil's Sigma engine reads
 * (ecs-fields.ts) and uses the EQL operators whose semantics
 * are Sigma's: `:` for case-insensitive wildcard matching (`*`, `?`; a backslash is literal),
 * `like` / `==` / `in` when `|cased`, `regex~` / `regex` for `|re`, `in~`, `startsWith~`,
 * `endsWith~`, `stringContains~` for values with a literal `*` or `?` (which `:` cannot escape),
 * `cidrMatch` for `|cidr`, ranges for `|lt` … `|gte`,
 * `== null` / `!= null` for null and `|exists`. Every predicate is a field-with-constants one,
 * which Elasticsearch runs as an index query: `not` of it holds on a missing field, as `not` of a
 * Sigma selection does.
 *
 * The converted query of every rule in rules/sigma and of a corpus of synthetic rules matches
 * exactly the events the Sigma rule matches, compiled by Vigil's own engines over generated
 * events (eql-target.equivalence.test.ts) and over Vigil's Sigma corpus (convert-sigma.test.ts).
 */
import { compilePattern, literalOf, normalizePattern, patternShape, type PatternPart } from "../../compile/pattern";
import { compileSafeRegex } from "../../compile/safe-regex";
import { foldCase } from "../../compile/fold-case";
import { eql, type EqlExpression, type EqlLiteral, type EqlStatement } from "../../eql/ast";
import { printEql, printExpression } from "../../eql/print-eql";
import type { EcsSelector, LogsourceDefinition, WindowsSelector } from "../logsources";
import { resolveLogsource } from "../resolve-logsource";
import type { SigmaRule, SigmaStringPart } from "../types";
import { bool, FALSE, foldTree, problemKey, problemsOf, settle, type BoolTree } from "./bool-tree";
import { convertDetection, type Alternative, type DetectionTarget, type FieldConversion, type ItemScope } from "./convert-detection";
import { ecsFieldTarget, ecsType, type EcsFieldTarget } from "./ecs-fields";
import { parseSigmaRegex, patternToLucene, printLucene } from "./sigma-regex";
import type { ConvertSigmaOptions, SigmaConversion, UnsupportedConstruct } from "./types";

type Expr = EqlExpression;
type Tree = BoolTree<Expr>;

const TARGET_LABEL = "Elastic EQL";

export function eqlConversion(rule: SigmaRule, options: ConvertSigmaOptions): SigmaConversion {
  const resolution = resolveLogsource(rule.logsource);
  if (!resolution.ok) {
    return {
      target: "eql",
      query: "",
      complete: false,
      unsupported: [{ construct: "logsource", reason: resolution.reason, location: rule.logsource.location }],
      notes: [],
    };
  }
  const branches = resolution.bindings.map(({ definition }) => {
    const tree = convertDetection(rule, new EcsTarget(definition), options);
    return { definition, scope: eqlScope(definition), tree };
  });
  const unsupported: UnsupportedConstruct[] = [];
  const seen = new Set<string>();
  for (const b of branches) {
    for (const p of problemsOf(b.tree)) {
      if (!seen.has(problemKey(p))) {
        seen.add(problemKey(p));
        unsupported.push(p);
      }
    }
  }
  const statement = assemble(branches.map((b) => ({ scope: b.scope, condition: render(settle(b.tree)) })));
  return { target: "eql", query: printEql(statement), complete: unsupported.length === 0, unsupported, notes: [] };
}

function render(tree: Tree): Expr {
  return foldTree<Expr, Expr>(tree, {
    and: (operands) => eql.and(...operands),
    or: (operands) => eql.or(...operands),
    not: (operand) => eql.not(operand),
    constant: (value) => eql.boolean(value),
    leaf: (leaf) => leaf,
  });
}

// ---------------------------------------------------------------------------------------------
// Scope: which events the logsource covers.

interface Scope {
  /** The event category (`process where`), or null for `any where`. */
  category: string | null;
  /** `host.os.type`, when the logsource names one operating system. */
  os?: string;
  /** Further conditions (`event.type == "start"`, a channel and event code). */
  conditions: Expr[];
}

/**
 * Which events the logsource covers, as Vigil selects them (resolve-logsource.ts):
 *
 * - A Windows event log record (it has a channel) by its channel and event code (Sysmon's
 *   Operational channel and code 1, Security and 4688, …), as Elastic's Windows integrations and
 *   Vigil's normalizer write them; `winlog.event_data.EventType` where Sysmon 12 is split.
 * - Any other event (Elastic Defend, auditbeat) by ECS classification: `host.os.type`,
 *   `event.category` (the EQL event category), `event.type`, required fields.
 *
 * The event category stays in front (`registry where`): Vigil's normalizer and Elastic's
 * integrations give event log records the category of their logsource. Vigil also recognises a
 * Windows record by its provider or shape when the channel is missing; Elastic's integrations
 * always set it, so the query asks for the channel.
 */
function eqlScope(definition: LogsourceDefinition): Scope {
  const selectors = Array.isArray(definition.windows) ? (definition.windows as readonly WindowsSelector[]) : [];
  const native = selectors.map((s) => {
    const parts: Expr[] = [];
    // Channel names and event codes hold no `*` or `?`: `:` is a case-insensitive equality on them.
    if (s.channels && s.channels.length > 0) parts.push(oneOrList("winlog.channel", s.channels, true));
    if (s.eventIds && s.eventIds.length > 0) parts.push(oneOrList("event.code", s.eventIds.map(String), false));
    if (s.where) parts.push(oneOrList(`winlog.event_data.${s.where.field}`, s.where.values, true));
    return parts.length === 1 ? parts[0]! : eql.and(...parts);
  });
  const ecs: EcsSelector | undefined = definition.ecs;
  if (!ecs) {
    const conditions = native.length === 0 ? [] : [native.length === 1 ? native[0]! : eql.or(...native)];
    return { category: null, os: "windows", conditions };
  }
  const categories = ecs.category ?? [];
  const classification: Expr[] = [];
  if (categories.length > 1) classification.push(eql.in("event.category", [...categories]));
  if (ecs.type && ecs.type.length > 0) classification.push(oneOrList("event.type", ecs.type, false));
  for (const f of ecs.exists ?? []) classification.push(eql.compare(f, "!=", null));
  let conditions = classification;
  if (native.length > 0) {
    // An event log record by its channel, anything else by its ECS classification.
    const other = flatAnd([eql.compare("winlog.channel", "==", null), ...classification]);
    conditions = [eql.or(...native, other)];
  }
  return { category: categories.length === 1 ? categories[0]! : null, ...(ecs.os && { os: ecs.os }), conditions };
}

function oneOrList(path: string, values: readonly string[], insensitive: boolean): Expr {
  if (values.length > 1) return eql.in(path, [...values], { insensitive });
  return insensitive ? eql.match(path, ":", values[0]!) : eql.compare(path, "==", values[0]!);
}

/**
 * One query over every logsource definition the rule covers (a rule without a product covers
 * Windows, Linux and macOS, each with its own field mapping). Definitions whose scope and
 * condition print alike share one branch, with their operating systems in one `in`.
 */
function assemble(branches: { scope: Scope; condition: Expr }[]): EqlStatement {
  const groups = new Map<string, { scope: Scope; condition: Expr; os: string[] }>();
  for (const b of branches) {
    const key = JSON.stringify([b.scope.category, b.scope.conditions.map(printExpression), printExpression(b.condition)]);
    const g = groups.get(key);
    if (g) {
      if (b.scope.os) g.os.push(b.scope.os);
    } else {
      groups.set(key, { ...b, os: b.scope.os ? [b.scope.os] : [] });
    }
  }
  const list = [...groups.values()];
  const categories = new Set(list.map((g) => g.scope.category));
  const category = categories.size === 1 ? list[0]!.scope.category : null;
  const branchExpr = (g: { scope: Scope; condition: Expr; os: string[] }) => {
    const parts: Expr[] = [];
    if (category === null && g.scope.category !== null) parts.push(eql.compare("event.category", "==", g.scope.category));
    if (g.os.length === 1) parts.push(eql.compare("host.os.type", "==", g.os[0]!));
    else if (g.os.length > 1) parts.push(eql.in("host.os.type", g.os));
    parts.push(...g.scope.conditions);
    if (!(g.condition.type === "Boolean" && g.condition.value === true) || parts.length === 0) parts.push(g.condition);
    return flatAnd(parts);
  };
  const condition = list.length === 1 ? branchExpr(list[0]!) : eql.or(...list.map(branchExpr));
  return eql.query(category, condition);
}

function flatAnd(parts: Expr[]): Expr {
  const out = parts.flatMap((p) => (p.type === "LogicalExpression" && p.operator === "and" ? p.operands : [p]));
  return out.length === 1 ? out[0]! : eql.and(...out);
}

// ---------------------------------------------------------------------------------------------
// Fields and values.

class EcsTarget implements DetectionTarget<Expr> {
  readonly label = TARGET_LABEL;
  constructor(private readonly definition: LogsourceDefinition) {}

  field(name: string): FieldConversion<Expr> | { unsupported: string } {
    const target = ecsFieldTarget(this.definition, name);
    if ("unsupported" in target) return target;
    return new EcsField(target);
  }
}

const leaf = (e: Expr): Tree => bool.leaf(e);
const isNull = (path: string): Tree => leaf(eql.compare(path, "==", null));
const notNull = (path: string): Tree => leaf(eql.compare(path, "!=", null));

class EcsField implements FieldConversion<Expr> {
  constructor(private readonly target: EcsFieldTarget) {}

  anyOf(alternatives: readonly Alternative[], scope: ItemScope): Tree {
    const t = this.target;
    switch (t.kind) {
      case "paths":
        return pathsAnyOf(t.paths, alternatives, scope);
      case "user":
        return bool.or(alternatives.map((a) => userAlternative(t.domain, t.name, a, scope)));
      case "hashes":
        return bool.or(alternatives.map((a) => hashAlternative(t.hashes, a, scope)));
      case "table":
        return bool.or(alternatives.map((a) => tableAlternative(t.path, t.values, a, scope)));
    }
  }

  hasValue(): Tree {
    const t = this.target;
    switch (t.kind) {
      case "paths":
        return bool.or(t.paths.map(notNull));
      case "user":
        return bool.or([hasText(t.domain), notNull(t.name)]);
      case "hashes":
        return bool.or(t.hashes.map(([, p]) => notNull(p)));
      case "table":
        return notNull(t.path);
    }
  }
}

/**
 * A Sigma field read from the first of several ECS fields that has a value (`Computer` is
 * `winlog.computer_name`, else `host.name`): each later field counts only where the earlier ones
 * are missing. Null and `|exists` look at all of them.
 */
function pathsAnyOf(paths: readonly string[], alternatives: readonly Alternative[], scope: ItemScope): Tree {
  const parts: Tree[] = [];
  const rest: Alternative[] = [];
  for (const a of alternatives) {
    if (a.type === "Null") parts.push(bool.and(paths.map(isNull)));
    else if (a.type === "Exists") parts.push(a.exists ? bool.or(paths.map(notNull)) : bool.and(paths.map(isNull)));
    else rest.push(a);
  }
  if (rest.length > 0) {
    parts.push(bool.or(paths.map((p, i) => bool.and([...paths.slice(0, i).map(isNull), pathAnyOf(p, rest, scope)]))));
  }
  return bool.or(parts);
}

/** Literals: strings with a backslash are written raw (`"""C:\Windows\*"""`), as Elastic's rules do. */
function str(s: string): EqlLiteral {
  return s.includes("\\") ? eql.raw(s) : eql.string(s);
}

/**
 * Text whose case cannot vary (ASCII digits, punctuation, blanks): case-insensitive and exact
 * equality agree on it, so it may use `==` / `in`. Only ASCII qualifies: no other character
 * lower-cases to an ASCII non-letter.
 */
function caseless(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return false;
  }
  return true;
}

/** A pattern in EQL's `:` / `like` syntax (`*`, `?`; everything else literal, backslashes too). */
function wildcardText(parts: readonly PatternPart[]): string {
  return parts.map((p) => (p.type === "Text" ? p.text : p.type === "AnyChars" ? "*" : "?")).join("");
}

function patternParts(parts: readonly SigmaStringPart[]): PatternPart[] {
  // Placeholders were replaced before any target sees a value (convert-detection.ts).
  return normalizePattern(parts.filter((p): p is PatternPart => p.type !== "Placeholder"));
}

/** The alternatives on one ECS field, grouped into as few predicates as EQL allows (`f : ("a", "b*")`). */
function pathAnyOf(path: string, alternatives: readonly Alternative[], scope: ItemScope): Tree {
  const type = ecsType(path);
  const colon: string[] = [];
  const like: string[] = [];
  const eqNumbers: number[] = [];
  const eqStrings: string[] = [];
  const eqBooleans: boolean[] = [];
  const inInsensitive: string[] = [];
  const regexI: string[] = [];
  const regexC: string[] = [];
  const cidrs: string[] = [];
  const parts: Tree[] = [];

  /**
   * An exact text. On fields whose ECS type is not `keyword` the literal is written in that type;
   * a text the type cannot hold (`abc` in a port) never matches Elastic's data and is left out.
   */
  const text = (t: string, cased: boolean) => {
    if (type === "number") {
      if (t.trim() !== "" && Number.isFinite(Number(t)) && String(Number(t)) === t) eqNumbers.push(Number(t));
    } else if (type === "boolean") {
      if (/^(true|false)$/i.test(t) && (!cased || t === t.toLowerCase())) eqBooleans.push(t.toLowerCase() === "true");
    } else if (type === "ip") {
      // Elasticsearch compares addresses, not their spelling: `FE80::1` is `fe80::1`.
      eqStrings.push(cased ? t : t.toLowerCase());
    } else if (cased || caseless(t)) {
      eqStrings.push(t);
    } else {
      colon.push(t);
    }
  };
  const notText = (from: number) => parts.push(bool.unsupported(scope.problem(`\`${path}\` is ${type === "ip" ? "an IP address" : `a ${type}`} field in ECS, which Elasticsearch cannot match with wildcards or regular expressions`, from)));
  const pattern = (raw: readonly SigmaStringPart[], cased: boolean, from: number) => {
    const p = patternParts(raw);
    if (patternShape(p).kind === "anything") {
      // `*`: any value (a non-null scalar), also on non-keyword fields.
      parts.push(notNull(path));
      return;
    }
    const literal = literalOf(p);
    if (type !== "keyword") {
      if (literal !== undefined) text(literal, cased);
      else notText(from);
      return;
    }
    if (p.some((x) => x.type === "Text" && /[*?]/.test(x.text))) {
      // `:` and `like` have no escape for a literal `*` or `?`: equality, the string functions
      // (index queries too, folding case as `:` does) or, for other shapes, a Lucene regex.
      const shape = patternShape(p);
      if (literal !== undefined) (cased ? eqStrings : inInsensitive).push(literal);
      else if (shape.kind === "startsWith" || shape.kind === "endsWith" || shape.kind === "includes") {
        const fn = { startsWith: "startsWith", endsWith: "endsWith", includes: "stringContains" }[shape.kind];
        parts.push(leaf(eql.call(`${fn}${cased ? "" : "~"}`, eql.field(path), str(shape.value))));
      } else (cased ? regexC : regexI).push(patternToLucene(p));
      return;
    }
    if (literal !== undefined) text(literal, cased);
    else (cased ? like : colon).push(wildcardText(p));
  };

  for (const a of alternatives) {
    switch (a.type) {
      case "String":
        pattern(a.parts, a.cased, a.from);
        break;
      case "Number":
        // Sigma matches the number's text and the text as written (`0x10`, `010`).
        text(String(a.value), false);
        if (a.raw !== String(a.value)) text(a.raw, false);
        break;
      case "Boolean":
        if (type === "boolean") eqBooleans.push(a.value);
        else text(String(a.value), false);
        break;
      case "Regex": {
        if (type !== "keyword") {
          notText(a.from);
          break;
        }
        const parsed = parseSigmaRegex(a.pattern, a);
        const lucene = parsed.ok ? printLucene(parsed.value) : parsed;
        if (!lucene.ok) {
          parts.push(bool.unsupported(scope.problem(`the regular expression ${JSON.stringify(a.pattern)} has no Lucene (EQL \`regex\`) equivalent: ${lucene.reason}`, a.from)));
        } else {
          const ci = parsed.ok && parsed.value.flags.ignoreCase;
          (ci ? regexI : regexC).push(lucene.value);
        }
        break;
      }
      case "Cidr":
        cidrs.push(a.text.trim());
        break;
      case "Compare":
        // Sigma compares numbers; Elasticsearch compares a keyword field as text ("10" < "9"),
        // and a numeric view of it (`number(f)`) would be a script that `not` cannot negate.
        if (type === "number") parts.push(leaf(eql.compare(path, COMPARE[a.operator], a.value)));
        else parts.push(bool.unsupported(scope.problem(`\`${path}\` is not a numeric ECS field, and Elasticsearch compares other fields as text ("10" < "9")`, a.from)));
        break;
      case "FieldRef":
        parts.push(bool.unsupported(scope.problem("EQL cannot compare a field with another field (Elasticsearch rejects it)", a.from)));
        break;
      case "TimePart":
        parts.push(bool.unsupported(scope.problem(`EQL has no function for the ${a.unit} of a date`, a.from)));
        break;
      case "Null":
        parts.push(isNull(path));
        break;
      case "Exists":
        parts.push(a.exists ? notNull(path) : isNull(path));
        break;
      default:
        return assertUnreachable(a);
    }
  }

  const out: Tree[] = [];
  if (colon.length > 0) out.push(leaf(eql.match(path, ":", ...colon.map(str))));
  if (like.length > 0) out.push(leaf(eql.match(path, "like", ...like.map(str))));
  for (const list of [eqStrings.map(str), eqNumbers.map((n) => eql.number(n)), eqBooleans.map((b) => eql.boolean(b))]) {
    if (list.length === 1) out.push(leaf(eql.compare(path, "==", list[0]!)));
    else if (list.length > 1) out.push(leaf(eql.in(path, list)));
  }
  if (inInsensitive.length > 0) out.push(leaf(eql.in(path, inInsensitive.map(str), { insensitive: true })));
  if (regexI.length > 0) out.push(leaf(eql.match(path, "regex~", ...regexI.map(str))));
  if (regexC.length > 0) out.push(leaf(eql.match(path, "regex", ...regexC.map(str))));
  if (cidrs.length > 0) out.push(leaf(eql.call("cidrMatch", eql.field(path), ...cidrs)));
  return bool.or([...out, ...parts]);
}

const COMPARE = { lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

function assertUnreachable(a: never): never {
  throw new Error(`unexpected value ${JSON.stringify(a)}`);
}

/** Sigma strings, numbers and booleans as the text patterns they compare as. */
function asPatterns(a: Alternative): { parts: PatternPart[]; cased: boolean }[] | undefined {
  if (a.type === "String") return [{ parts: patternParts(a.parts), cased: a.cased }];
  if (a.type === "Number") {
    const texts = a.raw === String(a.value) ? [String(a.value)] : [String(a.value), a.raw];
    return texts.map((t) => ({ parts: [{ type: "Text", text: t }], cased: false }));
  }
  if (a.type === "Boolean") return [{ parts: [{ type: "Text", text: String(a.value) }], cased: false }];
  return undefined;
}

// ---- Windows `User` ---------------------------------------------------------------------------

/** `field : "?*"`: a non-empty value. */
function hasText(path: string): Tree {
  return leaf(eql.match(path, ":", "?*"));
}

/**
 * Windows `User` is `DOMAIN\name` in Sysmon and 4688 events; ECS splits it into `user.domain` and
 * `user.name`, and Vigil rebuilds it: both parts joined by `\` when both are present, else the
 * part that is. Neither part contains a backslash (Windows forbids it in account and domain
 * names), so a pattern with one literal backslash splits into a domain and a name pattern, and a
 * pattern without one is decided per shape (a substring lies in either part; a prefix in the
 * domain when there is one; a suffix in the name when there is one). Other patterns (wildcards in
 * the middle, two backslashes, regular expressions) are reported.
 */
function userAlternative(domain: string, name: string, a: Alternative, scope: ItemScope): Tree {
  if (a.type === "Null") return bool.and([bool.not(hasText(domain)), isNull(name)]);
  if (a.type === "Exists") {
    const present = bool.or([hasText(domain), notNull(name)]);
    return a.exists ? present : bool.not(present);
  }
  const patterns = asPatterns(a);
  if (!patterns) return bool.unsupported(scope.problem(`${DESCRIBE_VALUE[a.type] ?? a.type} on \`User\` cannot be split into ECS user.domain and user.name`, a.from));
  return bool.or(patterns.map((p) => userPattern(domain, name, p.parts, p.cased, a.from, scope)));
}

const DESCRIBE_VALUE: Partial<Record<Alternative["type"], string>> = {
  Regex: "a regular expression",
  FieldRef: "a field reference",
  Cidr: "a network",
  Compare: "a numeric comparison",
  TimePart: "a date part",
};

function userPattern(domain: string, name: string, parts: PatternPart[], cased: boolean, from: number, scope: ItemScope): Tree {
  const op = cased ? "like" : ":";
  const m = (path: string, p: readonly PatternPart[]): Tree => leaf(eql.match(path, op, str(wildcardText(p))));
  const hasD = hasText(domain);
  const hasN = hasText(name);
  const unsupported = (why: string) => bool.unsupported<Expr>(scope.problem(`\`User\` ${JSON.stringify(wildcardText(parts))} cannot be split into ECS user.domain and user.name: ${why}`, from));
  if (parts.some((p) => p.type === "Text" && /[*?]/.test(p.text))) return unsupported("it contains a literal * or ?");
  const backslashes = parts.reduce((n, p) => n + (p.type === "Text" ? [...p.text].filter((c) => c === "\\").length : 0), 0);
  if (backslashes === 1) {
    const at = parts.findIndex((p) => p.type === "Text" && p.text.includes("\\"));
    const t = (parts[at] as { text: string }).text;
    const cut = t.indexOf("\\");
    const left = normalizePattern([...parts.slice(0, at), { type: "Text", text: t.slice(0, cut) }]);
    const right = normalizePattern([{ type: "Text", text: t.slice(cut + 1) }, ...parts.slice(at + 1)]);
    const side = (path: string, has: Tree, p: PatternPart[]): Tree =>
      p.length === 0 ? FALSE : p.every((x) => x.type === "AnyChars") ? has : m(path, p);
    return bool.and([side(domain, hasD, left), side(name, hasN, right)]);
  }
  if (backslashes > 1) return unsupported("account names hold one backslash at most");
  const shape = patternShape(parts);
  switch (shape.kind) {
    case "anything":
      return bool.or([hasD, notNull(name)]);
    case "equals":
      if (shape.value === "") return bool.and([bool.not(hasD), m(name, parts)]);
      return bool.or([bool.and([m(domain, parts), bool.not(hasN)]), bool.and([bool.not(hasD), m(name, parts)])]);
    case "includes":
      return bool.or([m(domain, parts), m(name, parts)]);
    case "startsWith":
      return bool.or([m(domain, parts), bool.and([bool.not(hasD), m(name, parts)])]);
    case "endsWith":
      return bool.or([m(name, parts), bool.and([bool.not(hasN), m(domain, parts)])]);
    default:
      return unsupported("a wildcard in the middle may stand for the backslash between them");
  }
}

// ---- Sysmon `Hashes` --------------------------------------------------------------------------

const DIGEST_LENGTH: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };

/**
 * `Hashes|contains: 'MD5=…'` is the one form Sigma rules use: it holds exactly when that digest
 * starts with the given hex (the labels cannot occur inside a hex digest or another label). A
 * complete digest compares whole. Other forms depend on which digests an event carries, in which
 * order, and are reported.
 */
function hashAlternative(hashes: readonly (readonly [string, string])[], a: Alternative, scope: ItemScope): Tree {
  if (a.type === "Null") return bool.and(hashes.map(([, p]) => isNull(p)));
  if (a.type === "Exists") {
    const present = bool.or(hashes.map(([, p]) => notNull(p)));
    return a.exists ? present : bool.not(present);
  }
  const fail = (why: string) => bool.unsupported<Expr>(scope.problem(`\`Hashes\` is split into one ECS field per digest; ${why}`, a.from));
  if (a.type !== "String") return fail("only `Hashes|contains: 'ALGO=hex'` values convert");
  const parts = patternParts(a.parts);
  const shape = patternShape(parts);
  const m = shape.kind === "includes" ? /^([A-Za-z0-9]+)=([^,=*?]+)$/.exec(shape.value) : null;
  if (!m) return fail("only `Hashes|contains: 'ALGO=hex'` values convert");
  const [, label, digest] = m;
  const entry = hashes.find(([l]) => (a.cased ? l === label : l.toLowerCase() === label!.toLowerCase()));
  if (!entry) return fail(`\`${label}\` is not one of ${hashes.map(([l]) => l).join(", ")}`);
  const whole = digest!.length === DIGEST_LENGTH[entry[0]] && /^[0-9A-Fa-f]+$/.test(digest!);
  return leaf(eql.match(entry[1], a.cased ? "like" : ":", whole ? digest! : `${digest}*`));
}

// ---- Value tables (`Initiated`) ---------------------------------------------------------------

/**
 * A field whose ECS value Vigil translates (`network.direction: egress` reads as `Initiated:
 * true`): the ECS values that translate to a matching text, or a value outside the table that
 * matches as it is.
 */
function tableAlternative(path: string, table: Readonly<Record<string, string>>, a: Alternative, scope: ItemScope): Tree {
  if (a.type === "Null") return isNull(path);
  if (a.type === "Exists") return a.exists ? notNull(path) : isNull(path);
  const keys = Object.keys(table);
  let matches: (t: string) => boolean;
  let matchesAnyCase: (t: string) => boolean;
  if (a.type === "Regex") {
    const re = safeRegex(a.pattern, a);
    const reI = safeRegex(a.pattern, { ...a, ignoreCase: true });
    if (!re || !reI) return bool.unsupported(scope.problem(`the regular expression ${JSON.stringify(a.pattern)} does not compile`, a.from));
    matches = (t) => re.test(t);
    matchesAnyCase = (t) => reI.test(t);
  } else {
    const patterns = asPatterns(a);
    if (!patterns) return bool.unsupported(scope.problem(`\`${a.type}\` values on a translated field do not convert`, a.from));
    const exact = patterns.map((p) => compilePattern(p.parts, { caseInsensitive: !p.cased }));
    const loose = patterns.map((p) => compilePattern(p.parts, { caseInsensitive: true }));
    matches = (t) => exact.some((x) => x.test(x.caseInsensitive ? foldCase(t) : t));
    matchesAnyCase = (t) => loose.some((x) => x.test(foldCase(t)));
  }
  const hit = keys.filter((k) => matches(table[k]!));
  const asIs = pathAnyOf(path, [a], scope);
  // A value outside the table matches as it is; the guard is needed only if the pattern could also match a table key.
  const guarded = keys.some((k) => matchesAnyCase(k)) ? bool.and([asIs, bool.not(leaf(eql.in(path, keys, { insensitive: true })))]) : asIs;
  return bool.or([...(hit.length > 0 ? [leaf(eql.in(path, hit, { insensitive: true }))] : []), guarded]);
}

function safeRegex(pattern: string, flags: { ignoreCase: boolean; multiline: boolean; dotAll: boolean }) {
  try {
    return compileSafeRegex(pattern, flags);
  } catch {
    return undefined;
  }
}

