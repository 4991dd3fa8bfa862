import { describe, expect, it } from "vitest";
import { baseName, dirName, extensionOf, isWindowsPath } from "./paths";

describe("paths", () => {
  it.each<[string, string, string | undefined]>([
    ["C:\\Windows\\System32\\cmd.exe", "cmd.exe", "C:\\Windows\\System32"],
    ["C:\\WINDOWS\\SYSTEM32\\CMD.EXE", "CMD.EXE", "C:\\WINDOWS\\SYSTEM32"],
    ["/usr/bin/bash", "bash", "/usr/bin"],
    ["/bash", "bash", "/"],
    ["C:\\x.exe", "x.exe", "C:\\"],
    ["cmd.exe", "cmd.exe", undefined],
    ["C:\\Users\\", "", "C:\\Users"],
    ["\\\\server\\share\\a.dll", "a.dll", "\\\\server\\share"],
    ["C:/mixed/sep.exe", "sep.exe", "C:/mixed"],
  ])("%j: base name %j, directory %j", (path, base, dir) => {
    expect(baseName(path)).toBe(base);
    expect(dirName(path)).toBe(dir);
  });

  it.each<[string, string | undefined]>([
    ["a.exe", "exe"],
    ["a.tar.gz", "gz"],
    ["service.conf.new", "new"],
    [".bashrc", undefined],
    ["name.", undefined],
    ["Makefile", undefined],
    ["CMD.EXE", "EXE"],
  ])("extension of %j is %j", (name, extension) => {
    expect(extensionOf(name)).toBe(extension);
  });

  it.each<[string, boolean]>([
    ["C:\\Windows\\cmd.exe", true],
    ["c:/windows/cmd.exe", true],
    ["\\Device\\HarddiskVolume2\\x", true],
    ["cmd.exe", false],
    ["/usr/bin/bash", false],
    ["relative\\path.exe", true],
  ])("%j is a Windows path: %j", (path, windows) => {
    expect(isWindowsPath(path)).toBe(windows);
  });
});
