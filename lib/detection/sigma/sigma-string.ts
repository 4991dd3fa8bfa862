import { ANY_CHAR, ANY_CHARS, text, type PatternPart } from "../compile/pattern";
import type { SigmaStringPart } from "./types";

/**
 * Sigma's string syntax (spec "String Wildcard", "Escaping"): `*` and `?` are wildcards, and a
 * backslash escapes only `*`, `?` and itself. A backslash before any other character is a plain
 * backslash, so Windows paths need no doubling:
 *
 *   `C:\Windows\*`   → "C:\Windows\" then `*`
 *   `\*`             → a literal `*`;        `\?` → a literal `?`
 *   `\\*`            → a literal `\` then `*`
 *   `\\\*`           → a literal `\*`
 *   `\\\\` and `\\\` → `\\` (a trailing lone backslash is literal)
 */
export function parseSigmaString(raw: string): PatternPart[] {
  const out: PatternPart[] = [];
  let acc = "";
  const flush = () => {
    if (acc !== "") out.push(text(acc));
    acc = "";
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "\\") {
      const next = raw[i + 1];
      if (next === "*" || next === "?" || next === "\\") {
        acc += next;
        i++;
      } else {
        acc += "\\";
      }
    } else if (c === "*") {
      flush();
      out.push(ANY_CHARS);
    } else if (c === "?") {
      flush();
      out.push(ANY_CHAR);
    } else {
      acc += c;
    }
  }
  flush();
  return out;
}

/**
 * Print parts back in Sigma syntax, escaping what needs it, so that
 * `parseSigmaString(printSigmaString(p))` gives `p` back.
 */
export function printSigmaString(parts: readonly SigmaStringPart[]): string {
  let out = "";
  for (const part of parts) {
    if (part.type === "AnyChars") out += "*";
    else if (part.type === "AnyChar") out += "?";
    else if (part.type === "Placeholder") out += `%${part.name}%`;
    else out += escapeText(part.text);
  }
  return out;
}

function escapeText(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "*" || c === "?") out += `\\${c}`;
    else if (c === "\\") {
      // A backslash needs doubling only where the parser would read it as an escape.
      const next = s[i + 1];
      out += next === undefined || next === "*" || next === "?" || next === "\\" ? "\\\\" : "\\";
    } else out += c;
  }
  return out;
}

/** Whether the string has wildcards or placeholders (which `base64`, `fieldref` and `cidr` refuse). */
export function hasSpecialParts(parts: readonly SigmaStringPart[]): boolean {
  return parts.some((p) => p.type !== "Text");
}

/** The plain text of a string without wildcards or placeholders. */
export function plainText(parts: readonly SigmaStringPart[]): string {
  let out = "";
  for (const p of parts) if (p.type === "Text") out += p.text;
  return out;
}
