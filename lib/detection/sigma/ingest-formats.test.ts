/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { normalizeEvent } from "../event/normalize";
import type { EcsEvent } from "../event/types";
import { loadRules } from "../rules/load-rules";
import { buildRuleSet } from "../rules/rule-set";
import { SIGMA_RULE_FORMAT } from "./sigma-loader";

/**
 * The same activity reaches the same verdict whatever envelope it arrived in (issue 3): IIS
 * (w3wp.exe) starting cmd.exe, as Sysmon 1 (flat, evtx JSON, winlogbeat), as Security 4688 (flat
 * and evtx JSON) and as an Elastic Defend ECS document, against the shipped rule
 * "Suspicious Process By Web Server Process".
 */
const files = import.meta.glob("../../../rules/sigma/*.yml", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const loaded = loadRules(
  Object.entries(files).map(([path, text]) => ({ path: path.replace(/^(\.\.\/)+/, ""), text })),
  { loaders: [SIGMA_RULE_FORMAT] },
);
const ruleSet = buildRuleSet(loaded.rules);
const WEBSHELL_RULE = "8202070f-edeb-4d31-a010-a26c72ac5600";

function normalized(input: unknown): EcsEvent {
  const r = normalizeEvent(input, { receivedAt: new Date("2026-11-09T10:16:00Z") });
  if (!r.ok) throw new Error(r.error);
  return r.event;
}

function envelopes(parent: string, child: string, commandLine: string): [string, unknown][] {
  const sysmonData = {
    UtcTime: "2026-11-09 10:15:02.123",
    ProcessGuid: "{5AA13A44-D441-68FC-E330-000000004002}",
    ProcessId: 7112,
    Image: child,
    OriginalFileName: "Cmd.Exe",
    CommandLine: commandLine,
    CurrentDirectory: "c:\\windows\\system32\\inetsrv\\",
    User: "IIS APPPOOL\\DefaultAppPool",
    IntegrityLevel: "High",
    ParentProcessId: 4242,
    ParentImage: parent,
    ParentCommandLine: `${parent} -ap "DefaultAppPool"`,
  };
  const sysmonSystem = {
    Provider: { "#attributes": { Name: "Microsoft-Windows-Sysmon" } },
    EventID: 1,
    Channel: "Microsoft-Windows-Sysmon/Operational",
    Computer: "WEB01.corp.example",
    TimeCreated: { "#attributes": { SystemTime: "2026-11-09T10:15:02.125Z" } },
  };
  const securityData = {
    SubjectUserSid: "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415",
    SubjectUserName: "DefaultAppPool",
    SubjectDomainName: "IIS APPPOOL",
    SubjectLogonId: "0x3e7",
    NewProcessId: "0x1bc8",
    NewProcessName: child,
    TokenElevationType: "%%1936",
    ProcessId: "0x1092",
    CommandLine: commandLine,
    ParentProcessName: parent,
  };
  return [
    ["Sysmon, flat", { EventID: 1, Computer: "WEB01.corp.example", ...sysmonData }],
    ["Sysmon, evtx JSON", { Event: { System: sysmonSystem, EventData: sysmonData } }],
    [
      "Sysmon, winlogbeat",
      {
        "@timestamp": "2026-11-09T10:15:02.125Z",
        winlog: { channel: "Microsoft-Windows-Sysmon/Operational", provider_name: "Microsoft-Windows-Sysmon", event_id: 1, computer_name: "WEB01", event_data: sysmonData },
      },
    ],
    ["Security 4688, flat", { EventID: 4688, Computer: "WEB01.corp.example", TimeCreated: "2026-11-09T10:15:02.125Z", ...securityData }],
    [
      "Security 4688, evtx JSON",
      {
        Event: {
          System: {
            Provider: { "#attributes": { Name: "Microsoft-Windows-Security-Auditing" } },
            EventID: 4688,
            Channel: "Security",
            Computer: "WEB01.corp.example",
            TimeCreated: { "#attributes": { SystemTime: "2026-11-09T10:15:02.125Z" } },
          },
          EventData: securityData,
        },
      },
    ],
    [
      "Elastic Defend (ECS)",
      {
        "@timestamp": "2026-11-09T10:15:02.125Z",
        event: { kind: "event", category: ["process"], type: ["start"], action: "start" },
        host: { name: "WEB01", os: { type: "windows" } },
        user: { domain: "IIS APPPOOL", name: "DefaultAppPool" },
        process: {
          executable: child,
          command_line: commandLine,
          pid: 7112,
          parent: { executable: parent, command_line: `${parent} -ap "DefaultAppPool"`, pid: 4242 },
        },
      },
    ],
  ];
}

describe("each ingest format reaches the same verdict", () => {
  const w3wp = "c:\\windows\\system32\\inetsrv\\w3wp.exe";
  const cmd = "C:\\Windows\\System32\\cmd.exe";

  it("loads the shipped rules", () => {
    expect(loaded.errors).toEqual([]);
  });

  it.each(envelopes(w3wp, cmd, 'cmd.exe /c "whoami /all"'))("w3wp.exe → cmd.exe as %s matches", (_format, input) => {
    const matches = ruleSet.match(normalized(input)).map((m) => m.rule.id);
    expect(matches).toEqual([WEBSHELL_RULE]);
  });

  it.each(envelopes("C:\\Windows\\System32\\services.exe", cmd, "cmd.exe /c echo ok"))("services.exe → cmd.exe as %s does not match", (_format, input) => {
    expect(ruleSet.match(normalized(input))).toEqual([]);
  });

  it.each(envelopes(w3wp, "C:\\Windows\\System32\\conhost.exe", "conhost.exe 0xffffffff"))("w3wp.exe → conhost.exe as %s does not match", (_format, input) => {
    expect(ruleSet.match(normalized(input))).toEqual([]);
  });

  it("explains the match with the selections and values, whatever the envelope", () => {
    for (const [, input] of envelopes(w3wp, cmd, "cmd.exe /c whoami")) {
      const [match] = ruleSet.match(normalized(input));
      expect(match!.explanation.details.map((d) => d.condition)).toEqual(["selection_webserver_image: ParentImage|endswith", "selection_anomaly_children: Image|endswith"]);
    }
  });
});
