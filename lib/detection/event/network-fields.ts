import type { EventObject } from "./types";

/** DNS record type numbers Sysmon writes in QueryResults ("type:  5 …") → their names. */
const DNS_TYPES = new Map<string, string>(
  Object.entries({
    "1": "A",
    "2": "NS",
    "5": "CNAME",
    "6": "SOA",
    "12": "PTR",
    "13": "HINFO",
    "15": "MX",
    "16": "TXT",
    "28": "AAAA",
    "33": "SRV",
    "35": "NAPTR",
    "39": "DNAME",
    "64": "SVCB",
    "65": "HTTPS",
    "255": "ANY",
  }),
);

/** "ipv4" / "ipv6" for an address, undefined when it is neither (ECS `network.type`). */
export function ipType(address: string): "ipv4" | "ipv6" | undefined {
  if (isIpv4(address)) return "ipv4";
  return isIpv6(address) ? "ipv6" : undefined;
}

function isIpv4(s: string): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
    } else {
      return false;
    }
  }
  return parts === 4;
}

function isIpv6(s: string): boolean {
  if (s.length < 2 || s.length > 64) return false;
  const zone = s.indexOf("%"); // fe80::1%eth0: anything may follow the zone mark
  const end = zone < 0 ? s.length : zone;
  let colons = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) colons++;
    else if (!((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102) || c === 46)) return false;
  }
  return colons >= 2;
}

/**
 * Sysmon 22's QueryResults ("type:  5 edge.example.net;::ffff:93.184.216.34;") → ECS
 * `dns.answers` ({type, data}) and `dns.resolved_ip`, as Elastic's Sysmon pipeline reads it:
 * "type: N name" entries are records, bare entries are addresses (IPv4-mapped IPv6 unwrapped).
 */
export function dnsAnswers(queryResults: string): { answers: EventObject[]; resolvedIps: string[] } {
  const answers: EventObject[] = [];
  const resolvedIps: string[] = [];
  for (const raw of queryResults.split(";")) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (entry.startsWith("type:")) {
      const parts = entry.slice(5).trim().split(/\s+/);
      const type = DNS_TYPES.get(parts[0] ?? "");
      const data = parts[1];
      const answer: EventObject = {};
      if (type !== undefined) answer["type"] = type;
      if (data !== undefined && data !== "") answer["data"] = data;
      if (Object.keys(answer).length > 0) answers.push(answer);
      continue;
    }
    const address = entry.startsWith("::ffff:") && isIpv4(entry.slice(7)) ? entry.slice(7) : entry;
    const type = ipType(address);
    if (type === undefined) continue;
    resolvedIps.push(address);
    answers.push({ type: type === "ipv4" ? "A" : "AAAA", data: address });
  }
  return { answers, resolvedIps };
}
