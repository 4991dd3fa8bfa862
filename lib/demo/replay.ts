import { webShellScenario, type ScenarioEvent } from "./scenario";

/**
 * The demo (README "Demo"): the built-in web-shell scenario (lib/demo/scenario.ts) replayed into a
 * running console through its public ingest API, as a shipper would send it. `npm run demo`
 * (scripts/demo.ts) and `VIGIL_DEMO=1 npm start` (scripts/start.ts) both call `replayDemo`.
 *
 * Time base: the scenario ends at `now`. Its attack day is yesterday (UTC) with fixed times of
 * day, after seven days of routine, and the routine goes on today up to `now`. Why not today:
 * the attacks happen between 10:00 and 17:30 UTC, and a run in the morning would post events from
 * the future, which event-time state (new terms, rare windows) would then hold against the real
 * events sent after the demo. Everything else is fixed: the events of a UTC day are the same on
 * every run (same ids, same times, same documents), so a second run the same day is answered with
 * duplicates and creates no alert; a run on a later day replays that day's week.
 */

const DAY = 86_400_000;
/** Routine days before the attack day: the learning rules (7 days) have learned by then. */
export const DEMO_ROUTINE_DAYS = 7;
/** Events per request: big enough to be quick, small enough to show progress. */
export const DEMO_BATCH_SIZE = 500;

export interface DemoScenario {
  events: ScenarioEvent[];
  /** First routine day, 00:00 UTC. */
  start: number;
  /** The attack day, 00:00 UTC. */
  attackDay: number;
  /** The last instant included (`now`). */
  end: number;
}

/** The demo's days for a given moment (epoch ms). */
export function demoTimeBase(now: number): Omit<DemoScenario, "events"> {
  const attackDay = Math.floor(now / DAY) * DAY - DAY;
  return { start: attackDay - DEMO_ROUTINE_DAYS * DAY, attackDay, end: now };
}

/** The demo's events for a given moment: deterministic per UTC day, chronological. */
export function demoScenario(now: number): DemoScenario {
  const base = demoTimeBase(now);
  return { events: webShellScenario({ start: base.start, days: DEMO_ROUTINE_DAYS, until: now }), ...base };
}

export interface ReplayProgress {
  /** Events sent and answered so far. */
  sent: number;
  total: number;
  alerts: number;
  duplicates: number;
  elapsedMs: number;
}

export interface ReplaySummary {
  url: string;
  events: number;
  /** Answered as new events (accepted minus duplicates). */
  stored: number;
  duplicates: number;
  alerts: number;
  requests: number;
  /** Requests sent again after 429/503 or a dropped connection. */
  retries: number;
  elapsedMs: number;
  scenario: Omit<DemoScenario, "events">;
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ReplayOptions {
  /** The console's base URL, e.g. http://localhost:3000. */
  url: string;
  /** A token with the ingest scope. */
  token: string;
  /** The time base (epoch ms); default: the current time. */
  now?: number;
  batchSize?: number;
  onProgress?: (progress: ReplayProgress) => void;
  /** Tries per request on 429, 503 and dropped connections (ingest is idempotent, so a resend is safe). */
  maxAttempts?: number;
  /** How long to wait for a console that is starting (health 503) before giving up. */
  waitMs?: number;
  /** Wait (up to `waitMs`) for a console that is not listening yet, e.g. one just started. */
  retryRefused?: boolean;
  /** Per-request time limit. */
  timeoutMs?: number;
  /** For tests: the function that performs HTTP requests. */
  fetch?: Fetch;
  /** For tests: how to wait between tries. */
  sleep?: (ms: number) => Promise<void>;
}

export type ReplayErrorCode = "not_running" | "not_vigil" | "not_ready" | "unauthorized" | "forbidden" | "rejected" | "http";

/** A replay that cannot go on; the message says what to do, for a person at a terminal. */
export class ReplayError extends Error {
  constructor(
    readonly code: ReplayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ReplayError";
  }
}

interface IngestAnswer {
  accepted: number;
  rejected: number;
  alerts: number;
  duplicates: number;
  errors?: { line: number; error: string }[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Replays the demo scenario into the console at `options.url`: waits until the console is ready,
 * then posts the events oldest first as NDJSON, one batch after the other (stateful rules judge
 * events in event-time order, so batches are never sent in parallel).
 *
 * @throws ReplayError when the console is not running, refuses the token, rejects events or
 *   keeps failing after the retries.
 */
export async function replayDemo(options: ReplayOptions): Promise<ReplaySummary> {
  const base = baseUrl(options.url);
  const fetchImpl: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const sleep = options.sleep ?? defaultSleep;
  const maxAttempts = options.maxAttempts ?? 6;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const { events, ...scenario } = demoScenario(options.now ?? Date.now());
  const batchSize = Math.max(1, options.batchSize ?? DEMO_BATCH_SIZE);

  await waitForConsole(base, { fetch: fetchImpl, sleep, waitMs: options.waitMs ?? 30_000, retryRefused: options.retryRefused });

  const started = performance.now();
  const totals = { sent: 0, stored: 0, duplicates: 0, alerts: 0, requests: 0, retries: 0 };
  const report = () =>
    options.onProgress?.({ sent: totals.sent, total: events.length, alerts: totals.alerts, duplicates: totals.duplicates, elapsedMs: performance.now() - started });

  /** One POST, tried again on 429/503 (after Retry-After) and on dropped connections. */
  const post = async (lines: string[]): Promise<IngestAnswer> => {
    for (let attempt = 1; ; attempt++) {
      totals.requests++;
      if (attempt > 1) totals.retries++;
      let res: Response;
      try {
        res = await fetchImpl(`${base}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${options.token}`, "content-type": "application/x-ndjson", "user-agent": "vigil-demo" },
          body: lines.join("\n"),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (attempt < maxAttempts) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw connectionError(base, error);
      }
      if ((res.status === 429 || res.status === 503) && attempt < maxAttempts) {
        await res.body?.cancel();
        await sleep(retryAfterMs(res.headers.get("retry-after"), attempt));
        continue;
      }
      const body = (await res.json().catch(() => null)) as (IngestAnswer & { error?: string }) | null;
      if (res.status === 401) {
        throw new ReplayError("unauthorized", `the console at ${base} refused the token (401${body?.error ? `: ${body.error}` : ""}): VIGIL_INGEST_TOKEN is wrong or revoked. Use the ingest token the console printed on its first start, or create one with the ingest scope under Tokens.`);
      }
      if (res.status === 403) {
        throw new ReplayError("forbidden", `the console at ${base} refused the token (403${body?.error ? `: ${body.error}` : ""}): it lacks the ingest scope. Use the ingest token the console printed on its first start, or create one with the ingest scope under Tokens.`);
      }
      if (res.status === 413 && lines.length > 1) return postHalves(lines);
      if (res.status !== 200 || !body) {
        throw new ReplayError("http", `the console at ${base} answered ${res.status} to POST /api/v1/events${body?.error ? `: ${body.error}` : ""}`);
      }
      if (body.rejected > 0) {
        const first = body.errors?.[0];
        throw new ReplayError("rejected", `the console rejected ${body.rejected} demo event(s)${first ? ` (line ${first.line}: ${first.error})` : ""}: is it an older version of Vigil than this demo?`);
      }
      return body;
    }
  };

  /** A body over the console's size limit (VIGIL_MAX_BODY_BYTES) goes again as two, in order. */
  const postHalves = async (lines: string[]): Promise<IngestAnswer> => {
    const middle = Math.ceil(lines.length / 2);
    const a = await post(lines.slice(0, middle));
    const b = await post(lines.slice(middle));
    return { accepted: a.accepted + b.accepted, rejected: 0, alerts: a.alerts + b.alerts, duplicates: a.duplicates + b.duplicates };
  };

  report();
  for (let i = 0; i < events.length; i += batchSize) {
    const batch = events.slice(i, i + batchSize);
    const answer = await post(batch.map((e) => JSON.stringify(e.body)));
    totals.sent += batch.length;
    totals.duplicates += answer.duplicates;
    totals.stored += answer.accepted - answer.duplicates;
    totals.alerts += answer.alerts;
    report();
  }
  return {
    url: base,
    events: events.length,
    stored: totals.stored,
    duplicates: totals.duplicates,
    alerts: totals.alerts,
    requests: totals.requests,
    retries: totals.retries,
    elapsedMs: performance.now() - started,
    scenario,
  };
}

/**
 * Waits until GET /api/v1/health answers 200 (start-up finished, database reachable and migrated),
 * at most `waitMs`. A refused connection fails at once: nothing is listening there.
 *
 * @throws ReplayError `not_running`, `not_vigil` or `not_ready`.
 */
export async function waitForConsole(url: string, options: { fetch?: Fetch; sleep?: (ms: number) => Promise<void>; waitMs?: number; retryRefused?: boolean } = {}): Promise<void> {
  const base = baseUrl(url);
  const fetchImpl: Fetch = options.fetch ?? ((u, init) => fetch(u, init));
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    let res: Response | null = null;
    let failure: unknown = null;
    try {
      res = await fetchImpl(`${base}/api/v1/health`, { headers: { "user-agent": "vigil-demo" }, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      failure = error;
    }
    if (res?.status === 200) {
      await res.body?.cancel();
      return;
    }
    const body = res ? ((await res.json().catch(() => null)) as { status?: string; startup?: string; database?: { reachable?: boolean } } | null) : null;
    if (res && (res.status !== 503 || !body?.status)) {
      throw new ReplayError("not_vigil", `${base} answered ${res.status} to GET /api/v1/health: is VIGIL_URL the address of a Vigil console?`);
    }
    if (failure && !options.retryRefused) throw connectionError(base, failure);
    if (Date.now() >= deadline) {
      if (failure) throw connectionError(base, failure);
      const why = body?.database?.reachable === false ? "its database is unreachable" : `start-up ${body?.startup ?? "has not finished"}`;
      throw new ReplayError("not_ready", `the console at ${base} is not ready (${why}); see its log`);
    }
    await sleep(1_000);
  }
}

function baseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Retry-After in seconds (or an HTTP date); without one, exponential backoff. At most 30 s. */
function retryAfterMs(header: string | null, attempt: number): number {
  if (header) {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 100), 30_000);
  }
  return backoffMs(attempt);
}

function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 30_000);
}

/** fetch's "fetch failed" names its reason in `cause` (an AggregateError when both IPv6 and IPv4 were tried). */
function connectionError(base: string, error: unknown): ReplayError {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? (error as { name?: string }).name;
  if (code === "ECONNREFUSED") {
    return new ReplayError("not_running", `no Vigil console is running at ${base} (connection refused). Start it with \`npm start\` in the Vigil folder, or set VIGIL_URL to the address it runs at.`);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new ReplayError("not_running", `cannot resolve the host of ${base} (${code}): check VIGIL_URL.`);
  }
  if (code === "TimeoutError" || code === "AbortError") {
    return new ReplayError("http", `the console at ${base} did not answer in time: is it overloaded? (try again; sending the demo twice is harmless)`);
  }
  return new ReplayError("not_running", `cannot reach the console at ${base}: ${code ?? (error as Error).message}. Is it running (\`npm start\`)?`);
}
