import { describe, expect, it } from "vitest";
import { EQL_FUNCTIONS, type EqlValue } from "./functions";

/** The function reference's own examples (Elasticsearch EQL docs, eql-function-ref). */
const call = (name: string, args: EqlValue[], ci = false, floats: boolean[] = []) => EQL_FUNCTIONS[name.toLowerCase()]!.evaluate(args, ci, floats);

describe("EQL functions: documented examples", () => {
  it.each<[string, EqlValue[], EqlValue, boolean?, boolean[]?]>([
    ["add", [4, 5], 9],
    ["add", [4, 0.5], 4.5],
    ["add", [null, 4], null],
    ["between", ["C:\\Windows\\System32\\cmd.exe", "System32\\", ".exe"], "cmd"],
    ["between", ["C:\\Windows\\System32\\cmd.exe", "system32\\", ".exe"], ""],
    ["between", ["C:\\Windows\\System32\\cmd.exe", "system32\\", ".exe"], "cmd", true],
    ["between", ["C:\\Windows\\System32\\cmd.exe", "\\", "\\", false], "Windows"],
    ["between", ["C:\\Windows\\System32\\cmd.exe", "\\", "\\", true], "Windows\\System32"],
    ["between", ["", "", ""], ""],
    ["between", [null, "a", "b"], null],
    ["cidrMatch", ["192.168.152.12", "192.168.0.0/16"], true],
    ["cidrMatch", ["192.168.152.12", "10.0.0.0/8", "10.128.0.0/9"], false],
    ["cidrMatch", [null, "10.0.0.0/8"], null],
    ["cidrMatch", ["192.168.152.12", null], null],
    ["concat", ["regsvr32.exe", " ", 42], "regsvr32.exe 42"],
    ["concat", ["regsvr32.exe", " ", 42.5], "regsvr32.exe 42.5"],
    ["concat", ["regsvr32.exe", " ", true], "regsvr32.exe true"],
    ["concat", [null, "x"], null],
    ["divide", [4, 2], 2],
    ["divide", [4, 3], 1],
    ["divide", [4, 3], 4 / 3, false, [false, true]],
    ["divide", [-4, -2], 2],
    ["divide", [0.5, 4], 0.125],
    ["divide", [4, 0], null],
    ["endsWith", ["regsvr32.exe", ".exe"], true],
    ["endsWith", ["regsvr32.exe", ".EXE"], false],
    ["endsWith", ["regsvr32.exe", ".EXE"], true, true],
    ["endsWith", ["", ""], true],
    ["endsWith", ["regsvr32.exe", null], null],
    ["indexOf", ["subdomain.example.com", "d"], 3],
    ["indexOf", ["subdomain.example.com", "D"], null],
    ["indexOf", ["subdomain.example.com", "."], 9],
    ["indexOf", ["subdomain.example.com", ".", 9], 9],
    ["indexOf", ["subdomain.example.com", ".", 10], 17],
    ["indexOf", ["subdomain.example.com", ".", -6], 9],
    ["indexOf", ["subdomain.example.com", "D"], 3, true],
    ["indexOf", ["", ""], 0],
    ["indexOf", ["subdomain.example.com", "", 10], 10],
    ["indexOf", ["subdomain.example.com", ".", 30], null],
    ["indexOf", ["subdomain.example.com", ".", null], null],
    ["length", ["explorer.exe"], 12],
    ["length", [""], 0],
    ["length", [null], null],
    ["modulo", [10, 6], 4],
    ["modulo", [10, -6], 4],
    ["modulo", [-10, -6], -4],
    ["modulo", [10, 0], null],
    ["multiply", [0.5, 2], 1],
    ["multiply", [-2, -2], 4],
    ["number", ["1337"], 1337],
    ["number", ["42.5"], 42.5],
    ["number", ["deadbeef", 16], 3735928559],
    ["number", ["0xdeadbeef"], 3735928559],
    ["number", ["0xdeadbeef", null], 3735928559],
    ["number", ["+1337"], 1337],
    ["number", ["-1337"], -1337],
    ["number", ["  1337  "], 1337],
    ["number", ["1337", null], 1337],
    ["number", ["nope"], null],
    ["number", [null], null],
    ["startsWith", ["regsvr32.exe", "regsvr32"], true],
    ["startsWith", ["regsvr32.exe", "Regsvr32"], false],
    ["startsWith", ["regsvr32.exe", "Regsvr32"], true, true],
    ["string", [42], "42"],
    ["string", [42.5], "42.5"],
    ["string", [true], "true"],
    ["string", [null], null],
    ["stringContains", ["start regsvr32.exe", "regsvr32"], true],
    ["stringContains", ["start regsvr32.exe", "Regsvr32"], false],
    ["stringContains", ["start regsvr32.exe", "Regsvr32"], true, true],
    ["stringContains", ["", ""], false],
    ["stringContains", ["x", ""], false],
    ["stringContains", [null, "x"], null],
    ["substring", ["start regsvr32.exe", 6], "regsvr32.exe"],
    ["substring", ["start regsvr32.exe", 0, 5], "start"],
    ["substring", ["start regsvr32.exe", 6, 14], "regsvr32"],
    ["substring", ["start regsvr32.exe", -4], ".exe"],
    ["substring", ["start regsvr32.exe", -4, -1], ".ex"],
    ["substring", ["abc", 5], ""],
    ["subtract", [10, 2], 8],
    ["subtract", [1, 0.2], 0.8],
    ["subtract", [2, null], null],
  ])("%s(%j) → %j", (name, args, expected, ci = false, floats = []) => {
    const r = call(name, args, ci, floats);
    if (typeof expected === "number") expect(r).toBeCloseTo(expected, 10);
    else expect(r).toBe(expected);
  });

  it("case-insensitive (~) variants exist exactly for between, endsWith, indexOf, startsWith, stringContains", () => {
    const aware = Object.values(EQL_FUNCTIONS)
      .filter((f) => f.caseAware)
      .map((f) => f.name)
      .sort();
    expect(aware).toEqual(["between", "endsWith", "indexOf", "startsWith", "stringContains"]);
  });

  it("registry keys are the lower-cased names", () => {
    for (const [key, f] of Object.entries(EQL_FUNCTIONS)) expect(key).toBe(f.name.toLowerCase());
  });
});
