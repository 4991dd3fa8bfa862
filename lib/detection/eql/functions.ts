import { compileCidrMatcher, parseCidr, type Cidr } from "../compile/cidr";
import type { Scalar } from "../compile/field-access";
import { foldCase } from "../compile/fold-case";
import { toNumber } from "../compile/numeric";

/**
 * Elasticsearch EQL's functions (EqlFunctionRegistry), as a registry keyed by lower-cased name
 * (function names are case-insensitive). Each evaluates one combination of argument values; the
 * compiler feeds it every combination of the values of multi-valued fields (any-element
 * semantics, as Elasticsearch's multi-value-aware scripts do).
 *
 * Null rules follow the function reference: a null argument gives null unless stated otherwise.
 * `~` variants exist exactly for the functions Elasticsearch marks case-aware: between, endsWith,
 * indexOf, startsWith, stringContains. Numbers and booleans passed where text is expected are
 * read in their text form, as a keyword field holds them.
 */

export type EqlValue = Scalar;

export type EqlReturnType = "boolean" | "string" | "number";

export interface EqlFunction {
  /** The documented spelling, for messages. */
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Has a `name~` case-insensitive variant. */
  readonly caseAware: boolean;
  readonly returns: EqlReturnType;
  /**
   * Argument positions that must be constants (Elasticsearch: "fields are not supported as
   * arguments"), checked at compile time.
   */
  readonly constantArgs?: readonly number[];
  /**
   * `floats` says which numeric arguments are floats by type (decimal literals, float
   * arithmetic), for integer division.
   */
  evaluate(args: readonly EqlValue[], caseInsensitive: boolean, floats: readonly boolean[]): EqlValue;
}

/** Text form of a value for string functions; null stays null. */
export function asText(v: EqlValue): string | null {
  if (v === null) return null;
  return typeof v === "string" ? v : String(v);
}

function asNumber(v: EqlValue): number | null {
  if (v === null || typeof v === "boolean") return null;
  const n = toNumber(v);
  return n === undefined ? null : n;
}

function texts(args: readonly EqlValue[], ci: boolean): string[] | null {
  const out: string[] = [];
  for (const a of args) {
    const t = asText(a);
    if (t === null) return null;
    out.push(ci ? foldCase(t) : t);
  }
  return out;
}

/** Both operands integers (by value, and not floats by type): Java integer arithmetic applies. */
function integral(a: number, b: number, floats: readonly boolean[]): boolean {
  return !floats[0] && !floats[1] && Number.isInteger(a) && Number.isInteger(b);
}

function arithmetic(name: string, op: (a: number, b: number, integer: boolean) => number | null): EqlFunction {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    caseAware: false,
    returns: "number",
    evaluate(args, _ci, floats) {
      const a = asNumber(args[0]!);
      const b = asNumber(args[1]!);
      if (a === null || b === null) return null;
      const r = op(a, b, integral(a, b, floats));
      return r === null || !Number.isFinite(r) ? null : r;
    },
  };
}

export const add = arithmetic("add", (a, b) => a + b);
export const subtract = arithmetic("subtract", (a, b) => a - b);
export const multiply = arithmetic("multiply", (a, b) => a * b);
/** Integer operands divide as Java longs do: truncated toward zero (`divide(4, 3)` is 1). */
export const divide = arithmetic("divide", (a, b, integer) => (b === 0 ? null : integer ? Math.trunc(a / b) : a / b));
/** Java's remainder: the sign of the dividend (`modulo(-10, 6)` is -4). */
export const modulo = arithmetic("modulo", (a, b) => (b === 0 ? null : a % b));

export const between: EqlFunction = {
  name: "between",
  minArgs: 3,
  maxArgs: 4,
  caseAware: true,
  returns: "string",
  constantArgs: [3],
  evaluate(args, ci) {
    const source = asText(args[0]!);
    const left = asText(args[1]!);
    const right = asText(args[2]!);
    if (source === null || left === null || right === null) return null;
    const greedy = args[3] === true;
    if (source === "") return "";
    const s = ci ? foldCase(source) : source;
    const l = ci ? foldCase(left) : left;
    const r = ci ? foldCase(right) : right;
    // Indices are taken on the folded text; when folding changed the length (a handful of
    // characters such as İ), fall back to the case-sensitive search rather than cut wrongly.
    const view = s.length === source.length ? s : source;
    const li = view.indexOf(view === s ? l : left);
    if (li < 0) return "";
    const start = li + (view === s ? l : left).length;
    const needle = view === s ? r : right;
    const ri = greedy ? view.lastIndexOf(needle) : view.indexOf(needle, start);
    if (ri < start) return "";
    return source.slice(start, ri);
  },
};

export const cidrMatch: EqlFunction = {
  name: "cidrMatch",
  minArgs: 2,
  maxArgs: Infinity,
  caseAware: false,
  returns: "boolean",
  evaluate(args) {
    const ip = asText(args[0]!);
    if (ip === null) return null;
    const networks: Cidr[] = [];
    for (const a of args.slice(1)) {
      const t = asText(a);
      if (t === null) return null;
      const parsed = parseCidr(t);
      if (!parsed.ok) return null;
      networks.push(parsed.cidr);
    }
    return compileCidrMatcher(networks).test(ip);
  },
};

export const concat: EqlFunction = {
  name: "concat",
  minArgs: 1,
  maxArgs: Infinity,
  caseAware: false,
  returns: "string",
  evaluate(args) {
    const parts = texts(args, false);
    return parts === null ? null : parts.join("");
  },
};

function stringPredicate(name: string, test: (source: string, sub: string) => boolean): EqlFunction {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    caseAware: true,
    returns: "boolean",
    evaluate(args, ci) {
      const t = texts(args, ci);
      return t === null ? null : test(t[0]!, t[1]!);
    },
  };
}

export const endsWith = stringPredicate("endsWith", (s, sub) => s.endsWith(sub));
export const startsWith = stringPredicate("startsWith", (s, sub) => s.startsWith(sub));
/** `stringContains(x, "")` is false, as documented (unlike JavaScript's includes). */
export const stringContains = stringPredicate("stringContains", (s, sub) => sub !== "" && s.includes(sub));

export const indexOf: EqlFunction = {
  name: "indexOf",
  minArgs: 2,
  maxArgs: 3,
  caseAware: true,
  returns: "number",
  evaluate(args, ci) {
    const t = texts(args.slice(0, 2), ci);
    if (t === null) return null;
    let start = 0;
    if (args.length === 3) {
      const n = asNumber(args[2]!);
      if (n === null) return null;
      start = Math.max(0, Math.trunc(n));
    }
    const [source, sub] = t as [string, string];
    if (start > source.length) return null;
    const i = source.indexOf(sub, start);
    return i < 0 ? null : i;
  },
};

export const length: EqlFunction = {
  name: "length",
  minArgs: 1,
  maxArgs: 1,
  caseAware: false,
  returns: "number",
  evaluate(args) {
    const s = asText(args[0]!);
    return s === null ? null : s.length;
  },
};

const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export const number: EqlFunction = {
  name: "number",
  minArgs: 1,
  maxArgs: 2,
  caseAware: false,
  returns: "number",
  constantArgs: [1],
  evaluate(args) {
    const raw = asText(args[0]!);
    if (raw === null) return null;
    let s = raw.trim();
    const baseArg = args.length === 2 ? args[1]! : null;
    let base = baseArg === null ? undefined : asNumber(baseArg);
    if (base === null) return null;
    let sign = 1;
    if (s.startsWith("-") || s.startsWith("+")) {
      if (s.startsWith("-")) sign = -1;
      s = s.slice(1);
    }
    if (/^0x/i.test(s)) {
      if (base === undefined) base = 16;
      if (base !== 16) return null;
      s = s.slice(2);
    }
    if (base === undefined || base === 10) {
      return DECIMAL_TEXT.test(s) ? sign * Number(s) : null;
    }
    if (!Number.isInteger(base) || base < 2 || base > 36 || s === "") return null;
    const digits = "0123456789abcdefghijklmnopqrstuvwxyz".slice(0, base);
    if (![...s.toLowerCase()].every((c) => digits.includes(c))) return null;
    return sign * parseInt(s, base);
  },
};

export const string: EqlFunction = {
  name: "string",
  minArgs: 1,
  maxArgs: 1,
  caseAware: false,
  returns: "string",
  evaluate(args) {
    return asText(args[0]!);
  },
};

/** Python-style slice: negative positions count from the end; out-of-range positions clamp. */
export const substring: EqlFunction = {
  name: "substring",
  minArgs: 2,
  maxArgs: 3,
  caseAware: false,
  returns: "string",
  evaluate(args) {
    const s = asText(args[0]!);
    if (s === null) return null;
    const startArg = asNumber(args[1]!);
    if (startArg === null) return null;
    const n = s.length;
    const clamp = (i: number) => (i < 0 ? Math.max(n + i, 0) : Math.min(i, n));
    const start = clamp(Math.trunc(startArg));
    let end = n;
    if (args.length === 3 && args[2] !== null) {
      const e = asNumber(args[2]!);
      if (e === null) return null;
      end = clamp(Math.trunc(e));
    }
    return start >= end ? "" : s.slice(start, end);
  },
};

/** Keyed by lower-cased name: `stringcontains`, `cidrmatch`, … */
export const EQL_FUNCTIONS: Readonly<Record<string, EqlFunction>> = {
  add,
  between,
  cidrmatch: cidrMatch,
  concat,
  divide,
  endswith: endsWith,
  indexof: indexOf,
  length,
  modulo,
  multiply,
  number,
  startswith: startsWith,
  string,
  stringcontains: stringContains,
  substring,
  subtract,
};
