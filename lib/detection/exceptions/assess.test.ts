/**
 * The draft warnings: broadnessWarning on exceptions that name only a program or a kind of event,
 * attackWarning on exceptions that would hide the rule's own attack samples.
 */
import { describe, expect, it } from "vitest";
import { normalizeEvent } from "../event/normalize";
import type { EcsEvent } from "../event/types";
import { attackWarning, broadnessWarning } from "./assess";
import { compileException } from "./compile";
import type { ExceptionEntry, ExceptionItem } from "./types";

const receivedAt = new Date("2026-11-23T08:00:00.000Z");

function sysmonProcess(image: string, commandLine: string, parentImage: string): EcsEvent {
  const result = normalizeEvent(
    { EventID: 1, UtcTime: "2026-11-09 10:15:02.123", Computer: "WEB01", Image: image, CommandLine: commandLine, ParentImage: parentImage },
    { receivedAt },
  );
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

const broad = (...entries: ExceptionItem[]) => broadnessWarning(entries);
const entry = (field: string, operator: ExceptionEntry["operator"], value?: string): ExceptionEntry =>
  value === undefined ? { field, operator } : { field, operator, value };

describe("broadnessWarning", () => {
  it("warns on process.name alone", () => {
    expect(broad(entry("process.name", "is", "powershell.exe"))).toMatch(/broad/);
  });

  it("is null for a parent executable and a command line", () => {
    expect(
      broad(
        entry("process.parent.executable", "is", "C:\\Program Files\\Backup\\agent.exe"),
        entry("process.command_line", "matches", "powershell.exe -File C:\\Scripts\\backup.ps1*"),
      ),
    ).toBeNull();
  });

  it('warns on matches "*" even on a narrow field', () => {
    expect(broad(entry("process.command_line", "matches", "*"))).toMatch(/broad/);
    expect(broad(entry("process.command_line", "matches", "*.ps1"))).toMatch(/broad/);
    expect(broad(entry("process.command_line", "matches", "*a?b*"))).toMatch(/broad/);
  });

  it("warns on coarse fields, exists, and negative entries only", () => {
    expect(broad(entry("process.name", "is", "cmd.exe"), entry("process.parent.name", "is", "w3wp.exe"))).not.toBeNull();
    expect(broad(entry("event.code", "is", "1"), entry("event.category", "is", "process"))).not.toBeNull();
    expect(broad(entry("process.pe.original_file_name", "is", "Cmd.Exe"))).not.toBeNull();
    expect(broad(entry("process.command_line", "exists"))).not.toBeNull();
    expect(broad(entry("process.command_line", "is_not", "x"), entry("user.name", "does_not_exist"))).not.toBeNull();
  });

  it("*\\name on an executable path says no more than the process name", () => {
    expect(broad(entry("process.executable", "matches", "*\\cmd.exe"))).not.toBeNull();
    expect(broad(entry("process.executable", "matches", "*/powershell.exe"))).not.toBeNull();
    expect(broad(entry("process.executable", "matches", "*\\Backup\\agent.exe"))).toBeNull();
    expect(broad(entry("process.command_line", "matches", "*\\backup.ps1"))).toBeNull();
  });

  it("is null for narrow fields with a concrete value: hash, host, user, signature, working directory, cidr", () => {
    expect(broad(entry("process.hash.sha256", "is", "eb71ea69dd19f728ab9240565e8c7efb59821e19e3788e289301e1e74940c208"))).toBeNull();
    expect(broad(entry("process.name", "is", "cmd.exe"), entry("host.name", "is", "WEB01"))).toBeNull();
    expect(broad({ field: "user.name", operator: "is_one_of", values: ["svc_backup", "svc_sql"] })).toBeNull();
    expect(broad(entry("process.code_signature.subject_name", "is", "Contoso Backup Ltd"))).toBeNull();
    expect(broad(entry("process.working_directory", "is", "D:\\Backups\\"))).toBeNull();
    expect(broad(entry("source.ip", "cidr", "10.1.2.0/24"))).toBeNull();
    expect(broad(entry("source.ip", "cidr", "0.0.0.0/0"))).not.toBeNull();
    expect(broad(entry("host.name", "is", ""))).not.toBeNull();
  });

  it("an any group is narrow only when every alternative is", () => {
    const narrowOr = { any: [entry("host.name", "is", "WEB01"), entry("user.name", "is", "svc")] };
    const mixedOr = { any: [entry("host.name", "is", "WEB01"), entry("process.name", "is", "cmd.exe")] };
    expect(broad(narrowOr)).toBeNull();
    expect(broad(mixedOr)).not.toBeNull();
    expect(broad(mixedOr, entry("process.command_line", "is", "cmd.exe /c whoami"))).toBeNull();
    expect(broad({ any: [narrowOr, { any: [entry("process.hash.md5", "is", "e7a6b1f51efb405287a8048cfa4690f4")] }] })).toBeNull();
  });
});

describe("attackWarning", () => {
  const samples = [
    { label: "web shell runs whoami", event: sysmonProcess("C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami", "C:\\Windows\\System32\\inetsrv\\w3wp.exe") },
    { label: "web shell runs net user", event: sysmonProcess("C:\\Windows\\System32\\net.exe", "net user /domain", "C:\\Windows\\System32\\inetsrv\\w3wp.exe") },
    { label: "backup agent", event: sysmonProcess("C:\\Windows\\System32\\cmd.exe", "cmd.exe /c backup.bat", "C:\\Program Files\\Backup\\agent.exe") },
  ];

  it("names the samples the exception would suppress", () => {
    const tooBroad = compileException([{ field: "process.parent.executable", operator: "matches", value: "*\\w3wp.exe" }]);
    expect(attackWarning(tooBroad, samples)).toEqual(["web shell runs whoami", "web shell runs net user"]);
  });

  it("is empty for an exception that spares every attack sample", () => {
    const narrow = compileException([
      { field: "process.parent.executable", operator: "is", value: "C:/Program Files/Backup/agent.exe" },
      { field: "process.command_line", operator: "is", value: "cmd.exe /c backup.bat" },
    ]);
    expect(attackWarning(narrow, samples.slice(0, 2))).toEqual([]);
    expect(attackWarning(narrow, samples)).toEqual(["backup agent"]);
  });
});
