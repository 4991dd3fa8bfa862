import type { EventObject } from "./types";
import { child } from "./values";

const SHA1 = ["hash", "sha1"] as const;
const MD5 = ["hash", "md5"] as const;
const SHA256 = ["hash", "sha256"] as const;
const IMPHASH = ["pe", "imphash"] as const;

/**
 * Sysmon hash names → where they go under the namespace (`process`, `file`, `dll`). A Map, not
 * an object: names come from the event, and `constructor=…` must not find Object's members.
 */
const HASH_TARGETS = new Map<string, readonly [string, string]>(
  Object.entries({
    md5: MD5,
    sha1: SHA1,
    sha256: SHA256,
    sha384: ["hash", "sha384"],
    sha512: ["hash", "sha512"],
    imphash: IMPHASH,
  }),
);

/**
 * Sysmon's `Hashes` ("SHA1=E65F…,MD5=EB20…,SHA256=C6A1…,IMPHASH=E23A…") into `<ns>.hash.sha1`, … and
 * `<ns>.pe.imphash`, lower-cased as ECS and Elastic store them. An all-zero hash (Sysmon's IMPHASH
 * of a non-PE file) is no hash. Returns whether any hash was set.
 */
export function putHashes(namespace: EventObject, text: string): boolean {
  // One lower-casing for the whole list; names are compared in place, values sliced from it.
  const lower = text.toLowerCase();
  const n = lower.length;
  let start = 0;
  let any = false;
  while (start < n) {
    let comma = lower.indexOf(",", start);
    if (comma < 0) comma = n;
    const eq = lower.indexOf("=", start);
    if (eq > start && eq < comma) {
      const target = hashTargetAt(lower, start, eq);
      const value = trimmed(lower.slice(eq + 1, comma));
      if (target !== undefined && value !== "" && !allZeros(value)) {
        store(namespace, target, value);
        any = true;
      }
    }
    start = comma + 1;
  }
  return any;
}

/**
 * `child(namespace, target[0])[target[1]] = value`, with Sysmon's four hashes as named reads and
 * stores: one whose field name varies goes through V8's generic path.
 */
function store(namespace: EventObject, target: readonly [string, string], value: string): void {
  if (target === SHA1) hashOf(namespace).sha1 = value;
  else if (target === MD5) hashOf(namespace).md5 = value;
  else if (target === SHA256) hashOf(namespace).sha256 = value;
  else if (target === IMPHASH) peOf(namespace).imphash = value;
  else child(namespace, target[0])[target[1]] = value;
}

/** `child(namespace, "hash")`. */
function hashOf(namespace: EventObject): EventObject {
  const existing = namespace.hash;
  if (typeof existing === "object" && existing !== null && !Array.isArray(existing)) return existing;
  const created: EventObject = {};
  namespace.hash = created;
  return created;
}

/** `child(namespace, "pe")`. */
function peOf(namespace: EventObject): EventObject {
  const existing = namespace.pe;
  if (typeof existing === "object" && existing !== null && !Array.isArray(existing)) return existing;
  const created: EventObject = {};
  namespace.pe = created;
  return created;
}

/** The target of the algorithm named by `text[start, eq)`: Sysmon's names without a slice. */
function hashTargetAt(text: string, start: number, eq: number): readonly [string, string] | undefined {
  const length = eq - start;
  if (length === 4 && text.startsWith("sha1", start)) return SHA1;
  if (length === 3 && text.startsWith("md5", start)) return MD5;
  if (length === 6 && text.startsWith("sha256", start)) return SHA256;
  if (length === 7 && text.startsWith("imphash", start)) return IMPHASH;
  return HASH_TARGETS.get(text.slice(start, eq).trim());
}

function trimmed(value: string): string {
  const n = value.length;
  return n > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(n - 1) <= 32) ? value.trim() : value;
}

function allZeros(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) !== 48) return false;
  return true;
}
