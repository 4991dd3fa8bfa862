import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { compileFieldRules } from "./compile-field-rules";
import { completeEcs } from "./complete-ecs";
import { applyFieldRules, field, type FieldRule } from "./field-rules";
import { ACTING_PROCESS, PROCESS_CREATE } from "./security-mapping";
import type { CommandLineStyle } from "./split-command-line";
import { SYSMON_EVENTS } from "./sysmon-mapping";
import type { EventObject } from "./types";

/**
 * The compiled form of a mapping table against its specification, the interpreter
 * (`applyFieldRules`) followed by `completeEcs`: same document, same keys in the same order, same
 * warnings, on every table and on event data of every odd shape.
 */

/** Every kind of row, including a second user and a namespace shared by hashes and text rows. */
const ALL_KINDS: readonly FieldRule[] = [
  field("Guid", "process.entity_id", "guid"),
  field("Pid", "process.pid", "int"),
  field("Image", "process.executable"),
  field("Proto", "network.transport", "lower"),
  field("Signed", "file.code_signature.signed", "bool"),
  field("User", "user", "user"),
  field("Target", "user.target", "user"),
  field("Hashes", "process", "hashes"),
  field("Original", "process.pe.original_file_name"),
  field("Cmd", "process.command_line"),
  field("ParentImage", "process.parent.executable"),
  field("ParentCmd", "process.parent.command_line"),
  field("constructor", "rule.name"),
];

const TABLES: [string, readonly FieldRule[]][] = [
  ...Object.entries(SYSMON_EVENTS).map(([id, spec]) => [`Sysmon ${id}`, spec.fields] as [string, readonly FieldRule[]]),
  ["Security 4688", PROCESS_CREATE],
  ["Security (acting process)", ACTING_PROCESS],
  ["every kind of row", ALL_KINDS],
];

const odd = fc.oneof(
  fc.constantFrom<unknown>("-", "", " ", "\\", "CORP\\alice", "alice", "0x1bc", "7112", "true", "FALSE", null, 0, -1, 1.5, 2 ** 60, true, false, [], {}, ["a"]),
  fc.constantFrom("{5AA13A44-B3C4-4D1E-9F00-AAAABBBBCCCC}", "SHA1=AB,MD5=CD,SHA256=EF,IMPHASH=00", "MD5=x", "İ{A}", "C:\\Windows\\System32\\cmd.exe", '"C:\\a b\\x.exe" -c "d e"'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);

/** Event data holding some of the table's fields (and others), with odd values. */
function eventData(rules: readonly FieldRule[]): fc.Arbitrary<EventObject> {
  const names = [...new Set(rules.map((r) => r.from)), "Unmapped"];
  return fc.dictionary(fc.constantFrom(...names), odd, { maxKeys: names.length }) as fc.Arbitrary<EventObject>;
}

/** A document as mapWindowsEvent hands it to the table: host.os.type decides the argv style. */
function doc(style: CommandLineStyle): EventObject {
  return { event: { kind: "event" }, host: { os: { type: style === "windows" ? "windows" : "linux" } }, winlog: { event_id: 1 } };
}

function interpreted(rules: readonly FieldRule[], data: EventObject, style: CommandLineStyle): { doc: EventObject; warnings: string[] } {
  const out = doc(style);
  const warnings: string[] = [];
  applyFieldRules(rules, data, out, warnings);
  completeEcs(out, null);
  return { doc: out, warnings };
}

function compiled(rules: readonly FieldRule[], data: EventObject, style: CommandLineStyle): { doc: EventObject; warnings: string[] } {
  const out = doc(style);
  const warnings: string[] = [];
  compileFieldRules(rules)(data, out, warnings, style);
  completeEcs(out, null);
  return { doc: out, warnings };
}

describe("compileFieldRules", () => {
  const realFunction = globalThis.Function;
  afterEach(() => {
    globalThis.Function = realFunction;
  });

  it.each(TABLES)("%s: compiled table = interpreter + completeEcs (property)", (_name, rules) => {
    const mapper = compileFieldRules(rules);
    fc.assert(
      fc.property(eventData(rules), fc.constantFrom<CommandLineStyle>("windows", "posix"), (data, style) => {
        const expected = interpreted(rules, data, style);
        const out = doc(style);
        const warnings: string[] = [];
        mapper(data, out, warnings, style);
        completeEcs(out, null);
        expect(JSON.stringify(out)).toBe(JSON.stringify(expected.doc));
        expect(warnings).toEqual(expected.warnings);
      }),
      { numRuns: 150 },
    );
  });

  it("maps a Sysmon 1 event completely, process names and argv included", () => {
    const data: EventObject = {
      ProcessGuid: "{5AA13A44-0000-0000-0000-000000000001}",
      ProcessId: 7112,
      Image: "C:\\Windows\\System32\\cmd.exe",
      CommandLine: 'cmd.exe /c "echo a b"',
      User: "CORP\\alice",
      ParentImage: "C:\\Windows\\explorer.exe",
      Hashes: "SHA1=AB,IMPHASH=CD",
    };
    const result = compiled(SYSMON_EVENTS[1]!.fields, data, "windows");
    expect(result.doc["process"]).toEqual({
      entity_id: "5aa13a44-0000-0000-0000-000000000001",
      pid: 7112,
      executable: "C:\\Windows\\System32\\cmd.exe",
      command_line: 'cmd.exe /c "echo a b"',
      parent: { executable: "C:\\Windows\\explorer.exe", name: "explorer.exe" },
      hash: { sha1: "ab" },
      pe: { imphash: "cd" },
      name: "cmd.exe",
      args: ["cmd.exe", "/c", "echo a b"],
      args_count: 3,
    });
    expect(result.doc["user"]).toEqual({ domain: "CORP", name: "alice" });
  });

  it("falls back to the interpreter where code generation from strings is disabled", () => {
    globalThis.Function = function disabled() {
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    const mapper = compileFieldRules(ALL_KINDS);
    globalThis.Function = realFunction;
    const data: EventObject = { Image: "C:\\x.exe", Pid: "0x10", User: "D\\u", Hashes: "MD5=AA", Cmd: "x.exe -a" };
    const out = doc("windows");
    const warnings: string[] = [];
    mapper(data, out, warnings, "windows");
    completeEcs(out, null);
    expect(JSON.stringify(out)).toBe(JSON.stringify(interpreted(ALL_KINDS, data, "windows").doc));
  });

  it("refuses a table that writes a value where another row needs an object", () => {
    expect(() => compileFieldRules([field("A", "process"), field("B", "process.name")])).toThrow(/process/);
  });
});
