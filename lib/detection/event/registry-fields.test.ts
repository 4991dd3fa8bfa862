import { describe, expect, it } from "vitest";
import { registryFields } from "./registry-fields";

describe("registryFields", () => {
  it("splits a value path into hive, key and value (ECS: the key excludes the value name)", () => {
    expect(registryFields("HKLM\\System\\CurrentControlSet\\Services\\X\\Start", "DWORD (0x00000002)", true)).toEqual({
      path: "HKLM\\System\\CurrentControlSet\\Services\\X\\Start",
      hive: "HKLM",
      key: "System\\CurrentControlSet\\Services\\X",
      value: "Start",
      data: { strings: ["2"], type: "REG_DWORD" },
    });
  });

  it("keeps the whole hive-relative path as the key of a key event", () => {
    expect(registryFields("HKU\\S-1-5-21-1\\Software\\RunMRU", undefined, false)).toEqual({
      path: "HKU\\S-1-5-21-1\\Software\\RunMRU",
      hive: "HKU",
      key: "S-1-5-21-1\\Software\\RunMRU",
    });
  });

  it.each<[string, { strings: string[]; type: string }]>([
    ["DWORD (0xffffffff)", { strings: ["4294967295"], type: "REG_DWORD" }],
    ["QWORD (0x00000001-0x00000002)", { strings: ["4294967298"], type: "REG_QWORD" }],
    ["QWORD (0xffffffff-0xffffffff)", { strings: ["18446744073709551615"], type: "REG_QWORD" }],
    ["Binary Data", { strings: ["Binary Data"], type: "REG_BINARY" }],
    ["C:\\evil.exe", { strings: ["C:\\evil.exe"], type: "REG_SZ" }],
    ["DWORD (0xZZ)", { strings: ["DWORD (0xZZ)"], type: "REG_SZ" }],
  ])("reads Details %j", (details, data) => {
    expect(registryFields("HKLM\\K\\V", details, true)["data"]).toEqual(data);
  });

  it("knows long hive names in any case, and leaves unknown roots without hive and key", () => {
    expect(registryFields("HKEY_LOCAL_MACHINE\\Software\\V", undefined, true)).toMatchObject({ hive: "HKLM", key: "Software", value: "V" });
    expect(registryFields("hkcu\\Software\\V", undefined, true)).toMatchObject({ hive: "HKCU" });
    expect(registryFields("\\REGISTRY\\MACHINE\\X", undefined, true)).toEqual({ path: "\\REGISTRY\\MACHINE\\X", value: "X" });
    expect(registryFields("HKLM", undefined, false)).toEqual({ path: "HKLM", hive: "HKLM" });
  });
});
