/**
 * One activity, w3wp.exe starting `cmd.exe /c whoami` on WEB01, as each source reports it:
 * Sysmon 1 flat, Sysmon 1 as evtx JSON, Sysmon 1 through raw winlogbeat, and Security 4688 flat.
 * Tests use it to check that every envelope normalizes to the same ECS process fields.
 */

const UTC_TIME = "2026-11-09 10:15:02.123";

/** The Sysmon 1 EventData of the activity. */
export const SYSMON_PROCESS_CREATE = {
  RuleName: "-",
  UtcTime: UTC_TIME,
  ProcessGuid: "{6A3B1C2D-0E1F-6A2B-3C00-000000001A00}",
  ProcessId: "7112",
  Image: "C:\\Windows\\System32\\cmd.exe",
  FileVersion: "10.0.20348.1 (WinBuild.160101.0800)",
  Description: "Windows Command Processor",
  Product: "Microsoft® Windows® Operating System",
  Company: "Microsoft Corporation",
  OriginalFileName: "Cmd.Exe",
  CommandLine: "cmd.exe /c whoami",
  CurrentDirectory: "c:\\windows\\system32\\inetsrv\\",
  User: "IIS APPPOOL\\DefaultAppPool",
  LogonGuid: "{6A3B1C2D-0000-0000-0000-000000000000}",
  LogonId: "0x3b9e1",
  TerminalSessionId: "0",
  IntegrityLevel: "High",
  Hashes: "SHA1=99AE9C73E9BEE6F9C76D6F4093A9882DF06832CF,MD5=E7A6B1F51EFB405287A8048CFA4690F4,SHA256=EB71EA69DD19F728AB9240565E8C7EFB59821E19E3788E289301E1E74940C208,IMPHASH=272245E2988E1E430500B852C4FB5E18",
  ParentProcessGuid: "{6A3B1C2D-0E1F-6A2B-2B00-000000001A00}",
  ParentProcessId: "3840",
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
  ParentCommandLine: "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"DefaultAppPool\" -v \"v4.0\"",
  ParentUser: "IIS APPPOOL\\DefaultAppPool",
};

export const sysmonFlat = {
  EventID: 1,
  Channel: "Microsoft-Windows-Sysmon/Operational",
  Computer: "WEB01",
  ...SYSMON_PROCESS_CREATE,
};

export const sysmonEvtx = {
  Event: {
    "#attributes": { xmlns: "http://schemas.microsoft.com/win/2004/08/events/event" },
    System: {
      Provider: { "#attributes": { Name: "Microsoft-Windows-Sysmon", Guid: "5770385F-C22A-43E0-BF4C-06F5698FFBD9" } },
      EventID: 1,
      Version: 5,
      Level: 4,
      Task: 1,
      Opcode: 0,
      Keywords: "0x8000000000000000",
      TimeCreated: { "#attributes": { SystemTime: "2026-11-09T10:15:02.130004Z" } },
      EventRecordID: 90210,
      Correlation: null,
      Execution: { "#attributes": { ProcessID: 2356, ThreadID: 3104 } },
      Channel: "Microsoft-Windows-Sysmon/Operational",
      Computer: "WEB01",
      Security: { "#attributes": { UserID: "S-1-5-18" } },
    },
    EventData: SYSMON_PROCESS_CREATE,
  },
};

export const sysmonWinlogbeat = {
  "@timestamp": "2026-11-09T10:15:02.130Z",
  agent: { type: "winlogbeat", version: "8.15.0", hostname: "web01" },
  host: { name: "web01", hostname: "web01", os: { platform: "windows", family: "windows" } },
  event: { kind: "event", code: "1", provider: "Microsoft-Windows-Sysmon", created: "2026-11-09T10:15:03.002Z", action: "Process Create (rule: ProcessCreate)" },
  log: { level: "information" },
  message: "Process Create:\nRuleName: -\n...",
  winlog: {
    channel: "Microsoft-Windows-Sysmon/Operational",
    provider_name: "Microsoft-Windows-Sysmon",
    provider_guid: "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}",
    computer_name: "WEB01",
    event_id: "1",
    record_id: 90210,
    api: "wineventlog",
    task: "Process Create (rule: ProcessCreate)",
    opcode: "Info",
    version: 5,
    process: { pid: 2356, thread: { id: 3104 } },
    user: { identifier: "S-1-5-18", name: "SYSTEM", domain: "NT AUTHORITY", type: "User" },
    event_data: SYSMON_PROCESS_CREATE,
  },
};

export const security4688Flat = {
  EventID: 4688,
  Channel: "Security",
  Computer: "WEB01",
  TimeCreated: "2026-11-09T10:15:02.1284402Z",
  Keywords: "0x8020000000000000",
  SubjectUserSid: "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415",
  SubjectUserName: "DefaultAppPool",
  SubjectDomainName: "IIS APPPOOL",
  SubjectLogonId: "0x3b9e1",
  NewProcessId: "0x1bc8",
  NewProcessName: "C:\\Windows\\System32\\cmd.exe",
  TokenElevationType: "%%1936",
  ProcessId: "0xf00",
  CommandLine: "cmd.exe /c whoami",
  TargetUserSid: "S-1-0-0",
  TargetUserName: "-",
  TargetDomainName: "-",
  TargetLogonId: "0x0",
  ParentProcessName: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
  MandatoryLabel: "S-1-16-12288",
};
