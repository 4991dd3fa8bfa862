/**
 * sigmaFilterToExceptions: Sigma v2 filter documents imported as exception drafts, each draft
 * valid and matching the events the filter describes (and not others).
 */
import { describe, expect, it } from "vitest";
import { normalizeEvent } from "../event/normalize";
import type { EcsEvent } from "../event/types";
import { compileException } from "./compile";
import { sigmaFilterToExceptions } from "./sigma-filter";
import type { ExceptionItem } from "./types";
import { validateExceptionEntries } from "./validate";

const FILE = "filters/deploy.yml";

function normalized(input: Record<string, unknown>): EcsEvent {
  const result = normalizeEvent(input, { receivedAt: new Date("2026-11-23T08:00:00.000Z") });
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

/** IIS (w3wp.exe) running the deploy script: what the example filter allowlists. */
const deploy = normalized({
  EventID: 1,
  UtcTime: "2026-11-09 10:15:02.123",
  Computer: "WEB01",
  Image: "C:\\Windows\\System32\\cmd.exe",
  CommandLine: "cmd.exe /c C:\\deploy\\publish.cmd --site shop",
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
});

/** The same parent running something else: a webshell, still alerted. */
const webshell = normalized({
  EventID: 1,
  UtcTime: "2026-11-09 10:16:40.001",
  Computer: "WEB01",
  Image: "C:\\Windows\\System32\\cmd.exe",
  CommandLine: "cmd.exe /c whoami",
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
});

const HEADER = `title: Filter out the deploy script
id: 0d1c9a3e-2f0e-4a5c-9b7a-3c2f1e0d9a8b
logsource:
    category: process_creation
    product: windows
`;

/** A filter document with the given `filter` body lines (indented four spaces). */
function filterDoc(body: string, header = HEADER): string {
  return `${header}filter:\n    rules:\n        - 8202070f-edeb-4d31-a010-a26c72ac5600\n${body}`;
}

function only(text: string) {
  const result = sigmaFilterToExceptions(text, FILE);
  expect(result.problems.map((p) => p.message)).toEqual([]);
  expect(result.exceptions).toHaveLength(1);
  const exception = result.exceptions[0]!;
  expect(validateExceptionEntries(exception.entries)).toEqual({ ok: true, entries: exception.entries });
  return exception;
}

function entriesOf(text: string): ExceptionItem[] {
  return only(text).entries;
}

function problemsOf(text: string) {
  return sigmaFilterToExceptions(text, FILE).problems;
}

/** Line (1-based) of the first occurrence of `needle` in `text`, and its column. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const EXAMPLE = `title: Filter out the deploy script
id: 0d1c9a3e-2f0e-4a5c-9b7a-3c2f1e0d9a8b
description: The release pipeline runs publish.cmd through IIS
logsource:
    category: process_creation
    product: windows
filter:
    rules:
        - 8202070f-edeb-4d31-a010-a26c72ac5600
        - proc_creation_win_webshell_susp_process_spawned_from_webserver
    selection:
        ParentImage|endswith: '\\w3wp.exe'
        CommandLine|startswith: 'cmd.exe /c C:\\deploy\\publish.cmd'
    condition: not selection
`;

describe("sigmaFilterToExceptions: the deploy-script example", () => {
  it("maps title, description, rules and the selection's fields through the logsource", () => {
    const exception = only(EXAMPLE);
    expect(exception).toEqual({
      name: "Filter out the deploy script",
      reason: "The release pipeline runs publish.cmd through IIS",
      rule_refs: ["8202070f-edeb-4d31-a010-a26c72ac5600", "proc_creation_win_webshell_susp_process_spawned_from_webserver"],
      entries: [
        // Sigma's `\w` is a plain backslash before `w`: the pattern keeps one backslash.
        { field: "process.parent.executable", operator: "matches", value: "*\\w3wp.exe" },
        { field: "process.command_line", operator: "matches", value: "cmd.exe /c C:\\deploy\\publish.cmd*" },
      ],
    });
    expect(exception.entries[0]).toMatchObject({ value: String.raw`*\w3wp.exe` });
    expect(exception.entries[1]).toMatchObject({ value: String.raw`cmd.exe /c C:\deploy\publish.cmd*` });
  });

  it("allowlists the deploy script and not another command from the same parent", () => {
    const matches = compileException(only(EXAMPLE).entries);
    expect(matches(deploy)).toBe(true);
    expect(matches(webshell)).toBe(false);
  });

  it("names the reason after the id when there is no description", () => {
    const exception = only(EXAMPLE.replace(/^description:.*\n/m, ""));
    expect(exception.reason).toBe("imported Sigma filter 0d1c9a3e-2f0e-4a5c-9b7a-3c2f1e0d9a8b");
  });
});

describe("sigmaFilterToExceptions: values and modifiers", () => {
  it("a plain value is `is`, a list of plain values is_one_of (escapes unescaped)", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        CommandLine: 'cmd.exe /c C:\\deploy\\publish.cmd --site shop'
        Image:
            - 'C:\\Windows\\System32\\cmd.exe'
            - 'C:\\Tools\\literal\\*star.exe'
    condition: not selection
`),
    );
    expect(entries).toEqual([
      { field: "process.command_line", operator: "is", value: "cmd.exe /c C:\\deploy\\publish.cmd --site shop" },
      { field: "process.executable", operator: "is_one_of", values: ["C:\\Windows\\System32\\cmd.exe", "C:\\Tools\\literal*star.exe"] },
    ]);
    const matches = compileException(entries);
    expect(matches(deploy)).toBe(true);
    expect(matches(webshell)).toBe(false);
  });

  it("a value with wildcards is `matches`, kept as written", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.ex?'
        CommandLine: '*publish.cmd*'
    condition: not selection
`),
    );
    expect(entries).toEqual([
      { field: "process.parent.executable", operator: "matches", value: "C:\\Windows\\System32\\inetsrv\\w3wp.ex?" },
      { field: "process.command_line", operator: "matches", value: "*publish.cmd*" },
    ]);
    expect(compileException(entries)(deploy)).toBe(true);
    expect(compileException(entries)(webshell)).toBe(false);
  });

  it("a contains list is an `any` group of matches entries", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        CommandLine|contains:
            - '\\deploy\\publish.cmd'
            - '\\deploy\\rollback.cmd'
    condition: not selection
`),
    );
    expect(entries).toEqual([
      {
        any: [
          { field: "process.command_line", operator: "matches", value: "*\\deploy\\publish.cmd*" },
          { field: "process.command_line", operator: "matches", value: "*\\deploy\\rollback.cmd*" },
        ],
      },
    ]);
    expect(compileException(entries)(deploy)).toBe(true);
    expect(compileException(entries)(webshell)).toBe(false);
  });

  it("contains|all is an AND of matches entries", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        CommandLine|contains|all:
            - 'publish.cmd'
            - '--site'
    condition: not selection
`),
    );
    expect(entries).toEqual([
      { field: "process.command_line", operator: "matches", value: "*publish.cmd*" },
      { field: "process.command_line", operator: "matches", value: "*--site*" },
    ]);
    expect(compileException(entries)(deploy)).toBe(true);
    expect(compileException(entries)(webshell)).toBe(false);
  });

  it("escapes literal wildcards and a trailing backslash correctly in matches patterns", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        CommandLine|contains: 'a\\*b'
        Image|startswith: 'C:\\Tools\\'
        CurrentDirectory|endswith: '\\\\?'
    condition: not selection
`),
    );
    expect(entries).toEqual([
      // `\*` stays an escaped (literal) star inside the pattern.
      { field: "process.command_line", operator: "matches", value: "*a\\*b*" },
      // A lone trailing backslash is doubled so that the appended `*` stays a wildcard.
      { field: "process.executable", operator: "matches", value: "C:\\Tools\\\\*" },
      { field: "process.working_directory", operator: "matches", value: "*\\\\?" },
    ]);
    const matches = compileException([entries[1]!]);
    expect(matches(deploy)).toBe(false);
    expect(matches(normalized({ EventID: 1, UtcTime: "2026-11-09 10:15:02.123", Computer: "WEB01", Image: "C:\\Tools\\x.exe" }))).toBe(true);
    expect(compileException([entries[0]!])(normalized({ EventID: 1, UtcTime: "2026-11-09 10:15:02.123", CommandLine: "x a*b y" }))).toBe(true);
    expect(compileException([entries[0]!])(normalized({ EventID: 1, UtcTime: "2026-11-09 10:15:02.123", CommandLine: "x aXb y" }))).toBe(false);
  });

  it("cidr: one network or a list", () => {
    const text = `title: Backup traffic
logsource:
    category: network_connection
    product: windows
filter:
    rules: [net_conn_rule]
    selection:
        DestinationIp|cidr:
            - 10.0.0.0/8
            - 192.168.0.0/16
        SourceIp|cidr: 172.16.0.0/12
    condition: not selection
`;
    const entries = entriesOf(text);
    expect(entries).toEqual([
      { field: "destination.ip", operator: "cidr", values: ["10.0.0.0/8", "192.168.0.0/16"] },
      { field: "source.ip", operator: "cidr", value: "172.16.0.0/12" },
    ]);
    const matches = compileException(entries);
    expect(matches({ destination: { ip: "10.1.2.3" }, source: { ip: "172.16.4.4" } })).toBe(true);
    expect(matches({ destination: { ip: "8.8.8.8" }, source: { ip: "172.16.4.4" } })).toBe(false);
  });

  it("an invalid network is a problem on the value", () => {
    const text = filterDoc(`    selection:
        CommandLine|cidr: 10.0.0.0/33
    condition: not selection
`);
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: "invalid_cidr", source: { file: FILE, ...positionOf(text, "10.0.0.0/33") } });
  });

  it("exists: true and false", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        ParentImage|exists: true
        OriginalFileName|exists: false
    condition: not selection
`),
    );
    expect(entries).toEqual([
      { field: "process.parent.executable", operator: "exists" },
      { field: "process.pe.original_file_name", operator: "does_not_exist" },
    ]);
    expect(compileException(entries)(deploy)).toBe(true);
    expect(compileException(entries)(normalized({ EventID: 1, UtcTime: "2026-11-09 10:15:02.123", Image: "C:\\x.exe" }))).toBe(false);
  });

  it("cased sets case_sensitive", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        CommandLine|cased|contains: 'publish.cmd --site shop'
    condition: not selection
`),
    );
    expect(entries).toEqual([{ field: "process.command_line", operator: "matches", value: "*publish.cmd --site shop*", case_sensitive: true }]);
    expect(compileException(entries)(deploy)).toBe(true);
    const shouted = normalized({ EventID: 1, UtcTime: "2026-11-09 10:15:02.123", CommandLine: "cmd.exe /c C:\\deploy\\PUBLISH.CMD --site shop" });
    expect(compileException(entries)(shouted)).toBe(false);
  });

  it("an unmapped field on a Windows logsource is read from winlog.event_data, a dotted name as ECS", () => {
    const entries = entriesOf(
      filterDoc(`    selection:
        IntegrityLevel: High
        host.name: WEB01
    condition: not selection
`),
    );
    expect(entries).toEqual([
      { field: "winlog.event_data.IntegrityLevel", operator: "is", value: "High" },
      { field: "host.name", operator: "is", value: "WEB01" },
    ]);
  });

  it("an unsupported modifier (re) is a problem naming field and modifier, with its line and column", () => {
    const text = filterDoc(`    selection:
        CommandLine|re: 'publish\\.cmd'
    condition: not selection
`);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "unsupported_modifier", source: { file: FILE, ...positionOf(text, "re:") } });
    expect(problems[0]!.summary).toContain("`CommandLine`");
    expect(problems[0]!.summary).toContain("`re`");
    expect(sigmaFilterToExceptions(text, FILE).exceptions).toEqual([]);
  });

  it("windash, base64 and lt are problems too; an unknown modifier is reported as unknown", () => {
    for (const modifier of ["windash", "base64", "lt", "fieldref"]) {
      const text = filterDoc(`    selection:
        CommandLine|${modifier}: '1'
    condition: not selection
`);
      expect(problemsOf(text).map((p) => p.code)).toEqual(["unsupported_modifier"]);
    }
    expect(problemsOf(filterDoc("    selection:\n        CommandLine|contians: x\n    condition: not selection\n")).map((p) => p.code)).toEqual(["unknown_modifier"]);
  });

  it("a field rebuilt from several ECS fields (Hashes) is a problem naming it", () => {
    const text = filterDoc(`    selection:
        Hashes|contains: 'SHA256=ABC'
    condition: not selection
`);
    const problems = problemsOf(text);
    expect(problems.map((p) => p.code)).toEqual(["unmappable_field"]);
    expect(problems[0]!.summary).toContain("`Hashes`");
    expect(problems[0]!.source).toMatchObject(positionOf(text, "Hashes|"));
  });

  it("a field mapped differently by the definitions a logsource covers is a problem; one they agree on is not", () => {
    const header = "title: Any OS\nlogsource:\n    category: process_creation\n";
    expect(entriesOf(filterDoc("    selection:\n        CommandLine|contains: publish.cmd\n    condition: not selection\n", header))).toEqual([
      { field: "process.command_line", operator: "matches", value: "*publish.cmd*" },
    ]);
    const problems = problemsOf(filterDoc("    selection:\n        IntegrityLevel: High\n    condition: not selection\n", header));
    expect(problems.map((p) => p.code)).toEqual(["ambiguous_field"]);
    expect(problems[0]!.summary).toContain("`IntegrityLevel`");
  });
});

describe("sigmaFilterToExceptions: conditions", () => {
  it("`not 1 of filter_*` is an any group of the selections", () => {
    const entries = entriesOf(
      filterDoc(`    filter_deploy:
        CommandLine|startswith: 'cmd.exe /c C:\\deploy\\'
    filter_backup:
        Image|endswith: '\\backup.exe'
    other:
        Image: 'C:\\never.exe'
    condition: not 1 of filter_*
`),
    );
    expect(entries).toEqual([
      {
        any: [
          { field: "process.command_line", operator: "matches", value: "cmd.exe /c C:\\deploy\\\\*" },
          { field: "process.executable", operator: "matches", value: "*\\backup.exe" },
        ],
      },
    ]);
    expect(compileException(entries)(deploy)).toBe(true);
    expect(compileException(entries)(webshell)).toBe(false);
  });

  it("`not (a or b)` with several fields per selection is written in conjunctive normal form", () => {
    const entries = entriesOf(
      filterDoc(`    a:
        ParentImage|endswith: '\\w3wp.exe'
        CommandLine|contains: 'publish.cmd'
    b:
        Image|endswith: '\\backup.exe'
    condition: not (a or b)
`),
    );
    expect(entries).toEqual([
      {
        any: [
          { field: "process.parent.executable", operator: "matches", value: "*\\w3wp.exe" },
          { field: "process.executable", operator: "matches", value: "*\\backup.exe" },
        ],
      },
      {
        any: [
          { field: "process.command_line", operator: "matches", value: "*publish.cmd*" },
          { field: "process.executable", operator: "matches", value: "*\\backup.exe" },
        ],
      },
    ]);
    const matches = compileException(entries);
    expect(matches(deploy)).toBe(true);
    expect(matches(webshell)).toBe(false);
    expect(matches(normalized({ EventID: 1, UtcTime: "2026-11-09 10:15:02.123", Image: "D:\\bin\\backup.exe", CommandLine: "backup" }))).toBe(true);
  });

  it("an unsupported condition (`selection and not x`) is a problem at the condition", () => {
    const text = filterDoc(`    selection:
        CommandLine|contains: publish.cmd
    x:
        Image|endswith: '\\cmd.exe'
    condition: selection and not x
`);
    const problems = problemsOf(text);
    expect(problems.map((p) => p.code)).toEqual(["unsupported_filter_condition"]);
    expect(problems[0]!.source).toMatchObject({ file: FILE, ...positionOf(text, "selection and not x") });
    expect(sigmaFilterToExceptions(text, FILE).exceptions).toEqual([]);
  });

  it("an undefined identifier and a condition that does not parse are problems placed in the condition", () => {
    const undefinedText = filterDoc("    selection:\n        Image: x\n    condition: not (selection or nope)\n");
    const [undef] = problemsOf(undefinedText);
    expect(undef).toMatchObject({ code: "undefined_identifier", source: positionOf(undefinedText, "nope") });
    const brokenText = filterDoc("    selection:\n        Image: x\n    condition: not (selection\n");
    expect(problemsOf(brokenText)[0]!.source).toMatchObject({ file: FILE, line: positionOf(brokenText, "condition:").line });
  });
});

describe("sigmaFilterToExceptions: documents", () => {
  it("a document that is not a filter (a rule) is a problem", () => {
    const text = `title: A rule
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\cmd.exe'
    condition: selection
`;
    const result = sigmaFilterToExceptions(text, FILE);
    expect(result.exceptions).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: "not_a_filter", source: { file: FILE, line: 1, column: 1 } });
  });

  it("a filter without rules is reported and returned with empty rule_refs for the caller to decide", () => {
    const text = EXAMPLE.replace(/ {4}rules:\n(?: {8}- .*\n)+/, "");
    const result = sigmaFilterToExceptions(text, FILE);
    expect(result.problems.map((p) => p.code)).toEqual(["filter_without_rules"]);
    expect(result.problems[0]!.source).toMatchObject({ file: FILE, ...positionOf(text, "filter:") });
    expect(result.exceptions).toHaveLength(1);
    expect(result.exceptions[0]!.rule_refs).toEqual([]);
  });

  it("imports one exception per filter document and reports the others, with their lines", () => {
    const text = `${EXAMPLE}---
title: Admin tools on jump hosts
logsource:
    product: windows
    category: process_creation
filter:
    rules:
        - proc_creation_win_susp_whoami
    selection:
        Computer:
            - JUMP01
            - JUMP02
    condition: not selection
---
title: Broken
logsource:
    product: windows
    category: process_creation
filter:
    rules: [r1]
    selection:
        CommandLine|base64: x
    condition: not selection
---
`;
    const result = sigmaFilterToExceptions(text, FILE);
    expect(result.exceptions.map((e) => e.name)).toEqual(["Filter out the deploy script", "Admin tools on jump hosts"]);
    expect(result.exceptions[1]).toEqual({
      name: "Admin tools on jump hosts",
      reason: "imported Sigma filter Admin tools on jump hosts",
      rule_refs: ["proc_creation_win_susp_whoami"],
      entries: [{ field: "winlog.computer_name", operator: "is_one_of", values: ["JUMP01", "JUMP02"] }],
    });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: "unsupported_modifier", source: { file: FILE, ...positionOf(text, "base64") } });
    for (const exception of result.exceptions) expect(validateExceptionEntries(exception.entries).ok).toBe(true);
    expect(compileException(result.exceptions[0]!.entries)(deploy)).toBe(true);
    expect(compileException(result.exceptions[1]!.entries)(deploy)).toBe(false);
  });

  it("YAML that does not parse is a problem with a position", () => {
    const problems = problemsOf("title: x\nfilter: [\n");
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ code: "yaml_syntax", source: { file: FILE } });
    expect(problems[0]!.source.line).toBeGreaterThan(0);
  });
});
