import { describe, expect, it } from "vitest";
import { progressPrinter } from "./progress";
import { demoScenario, replayDemo, ReplayError, type ReplayOptions } from "./replay";

const NOW = Date.UTC(2026, 10, 10, 9, 30);
const HOUR = 3_600_000;

/** A console that answers health 200 and ingest from `answer` (default: everything new). */
function fakeConsole(answer?: (lines: string[], call: number) => Response | Promise<Response>) {
  const posts: string[][] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    if (url.endsWith("/api/v1/health")) return Response.json({ status: "ok" });
    const lines = String(init.body).split("\n");
    posts.push(lines);
    return answer ? answer(lines, posts.length) : Response.json({ accepted: lines.length, rejected: 0, errors: [], alerts: 0, duplicates: 0 });
  };
  return { fetch, posts };
}

const sleeps: number[] = [];
const base = (fetch: ReplayOptions["fetch"]): ReplayOptions => ({
  url: "http://localhost:3000",
  token: "t".repeat(20),
  now: NOW,
  fetch,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
});

async function failure(options: ReplayOptions): Promise<ReplayError> {
  const error = await replayDemo(options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReplayError);
  return error as ReplayError;
}

describe("demoScenario", () => {
  it("is the same for every moment of a UTC day, up to that moment", () => {
    const morning = demoScenario(NOW).events;
    const evening = demoScenario(NOW + 8 * HOUR).events;
    expect(demoScenario(NOW).events).toEqual(morning);
    expect(evening.slice(0, morning.length)).toEqual(morning);
    expect(evening.length).toBeGreaterThan(morning.length);
  });

  it("is other events on another day (event ids name the scenario's first day)", () => {
    const today = demoScenario(NOW).events;
    const tomorrow = demoScenario(NOW + 24 * HOUR).events;
    const ids = (events: typeof today) => new Set(events.flatMap((e) => ((e.body.event as { id?: string } | undefined)?.id ? [(e.body.event as { id: string }).id] : [])));
    const a = ids(today);
    expect(a.size).toBe(today.filter((e) => (e.body.event as { id?: string } | undefined)?.id).length);
    expect([...ids(tomorrow)].filter((id) => a.has(id))).toEqual([]);
  });
});

describe("replayDemo", () => {
  it("posts NDJSON batches of 500, oldest first, with the bearer token", async () => {
    const seen: RequestInit[] = [];
    const vigil = fakeConsole();
    const summary = await replayDemo({
      ...base(async (url, init) => {
        seen.push(init);
        return vigil.fetch(url, init);
      }),
    });
    const events = demoScenario(NOW).events;
    expect(vigil.posts.map((p) => p.length)).toEqual(Array.from({ length: Math.ceil(events.length / 500) }, (_, i) => Math.min(500, events.length - i * 500)));
    expect(vigil.posts.flat()).toEqual(events.map((e) => JSON.stringify(e.body)));
    const post = seen.find((i) => i.method === "POST")!;
    expect(post.headers).toMatchObject({ authorization: `Bearer ${"t".repeat(20)}`, "content-type": "application/x-ndjson" });
    expect(summary).toMatchObject({ url: "http://localhost:3000", events: events.length, stored: events.length, duplicates: 0, retries: 0 });
  });

  it("waits as long as the server says on 429 and 503, then sends the batch again", async () => {
    sleeps.length = 0;
    const vigil = fakeConsole((lines, call) =>
      call === 1
        ? new Response('{"error":"busy"}', { status: 429, headers: { "retry-after": "2" } })
        : call === 2
          ? new Response('{"error":"starting"}', { status: 503 })
          : Response.json({ accepted: lines.length, rejected: 0, alerts: 1, duplicates: 0 }),
    );
    const summary = await replayDemo(base(vigil.fetch));
    expect(sleeps.slice(0, 2)).toEqual([2000, 1000]);
    expect(summary.retries).toBe(2);
    expect(vigil.posts[0]).toEqual(vigil.posts[2]);
  });

  it("splits a batch the console finds too large (413)", async () => {
    const vigil = fakeConsole((lines) =>
      lines.length > 200 ? Response.json({ error: "too large" }, { status: 413 }) : Response.json({ accepted: lines.length, rejected: 0, alerts: 0, duplicates: 0 }),
    );
    const summary = await replayDemo(base(vigil.fetch));
    expect(summary.stored).toBe(summary.events);
    expect(vigil.posts.filter((p) => p.length <= 200).flat()).toEqual(demoScenario(NOW).events.map((e) => JSON.stringify(e.body)));
  });

  it("says the token is wrong on 401 and lacks the ingest scope on 403", async () => {
    const e401 = await failure(base(fakeConsole(() => Response.json({ error: "invalid or revoked token" }, { status: 401 })).fetch));
    expect(e401.code).toBe("unauthorized");
    expect(e401.message).toMatch(/VIGIL_INGEST_TOKEN is wrong or revoked/);
    const e403 = await failure(base(fakeConsole(() => Response.json({ error: 'this token lacks the "ingest" scope' }, { status: 403 })).fetch));
    expect(e403.code).toBe("forbidden");
    expect(e403.message).toMatch(/lacks the ingest scope/);
  });

  it("says no console runs at the URL when the connection is refused, and how to start one", async () => {
    const refused = async (): Promise<Response> => {
      throw Object.assign(new TypeError("fetch failed"), { cause: new AggregateError([Object.assign(new Error("connect ECONNREFUSED ::1:3000"), { code: "ECONNREFUSED" })]) });
    };
    const error = await failure(base(refused));
    expect(error.code).toBe("not_running");
    expect(error.message).toContain("no Vigil console is running at http://localhost:3000");
    expect(error.message).toContain("npm start");
  });

  it("refuses a URL that is not a Vigil console", async () => {
    const error = await failure(base(async () => new Response("<html>", { status: 404 })));
    expect(error.code).toBe("not_vigil");
  });

  it("waits for a console that is starting", async () => {
    let health = 0;
    const vigil = fakeConsole();
    const summary = await replayDemo(
      base(async (url, init) => (url.endsWith("/health") && ++health < 3 ? Response.json({ status: "unavailable", startup: "failed" }, { status: 503 }) : vigil.fetch(url, init))),
    );
    expect(health).toBe(3);
    expect(summary.stored).toBe(summary.events);
  });

  it("fails on events the console rejects, naming the first", async () => {
    const error = await failure(base(fakeConsole(() => Response.json({ accepted: 499, rejected: 1, errors: [{ line: 7, error: "unknown format" }], alerts: 0, duplicates: 0 })).fetch));
    expect(error.code).toBe("rejected");
    expect(error.message).toContain("line 7: unknown format");
  });
});

describe("progressPrinter", () => {
  const p = (sent: number, elapsedMs: number) => ({ sent, total: 1000, alerts: 3, duplicates: 0, elapsedMs });

  it("redraws one bar on a terminal", () => {
    let out = "";
    const printer = progressPrinter({ isTTY: true, columns: 200, write: (t) => (out += t) });
    printer.update(p(500, 1000));
    printer.finish();
    expect(out).toBe("\r[████████████░░░░░░░░░░░░] 500/1,000 events (50%) · 500 events/s · ETA 1.0s · 3 alerts\u001b[K\n");
  });

  it("prints plain lines at each quarter or interval elsewhere", () => {
    const lines: string[] = [];
    const printer = progressPrinter({ write: (t) => lines.push(t) }, { intervalMs: 2000 });
    for (const [sent, ms] of [[0, 0], [100, 100], [200, 200], [300, 300], [400, 2400], [1000, 3000]] as const) printer.update(p(sent, ms));
    expect(lines).toEqual([
      "100/1,000 events (10%) · 1,000 events/s · ETA 0.9s · 3 alerts\n",
      "300/1,000 events (30%) · 1,000 events/s · ETA 0.7s · 3 alerts\n",
      "400/1,000 events (40%) · 167 events/s · ETA 3.6s · 3 alerts\n",
      "1,000/1,000 events (100%) · 333 events/s · done · 3 alerts\n",
    ]);
  });
});
