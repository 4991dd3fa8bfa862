import { DAY_MS } from "./types";

/**
 * Durations as rule files write them: an integer and a unit, `7d`, `12h`, `30m`, `45s`, `2w`
 * (no fractions, no compound forms, so `1.5d` and `1d12h` are errors rather than guesses). `0`
 * alone is zero (a learning duration of none).
 */
const DURATION = /^(\d{1,6})([wdhms])$/;

const UNIT_MS: Record<string, number> = { w: 7 * DAY_MS, d: DAY_MS, h: 3_600_000, m: 60_000, s: 1000 };

/** Milliseconds of `7d` / `12h` / `0`; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "0") return 0;
  const m = DURATION.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** The shortest exact form: 604 800 000 → `7d`, 129 600 000 → `36h`, 0 → `0`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0";
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
