/**
 * compileException: every operator positive and negative, case, Windows paths, arrays, missing
 * fields, OR groups, wildcard escapes, CIDR and numbers, on events normalized as ingest does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RuleValidationError } from "../errors";
import { normalizeEvent } from "../event/normalize";
import type { EcsEvent } from "../event/types";
import { compileException } from "./compile";
import type { ExceptionEntry, ExceptionItem } from "./types";

const receivedAt = new Date("2026-11-23T08:00:00.000Z");

function normalized(input: Record<string, unknown>): EcsEvent {
  const result = normalizeEvent(input, { receivedAt });
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

/** w3wp.exe starting `cmd.exe /c whoami` on WEB01 (Sysmon 1, flat). */
const sysmon = normalized({
  EventID: 1,
  UtcTime: "2026-11-09 10:15:02.123",
  Computer: "WEB01",
  ProcessId: "7112",
  User: "IIS APPPOOL\\DefaultAppPool",
  Image: "C:\\Windows\\System32\\cmd.exe",
  CommandLine: "cmd.exe /c whoami",
  CurrentDirectory: "c:\\windows\\system32\\inetsrv\\",
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
});

const network: EcsEvent = {
  source: { ip: "10.20.30.40", port: 51234 },
  destination: { ip: "2001:db8::7" },
  client: { ip: "::ffff:192.168.1.9" },
  related: { ip: ["203.0.113.5", "172.16.0.4"] },
  host: { name: "WEB01" },
};

const test = (entries: ExceptionItem[], event: EcsEvent) => compileException(entries)(event);
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const one = (entry: ExceptionEntry, event: EcsEvent = sysmon) => test([entry], event);

describe("compileException: operators", () => {
  it("is / is_not", () => {
    expect(one({ field: "process.name", operator: "is", value: "cmd.exe" })).toBe(true);
    expect(one({ field: "process.name", operator: "is", value: "cmd" })).toBe(false);
    expect(one({ field: "process.name", operator: "is_not", value: "cmd.exe" })).toBe(false);
    expect(one({ field: "process.name", operator: "is_not", value: "powershell.exe" })).toBe(true);
  });

  it("is_one_of / is_not_one_of", () => {
    expect(one({ field: "host.name", operator: "is_one_of", values: ["DC01", "WEB01"] })).toBe(true);
    expect(one({ field: "host.name", operator: "is_one_of", values: ["DC01", "SQL01"] })).toBe(false);
    expect(one({ field: "host.name", operator: "is_not_one_of", values: ["DC01", "WEB01"] })).toBe(false);
    expect(one({ field: "host.name", operator: "is_not_one_of", values: ["DC01", "SQL01"] })).toBe(true);
  });

  it("is_one_of with many values (a compiled set) still finds the one", () => {
    const values = Array.from({ length: 500 }, (_, i) => `host-${i}`);
    expect(one({ field: "host.name", operator: "is_one_of", values: [...values, "web01"] })).toBe(true);
    expect(one({ field: "host.name", operator: "is_one_of", values })).toBe(false);
  });

  it("is and is_one_of take values literally: no wildcards", () => {
    expect(one({ field: "process.name", operator: "is", value: "*.exe" })).toBe(false);
    expect(one({ field: "process.name", operator: "is", value: "cmd.ex?" })).toBe(false);
    expect(one({ field: "process.name", operator: "is", value: "*" }, { process: { name: "*" } })).toBe(true);
  });

  it("matches / does_not_match with * and ?", () => {
    expect(one({ field: "process.command_line", operator: "matches", value: "*/c who*" })).toBe(true);
    expect(one({ field: "process.command_line", operator: "matches", value: "cmd.exe /? whoami" })).toBe(true);
    expect(one({ field: "process.command_line", operator: "matches", value: "*-enc*" })).toBe(false);
    expect(one({ field: "process.command_line", operator: "does_not_match", value: "*-enc*" })).toBe(true);
    expect(one({ field: "process.command_line", operator: "does_not_match", value: "*whoami" })).toBe(false);
    expect(one({ field: "process.command_line", operator: "matches", value: "*" })).toBe(true);
  });

  it("matches: \\* \\? and \\\\ are literals, other backslashes are plain", () => {
    const event: EcsEvent = { file: { path: "D:\\share\\report*?.txt", name: "a\\*b" } };
    expect(one({ field: "file.path", operator: "matches", value: "*report\\*\\?.txt" }, event)).toBe(true);
    expect(one({ field: "file.path", operator: "matches", value: "*reportX\\?.txt" }, event)).toBe(false);
    expect(one({ field: "file.path", operator: "matches", value: "*report\\*X.txt" }, event)).toBe(false);
    expect(one({ field: "file.path", operator: "matches", value: "D:\\share\\*" }, event)).toBe(false); // `\*` is a literal *
    expect(one({ field: "file.path", operator: "matches", value: "D:\\share\\\\*" }, event)).toBe(true); // `\\` then *
    expect(one({ field: "file.name", operator: "matches", value: "a\\\\\\*b" }, event)).toBe(true); // `\` then literal *
    expect(one({ field: "file.name", operator: "matches", value: "a\\\\*" }, { file: { name: "a\\anything" } })).toBe(true);
  });

  it("exists / does_not_exist", () => {
    expect(one({ field: "process.parent.executable", operator: "exists" })).toBe(true);
    expect(one({ field: "process.hash.md5", operator: "exists" })).toBe(false);
    expect(one({ field: "process.parent.executable", operator: "does_not_exist" })).toBe(false);
    expect(one({ field: "process.hash.md5", operator: "does_not_exist" })).toBe(true);
  });

  it("exists: null and [] are no value; an object with a value is one (Elasticsearch's exists)", () => {
    expect(one({ field: "a", operator: "exists" }, { a: null })).toBe(false);
    expect(one({ field: "a", operator: "exists" }, { a: [] })).toBe(false);
    expect(one({ field: "a", operator: "exists" }, { a: [null, "x"] })).toBe(true);
    expect(one({ field: "process.parent", operator: "exists" })).toBe(true);
    expect(one({ field: "a", operator: "exists" }, { a: { b: null } })).toBe(false);
    expect(one({ field: "a", operator: "does_not_exist" }, { a: null })).toBe(true);
    expect(one({ field: "a", operator: "exists" }, { a: false })).toBe(true);
  });

  it("cidr: IPv4, IPv6, single addresses, IPv4-mapped IPv6", () => {
    expect(one({ field: "source.ip", operator: "cidr", value: "10.0.0.0/8" }, network)).toBe(true);
    expect(one({ field: "source.ip", operator: "cidr", value: "10.20.30.0/25" }, network)).toBe(true);
    expect(one({ field: "source.ip", operator: "cidr", value: "192.168.0.0/16" }, network)).toBe(false);
    expect(one({ field: "source.ip", operator: "cidr", value: "10.20.30.40" }, network)).toBe(true);
    expect(one({ field: "destination.ip", operator: "cidr", value: "2001:db8::/32" }, network)).toBe(true);
    expect(one({ field: "destination.ip", operator: "cidr", value: "2001:db9::/32" }, network)).toBe(false);
    expect(one({ field: "destination.ip", operator: "cidr", values: ["10.0.0.0/8", "2001:db8::7"] }, network)).toBe(true);
    expect(one({ field: "client.ip", operator: "cidr", value: "192.168.0.0/16" }, network)).toBe(true);
    expect(one({ field: "host.name", operator: "cidr", value: "0.0.0.0/0" }, network)).toBe(false); // not an address
  });

  it("an invalid body throws RuleValidationError naming the path (validate first for a 422)", () => {
    expect(() => compileException([{ field: "source.ip", operator: "cidr", value: "10.0.0.0/40" }])).toThrow(RuleValidationError);
    expect(() => compileException([{ field: "source.ip", operator: "cidr", values: ["10.0.0.0/8", "nope"] }])).toThrow(
      /entries\[0\]\.values\[1\]/,
    );
    expect(() => compileException([])).toThrow(/entries: needs at least one entry/);
    expect(thrown(() => compileException([{ field: "a", operator: "is" }]))).toMatchObject({
      code: "invalid_exception",
      summary: "invalid exception: entries[0].value: is needs a value",
    });
  });
});

describe("compileException: case", () => {
  it("is case-insensitive by default", () => {
    expect(one({ field: "process.name", operator: "is", value: "CMD.EXE" })).toBe(true);
    expect(one({ field: "host.name", operator: "is_one_of", values: ["web01"] })).toBe(true);
    expect(one({ field: "process.command_line", operator: "matches", value: "CMD.EXE /C *" })).toBe(true);
    expect(one({ field: "process.name", operator: "is_not", value: "CMD.exe" })).toBe(false);
  });

  it("case_sensitive: true compares exactly", () => {
    expect(one({ field: "process.name", operator: "is", value: "CMD.EXE", case_sensitive: true })).toBe(false);
    expect(one({ field: "process.name", operator: "is", value: "cmd.exe", case_sensitive: true })).toBe(true);
    expect(one({ field: "process.command_line", operator: "matches", value: "CMD*", case_sensitive: true })).toBe(false);
    expect(one({ field: "process.name", operator: "is_not", value: "CMD.EXE", case_sensitive: true })).toBe(true);
    expect(one({ field: "host.name", operator: "is_one_of", values: ["web01", "WEB01"], case_sensitive: true })).toBe(true);
  });
});

describe("compileException: Windows paths", () => {
  it("either slash and any case: C:/Windows/System32/CMD.EXE is c:\\windows\\system32\\cmd.exe", () => {
    expect(one({ field: "process.executable", operator: "is", value: "C:/Windows/System32/CMD.EXE" })).toBe(true);
    expect(one({ field: "process.executable", operator: "is", value: "c:\\windows\\system32\\cmd.exe" })).toBe(true);
    expect(one({ field: "process.executable", operator: "is", value: "c:/windows/system32/cmd.exe" }, { process: { executable: "C:\\Windows/System32\\CMD.EXE" } })).toBe(true);
    expect(one({ field: "process.executable", operator: "is_not", value: "C:/Windows/System32/CMD.EXE" })).toBe(false);
    expect(one({ field: "process.executable", operator: "is", value: "C:/Windows/SysWOW64/cmd.exe" })).toBe(false);
  });

  it("an event path written with / matches an exception written with \\", () => {
    const event: EcsEvent = { process: { executable: "C:/Program Files/Backup/agent.exe" } };
    expect(one({ field: "process.executable", operator: "is", value: "C:\\Program Files\\Backup\\agent.exe" }, event)).toBe(true);
    expect(one({ field: "process.executable", operator: "is_one_of", values: ["x", "c:\\program files\\backup\\AGENT.EXE"] }, event)).toBe(true);
  });

  it("a relative value with / matches an event path with \\ (the event looks like a path)", () => {
    expect(one({ field: "process.parent.executable", operator: "matches", value: "*/inetsrv/w3wp.exe" })).toBe(true);
    expect(one({ field: "process.working_directory", operator: "is", value: "C:/Windows/System32/inetsrv/" })).toBe(true);
    expect(one({ field: "user.domain", operator: "matches", value: "iis*" })).toBe(true);
  });

  it("non-path values keep their slashes: a URL path is not a Windows path", () => {
    const event: EcsEvent = { url: { path: "/api/v1/health" } };
    expect(one({ field: "url.path", operator: "is", value: "/api/v1/health" }, event)).toBe(true);
    expect(one({ field: "url.path", operator: "is", value: "\\api\\v1\\health" }, event)).toBe(true); // the value is a path
    expect(one({ field: "url.path", operator: "matches", value: "/api/*" }, event)).toBe(true);
    expect(one({ field: "url.path", operator: "matches", value: "/other/*" }, event)).toBe(false);
  });

  it("matches with wildcards on paths, either slash", () => {
    expect(one({ field: "process.executable", operator: "matches", value: "C:/Windows/*/cmd.exe" })).toBe(true);
    expect(one({ field: "process.executable", operator: "matches", value: "?:\\windows\\system32\\\\*" })).toBe(true);
    expect(one({ field: "process.executable", operator: "matches", value: "?:/WINDOWS/system32/*.exe" })).toBe(true);
    expect(one({ field: "process.executable", operator: "does_not_match", value: "C:/Windows/*" })).toBe(false);
    expect(one({ field: "process.executable", operator: "does_not_match", value: "C:/Temp/*" })).toBe(true);
  });

  it("case_sensitive keeps the case but still treats / and \\ alike", () => {
    expect(one({ field: "process.executable", operator: "is", value: "C:/Windows/System32/cmd.exe", case_sensitive: true })).toBe(true);
    expect(one({ field: "process.executable", operator: "is", value: "C:/Windows/System32/CMD.EXE", case_sensitive: true })).toBe(false);
    expect(one({ field: "process.executable", operator: "matches", value: "*/System32/cmd.exe", case_sensitive: true })).toBe(true);
    expect(one({ field: "process.executable", operator: "matches", value: "*/system32/cmd.exe", case_sensitive: true })).toBe(false);
  });
});

describe("compileException: arrays and missing fields", () => {
  const args = sysmon; // process.args: ["cmd.exe", "/c", "whoami"]

  it("positive operators hold when any value matches", () => {
    expect(one({ field: "process.args", operator: "is", value: "WHOAMI" }, args)).toBe(true);
    expect(one({ field: "process.args", operator: "is_one_of", values: ["/k", "/c"] }, args)).toBe(true);
    expect(one({ field: "process.args", operator: "matches", value: "who*" }, args)).toBe(true);
    expect(one({ field: "related.ip", operator: "cidr", value: "172.16.0.0/12" }, network)).toBe(true);
    expect(one({ field: "process.args", operator: "is", value: "net.exe" }, args)).toBe(false);
  });

  it("negative operators hold when no value matches", () => {
    expect(one({ field: "process.args", operator: "is_not", value: "whoami" }, args)).toBe(false);
    expect(one({ field: "process.args", operator: "is_not", value: "net.exe" }, args)).toBe(true);
    expect(one({ field: "process.args", operator: "is_not_one_of", values: ["/k", "/c"] }, args)).toBe(false);
    expect(one({ field: "process.args", operator: "is_not_one_of", values: ["/k", "/q"] }, args)).toBe(true);
    expect(one({ field: "process.args", operator: "does_not_match", value: "/?" }, args)).toBe(false);
    expect(one({ field: "process.args", operator: "does_not_match", value: "-*" }, args)).toBe(true);
  });

  it("arrays of objects flatten along the path", () => {
    const event: EcsEvent = { dns: { answers: [{ data: "1.2.3.4" }, { data: "evil.example" }] } };
    expect(one({ field: "dns.answers.data", operator: "is", value: "EVIL.example" }, event)).toBe(true);
    expect(one({ field: "dns.answers.data", operator: "cidr", value: "1.2.3.0/24" }, event)).toBe(true);
  });

  it("a missing field satisfies no operator except does_not_exist", () => {
    const missing = "process.hash.sha1";
    const results = {
      is: one({ field: missing, operator: "is", value: "x" }),
      is_not: one({ field: missing, operator: "is_not", value: "x" }),
      is_one_of: one({ field: missing, operator: "is_one_of", values: ["x"] }),
      is_not_one_of: one({ field: missing, operator: "is_not_one_of", values: ["x"] }),
      matches: one({ field: missing, operator: "matches", value: "*" }),
      does_not_match: one({ field: missing, operator: "does_not_match", value: "x*" }),
      exists: one({ field: missing, operator: "exists" }),
      does_not_exist: one({ field: missing, operator: "does_not_exist" }),
      cidr: one({ field: missing, operator: "cidr", value: "0.0.0.0/0" }),
    };
    expect(results).toEqual({
      is: false,
      is_not: false,
      is_one_of: false,
      is_not_one_of: false,
      matches: false,
      does_not_match: false,
      exists: false,
      does_not_exist: true,
      cidr: false,
    });
  });

  it("null, [] and objects are no value for the negative operators either", () => {
    for (const value of [null, [], [null], { nested: "x" }]) {
      expect(one({ field: "a", operator: "is_not", value: "x" }, { a: value })).toBe(false);
      expect(one({ field: "a", operator: "does_not_match", value: "x" }, { a: value })).toBe(false);
    }
  });
});

describe("compileException: numbers and booleans compare as text", () => {
  it("process.pid 42 is \"42\"", () => {
    const event: EcsEvent = { process: { pid: 42 }, winlog: { event_id: 4688 }, tls: { established: true } };
    expect(one({ field: "process.pid", operator: "is", value: "42" }, event)).toBe(true);
    expect(one({ field: "process.pid", operator: "is", value: "042" }, event)).toBe(false);
    expect(one({ field: "winlog.event_id", operator: "is_one_of", values: ["4624", "4688"] }, event)).toBe(true);
    expect(one({ field: "winlog.event_id", operator: "matches", value: "46*" }, event)).toBe(true);
    expect(one({ field: "tls.established", operator: "is", value: "TRUE" }, event)).toBe(true);
    expect(one({ field: "process.pid", operator: "is_not", value: "7" }, event)).toBe(true);
  });

  it("the normalized Sysmon pid (a number) matches its text", () => {
    expect(one({ field: "process.pid", operator: "is", value: "7112" })).toBe(true);
  });
});

describe("compileException: AND and OR groups", () => {
  it("entries are ANDed", () => {
    const parent = { field: "process.parent.executable", operator: "is", value: "C:/Windows/System32/inetsrv/w3wp.exe" } as const;
    expect(test([parent, { field: "process.command_line", operator: "is", value: "cmd.exe /c whoami" }], sysmon)).toBe(true);
    expect(test([parent, { field: "process.command_line", operator: "is", value: "cmd.exe /c dir" }], sysmon)).toBe(false);
  });

  it("an any group is ORed, and groups nest", () => {
    const hosts: ExceptionItem = { any: [{ field: "host.name", operator: "is", value: "DC01" }, { field: "host.name", operator: "is", value: "WEB01" }] };
    const nested: ExceptionItem = {
      any: [
        { field: "user.name", operator: "is", value: "svc_backup" },
        { any: [{ field: "process.args", operator: "is", value: "/k" }, { field: "process.args", operator: "is", value: "whoami" }] },
      ],
    };
    expect(test([hosts, nested], sysmon)).toBe(true);
    expect(test([hosts, { any: [{ field: "user.name", operator: "is", value: "svc_backup" }, { any: [{ field: "process.args", operator: "is", value: "/k" }] }] }], sysmon)).toBe(false);
    expect(test([{ any: [{ field: "host.name", operator: "is", value: "DC01" }] }, nested], sysmon)).toBe(false);
  });
});

describe("compileException: compile once, test many", () => {
  it("one predicate decides a stream of events, each on its own values", () => {
    const predicate = compileException([{ field: "process.executable", operator: "matches", value: "C:/Program Files/*" }]);
    const events: EcsEvent[] = [
      { process: { executable: "C:\\Program Files\\A\\a.exe" } },
      { process: { executable: "C:\\Windows\\b.exe" } },
      { process: { executable: "c:/program files/c.exe" } },
      { process: {} },
    ];
    expect(events.map(predicate)).toEqual([true, false, true, false]);
    expect(events.map(predicate)).toEqual([true, false, true, false]);
  });

  it("two exceptions on the same field do not disturb each other", () => {
    const a = compileException([{ field: "process.executable", operator: "is", value: "C:/Windows/System32/cmd.exe" }]);
    const b = compileException([{ field: "process.executable", operator: "is", value: "C:\\Windows\\System32\\cmd.exe", case_sensitive: true }]);
    const c = compileException([{ field: "process.executable", operator: "is", value: "c:/windows/system32/cmd.exe", case_sensitive: true }]);
    expect([a(sysmon), b(sysmon), c(sysmon)]).toEqual([true, true, false]);
  });
});

describe("compileException: Windows path equivalence (property)", () => {
  it("a path matches itself with any slashes and any case; case_sensitive only keeps the case", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9 ._-]{1,8}$/);
    const slash = fc.constantFrom("\\", "/");
    fc.assert(
      fc.property(fc.array(fc.tuple(segment, slash, slash), { minLength: 1, maxLength: 5 }), (parts) => {
        const eventPath = "C:" + parts.map(([s, a]) => `${a}${s}`).join("");
        const valuePath = "c:" + parts.map(([s, , b]) => `${b}${s.toUpperCase()}`).join("");
        const samePath = "C:" + parts.map(([s, , b]) => `${b}${s}`).join("");
        const event: EcsEvent = { process: { executable: eventPath } };
        expect(one({ field: "process.executable", operator: "is", value: valuePath }, event)).toBe(true);
        expect(one({ field: "process.executable", operator: "is", value: samePath, case_sensitive: true }, event)).toBe(true);
        expect(one({ field: "process.executable", operator: "matches", value: `${valuePath}*` }, event)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
