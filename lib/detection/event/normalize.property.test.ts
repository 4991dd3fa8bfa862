import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeEvent } from "./normalize";
import type { EventObject, NormalizeResult } from "./types";

/**
 * Properties over generated inputs (STYLE F8.6): normalization is total, never mutates its
 * input, and is idempotent: normalizing a normalized event with the same receivedAt gives the
 * same event back.
 */

const receivedAt = new Date("2026-11-23T08:00:00.000Z");

/** Values Windows exporters really write, and the odd ones they sometimes do. */
const oddText = fc.oneof(
  fc.constantFrom("-", "", " ", "\\", "\\\\", '"', "0x1bc", "7112", "constructor", "__proto__", "Threat Name", "DOMAIN\\", "\\user"),
  fc.string({ maxLength: 12 }),
);
const windowsPath = fc.oneof(
  fc.constantFrom(
    "C:\\Windows\\System32\\cmd.exe",
    "C:\\WINDOWS\\SYSTEM32\\CMD.EXE",
    "C:\\Program Files\\App\\app.exe",
    "\\Device\\HarddiskVolume2\\x.exe",
    "/usr/bin/bash",
    "C:\\",
    "noslash",
  ),
  fc.array(fc.stringMatching(/^[A-Za-z0-9 ._-]{1,8}$/), { minLength: 1, maxLength: 4 }).map((parts) => `C:\\${parts.join("\\")}`),
  oddText,
);
const commandLine = fc.oneof(
  fc.constantFrom("cmd.exe /c whoami", '"C:\\Program Files\\x.exe" -a "b c"', 'x "a""b" \\\\"q\\"', " leading", "bash -c 'id; uname'", ""),
  fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9\\"' /.-]{0,10}$/), fc.constantFrom('"', "\\", " ", "\t")), { maxLength: 8 }).map((parts) => parts.join("")),
);
const pid = fc.oneof(fc.nat({ max: 70_000 }), fc.nat({ max: 70_000 }).map(String), fc.nat({ max: 70_000 }).map((n) => `0x${n.toString(16)}`), oddText);
const time = fc.oneof(
  fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2090-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().replace("T", " ").replace("Z", "")),
  fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2090-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("garbage", "", "2026-02-30 00:00:00.000", "1601-01-01T00:00:00Z"),
  fc.integer({ min: 0, max: 4_000_000_000_000 }),
);
const user = fc.oneof(fc.constantFrom("CORP\\alice", "NT AUTHORITY\\SYSTEM", "root", "-"), oddText);
const hashes = fc.oneof(
  fc.constantFrom("SHA1=AB,MD5=CD,SHA256=EF,IMPHASH=00000000000000000000000000000000", "MD5=", "-"),
  fc.array(fc.tuple(fc.constantFrom("SHA1", "MD5", "SHA256", "IMPHASH", "X", "constructor"), fc.stringMatching(/^[0-9A-Fa-f]{0,8}$/)), { maxLength: 4 }).map((pairs) =>
    pairs.map(([k, v]) => `${k}=${v}`).join(","),
  ),
);
/** Sometimes missing, sometimes null, else the value. */
const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(fc.option(arb, { nil: null as unknown as T }), { nil: undefined });

const sysmonEventData = fc.record(
  {
    UtcTime: maybe(time),
    ProcessGuid: maybe(fc.uuid().map((u) => `{${u.toUpperCase()}}`)),
    ProcessId: maybe(pid),
    Image: maybe(windowsPath),
    CommandLine: maybe(fc.oneof(commandLine, fc.integer())),
    CurrentDirectory: maybe(windowsPath),
    User: maybe(user),
    Hashes: maybe(hashes),
    OriginalFileName: maybe(oddText),
    ParentProcessId: maybe(pid),
    ParentImage: maybe(windowsPath),
    ParentCommandLine: maybe(commandLine),
    ParentUser: maybe(user),
    TargetFilename: maybe(windowsPath),
    TargetObject: maybe(fc.constantFrom("HKLM\\SOFTWARE\\Run\\x", "HKU\\S-1\\Software", "HKLM", "\\REGISTRY\\X")),
    Details: maybe(fc.constantFrom("DWORD (0x00000001)", "QWORD (0x00000001-0x00000002)", "Binary Data", "C:\\x.exe")),
    EventType: maybe(fc.constantFrom("SetValue", "CreateKey", "DeleteValue")),
    SourceIp: maybe(fc.oneof(fc.ipV4(), fc.ipV6(), oddText)),
    DestinationPort: maybe(pid),
    Initiated: maybe(fc.oneof(fc.boolean(), fc.constantFrom("true", "false", "maybe"))),
    QueryResults: maybe(fc.constantFrom("type:  5 a.example;::ffff:1.2.3.4;", "-", ";;")),
    "Threat Name": maybe(oddText),
  },
  { requiredKeys: [] },
);
const sysmonId = fc.constantFrom(1, 3, 5, 7, 8, 10, 11, 12, 13, 15, 17, 22, 23, 255, 999);

const sysmonFlat = fc
  .tuple(sysmonId, fc.boolean(), sysmonEventData, fc.option(fc.constantFrom("Microsoft-Windows-Sysmon/Operational", "Linux-Sysmon/Operational")))
  .map(([id, asText, data, channel]) => ({ EventID: asText ? String(id) : id, ...(channel && { Channel: channel }), Computer: "WEB01", ...data }));
const sysmonEvtx = fc.tuple(sysmonId, sysmonEventData, maybe(time)).map(([id, data, created]) => ({
  Event: {
    System: {
      Provider: { "#attributes": { Name: "Microsoft-Windows-Sysmon" } },
      EventID: id,
      Channel: "Microsoft-Windows-Sysmon/Operational",
      Computer: "WEB01",
      ...(created !== undefined && { TimeCreated: { "#attributes": { SystemTime: created } } }),
    },
    EventData: data,
  },
}));
const sysmonWinlogbeat = fc.tuple(sysmonId, sysmonEventData, maybe(time)).map(([id, data, timestamp]) => ({
  ...(timestamp !== undefined && { "@timestamp": timestamp }),
  agent: { type: "winlogbeat" },
  host: { name: "web01" },
  winlog: { event_id: String(id), provider_name: "Microsoft-Windows-Sysmon", computer_name: "WEB01", event_data: data },
}));
const security4688 = fc
  .record(
    {
      NewProcessName: maybe(windowsPath),
      NewProcessId: maybe(pid),
      ProcessId: maybe(pid),
      ParentProcessName: maybe(windowsPath),
      CommandLine: maybe(commandLine),
      SubjectUserSid: maybe(fc.constantFrom("S-1-5-18", "S-1-0-0", "-")),
      SubjectUserName: maybe(oddText),
      SubjectDomainName: maybe(oddText),
      TargetUserSid: maybe(fc.constantFrom("S-1-5-21-1-500", "S-1-0-0", "-")),
      TargetUserName: maybe(oddText),
      TargetDomainName: maybe(oddText),
      TimeCreated: maybe(time),
    },
    { requiredKeys: [] },
  )
  .map((data) => ({ EventID: 4688, Channel: "Security", Computer: "WEB01", ...data }));
const ecsDocument = fc
  .record(
    {
      "@timestamp": fc.oneof(time, oddText),
      event: fc.record({ category: fc.oneof(fc.constant("process"), fc.constant(["process", "network"])), kind: fc.constant("event") }, { requiredKeys: [] }),
      "process.executable": windowsPath,
      "process.command_line": commandLine,
      process: fc.record({ pid: fc.nat(), parent: fc.record({ executable: windowsPath, args: fc.array(fc.string(), { maxLength: 3 }) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
      host: fc.record({ os: fc.record({ platform: fc.constantFrom("windows", "ubuntu", "darwin") }) }),
      tags: fc.oneof(fc.string(), fc.array(fc.string())),
      winlog: fc.record({ event_id: fc.constantFrom(1, 4688, "x"), event_data: sysmonEventData }, { requiredKeys: [] }),
      labels: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    },
    { requiredKeys: ["@timestamp"] },
  )
  .filter((doc) => "event" in doc || "process" in doc || "process.executable" in doc || "process.command_line" in doc);

const windowsOrEcs = fc.oneof(sysmonFlat, sysmonEvtx, sysmonWinlogbeat, security4688, ecsDocument);

function expectIdempotent(first: NormalizeResult): void {
  if (!first.ok) return;
  const second = normalizeEvent(first.event, { receivedAt });
  expect(second.ok).toBe(true);
  if (second.ok) expect(second.event).toStrictEqual(first.event);
}

describe("normalizeEvent properties", () => {
  it("is idempotent on Sysmon, Security 4688 and ECS inputs", () => {
    fc.assert(
      fc.property(windowsOrEcs, (input) => {
        const first = normalizeEvent(input, { receivedAt });
        expect(first.ok).toBe(true);
        expectIdempotent(first);
      }),
      { numRuns: 1500 },
    );
  });

  it("never throws, never mutates its input, and is idempotent whenever it succeeds, on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const input = JSON.parse(JSON.stringify(value)) as unknown;
        const before = JSON.stringify(input);
        const result = normalizeEvent(input, { receivedAt });
        expect(typeof result.ok).toBe("boolean");
        expect(JSON.stringify(input)).toBe(before);
        expectIdempotent(result);
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws on arbitrary JSON shaped like the formats it reads", () => {
    const shaped = fc.oneof(
      fc.jsonValue().map((v) => ({ Event: { System: { EventID: 1, Provider: v }, EventData: v, UserData: v } })),
      fc.jsonValue().map((v) => ({ EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational", Image: v, CommandLine: v, Hashes: v, UtcTime: v, User: v })),
      fc.jsonValue().map((v) => ({ "@timestamp": v, event: v, process: v, host: v, winlog: { event_id: 1, event_data: v } })),
      fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ "@timestamp": "2026-01-01T00:00:00Z", "process.name": "x", ...d })),
      fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ EventID: 4688, ...d })),
    );
    fc.assert(
      fc.property(shaped, (input) => {
        const frozen = JSON.parse(JSON.stringify(input)) as EventObject;
        const result = normalizeEvent(frozen, { receivedAt });
        expect(typeof result.ok).toBe("boolean");
        expectIdempotent(result);
      }),
      { numRuns: 2000 },
    );
  });
});
