import { describe, expect, it } from "vitest";
import { parseTimestamp } from "./parse-timestamp";

describe("parseTimestamp", () => {
  it.each<[unknown, string, string]>([
    ["2026-11-09 10:15:02.123", "2026-11-09T10:15:02.123Z", "Sysmon UtcTime: UTC without a zone"],
    ["2025-10-25T13:44:33.440907Z", "2025-10-25T13:44:33.440Z", "evtx SystemTime: microseconds truncated"],
    ["2026-11-09T10:15:02.1234567Z", "2026-11-09T10:15:02.123Z", "100-ns ticks truncated"],
    ["2026-11-09T10:15:02.123456789Z", "2026-11-09T10:15:02.123Z", "nanoseconds truncated"],
    ["2026-11-09T10:15:02.9999Z", "2026-11-09T10:15:02.999Z", "truncated, never rounded up"],
    ["2026-11-09T10:15:02Z", "2026-11-09T10:15:02.000Z", "no fraction"],
    ["2026-11-09T10:15Z", "2026-11-09T10:15:00.000Z", "no seconds"],
    ["2026-11-09T10:15:02.5", "2026-11-09T10:15:02.500Z", "one fraction digit, no zone"],
    ["2026-11-09t10:15:02,25z", "2026-11-09T10:15:02.250Z", "lower-case t/z and a decimal comma"],
    ["2026-11-09T12:15:02.123+02:00", "2026-11-09T10:15:02.123Z", "offset with colon"],
    ["2026-11-09T05:15:02-0500", "2026-11-09T10:15:02.000Z", "offset without colon"],
    ["2026-11-09T12:15:02+02", "2026-11-09T10:15:02.000Z", "hour-only offset"],
    ["2026-11-09T00:30:00+01:00", "2026-11-08T23:30:00.000Z", "an offset that crosses midnight"],
    ["2026-11-09", "2026-11-09T00:00:00.000Z", "a date alone"],
    ["2024-02-29 00:00:00", "2024-02-29T00:00:00.000Z", "a leap day"],
    [1_762_683_302_123, "2025-11-09T10:15:02.123Z", "epoch milliseconds"],
    [1_762_683_302, "2025-11-09T10:15:02.000Z", "epoch seconds (clearly seconds: < 1e11)"],
    [1_762_683_302.5, "2025-11-09T10:15:02.500Z", "fractional epoch seconds (Velociraptor)"],
    [1_762_683_302_123_456, "2025-11-09T10:15:02.123Z", "epoch microseconds"],
    [1_762_683_302_123_456_000, "2025-11-09T10:15:02.123Z", "epoch nanoseconds"],
    ["1762683302123", "2025-11-09T10:15:02.123Z", "epoch milliseconds as a string"],
    ["1762683302", "2025-11-09T10:15:02.000Z", "epoch seconds as a string"],
  ])("%j → %s (%s)", (value, iso) => {
    expect(parseTimestamp(value)).toBe(iso);
  });

  it.each<[unknown, string]>([
    ["", "empty"],
    ["-", "Windows' empty value"],
    ["yesterday", "words"],
    ["2026-13-01T00:00:00Z", "month 13"],
    ["2025-02-29T00:00:00Z", "29 February of a common year"],
    ["2026-11-31", "31 November"],
    ["2026-11-09T24:00:00Z", "hour 24"],
    ["2026-11-09T10:60:00Z", "minute 60"],
    ["2026-11-09T10:15:60Z", "a leap second"],
    ["2026-11-09T10:15:02.Z", "a dot without digits"],
    ["2026-11-09T10:15:02Zjunk", "trailing text"],
    ["2026-11-09T10:15:02+25:00", "an offset past 23 hours"],
    ["1601-01-01T00:00:00Z", "a zero FILETIME"],
    ["0075-01-01T00:00:00Z", "a two-digit year written with four digits"],
    ["1970-01-01T00:00:00.000Z", "the epoch itself (a default, not a time)"],
    [0, "zero"],
    [-5, "negative"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "infinity"],
    [true, "a boolean"],
    [null, "null"],
    [{ SystemTime: "2026-11-09T10:15:02Z" }, "an object"],
    ["12.34.56", "two dots"],
  ])("%j is not a usable time (%s)", (value) => {
    expect(parseTimestamp(value)).toBeUndefined();
  });

  it("accepts the last millisecond of 9999 and nothing later", () => {
    expect(parseTimestamp("9999-12-31T23:59:59.999Z")).toBe("9999-12-31T23:59:59.999Z");
    expect(parseTimestamp("9999-12-31T23:59:59.999-01:00")).toBeUndefined();
    expect(parseTimestamp("+010000-01-01T00:00:00.000Z")).toBeUndefined();
  });

  it("reads epoch numbers by magnitude: 1e11 and up is milliseconds, 1e14 and up microseconds", () => {
    expect(parseTimestamp(99_999_999_999)).toBe("5138-11-16T09:46:39.000Z");
    expect(parseTimestamp(100_000_000_000)).toBe("1973-03-03T09:46:40.000Z");
    expect(parseTimestamp(100_000_000_000_000)).toBe("1973-03-03T09:46:40.000Z");
  });
});
