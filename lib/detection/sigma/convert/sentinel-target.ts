/**
 * Sigma → Microsoft Sentinel KQL over the ASIM `imProcessCreate` parser (README "Sigma
 * conversion"). Operators are chosen for Sigma's semantics, never for term search:
 *
 * - Case-insensitive: `=~`, `in~`, `contains`, `startswith`, `endswith` (substring and affix
 *   tests; `has` matches whole terms and would miss `mimikatz` inside `xmimikatz.exe`). Kusto
 *   folds only ASCII in these operators, so a value with non-ASCII letters is compared as
 *   `tolower(Column) contains_cs "<lower-cased value>"`.
 * - `|cased`: `==`, `in`, `contains_cs`, `startswith_cs`, `endswith_cs`.
 * - A wildcard anywhere but at the ends: `matches regex @"(?is)\A…\z"` (`*` → `.*`, `?` → `.`).
 * - `|re`: `matches regex`, RE2 like Vigil's, which searches unanchored as Sigma does; flags i, m,
 *   s become `(?ims)`.
 * - `|cidr`: `ipv4_is_in_any_range()` / `ipv6_is_in_any_range()`; `|lt` …: `toreal(Column) < n`.
 * - Kusto string columns have no null: a missing value is the empty string, so `Field: null`
 *   and `Field: ''` are both `isempty(Column)`, `*` and `|exists` are `isnotempty(Column)`.
 *
 * Kusto cannot be run here: the tests are golden per construct (sentinel-target.test.ts).
 */
import { foldCase } from "../../compile/fold-case";
import { literalOf, normalizePattern, patternShape, type PatternPart } from "../../compile/pattern";
import type { SigmaRule, SigmaStringPart } from "../types";
import { IM_PROCESS_CREATE_COLUMNS, IM_PROCESS_CREATE_MISMATCHES, type AsimColumn } from "./asim-fields";
import { bool, foldTree, problemsOf, settle, type BoolTree } from "./bool-tree";
import { convertDetection, type Alternative, type DetectionTarget, type FieldConversion, type ItemScope } from "./convert-detection";
import { parseSigmaRegex, patternToRe2, printRe2 } from "./sigma-regex";
import type { ConvertSigmaOptions, SigmaConversion } from "./types";

/** A Kusto predicate, written out. */
type Kql = string;
type Tree = BoolTree<Kql>;

const TABLE = "imProcessCreate";
const PRODUCTS = new Set(["windows", "linux", "macos"]);

export function sentinelConversion(rule: SigmaRule, options: ConvertSigmaOptions): SigmaConversion {
  const { category, product, service } = rule.logsource;
  const supported = category?.toLowerCase() === "process_creation" && service === undefined && (product === undefined || PRODUCTS.has(product.toLowerCase()));
  if (!supported) {
    const describe = [category && `category: ${category}`, product && `product: ${product}`, service && `service: ${service}`].filter(Boolean).join(", ");
    return {
      target: "sentinel",
      query: "",
      complete: false,
      unsupported: [
        {
          construct: "logsource",
          reason: `the Sentinel conversion targets ASIM ${TABLE} (process_creation rules); logsource ${describe || "(empty)"} would need another ASIM schema`,
          location: rule.logsource.location,
        },
      ],
      notes: [],
    };
  }
  const tree = convertDetection(rule, new AsimTarget(), options);
  const unsupported = problemsOf(tree);
  const settled = settle(tree);
  const query = settled.type === "Const" && settled.value ? TABLE : `${TABLE}\n| where ${renderKql(settled).text}`;
  const notes =
    product === undefined
      ? []
      : [
          `${TABLE} holds process creations from every operating system and ASIM's DvcOs is optional free text, so the query does not filter on the rule's product (${product}); values such as Windows paths keep it to that system in practice`,
        ];
  return { target: "sentinel", query, complete: unsupported.length === 0, unsupported, notes };
}

/** Kusto precedence: `or` < `and` < everything else (comparisons and calls). */
function renderKql(tree: Tree): { text: string; level: 0 | 1 | 2 } {
  return foldTree<Kql, { text: string; level: 0 | 1 | 2 }>(tree, {
    or: (operands) => ({ text: operands.map((o) => o.text).join(" or "), level: 0 }),
    and: (operands) => ({ text: operands.map((o) => (o.level === 0 ? `(${o.text})` : o.text)).join(" and "), level: 1 }),
    not: (operand) => ({ text: `not(${operand.text})`, level: 2 }),
    constant: (value) => ({ text: String(value), level: 2 }),
    leaf: (text) => ({ text, level: 2 }),
  });
}

// ---------------------------------------------------------------------------------------------
// Literals

/**
 * A Kusto string literal: `"…"` with `\\`, `\"`, `\n`, `\r`, `\t` escaped (the escapes Kusto
 * documents); undefined for other control characters, which have no documented escape.
 */
export function kqlString(s: string): string | undefined {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) return undefined;
    else out += c;
  }
  return `${out}"`;
}

/** A verbatim literal (`@"…"`, quotes doubled) for regular expressions, whose backslashes then stay single. */
function kqlVerbatim(s: string): string {
  return `@"${s.replace(/"/g, '""')}"`;
}

/** Text with a non-ASCII letter, which Kusto's case-insensitive operators would compare case-sensitively. */
function needsLower(s: string): boolean {
  for (const c of s) if (c.codePointAt(0)! > 0x7f && (c.toLowerCase() !== c || c.toUpperCase() !== c)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Fields

class AsimTarget implements DetectionTarget<Kql> {
  readonly label = "Microsoft Sentinel (ASIM)";

  field(name: string): FieldConversion<Kql> | { unsupported: string } {
    const column = columnOf(name);
    if (typeof column === "object" && "unsupported" in column) return column;
    return typeof column === "string" ? new ColumnField(column) : new HashesField(column.hashes);
  }
}

function columnOf(name: string): AsimColumn | { unsupported: string } {
  const own = (table: Readonly<Record<string, unknown>>, key: string) => Object.hasOwn(table, key);
  const stripped = name.replace(/\s+/g, "");
  for (const key of [name, stripped]) {
    if (own(IM_PROCESS_CREATE_COLUMNS, key)) return IM_PROCESS_CREATE_COLUMNS[key]!;
    if (own(IM_PROCESS_CREATE_MISMATCHES, key)) return { unsupported: `\`${name}\` has no faithful ASIM column: ${IM_PROCESS_CREATE_MISMATCHES[key]}` };
  }
  return { unsupported: `\`${name}\` has no column in the ASIM Process Event schema (${TABLE})` };
}

const leaf = (k: Kql): Tree => bool.leaf(k);
const isEmpty = (c: string): Tree => leaf(`isempty(${c})`);
const isNotEmpty = (c: string): Tree => leaf(`isnotempty(${c})`);

function patternParts(parts: readonly SigmaStringPart[]): PatternPart[] {
  return normalizePattern(parts.filter((p): p is PatternPart => p.type !== "Placeholder"));
}

const AFFIX: Record<string, string> = { startsWith: "startswith", endsWith: "endswith", includes: "contains" };

class ColumnField implements FieldConversion<Kql> {
  constructor(private readonly column: string) {}

  hasValue(): Tree {
    return isNotEmpty(this.column);
  }

  anyOf(alternatives: readonly Alternative[], scope: ItemScope): Tree {
    const c = this.column;
    const ci: string[] = [];
    const cs: string[] = [];
    const lower: string[] = [];
    const v4: string[] = [];
    const v6: string[] = [];
    const out: Tree[] = [];
    const control = (from: number) => bool.unsupported<Kql>(scope.problem("the value holds control characters (UTF-16 bytes) that a Kusto string literal cannot write", from));

    const text = (t: string, cased: boolean, from: number) => {
      if (kqlString(t) === undefined) out.push(control(from));
      else if (cased) cs.push(t);
      else if (needsLower(t)) lower.push(foldCase(t));
      else ci.push(t);
    };
    const pattern = (raw: readonly SigmaStringPart[], cased: boolean, from: number) => {
      const p = patternParts(raw);
      const shape = patternShape(p);
      const literal = literalOf(p);
      if (shape.kind === "anything") return void out.push(isNotEmpty(c));
      if (literal === "") return void out.push(isEmpty(c));
      if (literal !== undefined) return text(literal, cased, from);
      if (shape.kind === "startsWith" || shape.kind === "endsWith" || shape.kind === "includes") {
        const v = shape.value;
        const op = AFFIX[shape.kind]!;
        const lit = kqlString(cased || !needsLower(v) ? v : foldCase(v));
        if (lit === undefined) return void out.push(control(from));
        if (cased) out.push(leaf(`${c} ${op}_cs ${lit}`));
        else if (needsLower(v)) out.push(leaf(`tolower(${c}) ${op}_cs ${lit}`));
        else out.push(leaf(`${c} ${op} ${lit}`));
        return;
      }
      // A wildcard between literal text: an anchored regular expression (`.` and `.*` span line breaks, as Sigma's do).
      out.push(leaf(`${c} matches regex ${kqlVerbatim(`(?${cased ? "" : "i"}s)${patternToRe2(p)}`)}`));
    };

    for (const a of alternatives) {
      switch (a.type) {
        case "String":
          pattern(a.parts, a.cased, a.from);
          break;
        case "Number":
          text(String(a.value), false, a.from);
          if (a.raw !== String(a.value)) text(a.raw, false, a.from);
          break;
        case "Boolean":
          text(String(a.value), false, a.from);
          break;
        case "Null":
          out.push(isEmpty(c));
          break;
        case "Exists":
          out.push(a.exists ? isNotEmpty(c) : isEmpty(c));
          break;
        case "Regex": {
          const parsed = parseSigmaRegex(a.pattern, a);
          if (!parsed.ok) out.push(bool.unsupported(scope.problem(`the regular expression ${JSON.stringify(a.pattern)} does not convert to RE2 for Kusto: ${parsed.reason}`, a.from)));
          else out.push(leaf(`${c} matches regex ${kqlVerbatim(printRe2(parsed.value))}`));
          break;
        }
        case "Cidr":
          (a.network.version === 4 ? v4 : v6).push(a.text.trim());
          break;
        case "Compare":
          out.push(leaf(`toreal(${c}) ${COMPARE[a.operator]} ${a.value}`));
          break;
        case "FieldRef": {
          const other = columnOf(a.field);
          if (typeof other !== "string") {
            out.push(bool.unsupported(scope.problem(`the referenced field \`${a.field}\` has no single ASIM column`, a.from)));
            break;
          }
          const op = a.startsWith && a.endsWith ? "contains" : a.startsWith ? "startswith" : a.endsWith ? "endswith" : null;
          // Sigma compares with the other field's value case-insensitively unless `cased`; both must hold a value.
          const [l, r] = a.cased ? [c, other] : [`tolower(${c})`, `tolower(${other})`];
          const cmp = op === null ? `${l} == ${r}` : `${l} ${op}_cs ${r}`;
          out.push(bool.and([isNotEmpty(c), isNotEmpty(other), leaf(cmp)]));
          break;
        }
        case "TimePart":
          out.push(bool.unsupported(scope.problem(`\`${a.unit}\` compares a date, and ${c} is not one`, a.from)));
          break;
        default:
          return assertUnreachable(a);
      }
    }
    const lists: Tree[] = [];
    const list = (subject: string, one: string, many: string, values: string[]) => {
      if (values.length === 1) lists.push(leaf(`${subject} ${one} ${kqlString(values[0]!)}`));
      else if (values.length > 1) lists.push(leaf(`${subject} ${many} (${values.map((v) => kqlString(v)).join(", ")})`));
    };
    list(c, "=~", "in~", ci);
    list(c, "==", "in", cs);
    list(`tolower(${c})`, "==", "in", lower);
    const ranges = (fn: string, nets: string[]) => {
      if (nets.length === 1) lists.push(leaf(`${fn}_is_in_range(${c}, ${kqlString(nets[0]!)})`));
      else if (nets.length > 1) lists.push(leaf(`${fn}_is_in_any_range(${c}, ${nets.map((n) => kqlString(n)).join(", ")})`));
    };
    ranges("ipv4", v4);
    ranges("ipv6", v6);
    return bool.or([...lists, ...out]);
  }
}

const COMPARE = { lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

function assertUnreachable(a: never): never {
  throw new Error(`unexpected value ${JSON.stringify(a)}`);
}

const DIGEST_LENGTH: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };

/**
 * Sysmon's `Hashes` text (`SHA1=…,MD5=…,IMPHASH=…`) is split by ASIM into one column per digest
 * (the Sysmon parser extracts `MD5=(\w+)` and so on). `Hashes|contains: 'MD5=…'` holds exactly
 * when that digest starts with the hex given; a complete digest compares whole.
 */
class HashesField implements FieldConversion<Kql> {
  constructor(private readonly hashes: readonly (readonly [string, string])[]) {}

  hasValue(): Tree {
    return bool.or(this.hashes.map(([, c]) => isNotEmpty(c)));
  }

  anyOf(alternatives: readonly Alternative[], scope: ItemScope): Tree {
    return bool.or(
      alternatives.map((a): Tree => {
        if (a.type === "Null") return bool.and(this.hashes.map(([, c]) => isEmpty(c)));
        if (a.type === "Exists") return a.exists ? this.hasValue() : bool.and(this.hashes.map(([, c]) => isEmpty(c)));
        const fail = (why: string) => bool.unsupported<Kql>(scope.problem(`ASIM splits \`Hashes\` into one column per digest; ${why}`, a.from));
        if (a.type !== "String") return fail("only `Hashes|contains: 'ALGO=hex'` values convert");
        const shape = patternShape(patternParts(a.parts));
        const m = shape.kind === "includes" ? /^([A-Za-z0-9]+)=([^,=*?"\\]+)$/.exec(shape.value) : null;
        if (!m) return fail("only `Hashes|contains: 'ALGO=hex'` values convert");
        const [, label, digest] = m;
        const entry = this.hashes.find(([l]) => (a.cased ? l === label : l.toLowerCase() === label!.toLowerCase()));
        if (!entry) return fail(`\`${label}\` is not one of ${this.hashes.map(([l]) => l).join(", ")}`);
        const whole = digest!.length === DIGEST_LENGTH[entry[0]] && /^[0-9A-Fa-f]+$/.test(digest!);
        const op = whole ? (a.cased ? "==" : "=~") : a.cased ? "startswith_cs" : "startswith";
        const lit = kqlString(digest!);
        return lit === undefined ? fail("the digest holds control characters") : leaf(`${entry[1]} ${op} ${lit}`);
      }),
    );
  }
}
