import { describe, expect, it } from "vitest";
import { compileFieldGetter, getField, getString } from "./fields";
import type { EcsEvent } from "./types";

describe("compileFieldGetter", () => {
  it("walks nested objects", () => {
    expect(compileFieldGetter("process.parent.name")({ process: { parent: { name: "w3wp.exe" } } })).toBe("w3wp.exe");
  });

  it("is undefined for a missing field and keeps an explicit null", () => {
    const get = compileFieldGetter("process.command_line");
    expect(get({ process: {} })).toBeUndefined();
    expect(get({})).toBeUndefined();
    expect(get({ process: { command_line: null } })).toBeNull();
    expect(get({ process: "not an object" })).toBeUndefined();
  });

  it("flattens arrays met on the way, so any element can match", () => {
    const event: EcsEvent = { dns: { answers: [{ data: "1.1.1.1" }, { data: ["2.2.2.2", "3.3.3.3"] }, { type: "A" }] } };
    expect(compileFieldGetter("dns.answers.data")(event)).toEqual(["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
    expect(compileFieldGetter("dns.answers.missing")(event)).toBeUndefined();
  });

  it("returns a leaf array as it is", () => {
    expect(compileFieldGetter("process.args")({ process: { args: ["cmd.exe", "/c", "whoami"] } })).toEqual(["cmd.exe", "/c", "whoami"]);
  });

  it("finds keys that themselves contain dots", () => {
    expect(compileFieldGetter("labels.app.tier")({ labels: { "app.tier": "web" } })).toBe("web");
    expect(compileFieldGetter("a.b")({ "a.b": 1 })).toBe(1);
    expect(compileFieldGetter("a.b")({ a: { b: 2 }, "a.b": 1 })).toBe(2); // the nested object wins
  });


  it("reads own properties only, never Object.prototype's", () => {
    expect(compileFieldGetter("constructor")({})).toBeUndefined();
    expect(compileFieldGetter("process.constructor")({ process: {} })).toBeUndefined();
    expect(compileFieldGetter("__proto__.x")({})).toBeUndefined();
    expect(compileFieldGetter("toString")({ toString: "own" })).toBe("own");
  });
});

describe("getString", () => {
  it("takes the first element of an array and stringifies numbers", () => {
    expect(getString({ a: ["x", "y"] }, "a")).toBe("x");
    expect(getString({ process: { pid: 42 } }, "process.pid")).toBe("42");
    expect(getString({ a: { b: 1 } }, "a")).toBeUndefined();
    expect(getField({ a: { b: 1 } }, "a.b")).toBe(1);
  });
});
