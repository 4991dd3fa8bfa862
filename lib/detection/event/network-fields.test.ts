import { describe, expect, it } from "vitest";
import { dnsAnswers, ipType } from "./network-fields";

describe("ipType", () => {
  it.each<[string, string | undefined]>([
    ["10.0.0.1", "ipv4"],
    ["255.255.255.255", "ipv4"],
    ["256.1.1.1", undefined],
    ["1.2.3", undefined],
    ["::1", "ipv6"],
    ["fe80::1%eth0", "ipv6"],
    ["2001:db8::ffff:1.2.3.4", "ipv6"],
    ["example.com", undefined],
    ["-", undefined],
  ])("%j → %j", (address, type) => {
    expect(ipType(address)).toBe(type);
  });
});

describe("dnsAnswers", () => {
  it("reads Sysmon 22's QueryResults as Elastic does", () => {
    expect(dnsAnswers("type:  5 edge.example.net;::ffff:93.184.216.34;2606:2800:220:1::;")).toEqual({
      answers: [
        { type: "CNAME", data: "edge.example.net" },
        { type: "A", data: "93.184.216.34" },
        { type: "AAAA", data: "2606:2800:220:1::" },
      ],
      resolvedIps: ["93.184.216.34", "2606:2800:220:1::"],
    });
  });

  it("ignores entries it cannot read", () => {
    expect(dnsAnswers("-;garbage;type: 9999")).toEqual({ answers: [], resolvedIps: [] });
    expect(dnsAnswers("type: constructor x")).toEqual({ answers: [{ data: "x" }], resolvedIps: [] });
  });
});
