import fs from "node:fs";

/** Resident memory of one process in MB (VmRSS from /proc), or null when it is gone. */
export function readRssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Resident memory of a whole process group in MB: `next start` serves from one process today,
 * but a worker it might fork would count too. Null when no process of the group is left.
 */
export function readGroupRssMb(pgid: number): number | null {
  let total = 0;
  let found = false;
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return readRssMb(pgid);
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command (which may hold spaces): state ppid pgrp …
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    const rss = readRssMb(Number(name));
    if (rss !== null) {
      total += rss;
      found = true;
    }
  }
  return found ? total : null;
}

export interface RssSample {
  /** Seconds since sampling started. */
  t: number;
  mb: number;
}

export interface RssSampler {
  samples: RssSample[];
  stop(): RssSample[];
}

/** Samples `read()` now and every `everyMs` until stopped. */
export function sampleRss(read: () => number | null, everyMs: number): RssSampler {
  const started = Date.now();
  const samples: RssSample[] = [];
  const take = () => {
    const mb = read();
    if (mb !== null) samples.push({ t: (Date.now() - started) / 1000, mb: round1(mb) });
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Least-squares slope of the samples in MB per minute (0 with fewer than two samples). */
export function rssSlopeMbPerMinute(samples: readonly RssSample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mm = samples.reduce((s, x) => s + x.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.mb - mm);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? 0 : round2((num / den) * 60);
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round2 = (x: number) => Math.round(x * 100) / 100;
