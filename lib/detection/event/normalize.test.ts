import { describe, expect, it } from "vitest";
import { security4688Flat, sysmonEvtx, sysmonFlat, sysmonWinlogbeat, SYSMON_PROCESS_CREATE } from "./__fixtures__/web-shell-activity";
import { getField } from "./fields";
import { normalizeEvent } from "./normalize";
import type { EcsEvent, EventObject, NormalizeResult } from "./types";

const receivedAt = new Date("2026-11-23T08:00:00.000Z");
const RECEIVED = "2026-11-23T08:00:00.000Z";

/** Normalize and insist on success; returns the event and the warnings. */
function ok(input: unknown): { event: EcsEvent; warnings: string[]; format: string } {
  const result = normalizeEvent(deepFreeze(structuredClone(input)), { receivedAt });
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.error}`);
  return result;
}

/** A frozen input makes any mutation by the normalizer throw (and so fail the test). */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const field = (event: EcsEvent, path: string) => getField(event, path);

describe("normalizeEvent: formats", () => {
  it("evtx JSON (evtx_dump): Sysmon 1 becomes an ECS process start", () => {
    const { event, warnings, format } = ok(sysmonEvtx);
    expect(format).toBe("evtx_json");
    expect(warnings).toEqual([]);
    expect(event).toMatchObject({
      "@timestamp": "2026-11-09T10:15:02.123Z",
      event: {
        kind: "event",
        code: "1",
        provider: "Microsoft-Windows-Sysmon",
        module: "sysmon",
        action: "Process Create (rule: ProcessCreate)",
        category: ["process"],
        type: ["start"],
        ingested: RECEIVED,
      },
      host: { name: "WEB01", os: { type: "windows" } },
      process: {
        entity_id: "6a3b1c2d-0e1f-6a2b-3c00-000000001a00",
        pid: 7112,
        executable: "C:\\Windows\\System32\\cmd.exe",
        name: "cmd.exe",
        command_line: "cmd.exe /c whoami",
        args: ["cmd.exe", "/c", "whoami"],
        args_count: 3,
        working_directory: "c:\\windows\\system32\\inetsrv\\",
        hash: {
          sha1: "99ae9c73e9bee6f9c76d6f4093a9882df06832cf",
          md5: "e7a6b1f51efb405287a8048cfa4690f4",
          sha256: "eb71ea69dd19f728ab9240565e8c7efb59821e19e3788e289301e1e74940c208",
        },
        pe: {
          imphash: "272245e2988e1e430500b852c4fb5e18",
          original_file_name: "Cmd.Exe",
          company: "Microsoft Corporation",
          description: "Windows Command Processor",
          file_version: "10.0.20348.1 (WinBuild.160101.0800)",
          product: "Microsoft® Windows® Operating System",
        },
        parent: {
          entity_id: "6a3b1c2d-0e1f-6a2b-2b00-000000001a00",
          pid: 3840,
          executable: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
          name: "w3wp.exe",
          command_line: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" -v "v4.0"',
          args: ["c:\\windows\\system32\\inetsrv\\w3wp.exe", "-ap", "DefaultAppPool", "-v", "v4.0"],
          args_count: 5,
          user: { domain: "IIS APPPOOL", name: "DefaultAppPool" },
        },
      },
      user: { domain: "IIS APPPOOL", name: "DefaultAppPool" },
      winlog: {
        event_id: 1,
        channel: "Microsoft-Windows-Sysmon/Operational",
        provider_name: "Microsoft-Windows-Sysmon",
        provider_guid: "5770385F-C22A-43E0-BF4C-06F5698FFBD9",
        computer_name: "WEB01",
        record_id: "90210",
        process: { pid: 2356, thread: { id: 3104 } },
        user: { identifier: "S-1-5-18" },
        task: "1",
        opcode: "0",
        version: 5,
        keywords: ["0x8000000000000000"],
        logon: { id: "0x3b9e1" },
        event_data: SYSMON_PROCESS_CREATE,
      },
      log: { level: "information" },
      vigil: { source: { format: "evtx_json" }, timestamp_source: "event" },
    });
    // Sysmon's System UserID is Sysmon's own account, not the process's: no user.id from it.
    expect(field(event, "user.id")).toBeUndefined();
    // RuleName "-" is Windows' empty value.
    expect(field(event, "rule.name")).toBeUndefined();
  });

  it("evtx JSON with a Data list, @-attributes and an EventID element (python-evtx / xmltodict)", () => {
    const { event } = ok({
      Event: {
        System: {
          Provider: { "@Name": "Microsoft-Windows-Security-Auditing", "@Guid": "{54849625-5478-4994-A5BA-3E3B0328C30D}" },
          EventID: { "@Qualifiers": "", "#text": "4688" },
          TimeCreated: { "@SystemTime": "2026-11-09 10:15:02.128440+00:00" },
          EventRecordID: "77",
          Channel: "Security",
          Computer: "WEB01",
        },
        EventData: {
          Data: [
            { "@Name": "NewProcessName", "#text": "C:\\Windows\\System32\\cmd.exe" },
            { "@Name": "NewProcessId", "#text": "0x1bc8" },
            { "@Name": "SubjectUserName", "#text": "DefaultAppPool" },
            { "@Name": "SubjectDomainName", "#text": "IIS APPPOOL" },
            { "@Name": "CommandLine" },
          ],
        },
      },
    });
    expect(event).toMatchObject({
      "@timestamp": "2026-11-09T10:15:02.128Z",
      event: { code: "4688", module: "security", category: ["process"], type: ["start"] },
      process: { executable: "C:\\Windows\\System32\\cmd.exe", name: "cmd.exe", pid: 0x1bc8 },
      user: { name: "DefaultAppPool", domain: "IIS APPPOOL" },
      winlog: { event_id: 4688, record_id: "77", provider_guid: "{54849625-5478-4994-A5BA-3E3B0328C30D}" },
    });
    // An empty <Data Name="CommandLine"/> is kept as "" in event_data and maps to nothing.
    expect(field(event, "winlog.event_data.CommandLine")).toBe("");
    expect(field(event, "process.command_line")).toBeUndefined();
  });

  it("a Velociraptor row: System at the top level, EventID {Value}, epoch-seconds SystemTime", () => {
    const { event, format } = ok({
      System: {
        Provider: { Name: "Microsoft-Windows-Sysmon" },
        EventID: { Value: 11 },
        TimeCreated: { SystemTime: 1762683302.5 },
        Channel: "Microsoft-Windows-Sysmon/Operational",
        Computer: "WEB01",
      },
      EventData: { Image: "C:\\x.exe", TargetFilename: "C:\\Temp\\a.ps1" },
    });
    expect(format).toBe("evtx_json");
    expect(event).toMatchObject({
      "@timestamp": "2025-11-09T10:15:02.500Z",
      event: { code: "11", category: ["file"], type: ["creation"] },
      file: { path: "C:\\Temp\\a.ps1", name: "a.ps1", extension: "ps1", directory: "C:\\Temp" },
    });
  });

  it("keeps a shipper's fields next to Event where they do not collide", () => {
    const { event } = ok({ ...sysmonEvtx, tags: "prod", host: { id: "h-1", name: "ignored" } });
    expect(event).toMatchObject({ tags: ["prod"], host: { id: "h-1", name: "WEB01" } });
  });

  it("flat Sysmon: System keys go to winlog.*, the rest is event_data", () => {
    const { event, format } = ok(sysmonFlat);
    expect(format).toBe("windows_flat");
    expect(event).toMatchObject({
      "@timestamp": "2026-11-09T10:15:02.123Z",
      event: { code: "1", module: "sysmon", category: ["process"], type: ["start"] },
      host: { name: "WEB01", os: { type: "windows" } },
      winlog: { event_id: 1, channel: "Microsoft-Windows-Sysmon/Operational", computer_name: "WEB01" },
      process: { pid: 7112, parent: { pid: 3840 } },
    });
    expect(field(event, "winlog.event_data")).toEqual(SYSMON_PROCESS_CREATE);
  });

  it("flat without provider or channel: Sysmon is recognised by its event id and fields", () => {
    const { event } = ok({ EventID: 1, Image: "C:\\x.exe", UtcTime: "2026-11-09 10:15:02.123", Computer: "web01" });
    expect(event).toMatchObject({ event: { module: "sysmon", category: ["process"] }, process: { executable: "C:\\x.exe" } });
    // …but an event id alone is not Sysmon.
    const other = ok({ EventID: 1, Message: "The system has resumed" }).event;
    expect(field(other, "event.module")).toBeUndefined();
    expect(field(other, "event.category")).toBeUndefined();
    expect(field(other, "message")).toBe("The system has resumed");
  });

  it("flat NXLog-style System keys: Hostname, SourceName, RecordNumber, Message", () => {
    const { event } = ok({
      EventID: 13,
      Hostname: "web01.corp",
      SourceName: "Microsoft-Windows-Sysmon",
      RecordNumber: 5,
      Message: "Registry value set",
      UtcTime: "2026-11-09 10:15:02.123",
      EventType: "SetValue",
      TargetObject: "HKLM\\SOFTWARE\\Run\\x",
      Details: "C:\\x.exe",
    });
    expect(event).toMatchObject({
      host: { name: "web01.corp" },
      event: { provider: "Microsoft-Windows-Sysmon", module: "sysmon" },
      winlog: { record_id: "5", event_data: { EventType: "SetValue" } },
      message: "Registry value set",
      registry: { hive: "HKLM", key: "SOFTWARE\\Run", value: "x", data: { strings: ["C:\\x.exe"], type: "REG_SZ" } },
    });
  });

  it("raw winlogbeat: mapped like any Windows event, winlogbeat's own fields fill the rest", () => {
    const { event, format, warnings } = ok(sysmonWinlogbeat);
    expect(format).toBe("winlogbeat");
    expect(warnings).toEqual([]);
    expect(event).toMatchObject({
      "@timestamp": "2026-11-09T10:15:02.123Z", // Sysmon's UtcTime, not the shipper's @timestamp
      agent: { type: "winlogbeat" },
      host: { name: "WEB01", hostname: "web01", os: { type: "windows", platform: "windows" } },
      event: { code: "1", created: "2026-11-09T10:15:03.002Z", category: ["process"], ingested: RECEIVED },
      message: "Process Create:\nRuleName: -\n...",
      process: { name: "cmd.exe", pid: 7112, entity_id: "6a3b1c2d-0e1f-6a2b-3c00-000000001a00" },
      winlog: { event_id: 1, record_id: "90210", api: "wineventlog", task: "Process Create (rule: ProcessCreate)", user: { identifier: "S-1-5-18", name: "SYSTEM" } },
      vigil: { source: { format: "winlogbeat" } },
    });
  });

  it("ECS: kept as it is, dotted keys expanded, derivable fields filled, arrays coerced", () => {
    const { event, format, warnings } = ok({
      "@timestamp": "2026-11-09T10:15:02.123456789Z",
      "event.category": "process",
      "event.type": "start",
      "event.kind": "event",
      "event.ingested": "2000-01-01T00:00:00Z",
      "host.os.platform": "ubuntu",
      "process.executable": "/usr/bin/curl",
      "process.command_line": "curl -s 'http://x/a b'",
      process: { pid: 4242, parent: { executable: "/usr/sbin/nginx" } },
      tags: "web",
      related: { user: "www-data" },
      labels: { "app.tier": "web" },
    });
    expect(format).toBe("ecs");
    expect(warnings).toEqual([]);
    expect(event).toEqual({
      "@timestamp": "2026-11-09T10:15:02.123Z",
      event: { category: ["process"], type: ["start"], kind: "event", ingested: RECEIVED },
      host: { os: { platform: "ubuntu", type: "linux" } },
      process: {
        pid: 4242,
        executable: "/usr/bin/curl",
        name: "curl",
        command_line: "curl -s 'http://x/a b'",
        args: ["curl", "-s", "http://x/a b"],
        args_count: 3,
        parent: { executable: "/usr/sbin/nginx", name: "nginx" },
      },
      tags: ["web"],
      related: { user: ["www-data"] },
      labels: { "app.tier": "web" },
      vigil: { source: { format: "ecs" }, timestamp_source: "event" },
    });
  });

  it("ECS with winlog.event_data: the document's fields win, event_data fills the gaps", () => {
    const { event } = ok({
      "@timestamp": "2026-11-09T10:15:02.000Z",
      event: { category: ["process"], type: ["start", "process_start"], code: "1" },
      process: { executable: "C:\\Windows\\System32\\cmd.exe", name: "CMD-FROM-ECS.EXE" },
      winlog: {
        channel: "Microsoft-Windows-Sysmon/Operational",
        provider_name: "Microsoft-Windows-Sysmon",
        event_id: 1,
        event_data: { Image: "C:\\other.exe", CommandLine: "cmd.exe /c whoami", ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe", UtcTime: "2020-01-01 00:00:00.000" },
      },
    });
    expect(event).toMatchObject({
      "@timestamp": "2026-11-09T10:15:02.000Z",
      event: { type: ["start", "process_start"], module: "sysmon", action: "Process Create (rule: ProcessCreate)" },
      process: {
        executable: "C:\\Windows\\System32\\cmd.exe",
        name: "CMD-FROM-ECS.EXE",
        command_line: "cmd.exe /c whoami",
        args: ["cmd.exe", "/c", "whoami"],
        parent: { executable: "C:\\Windows\\System32\\inetsrv\\w3wp.exe", name: "w3wp.exe" },
      },
      host: { os: { type: "windows" } },
    });
  });

  it("rejects what is not an object, and what it does not recognise, with a clear error", () => {
    for (const input of [[], "x", null, 42, true, undefined]) {
      const result = normalizeEvent(input, { receivedAt });
      expect(result).toMatchObject({ ok: false, code: "not_an_object" });
    }
    expect(normalizeEvent([], { receivedAt })).toMatchObject({ error: "event must be a JSON object, not an array" });
    expect(normalizeEvent({ hello: "world" }, { receivedAt })).toEqual({
      ok: false,
      code: "unknown_format",
      error:
        "unrecognised event: expected an ECS document (@timestamp with event.* or process.*), a Windows event (EventID), evtx JSON (Event.System) or winlogbeat (winlog.event_data)",
    });
  });

  it("rejects an unusable EventID as invalid_field", () => {
    expect(normalizeEvent({ EventID: "abc", Image: "x" }, { receivedAt })).toEqual({
      ok: false,
      code: "invalid_field",
      error: 'EventID "abc" is not an event id (expected an integer 0–65535)',
    });
    expect(normalizeEvent({ EventID: 70000 }, { receivedAt })).toMatchObject({ code: "invalid_field" });
    expect(normalizeEvent({ Event: { System: { Channel: "Security" } } }, { receivedAt })).toMatchObject({ code: "invalid_field", error: "EventID is missing" });
  });

  it("rejects an invalid receivedAt instead of throwing", () => {
    expect(normalizeEvent(sysmonFlat, { receivedAt: new Date(Number.NaN) })).toMatchObject({ ok: false, code: "invalid_field" });
    expect(normalizeEvent(sysmonFlat, undefined as unknown as { receivedAt: Date })).toMatchObject({ ok: false, code: "invalid_field" });
  });
});

describe("normalizeEvent: the same activity in every format", () => {
  const projection = (event: EcsEvent) =>
    Object.fromEntries(
      ["process.name", "process.executable", "process.parent.name", "process.command_line", "process.args", "host.name", "event.category", "event.type"].map((path) => [
        path,
        field(event, path),
      ]),
    );

  it("Sysmon flat, evtx JSON, winlogbeat and Security 4688 agree on the process fields", () => {
    const expected = {
      "process.name": "cmd.exe",
      "process.executable": "C:\\Windows\\System32\\cmd.exe",
      "process.parent.name": "w3wp.exe",
      "process.command_line": "cmd.exe /c whoami",
      "process.args": ["cmd.exe", "/c", "whoami"],
      "host.name": "WEB01",
      "event.category": ["process"],
      "event.type": ["start"],
    };
    for (const input of [sysmonFlat, sysmonEvtx, sysmonWinlogbeat, security4688Flat]) {
      expect(projection(ok(input).event)).toEqual(expected);
    }
  });

  it("and on the account the new process runs as", () => {
    for (const input of [sysmonFlat, sysmonEvtx, sysmonWinlogbeat, security4688Flat]) {
      expect(field(ok(input).event, "user.name")).toBe("DefaultAppPool");
      expect(field(ok(input).event, "user.domain")).toBe("IIS APPPOOL");
    }
  });
});

/** A flat Sysmon event with `data` as its EventData. */
function sysmon(eventId: number, data: EventObject): EventObject {
  return { EventID: eventId, Channel: "Microsoft-Windows-Sysmon/Operational", Computer: "WEB01", UtcTime: "2026-11-09 10:15:02.123", ...data };
}

describe("normalizeEvent: Sysmon event ids", () => {
  const actor = { ProcessGuid: "{AA-1}", ProcessId: "1234", Image: "C:\\Tools\\tool.exe", User: "CORP\\alice" };

  it.each<[number, EventObject, EventObject]>([
    [2, { ...actor, TargetFilename: "C:\\a.txt", CreationUtcTime: "2020-01-01 00:00:00.000" }, { event: { category: ["file"], type: ["change"] }, file: { path: "C:\\a.txt", name: "a.txt" } }],
    [
      3,
      {
        ...actor,
        Protocol: "TCP",
        Initiated: "true",
        SourceIsIpv6: "false",
        SourceIp: "10.0.0.5",
        SourceHostname: "web01.corp",
        SourcePort: "50123",
        DestinationIsIpv6: "false",
        DestinationIp: "203.0.113.7",
        DestinationHostname: "-",
        DestinationPort: "443",
        DestinationPortName: "https",
      },
      {
        event: { category: ["network"], type: ["connection", "start"], action: "Network connection detected (rule: NetworkConnect)" },
        process: { entity_id: "aa-1", pid: 1234, executable: "C:\\Tools\\tool.exe", name: "tool.exe" },
        user: { domain: "CORP", name: "alice" },
        source: { ip: "10.0.0.5", domain: "web01.corp", port: 50123 },
        destination: { ip: "203.0.113.7", port: 443 },
        network: { transport: "tcp", protocol: "https", direction: "egress", type: "ipv4" },
      },
    ],
    [5, { ...actor }, { event: { category: ["process"], type: ["end"] }, process: { name: "tool.exe" } }],
    [
      6,
      { ImageLoaded: "C:\\Windows\\System32\\drivers\\evil.sys", Hashes: "SHA256=AB", Signed: "true", Signature: "Evil Corp", SignatureStatus: "Expired" },
      {
        event: { category: ["driver"], type: ["start"] },
        file: { path: "C:\\Windows\\System32\\drivers\\evil.sys", name: "evil.sys", hash: { sha256: "ab" }, code_signature: { signed: true, subject_name: "Evil Corp", status: "Expired", valid: false } },
      },
    ],
    [
      7,
      { ...actor, ImageLoaded: "C:\\Temp\\x.dll", Hashes: "MD5=AA,IMPHASH=BB", OriginalFileName: "x.dll", Signed: "false", Signature: "-", SignatureStatus: "Unavailable" },
      {
        event: { category: ["library"], type: ["start"], action: "Image loaded (rule: ImageLoad)" },
        dll: { path: "C:\\Temp\\x.dll", name: "x.dll", hash: { md5: "aa" }, pe: { imphash: "bb", original_file_name: "x.dll" }, code_signature: { signed: false, status: "Unavailable", valid: false } },
        file: { path: "C:\\Temp\\x.dll", name: "x.dll", extension: "dll", directory: "C:\\Temp", hash: { md5: "aa" } },
        process: { name: "tool.exe" },
      },
    ],
    [
      8,
      { SourceProcessGuid: "{S}", SourceProcessId: "10", SourceImage: "C:\\a.exe", TargetProcessGuid: "{T}", TargetProcessId: "20", TargetImage: "C:\\Windows\\System32\\lsass.exe", SourceUser: "CORP\\alice", TargetUser: "NT AUTHORITY\\SYSTEM" },
      { event: { category: ["process"], type: ["change"] }, process: { entity_id: "s", pid: 10, executable: "C:\\a.exe", name: "a.exe" }, user: { name: "alice", target: { name: "SYSTEM", domain: "NT AUTHORITY" } } },
    ],
    [9, { ...actor, Device: "\\Device\\HarddiskVolume2" }, { event: { category: ["process"], type: ["access"] }, file: { path: "\\Device\\HarddiskVolume2", name: "HarddiskVolume2" } }],
    [
      10,
      { SourceProcessGUID: "{S}", SourceProcessId: 10, SourceThreadId: 11, SourceImage: "C:\\a.exe", TargetImage: "C:\\Windows\\system32\\lsass.exe", GrantedAccess: "0x1010", CallTrace: "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4" },
      { event: { category: ["process"], type: ["access"] }, process: { pid: 10, thread: { id: 11 }, name: "a.exe" }, winlog: { event_data: { TargetImage: "C:\\Windows\\system32\\lsass.exe", GrantedAccess: "0x1010" } } },
    ],
    [11, { ...actor, TargetFilename: "C:\\Users\\a\\evil.PS1" }, { event: { category: ["file"], type: ["creation"] }, file: { name: "evil.PS1", extension: "PS1", directory: "C:\\Users\\a" } }],
    [12, { ...actor, EventType: "CreateKey", TargetObject: "HKLM\\SOFTWARE\\X" }, { event: { category: ["configuration", "registry"], type: ["change"] }, registry: { path: "HKLM\\SOFTWARE\\X", hive: "HKLM", key: "SOFTWARE\\X" } }],
    [13, { ...actor, EventType: "SetValue", TargetObject: "HKU\\S-1\\Run\\x", Details: "DWORD (0x00000001)" }, { registry: { hive: "HKU", key: "S-1\\Run", value: "x", data: { strings: ["1"], type: "REG_DWORD" } } }],
    [14, { ...actor, EventType: "RenameKey", TargetObject: "HKLM\\A\\B", NewName: "HKLM\\A\\C" }, { registry: { key: "A\\B" }, winlog: { event_data: { NewName: "HKLM\\A\\C" } } }],
    [15, { ...actor, TargetFilename: "C:\\a.exe:Zone.Identifier", Hash: "SHA256=CD" }, { event: { category: ["file"], type: ["access"] }, file: { path: "C:\\a.exe:Zone.Identifier", hash: { sha256: "cd" } } }],
    [16, { Configuration: "C:\\sysmon.xml", ConfigurationFileHash: "SHA256=00" }, { event: { category: ["configuration"], type: ["change"] } }],
    [17, { ...actor, EventType: "CreatePipe", PipeName: "\\evil" }, { event: { category: ["file"], type: ["creation"] }, file: { name: "\\evil" } }],
    [18, { ...actor, EventType: "ConnectPipe", PipeName: "\\evil" }, { event: { category: ["file"], type: ["access"] }, file: { name: "\\evil" } }],
    [
      22,
      { ...actor, QueryName: "evil.example", QueryStatus: "0", QueryResults: "type:  5 cdn.example;::ffff:198.51.100.1;" },
      {
        event: { category: ["network"], type: ["connection", "protocol", "info"] },
        network: { protocol: "dns" },
        dns: { question: { name: "evil.example" }, answers: [{ type: "CNAME", data: "cdn.example" }, { type: "A", data: "198.51.100.1" }], resolved_ip: ["198.51.100.1"] },
      },
    ],
    [23, { ...actor, TargetFilename: "C:\\x.exe", Hashes: "SHA256=EF", IsExecutable: "true", Archived: "true" }, { event: { category: ["file"], type: ["deletion"] }, file: { path: "C:\\x.exe", hash: { sha256: "ef" } } }],
    [26, { ...actor, TargetFilename: "C:\\x.exe", Hashes: "SHA256=EF" }, { event: { category: ["file"], type: ["deletion"], action: "File Delete logged (rule: FileDeleteDetected)" } }],
    [27, { ...actor, TargetFilename: "C:\\x.exe" }, { event: { category: ["file"], type: ["creation"], outcome: "failure" } }],
    [255, { ID: "ProcessGuid", Description: "failed" }, { event: { category: ["process"], outcome: "failure", action: "Error report" }, error: { code: "ProcessGuid" } }],
  ])("Sysmon %i", (eventId, data, expected) => {
    const { event, warnings } = ok(sysmon(eventId, data));
    expect(warnings).toEqual([]);
    expect(event).toMatchObject({ event: { code: String(eventId), module: "sysmon" }, ...expected });
  });

  it("an unknown Sysmon event id keeps the common mapping", () => {
    const { event } = ok(sysmon(99, { Image: "C:\\x.exe" }));
    expect(event).toMatchObject({ event: { code: "99", module: "sysmon" }, winlog: { event_id: 99 } });
    expect(field(event, "event.category")).toBeUndefined();
  });

  it("Initiated false (or a boolean) is ingress; the address tells IPv6 when SourceIsIpv6 is missing", () => {
    const { event } = ok(sysmon(3, { Initiated: false, SourceIp: "fe80::1", DestinationIp: "fe80::2" }));
    expect(event).toMatchObject({ network: { direction: "ingress", type: "ipv6" } });
  });
});

describe("normalizeEvent: Security", () => {
  it("4688: hex pids, creator as parent, Subject as user when Target is empty", () => {
    const { event } = ok(security4688Flat);
    expect(event).toMatchObject({
      "@timestamp": "2026-11-09T10:15:02.128Z",
      event: { code: "4688", module: "security", action: "created-process", category: ["process"], type: ["start"], outcome: "success" },
      process: { pid: 0x1bc8, parent: { pid: 0xf00, executable: "C:\\Windows\\System32\\inetsrv\\w3wp.exe", name: "w3wp.exe" } },
      user: { id: "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415", name: "DefaultAppPool", domain: "IIS APPPOOL" },
      winlog: { logon: { id: "0x3b9e1" }, event_data: { NewProcessId: "0x1bc8", TokenElevationType: "%%1936", MandatoryLabel: "S-1-16-12288" } },
    });
    expect(field(event, "user.target")).toBeUndefined();
  });

  it("4688: a meaningful Target (runas, elevation) is the new process's account", () => {
    const { event } = ok({ ...security4688Flat, TargetUserSid: "S-1-5-21-1-500", TargetUserName: "Administrator", TargetDomainName: "CORP", TargetLogonId: "0x99" });
    expect(event).toMatchObject({ user: { id: "S-1-5-21-1-500", name: "Administrator", domain: "CORP" }, winlog: { logon: { id: "0x99" } } });
  });

  it("4688 without a channel is still a Security process start", () => {
    const { event } = ok({ EventID: "4688", NewProcessName: "C:\\x.exe", ParentProcessName: "C:\\p.exe", CommandLine: "x.exe -a" });
    expect(event).toMatchObject({ event: { module: "security", category: ["process"] }, process: { name: "x.exe", args: ["x.exe", "-a"], parent: { name: "p.exe" } } });
  });

  it("4624: the Target account logs on; logon type, source address and the logon process", () => {
    const { event } = ok({
      EventID: 4624,
      Channel: "Security",
      Keywords: "0x8020000000000000",
      SubjectUserSid: "S-1-5-18",
      SubjectUserName: "WEB01$",
      SubjectDomainName: "CORP",
      TargetUserSid: "S-1-5-21-1-1104",
      TargetUserName: "bob",
      TargetDomainName: "CORP",
      TargetLogonId: "0x8a1",
      LogonType: "10",
      IpAddress: "198.51.100.9",
      IpPort: "0",
      ProcessId: "0x2f4",
      ProcessName: "C:\\Windows\\System32\\svchost.exe",
    });
    expect(event).toMatchObject({
      event: { action: "logged-in", category: ["authentication"], type: ["start"], outcome: "success" },
      user: { id: "S-1-5-21-1-1104", name: "bob", domain: "CORP" },
      winlog: { logon: { id: "0x8a1", type: "RemoteInteractive" } },
      source: { ip: "198.51.100.9" },
      process: { pid: 0x2f4, name: "svchost.exe" },
    });
    expect(field(event, "source.port")).toBeUndefined(); // port 0 is no port
  });

  it("4625: Audit Failure is the outcome", () => {
    const { event } = ok({ EventID: 4625, Channel: "Security", Keywords: ["Audit Failure"], TargetUserName: "bob", IpAddress: "-" });
    expect(event).toMatchObject({ event: { outcome: "failure" }, user: { name: "bob" } });
    expect(field(event, "source.ip")).toBeUndefined();
  });
});

describe("normalizeEvent: odd inputs", () => {
  it("keeps the case of upper-case paths", () => {
    const { event } = ok(sysmon(1, { Image: "C:\\WINDOWS\\SYSTEM32\\CMD.EXE", CommandLine: "CMD.EXE /C DIR", ParentImage: "C:\\WINDOWS\\EXPLORER.EXE" }));
    expect(event).toMatchObject({ process: { executable: "C:\\WINDOWS\\SYSTEM32\\CMD.EXE", name: "CMD.EXE", args: ["CMD.EXE", "/C", "DIR"], parent: { name: "EXPLORER.EXE" } } });
  });

  it("emits no placeholder for missing fields", () => {
    const { event } = ok(sysmon(1, { Image: "C:\\x.exe" }));
    const process = field(event, "process") as EventObject;
    expect(Object.keys(process).sort()).toEqual(["executable", "name"]);
    expect(field(event, "user")).toBeUndefined();
    expect(JSON.stringify(event)).not.toContain("null");
  });

  it("does not map nulls and Windows' '-' into ECS, but keeps them in event_data", () => {
    const { event } = ok(sysmon(1, { Image: "C:\\x.exe", CommandLine: null, User: "-", OriginalFileName: "-", Hashes: "-", ParentImage: "", ParentProcessId: "-" }));
    expect(Object.keys(field(event, "process") as EventObject).sort()).toEqual(["executable", "name"]);
    expect(field(event, "user")).toBeUndefined();
    expect(field(event, "winlog.event_data")).toMatchObject({ CommandLine: null, User: "-", OriginalFileName: "-" });
  });

  it("reads numbers written as strings, and keeps the original strings in event_data", () => {
    const { event } = ok(sysmon(1, { ProcessId: "7112", ParentProcessId: 3840, Image: "C:\\x.exe" }));
    expect(event).toMatchObject({ process: { pid: 7112, parent: { pid: 3840 } }, winlog: { event_data: { ProcessId: "7112" } } });
  });

  it("warns about a number it cannot read and sets nothing", () => {
    const { event, warnings } = ok(sysmon(1, { ProcessId: "seven", Image: "C:\\x.exe" }));
    expect(field(event, "process.pid")).toBeUndefined();
    expect(warnings).toEqual(['ProcessId "seven" is not a number; process.pid not set']);
  });

  it("stringifies non-strings where ECS wants a string", () => {
    const { event } = ok(sysmon(1, { Image: "C:\\x.exe", CommandLine: 123, CurrentDirectory: true }));
    expect(event).toMatchObject({ process: { command_line: "123", args: ["123"], working_directory: "true" } });
  });

  it("reads an EventID written as a string", () => {
    expect(ok({ ...sysmonFlat, EventID: "1" }).event).toMatchObject({ winlog: { event_id: 1 }, event: { code: "1", category: ["process"] } });
  });

  it("aliases field names with blanks (Defender's 'Threat Name' → ThreatName)", () => {
    const { event } = ok({ EventID: 1116, Channel: "Microsoft-Windows-Windows Defender/Operational", "Threat Name": "Tool:Win32/EICAR", "Process Name": "C:\\x.exe" });
    expect(field(event, "winlog.event_data")).toEqual({ "Threat Name": "Tool:Win32/EICAR", ThreatName: "Tool:Win32/EICAR", "Process Name": "C:\\x.exe", ProcessName: "C:\\x.exe" });
    // Defender is not Security: its ProcessName is not mapped to process.*.
    expect(field(event, "process")).toBeUndefined();
  });

  it("Sysmon for Linux: POSIX paths and argv, a bare user name, host.os.type linux", () => {
    const { event } = ok({
      Event: {
        System: { Provider: { "#attributes": { Name: "Linux-Sysmon" } }, EventID: 1, Channel: "Linux-Sysmon/Operational", Computer: "lin01", TimeCreated: { "#attributes": { SystemTime: "2026-11-09T10:15:02.200Z" } } },
        EventData: { UtcTime: "2026-11-09 10:15:02.123", Image: "/usr/bin/bash", CommandLine: "bash -c 'id; uname -a'", User: "root", ParentImage: "/usr/sbin/nginx", ParentUser: "www-data" },
      },
    });
    expect(event).toMatchObject({
      host: { os: { type: "linux" } },
      event: { module: "sysmon" },
      process: { name: "bash", args: ["bash", "-c", "id; uname -a"], parent: { name: "nginx", user: { name: "www-data" } } },
      user: { name: "root" },
    });
    expect(field(event, "user.domain")).toBeUndefined();
  });

  it("recognises Sysmon for Linux by its POSIX image path when the provider is missing", () => {
    expect(ok(sysmon(1, { Image: "/usr/bin/id", CommandLine: "id -u" })).event).toMatchObject({ host: { os: { type: "linux" } }, process: { args: ["id", "-u"] } });
  });

  it("uses Sysmon's UtcTime over TimeCreated, and TimeCreated (with a warning) when UtcTime is broken", () => {
    const evtx = structuredClone(sysmonEvtx);
    expect(ok(evtx).event["@timestamp"]).toBe("2026-11-09T10:15:02.123Z");
    evtx.Event.EventData = { ...SYSMON_PROCESS_CREATE, UtcTime: "garbage" };
    const { event, warnings } = ok(evtx);
    expect(event["@timestamp"]).toBe("2026-11-09T10:15:02.130Z");
    expect(warnings).toEqual(['UtcTime "garbage" is not a time; TimeCreated used']);
  });

  it("ignores UtcTime outside Sysmon", () => {
    const { event } = ok({ EventID: 4688, Channel: "Security", UtcTime: "2020-01-01 00:00:00.000", TimeCreated: "2026-11-09T10:15:02Z" });
    expect(event["@timestamp"]).toBe("2026-11-09T10:15:02.000Z");
  });

  it("falls back to the arrival time, says so, and warns", () => {
    const { event, warnings } = ok({ EventID: 4688, Channel: "Security", NewProcessName: "C:\\x.exe" });
    expect(event).toMatchObject({ "@timestamp": RECEIVED, event: { ingested: RECEIVED }, vigil: { timestamp_source: "arrival" } });
    expect(warnings).toEqual(["no usable timestamp (no UtcTime, TimeCreated, @timestamp or timestamp); arrival time used"]);
    const bad = ok({ EventID: 4688, TimeCreated: "soon", timestamp: 0 });
    expect(bad.warnings).toEqual(['no usable timestamp (TimeCreated "soon" is not a time; timestamp 0 is not a time); arrival time used']);
  });

  it("ECS with an unusable @timestamp: arrival time and a warning", () => {
    const { event, warnings } = ok({ "@timestamp": "not a time", process: { name: "x" } });
    expect(event).toMatchObject({ "@timestamp": RECEIVED, vigil: { timestamp_source: "arrival" } });
    expect(warnings).toEqual(['no usable timestamp (@timestamp "not a time" is not a time); arrival time used']);
  });

  it("drops a dotted key that collides with a nested field, with a warning (the nested value wins)", () => {
    const { event, warnings } = ok({ "@timestamp": "2026-11-09T10:15:02Z", process: { name: "nested.exe" }, "process.name": "dotted.exe", "event.kind": "event" });
    expect(field(event, "process.name")).toBe("nested.exe");
    expect(warnings).toEqual(['dotted key "process.name" conflicts with a nested field; dropped']);
  });

  it("never pollutes prototypes, and keeps __proto__ keys as data", () => {
    const inputs = [
      JSON.parse('{"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational", "__proto__": {"polluted": 1}, "Image": "C:\\\\x.exe"}'),
      JSON.parse('{"Event": {"System": {"EventID": 4688, "Channel": "Security"}, "EventData": {"__proto__": {"polluted": 1}, "Hashes": "constructor=1"}}}'),
      JSON.parse('{"@timestamp": "2026-11-09T10:15:02Z", "__proto__.polluted": 1, "process": {"__proto__": {"polluted": 1}, "executable": "C:\\\\x.exe"}}'),
    ];
    for (const input of inputs) {
      const result = normalizeEvent(input, { receivedAt });
      expect(result.ok).toBe(true);
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    }
    const flat = normalizeEvent(inputs[0], { receivedAt }) as Extract<NormalizeResult, { ok: true }>;
    const eventData = field(flat.event, "winlog.event_data") as EventObject;
    expect(Object.getPrototypeOf(eventData)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(eventData, "__proto__")).toBe(true);
  });

  it("never changes its input (every input above is frozen; this one is compared too)", () => {
    for (const input of [sysmonFlat, sysmonEvtx, sysmonWinlogbeat, security4688Flat]) {
      const copy = structuredClone(input);
      normalizeEvent(input, { receivedAt });
      expect(input).toEqual(copy);
    }
  });
});

describe("normalizeEvent: idempotence", () => {
  it.each([
    ["Sysmon flat", sysmonFlat],
    ["evtx", sysmonEvtx],
    ["winlogbeat", sysmonWinlogbeat],
    ["4688", security4688Flat],
    ["arrival time", { EventID: 4688, NewProcessName: "C:\\x.exe" }],
    ["evtx with extras", { ...sysmonEvtx, tags: "prod", process: { "custom.thing": 1 } }],
  ])("normalizing the normalized %s event changes nothing", (_name, input) => {
    const first = ok(input);
    const second = normalizeEvent(first.event, { receivedAt });
    expect(second).toMatchObject({ ok: true, format: "ecs" });
    expect((second as Extract<NormalizeResult, { ok: true }>).event).toEqual(first.event);
  });
});

describe("normalizeEvent: UserData", () => {
  it("maps the account of an event that has only UserData (Security 1102, log cleared)", () => {
    const { event } = ok({
      Event: {
        System: { Provider: { "#attributes": { Name: "Microsoft-Windows-Eventlog" } }, EventID: 1102, Channel: "Security", Computer: "DC01", TimeCreated: { "#attributes": { SystemTime: "2026-11-09T10:15:02Z" } } },
        UserData: { LogFileCleared: { "#attributes": { xmlns: "http://manifests.microsoft.com/win/2004/08/windows/eventlog" }, SubjectUserSid: "S-1-5-21-1-500", SubjectUserName: "Administrator", SubjectDomainName: "CORP", SubjectLogonId: "0x1" } },
      },
    });
    expect(event).toMatchObject({
      event: { code: "1102", module: "security", action: "audit-log-cleared" },
      user: { id: "S-1-5-21-1-500", name: "Administrator", domain: "CORP" },
      winlog: { user_data: { xml_name: "LogFileCleared", SubjectUserName: "Administrator" } },
    });
    expect(field(event, "winlog.event_data")).toBeUndefined();
  });
});
