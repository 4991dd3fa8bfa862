/**
 * fast-check generators of events in every ingest format, with the values Windows exporters
 * really write and the odd ones: used by the normalizer's property tests
 * (normalize.property.test.ts) and by bench/normalize-diff.ts. Test support only: nothing in
 * the engine imports it.
 */
import fc from "fast-check";
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
const sysmonId = fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 255, 999);

export const sysmonFlat = fc
  .tuple(sysmonId, fc.boolean(), sysmonEventData, fc.option(fc.constantFrom("Microsoft-Windows-Sysmon/Operational", "Linux-Sysmon/Operational")))
  .map(([id, asText, data, channel]) => ({ EventID: asText ? String(id) : id, ...(channel && { Channel: channel }), Computer: "WEB01", ...data }));
export const sysmonEvtx = fc.tuple(sysmonId, sysmonEventData, maybe(time)).map(([id, data, created]) => ({
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
export const sysmonWinlogbeat = fc.tuple(sysmonId, sysmonEventData, maybe(time)).map(([id, data, timestamp]) => ({
  ...(timestamp !== undefined && { "@timestamp": timestamp }),
  agent: { type: "winlogbeat" },
  host: { name: "web01" },
  winlog: { event_id: String(id), provider_name: "Microsoft-Windows-Sysmon", computer_name: "WEB01", event_data: data },
}));
export const security4688 = fc
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
export const ecsDocument = fc
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

/** Security events beyond 4688, with the account, logon and network fields their mapping reads. */
const securityOther = fc
  .record(
    {
      EventID: fc.constantFrom(1102, 4624, 4625, 4634, 4648, 4672, 4689, 4697, 4720, 4732, 4768, 4776, 5140),
      SubjectUserSid: maybe(fc.constantFrom("S-1-5-18", "S-1-0-0", "-")),
      SubjectUserName: maybe(oddText),
      SubjectDomainName: maybe(oddText),
      SubjectLogonId: maybe(fc.constantFrom("0x3e7", "0x1")),
      TargetUserSid: maybe(fc.constantFrom("S-1-5-21-1-500", "S-1-0-0")),
      TargetUserName: maybe(oddText),
      TargetLogonId: maybe(fc.constantFrom("0x3e7", "-")),
      LogonType: maybe(fc.constantFrom("2", "3", "10", "99", 3)),
      IpAddress: maybe(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom("-", "::1"))),
      IpPort: maybe(pid),
      ProcessName: maybe(windowsPath),
      ProcessId: maybe(pid),
      Keywords: maybe(fc.constantFrom("0x8020000000000000", "0x8010000000000000", ["Audit Failure"], "Audit Success")),
    },
    { requiredKeys: ["EventID"] },
  )
  .map((data) => ({ Channel: "Security", Computer: "DC01", ...data }));

/** evtx headers in the shapes exporters write: attributes, #text elements, odd times and levels. */
const evtxHeaders = fc
  .record(
    {
      id: fc.oneof(sysmonId, fc.constant(4688), fc.constant({ "#text": 1 }), fc.constant("13")),
      created: maybe(fc.oneof(time.map((t) => ({ "#attributes": { SystemTime: t } })), time.map((t) => ({ "@SystemTime": t })), fc.constant({ "#attributes": {} }), time)),
      level: maybe(fc.constantFrom(0, 2, 4, "Information", "", { "#text": 3 })),
      keywords: maybe(fc.constantFrom("0x8000000000000000", ["0x8020000000000000", "-"], "")),
      task: maybe(fc.constantFrom(1, "Process Create", "12")),
      correlation: maybe(fc.constant({ "#attributes": { ActivityID: "{A}", RelatedActivityID: "{B}" } })),
      provider: fc.constantFrom<unknown>({ "#attributes": { Name: "Microsoft-Windows-Sysmon", Guid: "{5770385F}" } }, { "@Name": "Linux-Sysmon" }, "Microsoft-Windows-Security-Auditing"),
    },
    { requiredKeys: ["id", "provider"] },
  )
  .chain((h) =>
    sysmonEventData.map((data) => ({
      Event: {
        System: {
          Provider: h.provider,
          EventID: h.id,
          ...(h.created !== undefined && { TimeCreated: h.created }),
          ...(h.level !== undefined && { Level: h.level }),
          ...(h.keywords !== undefined && { Keywords: h.keywords }),
          ...(h.task !== undefined && { Task: h.task }),
          ...(h.correlation !== undefined && { Correlation: h.correlation }),
          Execution: { "#attributes": { ProcessID: 3308, ThreadID: "4008" } },
          Computer: "WEB01",
        },
        EventData: data,
      },
    })),
  );

export const windowsOrEcs = fc.oneof(sysmonFlat, sysmonEvtx, sysmonWinlogbeat, security4688, securityOther, evtxHeaders, ecsDocument);

/** Arbitrary JSON in the places each format reads. */
export const shaped = fc.oneof(
  fc.jsonValue().map((v) => ({ Event: { System: { EventID: 1, Provider: v }, EventData: v, UserData: v } })),
  fc.jsonValue().map((v) => ({ EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational", Image: v, CommandLine: v, Hashes: v, UtcTime: v, User: v })),
  fc.jsonValue().map((v) => ({ "@timestamp": v, event: v, process: v, host: v, winlog: { event_id: 1, event_data: v } })),
  fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ "@timestamp": "2026-01-01T00:00:00Z", "process.name": "x", ...d })),
  fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ EventID: 4688, ...d })),
);
