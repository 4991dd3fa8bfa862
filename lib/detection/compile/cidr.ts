/**
 * IP addresses and CIDR networks, parsed once at compile time into integers so that a match is a
 * few integer comparisons (STYLE F6 "CIDR"). IPv4 and IPv6, as Sigma's `cidr` modifier and KQL /
 * EQL `cidrMatch` need.
 *
 * Decisions (README "Semantics"):
 * - Addresses are strict: dotted-quad IPv4 without leading zeros (`010.0.0.1` is not an address,
 *   as in Python's ipaddress), RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail); a zone
 *   suffix (`fe80::1%eth0`) is ignored.
 * - An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`, how dual-stack Linux sockets report IPv4
 *   peers) is also tested as its IPv4 address. Nothing else crosses versions.
 * - A network with host bits set (`10.1.2.3/8`) is masked, as Elasticsearch does.
 */

export type IpAddress = { version: 4; value: number } | { version: 6; words: readonly number[] };

export type Cidr =
  | { version: 4; base: number; mask: number; prefix: number }
  | { version: 6; words: readonly number[]; prefix: number };

export function parseIpAddress(input: string): IpAddress | undefined {
  let s = input.trim();
  const zone = s.indexOf("%");
  if (zone >= 0 && s.includes(":")) s = s.slice(0, zone);
  if (s.includes(":")) {
    const words = parseIpv6(s);
    return words ? { version: 6, words } : undefined;
  }
  const value = parseIpv4(s);
  return value === undefined ? undefined : { version: 4, value };
}

function parseIpv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

function parseIpv6(s: string): number[] | undefined {
  if (s.length > 45) return undefined;
  const double = s.indexOf("::");
  if (double !== s.lastIndexOf("::")) return undefined;
  const parseGroups = (part: string, allowV4Tail: boolean): number[] | undefined => {
    if (part === "") return [];
    const groups = part.split(":");
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (allowV4Tail && i === groups.length - 1 && g.includes(".")) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  if (double >= 0) {
    const head = parseGroups(s.slice(0, double), false);
    const tail = parseGroups(s.slice(double + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const all = parseGroups(s, true);
  return all && all.length === 8 ? all : undefined;
}

export type CidrParseResult = { ok: true; cidr: Cidr } | { ok: false; reason: string };

/** Parse `10.0.0.0/8`, `fc00::/7`, or a bare address (a /32 or /128 network). */
export function parseCidr(input: string): CidrParseResult {
  const s = input.trim();
  const slash = s.indexOf("/");
  const addressText = slash >= 0 ? s.slice(0, slash) : s;
  if (addressText.includes("%")) return { ok: false, reason: `"${input}": a network cannot carry a zone index` };
  const address = parseIpAddress(addressText);
  if (!address) return { ok: false, reason: `"${input}" is not an IPv4 or IPv6 network` };
  const max = address.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > max) {
      return { ok: false, reason: `"${input}": the prefix length must be 0 to ${max}` };
    }
    prefix = Number(p);
  }
  if (address.version === 4) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { ok: true, cidr: { version: 4, base: (address.value & mask) >>> 0, mask, prefix } };
  }
  const words = address.words.map((w, i) => w & wordMask(prefix, i));
  return { ok: true, cidr: { version: 6, words, prefix } };
}

function wordMask(prefix: number, index: number): number {
  const bits = Math.min(Math.max(prefix - index * 16, 0), 16);
  return bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.version === 4) {
    if (address.version === 4) return ((address.value & cidr.mask) >>> 0) === cidr.base;
    const v4 = mappedIpv4(address.words);
    return v4 !== undefined && ((v4 & cidr.mask) >>> 0) === cidr.base;
  }
  if (address.version !== 6) return false;
  for (let i = 0; i < 8; i++) {
    const m = wordMask(cidr.prefix, i);
    if (m === 0) return true;
    if ((address.words[i]! & m) !== cidr.words[i]) return false;
  }
  return true;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), if it is one. */
function mappedIpv4(words: readonly number[]): number | undefined {
  for (let i = 0; i < 5; i++) if (words[i] !== 0) return undefined;
  if (words[5] !== 0xffff) return undefined;
  return ((words[6]! << 16) | words[7]!) >>> 0;
}

export interface CidrMatcher {
  readonly networks: readonly Cidr[];
  /** Whether `value` is an IP address inside any of the networks; non-addresses never match. */
  test(value: string): boolean;
}

export function compileCidrMatcher(networks: readonly Cidr[]): CidrMatcher {
  return {
    networks,
    test(value) {
      const address = parseIpAddress(value);
      if (!address) return false;
      for (const n of networks) if (cidrContains(n, address)) return true;
      return false;
    },
  };
}
