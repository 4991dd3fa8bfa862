import { describe, expect, it } from "vitest";
import { completeEcs } from "./complete-ecs";
import type { EventObject } from "./types";

/** Complete a copy whose nested objects are frozen: completion must copy before writing. */
function complete(input: EventObject): EventObject {
  const doc: EventObject = {};
  for (const [key, value] of Object.entries(input)) doc[key] = deepFreeze(value);
  completeEcs(doc, new Set([doc]));
  return doc;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("completeEcs", () => {
  it("derives names, argv and counts with Windows rules for a Windows path", () => {
    expect(complete({ process: { executable: "C:\\Windows\\System32\\cmd.exe", command_line: 'cmd.exe /c "echo a b"', parent: { executable: "C:\\w3wp.exe" } } })).toEqual({
      host: { os: { type: "windows" } },
      process: {
        executable: "C:\\Windows\\System32\\cmd.exe",
        name: "cmd.exe",
        command_line: 'cmd.exe /c "echo a b"',
        args: ["cmd.exe", "/c", "echo a b"],
        args_count: 3,
        parent: { executable: "C:\\w3wp.exe", name: "w3wp.exe" },
      },
    });
  });

  it("splits with POSIX rules on Linux and macOS hosts", () => {
    expect(complete({ host: { os: { family: "debian" } }, process: { command_line: "sh -c 'a b'" } })).toMatchObject({ host: { os: { type: "linux" } }, process: { args: ["sh", "-c", "a b"] } });
    expect(complete({ host: { os: { platform: "darwin" } }, process: { command_line: "a 'b c'" } })).toMatchObject({ host: { os: { type: "macos" } }, process: { args: ["a", "b c"] } });
  });

  it("never replaces what is there", () => {
    const doc = { host: { os: { type: "linux" } }, process: { executable: "/bin/x", name: "given", args: ["given"], args_count: 9 } };
    expect(complete(doc)).toEqual(doc);
  });

  it("fills file and dll names from their paths", () => {
    expect(complete({ file: { path: "C:\\a\\b.tar.gz" }, dll: { path: "C:\\x\\y.dll" } })).toEqual({
      file: { path: "C:\\a\\b.tar.gz", name: "b.tar.gz", extension: "gz", directory: "C:\\a" },
      dll: { path: "C:\\x\\y.dll", name: "y.dll" },
    });
  });

  it("makes array fields arrays and leaves event.kind a keyword", () => {
    expect(complete({ event: { category: "process", type: ["start"], kind: "event" }, tags: "x", related: { ip: "10.0.0.1" } })).toEqual({
      event: { category: ["process"], type: ["start"], kind: "event" },
      tags: ["x"],
      related: { ip: ["10.0.0.1"] },
    });
  });

  it("leaves non-ECS shapes alone", () => {
    const doc = { host: "web01", process: "cmd.exe", file: { path: 42 } };
    expect(complete(doc)).toEqual(doc);
  });
});
