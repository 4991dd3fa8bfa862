import { describe, expect, it } from "vitest";
import { parseDateMath, parseIsoDate, resolveDateMath } from "./date-math";

const iso = (t: number) => new Date(t).toISOString();
const NOW = Date.parse("2026-11-10T15:30:45.500Z"); // a Tuesday

describe("parseIsoDate", () => {
  it.each<[string, string | undefined]>([
    ["2026", "2026-01-01T00:00:00.000Z"],
    ["2026-11", "2026-11-01T00:00:00.000Z"],
    ["2026-11-09", "2026-11-09T00:00:00.000Z"],
    ["2026-11-09T10:15:02.123Z", "2026-11-09T10:15:02.123Z"],
    ["2026-11-09T10:15:02+02:00", "2026-11-09T08:15:02.000Z"],
    ["2026-11-09 10:15", "2026-11-09T10:15:00.000Z"],
    ["now", undefined],
    ["12345", undefined],
    ["2026-13-01", undefined],
    ["cmd.exe", undefined],
  ])("%s → %s", (text, expected) => {
    const t = parseIsoDate(text);
    expect(t === undefined ? undefined : iso(t)).toBe(expected);
  });
});

describe("date math", () => {
  it.each<[string, boolean, string]>([
    ["now", false, "2026-11-10T15:30:45.500Z"],
    ["now-7d", false, "2026-11-03T15:30:45.500Z"],
    ["now+1h", false, "2026-11-10T16:30:45.500Z"],
    ["now-1M", false, "2026-10-10T15:30:45.500Z"],
    ["now-1y", false, "2025-11-10T15:30:45.500Z"],
    ["now/d", false, "2026-11-10T00:00:00.000Z"],
    ["now/d", true, "2026-11-10T23:59:59.999Z"],
    ["now-1d/d", false, "2026-11-09T00:00:00.000Z"],
    ["now/w", false, "2026-11-09T00:00:00.000Z"],
    ["now/M", true, "2026-11-30T23:59:59.999Z"],
    ["now/y", false, "2026-01-01T00:00:00.000Z"],
    ["now/H", false, "2026-11-10T15:00:00.000Z"],
    ["now-90m/m", false, "2026-11-10T14:00:00.000Z"],
    ["2026-11-09||+1M/d", false, "2026-12-09T00:00:00.000Z"],
    ["2026-11-09", true, "2026-11-09T00:00:00.000Z"],
  ])("%s (round up: %s) → %s", (text, roundUp, expected) => {
    const m = parseDateMath(text);
    expect(m).toBeDefined();
    expect(iso(resolveDateMath(m!, NOW, roundUp))).toBe(expected);
  });

  it.each(["now-", "now-7", "now-7x", "yesterday", "2026-11-09||x", "now/"])("rejects %s", (text) => {
    expect(parseDateMath(text)).toBeUndefined();
  });
});
