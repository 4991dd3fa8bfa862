import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration";

describe("durations", () => {
  it.each<[string, number | undefined]>([
    ["7d", 7 * 86_400_000],
    ["12h", 12 * 3_600_000],
    ["30m", 1_800_000],
    ["45s", 45_000],
    ["2w", 14 * 86_400_000],
    [" 1d ", 86_400_000],
    ["0", 0],
    ["0d", 0],
    ["1.5d", undefined],
    ["1d12h", undefined],
    ["7", undefined],
    ["-1d", undefined],
    ["7D", undefined],
    ["", undefined],
  ])("%j → %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each<[number, string]>([
    [0, "0"],
    [7 * 86_400_000, "7d"],
    [36 * 3_600_000, "36h"],
    [90_000, "90s"],
    [1500, "1500ms"],
  ])("%i → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
