import { closestName } from "../suggest";
import { parseCidr } from "../compile/cidr";
import { ANY_CHARS, text } from "../compile/pattern";
import { toNumber } from "../compile/numeric";
import { parseSigmaString, hasSpecialParts, plainText } from "./sigma-string";
import type { SigmaMatchValue, SigmaRawValue, SigmaStringPart, TimeUnit } from "./types";

/**
 * Every value modifier of the Sigma specification v2.1 (appendix "Modifiers"), as a registry map
 * (STYLE F3, pySigma's `modifier_mapping`). Value modifiers transform each value in order;
 * item modifiers (`all`, `neq`) change how the values combine. Semantics follow pySigma's
 * sigma/modifiers.py except where README "Semantics" says otherwise, and say why.
 */

/** How an item's values combine; item modifiers change it. */
export interface ItemState {
  readonly field: string | null;
  linking: "any" | "all";
  negated: boolean;
}

export type ModifierErrorKind = "validation" | "unsupported" | "limit";

export interface ModifierContext {
  readonly name: string;
  /** Modifiers applied before this one, in order. */
  readonly applied: readonly string[];
  readonly item: ItemState;
  /** The raw text of value `from` as written in YAML (the `re` and `cidr` modifiers read it). */
  rawText(from: number): string | undefined;
  /** Stop with an error placed on this modifier in the key. */
  fail(code: string, summary: string, kind?: ModifierErrorKind): never;
  /** Stop with an error placed on value `from`. */
  failValue(from: number, code: string, summary: string, kind?: ModifierErrorKind): never;
}

export interface ValueModifier {
  readonly kind: "value";
  readonly description: string;
  apply(value: Exclude<SigmaMatchValue, { type: "Expansion" }>, ctx: ModifierContext): SigmaMatchValue;
}

export interface ItemModifier {
  readonly kind: "item";
  readonly description: string;
  apply(item: ItemState, ctx: ModifierContext): void;
}

export type SigmaModifier = ValueModifier | ItemModifier;

type PlainValue = Exclude<SigmaMatchValue, { type: "Expansion" }>;
type StringValue = Extract<SigmaMatchValue, { type: "String" }>;

/** At most this many alternatives from one value (`windash` on a value with many dashes). */
export const MAX_EXPANSION = 4096;

function describeValue(v: PlainValue): string {
  switch (v.type) {
    case "String":
      return "a string";
    case "Number":
      return "a number";
    case "Boolean":
      return "a boolean";
    case "Null":
      return "null";
    case "Regex":
      return "a regular expression (after `re`)";
    case "Cidr":
      return "a network (after `cidr`)";
    case "Compare":
      return "a comparison (after `lt`/`lte`/`gt`/`gte`)";
    case "Exists":
      return "an existence test (after `exists`)";
    case "FieldRef":
      return "a field reference (after `fieldref`)";
    case "TimePart":
      return "a date part (after a date modifier)";
  }
}

function typeError(ctx: ModifierContext, v: PlainValue, expected: string): never {
  return ctx.failValue(v.from, "modifier_type", `modifier \`${ctx.name}\` applies to ${expected}, not to ${describeValue(v)}`);
}

/**
 * Numbers and booleans are strings to the string modifiers (`EventID|startswith: 46` means
 * "46…"): pySigma rejects this with a type error; the intent is unambiguous, so Vigil accepts it.
 */
function asString(v: PlainValue, ctx: ModifierContext): StringValue {
  if (v.type === "String") return v;
  if (v.type === "Number") return { type: "String", from: v.from, parts: [text(v.raw)], cased: false };
  if (v.type === "Boolean") return { type: "String", from: v.from, parts: [text(String(v.value))], cased: false };
  return typeError(ctx, v, "strings");
}

function startsWithAny(parts: readonly SigmaStringPart[]): boolean {
  return parts[0]?.type === "AnyChars";
}

function endsWithAny(parts: readonly SigmaStringPart[]): boolean {
  return parts[parts.length - 1]?.type === "AnyChars";
}

function regexEndsWithUnescaped(pattern: string, suffix: string): boolean {
  if (!pattern.endsWith(suffix)) return false;
  const head = pattern.slice(0, pattern.length - suffix.length);
  const backslashes = head.length - head.replace(/\\+$/, "").length;
  return backslashes % 2 === 0;
}

/*
 * `re` values are searched (unanchored), as SigmaHQ's rules assume (`'\s-c\s'`). On a regex,
 * `startswith` and `endswith` therefore anchor it (`\A(?:…)`, `(?:…)\z`) and `contains` leaves it
 * as it is. pySigma instead appends/prepends `.*`, which only anchors on backends whose regexes
 * are implicitly anchored (Lucene); the intent, "the value is at the start", is the same.
 */
const contains: ValueModifier = {
  kind: "value",
  description: "the value may appear anywhere in the field (wraps it in `*`)",
  apply(v, ctx) {
    if (v.type === "Regex") return v;
    if (v.type === "FieldRef") return { ...v, startsWith: true, endsWith: true };
    const s = asString(v, ctx);
    const parts = [...s.parts];
    if (!startsWithAny(parts)) parts.unshift(ANY_CHARS);
    if (!endsWithAny(parts)) parts.push(ANY_CHARS);
    return { ...s, parts };
  },
};

const startswith: ValueModifier = {
  kind: "value",
  description: "the field starts with the value (appends `*`)",
  apply(v, ctx) {
    if (v.type === "Regex") return v.pattern.startsWith("^") || v.pattern.startsWith("\\A") ? v : { ...v, pattern: `\\A(?:${v.pattern})` };
    if (v.type === "FieldRef") return { ...v, startsWith: true };
    const s = asString(v, ctx);
    return endsWithAny(s.parts) ? s : { ...s, parts: [...s.parts, ANY_CHARS] };
  },
};

const endswith: ValueModifier = {
  kind: "value",
  description: "the field ends with the value (prepends `*`)",
  apply(v, ctx) {
    if (v.type === "Regex") {
      return regexEndsWithUnescaped(v.pattern, "$") || regexEndsWithUnescaped(v.pattern, "\\z") ? v : { ...v, pattern: `(?:${v.pattern})\\z` };
    }
    if (v.type === "FieldRef") return { ...v, endsWith: true };
    const s = asString(v, ctx);
    return startsWithAny(s.parts) ? s : { ...s, parts: [ANY_CHARS, ...s.parts] };
  },
};

const all: ItemModifier = {
  kind: "item",
  description: "every value must match (AND) instead of any (OR)",
  apply(item) {
    item.linking = "all";
  },
};

const neq: ItemModifier = {
  kind: "item",
  description: "the field is present and matches none of the values",
  apply(item) {
    item.negated = true;
  },
};

const exists: ValueModifier = {
  kind: "value",
  description: "the field is present (`true`) or absent (`false`), whatever its value",
  apply(v, ctx) {
    if (ctx.item.field === null) ctx.fail("modifier_needs_field", "`exists` needs a field: it cannot search keywords");
    if (ctx.applied.length > 0) ctx.fail("modifier_order", "`exists` must be the first modifier");
    if (v.type !== "Boolean") return typeError(ctx, v, "`true` or `false`");
    return { type: "Exists", from: v.from, exists: v.value };
  },
};

const cased: ValueModifier = {
  kind: "value",
  description: "compare case-sensitively (Sigma compares case-insensitively by default)",
  apply(v, ctx) {
    if (v.type === "FieldRef") return { ...v, cased: true };
    if (v.type === "Regex") {
      return ctx.fail("modifier_type", "`cased` does not apply to `re`: regular expressions are case-sensitive unless `|i` is given");
    }
    return { ...asString(v, ctx), cased: true };
  },
};

const WINDASH_CHARS = ["-", "/", "\u2013", "\u2014", "\u2015"] as const;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * pySigma: `re.compile(r"\B[-/]\b")` on each text part: a `-` or `/` that starts a word (not
 * preceded by a word character, followed by one) becomes each of `-`, `/`, en dash, em dash and
 * horizontal bar, in every combination. `-ab-cd` varies only its first dash.
 */
const windash: ValueModifier = {
  kind: "value",
  description: "each `-` or `/` that starts a command-line flag also matches `/`, `-`, `–`, `—` and `―`",
  apply(v, ctx) {
    const s = asString(v, ctx);
    // Each text part becomes a list of segments: fixed text and "one of the dash characters".
    const segments: (SigmaStringPart | "dash")[] = [];
    for (const part of s.parts) {
      if (part.type !== "Text") {
        segments.push(part);
        continue;
      }
      let acc = "";
      const t = part.text;
      for (let i = 0; i < t.length; i++) {
        const c = t[i]!;
        const before = i === 0 ? undefined : t[i - 1];
        const after = t[i + 1];
        const startsWord = (c === "-" || c === "/") && (before === undefined || !WORD_CHAR.test(before)) && after !== undefined && WORD_CHAR.test(after);
        if (startsWord) {
          if (acc) segments.push(text(acc));
          acc = "";
          segments.push("dash");
        } else {
          acc += c;
        }
      }
      if (acc) segments.push(text(acc));
    }
    const dashes = segments.filter((x) => x === "dash").length;
    if (dashes === 0) return s;
    const total = WINDASH_CHARS.length ** dashes;
    if (total > MAX_EXPANSION) {
      ctx.failValue(s.from, "expansion_too_large", `\`windash\` would expand this value into ${total} alternatives; the limit is ${MAX_EXPANSION}`, "limit");
    }
    let variants: SigmaStringPart[][] = [[]];
    for (const seg of segments) {
      if (seg === "dash") variants = variants.flatMap((prefix) => WINDASH_CHARS.map((d) => [...prefix, text(d)]));
      else variants = variants.map((prefix) => [...prefix, seg]);
    }
    return { type: "Expansion", from: s.from, values: variants.map((parts) => ({ ...s, parts: mergeText(parts) })) };
  },
};

function mergeText(parts: readonly SigmaStringPart[]): SigmaStringPart[] {
  const out: SigmaStringPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.type === "Text" && last?.type === "Text") out[out.length - 1] = text(last.text + p.text);
    else out.push(p);
  }
  return out;
}

const re: ValueModifier = {
  kind: "value",
  description: "the value is a regular expression (RE2 syntax; searched, case-sensitive unless `i`)",
  apply(v, ctx) {
    if (ctx.applied.length > 0) ctx.fail("modifier_order", "`re` must be the first modifier: it reads the value as written");
    if (v.type !== "String" && v.type !== "Number") return typeError(ctx, v, "strings");
    const pattern = ctx.rawText(v.from) ?? (v.type === "Number" ? v.raw : plainText(v.parts));
    return { type: "Regex", from: v.from, pattern, ignoreCase: false, multiline: false, dotAll: false };
  },
};

function regexFlag(flag: "ignoreCase" | "multiline" | "dotAll", description: string): ValueModifier {
  return {
    kind: "value",
    description,
    apply(v, ctx) {
      if (v.type !== "Regex") return ctx.fail("modifier_order", `\`${ctx.name}\` is a flag of \`re\` and must follow it (\`|re|${ctx.name}\`)`);
      return { ...v, [flag]: true };
    },
  };
}

const ignoreCaseFlag = regexFlag("ignoreCase", "`re` flag: case-insensitive");
const multilineFlag = regexFlag("multiline", "`re` flag: `^` and `$` match at line breaks");
const dotAllFlag = regexFlag("dotAll", "`re` flag: `.` also matches line breaks");

/** The bytes a base64 modifier encodes: UTF-8 text, or the bytes an encoding modifier produced. */
function bytesOf(s: StringValue): Uint8Array {
  const t = plainText(s.parts);
  if (s.binary) return Uint8Array.from(t, (c) => c.charCodeAt(0) & 0xff);
  return new TextEncoder().encode(t);
}

function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function plainStringForEncoding(v: PlainValue, ctx: ModifierContext): StringValue {
  const s = asString(v, ctx);
  if (hasSpecialParts(s.parts)) {
    ctx.failValue(s.from, "modifier_wildcard", `\`${ctx.name}\` cannot encode wildcards or placeholders: encode the plain text, then add \`contains\``);
  }
  return s;
}

const base64: ValueModifier = {
  kind: "value",
  description: "match the value's Base64 encoding",
  apply(v, ctx) {
    const s = plainStringForEncoding(v, ctx);
    return { type: "String", from: s.from, parts: [text(base64Encode(bytesOf(s)))], cased: s.cased };
  },
};

/**
 * pySigma's three shifts: the value encoded after 0, 1 and 2 bytes of padding, with the partial
 * characters at both ends cut off, so that it is found inside any longer Base64 text.
 */
const base64offset: ValueModifier = {
  kind: "value",
  description: "match the value Base64-encoded at any byte offset (combine with `contains`)",
  apply(v, ctx) {
    const s = plainStringForEncoding(v, ctx);
    const data = bytesOf(s);
    const startOffsets = [0, 2, 3];
    const endCut = [0, 3, 2];
    const values: SigmaMatchValue[] = [];
    for (let i = 0; i < 3; i++) {
      const padded = new Uint8Array(i + data.length);
      padded.fill(0x20, 0, i);
      padded.set(data, i);
      const encoded = base64Encode(padded);
      const cut = endCut[(data.length + i) % 3]!;
      values.push({ type: "String", from: s.from, parts: [text(encoded.slice(startOffsets[i]!, encoded.length - cut))], cased: s.cased });
    }
    return { type: "Expansion", from: s.from, values };
  },
};

function utf16(order: "le" | "be", bom: boolean, description: string): ValueModifier {
  return {
    kind: "value",
    description,
    apply(v, ctx) {
      const s = asString(v, ctx);
      const encode = (t: string) => {
        let out = "";
        for (let i = 0; i < t.length; i++) {
          const unit = t.charCodeAt(i);
          const lo = String.fromCharCode(unit & 0xff);
          const hi = String.fromCharCode(unit >> 8);
          out += order === "le" ? lo + hi : hi + lo;
        }
        return out;
      };
      // Wildcards stay wildcards (pySigma): they stand for encoded characters as they did before.
      const parts: SigmaStringPart[] = s.parts.map((p) => (p.type === "Text" ? text(encode(p.text)) : p));
      if (bom) parts.unshift(text("\u00ff\u00fe"));
      return { ...s, parts: mergeText(parts), binary: true };
    },
  };
}

const utf16le = utf16("le", false, "match the value encoded as UTF-16LE");
const utf16be = utf16("be", false, "match the value encoded as UTF-16BE");
const utf16bom = utf16("le", true, "match the value encoded as UTF-16 with a byte order mark (FF FE, little-endian)");

const cidr: ValueModifier = {
  kind: "value",
  description: "the field is an IP address inside the network (IPv4 or IPv6 CIDR)",
  apply(v, ctx) {
    if (ctx.applied.length > 0) ctx.fail("modifier_order", "`cidr` must be the first modifier");
    if (v.type !== "String") return typeError(ctx, v, "network strings such as `10.0.0.0/8`");
    const t = ctx.rawText(v.from) ?? plainText(v.parts);
    const parsed = parseCidr(t);
    if (!parsed.ok) return ctx.failValue(v.from, "invalid_cidr", parsed.reason);
    return { type: "Cidr", from: v.from, network: parsed.cidr, text: t };
  },
};

function compare(operator: "lt" | "lte" | "gt" | "gte", description: string): ValueModifier {
  return {
    kind: "value",
    description,
    apply(v, ctx) {
      const n = v.type === "Number" ? v.value : v.type === "String" && !hasSpecialParts(v.parts) ? toNumber(plainText(v.parts)) : undefined;
      if (n === undefined) return typeError(ctx, v, "numbers");
      return { type: "Compare", from: v.from, operator, value: n };
    },
  };
}

const TIME_RANGES: Record<TimeUnit, [number, number]> = {
  minute: [0, 59],
  hour: [0, 23],
  day: [1, 31],
  week: [1, 53],
  month: [1, 12],
  year: [0, 9999],
};

function timePart(unit: TimeUnit): ValueModifier {
  const [min, max] = TIME_RANGES[unit];
  return {
    kind: "value",
    description: `the ${unit} of the field's date (UTC) equals the value`,
    apply(v, ctx) {
      if (v.type !== "Number" || !Number.isInteger(v.value)) return typeError(ctx, v, "whole numbers");
      if (v.value < min || v.value > max) ctx.failValue(v.from, "modifier_range", `\`${unit}\` is between ${min} and ${max}; ${v.value} never matches`);
      return { type: "TimePart", from: v.from, unit, value: v.value };
    },
  };
}

const expand: ValueModifier = {
  kind: "value",
  description: "replace `%name%` placeholders with the values configured for them",
  apply(v, ctx) {
    const s = asString(v, ctx);
    const parts: SigmaStringPart[] = [];
    for (const part of s.parts) {
      if (part.type !== "Text") {
        parts.push(part);
        continue;
      }
      // pySigma: `(?<!\\)%(\w+)%`; `\%` is a plain percent sign.
      const re = /(?<!\\)%([\p{L}\p{N}_]+)%/gu;
      let last = 0;
      for (let m = re.exec(part.text); m; m = re.exec(part.text)) {
        const before = part.text.slice(last, m.index).replaceAll("\\%", "%");
        if (before) parts.push(text(before));
        parts.push({ type: "Placeholder", name: m[1]! });
        last = m.index + m[0].length;
      }
      const rest = part.text.slice(last).replaceAll("\\%", "%");
      if (rest) parts.push(text(rest));
    }
    return { ...s, parts };
  },
};

const fieldref: ValueModifier = {
  kind: "value",
  description: "compare with the value of another field of the same event",
  apply(v, ctx) {
    if (ctx.item.field === null) ctx.fail("modifier_needs_field", "`fieldref` needs a field: it cannot search keywords");
    if (v.type !== "String") return typeError(ctx, v, "field names");
    if (hasSpecialParts(v.parts)) ctx.failValue(v.from, "modifier_wildcard", "a field reference cannot contain wildcards");
    return { type: "FieldRef", from: v.from, field: plainText(v.parts), startsWith: false, endsWith: false, cased: false };
  },
};

export const SIGMA_MODIFIERS: Readonly<Record<string, SigmaModifier>> = {
  all,
  base64,
  base64offset,
  cased,
  cidr,
  contains,
  day: timePart("day"),
  dotall: dotAllFlag,
  endswith,
  exists,
  expand,
  fieldref,
  gt: compare("gt", "the field is a number greater than the value"),
  gte: compare("gte", "the field is a number greater than or equal to the value"),
  hour: timePart("hour"),
  i: ignoreCaseFlag,
  ignorecase: ignoreCaseFlag,
  lt: compare("lt", "the field is a number less than the value"),
  lte: compare("lte", "the field is a number less than or equal to the value"),
  m: multilineFlag,
  minute: timePart("minute"),
  month: timePart("month"),
  multiline: multilineFlag,
  neq,
  re,
  s: dotAllFlag,
  startswith,
  utf16: utf16bom,
  utf16be,
  utf16le,
  week: timePart("week"),
  wide: utf16le,
  windash,
  year: timePart("year"),
};

export function lookupModifier(name: string): SigmaModifier | undefined {
  return Object.hasOwn(SIGMA_MODIFIERS, name) ? SIGMA_MODIFIERS[name] : undefined;
}

/** The closest known modifier name, for "did you mean" hints (edits within a third of its length). */
export function suggestModifier(name: string): string | undefined {
  return closestName(name, Object.keys(SIGMA_MODIFIERS), Math.max(1, Math.floor(name.length / 3)));
}

/** The value as it starts, before any modifier: strings are parsed for wildcards and escapes. */
export function initialValue(raw: SigmaRawValue, from: number): PlainValue {
  switch (raw.type) {
    case "String":
      return { type: "String", from, parts: parseSigmaString(raw.value), cased: false };
    case "Number":
      return { type: "Number", from, value: raw.value, raw: raw.raw };
    case "Boolean":
      return { type: "Boolean", from, value: raw.value };
    case "Null":
      return { type: "Null", from };
  }
}

/** Apply a value modifier to a value, mapping over the alternatives of an expansion. */
export function applyValueModifier(modifier: ValueModifier, value: SigmaMatchValue, ctx: ModifierContext): SigmaMatchValue {
  if (value.type === "Expansion") {
    const values = value.values.flatMap((v) => {
      const r = applyValueModifier(modifier, v, ctx);
      return r.type === "Expansion" ? r.values : [r];
    });
    if (values.length > MAX_EXPANSION) {
      ctx.failValue(value.from, "expansion_too_large", `this value expands into ${values.length} alternatives; the limit is ${MAX_EXPANSION}`, "limit");
    }
    return { type: "Expansion", from: value.from, values };
  }
  return modifier.apply(value, ctx);
}
