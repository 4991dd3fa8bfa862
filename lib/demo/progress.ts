import type { ReplayProgress } from "./replay";

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Renders replay progress: on a terminal one bar redrawn in place (events sent / total, events
 * per second, ETA); elsewhere (CI, a log file, `npm start`'s interleaved server log) a plain line
 * at most every `intervalMs` and at each quarter, so the log stays short but shows it moving.
 */
export function progressPrinter(out: ProgressOutput, options: { prefix?: string; intervalMs?: number } = {}) {
  const prefix = options.prefix ?? "";
  const intervalMs = options.intervalMs ?? 2_000;
  let lastLine = -Infinity;
  let lastQuarter = 0;
  let drawn = false;
  return {
    update(p: ReplayProgress): void {
      const done = p.sent >= p.total;
      if (out.isTTY) {
        out.write(`\r${fit(bar(p), out.columns)}\u001b[K`);
        drawn = true;
        return;
      }
      const quarter = p.total > 0 ? Math.floor((4 * p.sent) / p.total) : 4;
      if (p.sent === 0 || (!done && quarter === lastQuarter && p.elapsedMs - lastLine < intervalMs)) return;
      lastLine = p.elapsedMs;
      lastQuarter = quarter;
      out.write(`${prefix}${line(p)}\n`);
    },
    /** Ends the bar's line, so what is printed next starts on its own line. */
    finish(): void {
      if (drawn) out.write("\n");
      drawn = false;
    },
  };
}

const WIDTH = 24;

function bar(p: ReplayProgress): string {
  const filled = p.total > 0 ? Math.round((WIDTH * p.sent) / p.total) : WIDTH;
  return `[${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}] ${line(p)}`;
}

function line(p: ReplayProgress): string {
  const seconds = p.elapsedMs / 1000;
  const eps = seconds > 0 ? p.sent / seconds : 0;
  const percent = p.total > 0 ? Math.floor((100 * p.sent) / p.total) : 100;
  const eta = p.sent >= p.total ? "done" : eps > 0 ? `ETA ${duration((p.total - p.sent) / eps)}` : "ETA …";
  return `${count(p.sent)}/${count(p.total)} events (${percent}%) · ${count(Math.round(eps))} events/s · ${eta} · ${count(p.alerts)} alerts`;
}

function fit(text: string, columns: number | undefined): string {
  return columns && text.length >= columns ? text.slice(0, columns - 1) : text;
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

export function duration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 120) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}
