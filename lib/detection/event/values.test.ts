import { describe, expect, it } from "vitest";
import type { EventObject } from "./types";
import { boolOf, canonicalGuid, intOf, putDomainUser, setOwn, shallowCopy, textOf } from "./values";

describe("textOf", () => {
  it.each<[unknown, string | undefined]>([
    ["C:\\x.exe", "C:\\x.exe"],
    ["-", undefined],
    ["", undefined],
    [" ", " "],
    [null, undefined],
    [undefined, undefined],
    [123, "123"],
    [1.5, "1.5"],
    [Number.NaN, undefined],
    [true, "true"],
    [false, "false"],
    [{ a: 1 }, undefined],
    [["a"], undefined],
  ])("%j → %j", (value, text) => {
    expect(textOf(value)).toBe(text);
  });
});

describe("intOf", () => {
  it.each<[unknown, number | undefined]>([
    [7112, 7112],
    ["7112", 7112],
    ["0x1bc", 0x1bc],
    ["0X1BC", 0x1bc],
    ["0x0", 0],
    ["0", 0],
    [-1, undefined],
    [1.5, undefined],
    ["-1", undefined],
    ["12a", undefined],
    ["0x", undefined],
    ["0xZZ", undefined],
    ["", undefined],
    ["-", undefined],
    [" 12", undefined],
    ["1e3", undefined],
    ["9999999999999999", undefined],
    [null, undefined],
    [true, undefined],
  ])("%j → %j", (value, n) => {
    expect(intOf(value)).toBe(n);
  });
});

describe("boolOf", () => {
  it.each<[unknown, boolean | undefined]>([
    [true, true],
    ["true", true],
    ["True", true],
    ["false", false],
    [false, false],
    ["yes", undefined],
    [1, undefined],
  ])("%j → %j", (value, b) => {
    expect(boolOf(value)).toBe(b);
  });
});

describe("putDomainUser", () => {
  it.each<[string, EventObject]>([
    ["ATTACKRANGE\\Administrator", { domain: "ATTACKRANGE", name: "Administrator" }],
    ["NT AUTHORITY\\SYSTEM", { domain: "NT AUTHORITY", name: "SYSTEM" }],
    ["root", { name: "root" }],
    ["DOMAIN\\", { domain: "DOMAIN" }],
    ["\\user", { name: "user" }],
    ["A\\B\\C", { domain: "A", name: "B\\C" }],
  ])("%j → %j", (text, fields) => {
    const target: EventObject = {};
    putDomainUser(target, text);
    expect(target).toEqual(fields);
  });
});

describe("canonicalGuid", () => {
  it("strips braces and lower-cases, so evtx_dump and winlogbeat renderings agree", () => {
    expect(canonicalGuid("{5AA13A44-D441-68FC-E330-000000004002}")).toBe("5aa13a44-d441-68fc-e330-000000004002");
    expect(canonicalGuid("5AA13A44-D441-68FC-E330-000000004002")).toBe("5aa13a44-d441-68fc-e330-000000004002");
    expect(canonicalGuid("{}")).toBe("");
  });
});

describe("setOwn and shallowCopy", () => {
  it("store a __proto__ key as data, never as the prototype", () => {
    const target: EventObject = {};
    setOwn(target, "__proto__", { polluted: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(["__proto__"]);
    const copy = shallowCopy(target);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(copy, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
