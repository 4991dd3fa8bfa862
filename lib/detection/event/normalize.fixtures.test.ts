import { describe, expect, it } from "vitest";
import samples from "./__fixtures__/sigma-regression-events.json";
import { getField } from "./fields";
import { normalizeEvent } from "./normalize";
import type { EcsEvent, NormalizeResult } from "./types";

/**
 * Real evtx records (SigmaHQ regression data, see __fixtures__/README.md): each one normalizes
 * without warnings, keeps its EventData, and normalizes to itself a second time.
 */

const receivedAt = new Date("2026-11-23T08:00:00.000Z");

function normalized(name: string): EcsEvent {
  const sample = samples.find((s) => s.name === name);
  if (sample === undefined) throw new Error(`no fixture ${name}`);
  const result = normalizeEvent(sample.event, { receivedAt });
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

describe("SigmaHQ regression events", () => {
  it.each(samples.map((s) => [s.name, s] as const))("%s normalizes cleanly and idempotently", (_name, sample) => {
    const first = normalizeEvent(sample.event, { receivedAt }) as Extract<NormalizeResult, { ok: true }>;
    expect(first).toMatchObject({ ok: true, format: "evtx_json", warnings: [] });
    expect(first.event["vigil"]).toEqual({ source: { format: "evtx_json" }, timestamp_source: "event" });
    const second = normalizeEvent(first.event, { receivedAt });
    expect(second).toMatchObject({ ok: true, event: first.event });
  });

  it("Sysmon 1: reg.exe with its double blank, quoted key and hashes", () => {
    const event = normalized("Microsoft-Windows-Sysmon 1");
    expect(event).toMatchObject({
      "@timestamp": "2025-10-25T13:44:33.433Z",
      host: { name: "ar-win-dc.attackrange.local" },
      process: {
        name: "reg.exe",
        args: ["reg", "query", "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "/v", "CurrentBuildNumber"],
        pid: 7112,
        parent: { name: "cmd.exe", pid: 6304, args: ["C:\\Windows\\System32\\cmd.exe"] },
        pe: { original_file_name: "reg.exe", imphash: "e23a24f7ba9b35b3e9706724f6749860" },
      },
      user: { domain: "ATTACKRANGE", name: "Administrator" },
      winlog: { event_data: { IntegrityLevel: "High", TerminalSessionId: 2 } },
    });
  });

  it("Sysmon 7: an unsigned module load with '-' metadata maps no '-' values", () => {
    const event = normalized("Microsoft-Windows-Sysmon 7");
    expect(event).toMatchObject({ event: { category: ["library"] }, dll: { name: "bthprops.cpl", code_signature: { signed: false, status: "Unavailable" } } });
    expect(getField(event, "dll.pe.original_file_name")).toBeUndefined();
    expect(getField(event, "dll.code_signature.subject_name")).toBeUndefined();
  });

  it("Sysmon 12 (DeleteKey) and 13 (SetValue): key and value events", () => {
    expect(normalized("Microsoft-Windows-Sysmon 12")).toMatchObject({ registry: { hive: "HKU", key: "S-1-5-21-3960063115-309473240-3247002503-500\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RunMRU" } });
    expect(getField(normalized("Microsoft-Windows-Sysmon 12"), "registry.value")).toBeUndefined();
    expect(normalized("Microsoft-Windows-Sysmon 13")).toMatchObject({ registry: { value: "(Default)", data: { strings: ["Service"], type: "REG_SZ" } } });
  });

  it("Security 4648: Subject is the user, the explicit credentials are user.target", () => {
    expect(normalized("Microsoft-Windows-Security-Auditing 4648")).toMatchObject({
      event: { action: "logged-in-explicit", outcome: "success" },
      user: { name: "xodih", domain: "SWACHCHHANDA", target: { name: "testuser" } },
      process: { name: "LegacyHive.exe" },
    });
  });

  it("Security 4701: a scheduled task change with the Subject as user", () => {
    expect(normalized("Microsoft-Windows-Security-Auditing 4701")).toMatchObject({
      event: { category: ["iam", "configuration"], type: ["change", "admin"] },
      user: { name: "xodih" },
      winlog: { event_data: { TaskName: "\\Microsoft\\Windows\\SystemRestore\\SR" } },
    });
  });

  it("TaskScheduler 142: the EventData element's Name attribute is not a field", () => {
    expect(getField(normalized("Microsoft-Windows-TaskScheduler 142"), "winlog.event_data")).toEqual({ TaskName: "\\Microsoft\\Windows\\SystemRestore\\SR", UserName: "System" });
  });

  it("Defender 1119: blank-containing names keep their originals and gain aliases", () => {
    const event = normalized("Microsoft-Windows-Windows Defender 1119");
    expect(event).toMatchObject({ winlog: { event_data: { "Threat Name": "Tool:Win32/EICAR_Test_File", ThreatName: "Tool:Win32/EICAR_Test_File", ProcessName: "C:\\Users\\xodih\\Downloads\\RedSun.exe" } } });
    expect(event).toMatchObject({ log: { level: "error" } });
  });

  it("WMI-Activity 5858: UserData becomes winlog.user_data, in winlogbeat's shape", () => {
    const event = normalized("Microsoft-Windows-WMI-Activity 5858");
    expect(event).toMatchObject({ winlog: { user_data: { xml_name: "Operation_ClientFailure", ResultCode: "0x80041003" } } });
    expect(getField(event, "winlog.user_data.Operation")).toContain("cleareventlog");
    expect(getField(event, "winlog.event_data")).toBeUndefined();
  });
});
