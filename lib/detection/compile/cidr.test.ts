import { describe, expect, it } from "vitest";
import { compileCidrMatcher, parseCidr, parseIpAddress, type Cidr } from "./cidr";

function cidrs(...texts: string[]): Cidr[] {
  return texts.map((t) => {
    const r = parseCidr(t);
    if (!r.ok) throw new Error(r.reason);
    return r.cidr;
  });
}

describe("parseIpAddress", () => {
  it.each([
    ["10.1.2.3", true],
    ["255.255.255.255", true],
    ["256.1.1.1", false],
    ["010.1.1.1", false],
    ["1.2.3", false],
    ["::1", true],
    ["::", true],
    ["fe80::1%eth0", true],
    ["2001:db8::8a2e:370:7334", true],
    ["::ffff:192.0.2.1", true],
    ["1:2:3:4:5:6:7:8", true],
    ["1:2:3:4:5:6:7:8:9", false],
    ["1::2::3", false],
    ["gggg::1", false],
    ["", false],
    ["example.com", false],
  ])("%s is an address: %s", (text, ok) => {
    expect(parseIpAddress(text) !== undefined).toBe(ok);
  });
});

describe("CIDR matching", () => {
  const privateV4 = compileCidrMatcher(cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8"));
  it.each([
    ["10.255.0.1", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.1.1", true],
    ["8.8.8.8", false],
    ["::ffff:10.0.0.5", true],
    ["not an ip", false],
    ["", false],
  ])("IPv4 private ranges contain %s: %s", (ip, expected) => {
    expect(privateV4.test(ip)).toBe(expected);
  });

  const v6 = compileCidrMatcher(cidrs("fc00::/7", "fe80::/10", "::1/128", "2001:db8::/32"));
  it.each([
    ["fd12:3456::1", true],
    ["fe80::abcd", true],
    ["febf::1", true],
    ["fec0::1", false],
    ["::1", true],
    ["::2", false],
    ["2001:db8:ffff::1", true],
    ["2001:db9::1", false],
    ["10.0.0.1", false],
  ])("IPv6 ranges contain %s: %s", (ip, expected) => {
    expect(v6.test(ip)).toBe(expected);
  });

  it("a bare address is a single-host network and /0 matches everything of its version", () => {
    const m = compileCidrMatcher(cidrs("192.0.2.7", "::/0"));
    expect(m.test("192.0.2.7")).toBe(true);
    expect(m.test("192.0.2.8")).toBe(false);
    expect(m.test("2001:db8::1")).toBe(true);
  });

  it("host bits are masked, as Elasticsearch does", () => {
    expect(compileCidrMatcher(cidrs("10.1.2.3/8")).test("10.9.9.9")).toBe(true);
  });

  it.each(["10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "fe80::/129", "fe80::1%eth0/64", "x/8", "10.0.0.0/08"])(
    "%s is rejected with a reason",
    (text) => {
      const r = parseCidr(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toContain(text);
    },
  );
});
