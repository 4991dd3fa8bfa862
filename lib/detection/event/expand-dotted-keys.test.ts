import { describe, expect, it } from "vitest";
import { expandDottedKeys } from "./expand-dotted-keys";
import type { EventObject } from "./types";

function expand(input: EventObject) {
  const warnings: string[] = [];
  const out = expandDottedKeys(Object.freeze(input), new Set(), warnings);
  return { out, warnings };
}

describe("expandDottedKeys", () => {
  it("expands top-level dotted keys into nested objects", () => {
    expect(expand({ "@timestamp": "t", "process.parent.name": "w3wp.exe", "process.pid": 4 }).out).toEqual({
      "@timestamp": "t",
      process: { parent: { name: "w3wp.exe" }, pid: 4 },
    });
  });

  it("merges into a nested object by copying it, and shares what it does not touch", () => {
    const host = Object.freeze({ name: "web01" });
    const process = Object.freeze({ pid: 4 });
    const { out } = expand({ process, host, "process.name": "cmd.exe" });
    expect(out).toEqual({ process: { pid: 4, name: "cmd.exe" }, host: { name: "web01" } });
    expect(out["process"]).not.toBe(process);
    expect(out["host"]).toBe(host);
  });

  it("lets the nested value win and warns about the dotted one", () => {
    expect(expand({ process: { name: "nested" }, "process.name": "dotted" })).toEqual({
      out: { process: { name: "nested" } },
      warnings: ['dotted key "process.name" conflicts with a nested field; dropped'],
    });
    expect(expand({ process: "not an object", "process.name": "x" }).warnings).toHaveLength(1);
  });

  it("keeps keys that are not paths, and dots below the top level", () => {
    expect(expand({ ".a": 1, "a.": 2, "a..b": 3, labels: { "app.tier": "web" } }).out).toEqual({ ".a": 1, "a.": 2, "a..b": 3, labels: { "app.tier": "web" } });
  });
});
