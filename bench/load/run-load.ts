import type { EventStream } from "./event-stream";

/** The 200 answer of POST /api/v1/events (README "Ingest API"). */
export interface IngestAnswer {
  accepted: number;
  rejected: number;
  alerts: number;
  duplicates: number;
}

export interface RequestResult {
  batch: number;
  events: number;
  /** HTTP status; 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  /** When the request started, ms after the run started; and how long it took. */
  startMs: number;
  ms: number;
  retryAfter: string | null;
  contentType: string | null;
  /** The answer of a 200. */
  answer?: IngestAnswer;
  /** The `code` and `error` of a JSON error answer, or what went wrong without an answer. */
  code?: string;
  error?: string;
}

/** Hands out batch indices to the clients; null when there are no more. */
export interface BatchSource {
  next(): number | null;
}

/** Batches from, from + 1, … (count of them, or without end). */
export function batchRange(from = 0, count = Number.POSITIVE_INFINITY): BatchSource {
  let i = 0;
  return { next: () => (i < count ? from + i++ : null) };
}

export function batchList(list: Iterable<number>): BatchSource {
  const it = list[Symbol.iterator]();
  return {
    next() {
      const n = it.next();
      return n.done ? null : n.value;
    },
  };
}

export interface LoadOptions {
  url: string;
  token: string;
  stream: EventStream;
  batches: BatchSource;
  /** Concurrent clients, each with one request in flight at a time (keep-alive connections). */
  clients: number;
  /** Start no request after this long. */
  durationMs?: number;
  /**
   * Open loop: start requests at this total rate (batches/s) whatever the answers, as shippers
   * do, instead of each client sending its next batch when the last one is answered.
   */
  batchesPerSecond?: number;
  /**
   * Send a batch again after these statuses (0: no answer) until it is answered otherwise, as a
   * shipper does: after Retry-After (else 1 s), or after `waitMs` when given (to probe a server
   * that is down), and not after `deadlineMs` from the start.
   */
  retry?: { statuses: readonly number[]; deadlineMs: number; waitMs?: number };
  /** Give up on a request after this long (status 0, error "timeout"); default 60 s. */
  requestTimeoutMs?: number;
  /** Checked before every request: stop starting new ones. */
  shouldStop?: () => boolean;
  onResult?: (result: RequestResult) => void;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadReport {
  results: RequestResult[];
  /** From the first request's start to the last answer. */
  elapsedMs: number;
  /** Batches answered 200, with their (last) answer. */
  answered: Map<number, IngestAnswer>;
  /** Batches taken from the source that were never answered 200, ascending. */
  unanswered: number[];
  /** Events accepted in 200 answers, and per second of elapsedMs. */
  eventsAccepted: number;
  eps: number;
  /** Events sent (every attempt), per second of elapsedMs: the offered load. */
  offeredEps: number;
  /** Requests by status ("0" for no answer). */
  statuses: Record<string, number>;
  /** Latency of the 200 answers, ms. */
  latency: Percentiles;
}

/** Nearest-rank percentiles, ms rounded to 0.1. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (q: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(at(1)), mean: r(n === 0 ? 0 : sorted.reduce((s, x) => s + x, 0) / n) };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Drives POST /api/v1/events with `clients` concurrent clients posting NDJSON batches from
 * `stream`, and records every request: status, latency, Retry-After, the answer, and which
 * batches were answered 200. Node's fetch (undici) keeps one keep-alive connection per client.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const started = performance.now();
  const results: RequestResult[] = [];
  const answered = new Map<number, IngestAnswer>();
  const taken = new Set<number>();
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const interval = options.batchesPerSecond ? 1000 / options.batchesPerSecond : 0;
  let slots = 0;
  let sent = 0;
  const now = () => performance.now() - started;
  const stopped = () => (options.durationMs !== undefined && now() >= options.durationMs) || (options.shouldStop?.() ?? false);

  const send = async (batch: number): Promise<RequestResult> => {
    const body = options.stream.body(batch);
    const startMs = now();
    sent += options.stream.batchSize;
    const base = { batch, events: options.stream.batchSize, startMs };
    try {
      const response = await fetch(`${options.url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${options.token}`, "content-type": "application/x-ndjson", "x-request-id": `load-${batch}` },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const contentType = response.headers.get("content-type");
      const text = await response.text();
      const ms = now() - startMs;
      const json = contentType?.includes("json") ? (safeJson(text) as Record<string, unknown> | undefined) : undefined;
      const result: RequestResult = { ...base, status: response.status, ms, retryAfter: response.headers.get("retry-after"), contentType };
      if (response.status === 200 && json) result.answer = json as unknown as IngestAnswer;
      else {
        result.code = typeof json?.["code"] === "string" ? json["code"] : undefined;
        result.error = typeof json?.["error"] === "string" ? json["error"] : text.slice(0, 200);
      }
      return result;
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      const what = e.name === "TimeoutError" ? "timeout" : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ...base, status: 0, ms: now() - startMs, retryAfter: null, contentType: null, error: what };
    }
  };

  const client = async () => {
    for (;;) {
      if (stopped()) return;
      const batch = options.batches.next();
      if (batch === null) return;
      taken.add(batch);
      if (interval > 0) {
        const slot = slots++ * interval;
        if (slot > now()) await sleep(slot - now());
      }
      for (;;) {
        const result = await send(batch);
        results.push(result);
        options.onResult?.(result);
        if (result.status === 200 && result.answer) answered.set(batch, result.answer);
        const retry = options.retry;
        if (result.status === 200 || !retry || !retry.statuses.includes(result.status) || now() >= retry.deadlineMs || options.shouldStop?.()) break;
        const seconds = Number(result.retryAfter);
        await sleep(retry.waitMs ?? (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 1000));
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));

  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const r of results) {
    first = Math.min(first, r.startMs);
    last = Math.max(last, r.startMs + r.ms);
  }
  const elapsedMs = results.length === 0 ? 0 : last - first;
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  let eventsAccepted = 0;
  for (const r of results) if (r.answer) eventsAccepted += r.answer.accepted;
  const seconds = elapsedMs / 1000;
  return {
    results,
    elapsedMs,
    answered,
    unanswered: [...taken].filter((b) => !answered.has(b)).sort((a, b) => a - b),
    eventsAccepted,
    eps: seconds > 0 ? eventsAccepted / seconds : 0,
    offeredEps: seconds > 0 ? sent / seconds : 0,
    statuses,
    latency: percentiles(results.filter((r) => r.status === 200).map((r) => r.ms)),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
