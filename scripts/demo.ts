/**
 * npm run demo: replay the built-in web-shell scenario into a running console through its ingest
 * API (README "Demo"; lib/demo/replay.ts). VIGIL_URL (default http://localhost:3000) names the
 * console, VIGIL_INGEST_TOKEN a token with the ingest scope. Exit 0 when every event was answered,
 * 1 on failure, 2 on a usage error.
 */
import { count, duration, progressPrinter } from "../lib/demo/progress";
import { demoTimeBase, replayDemo, ReplayError, type ReplaySummary } from "../lib/demo/replay";

const USAGE = `Usage: VIGIL_INGEST_TOKEN=<token> [VIGIL_URL=http://localhost:3000] npm run demo

Replays a built-in, deterministic scenario into a running Vigil console through POST /api/v1/events:
a week of routine activity on seven Linux and Windows web servers (nginx + php-fpm, apache2,
gunicorn, uWSGI, Tomcat, IIS), then a day of web-shell attacks (yesterday, UTC), then today's
routine up to now. Every shipped rule alerts. Running it again the same day only sends duplicates.`;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function printSummary(s: ReplaySummary): void {
  const seconds = s.elapsedMs / 1000;
  console.log(
    `\nSent ${count(s.events)} events in ${duration(seconds)} (${count(Math.round(s.events / Math.max(seconds, 0.001)))} events/s, ${count(s.requests)} requests${s.retries > 0 ? `, ${s.retries} retried` : ""}):` +
      `\n  new events   ${count(s.stored)}` +
      `\n  duplicates   ${count(s.duplicates)}` +
      `\n  alerts       ${count(s.alerts)} created`,
  );
  if (s.stored === 0 && s.duplicates === s.events) {
    console.log("\nThe console already had every event of today's demo: nothing new (re-running the same UTC day is idempotent).");
  }
  console.log(`\nOpen the console: ${s.url}/alerts (sign in as the admin account printed at its first start).`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (args.length > 0) {
    console.error(`unknown argument "${args[0]}"\n\n${USAGE}`);
    return 2;
  }
  const url = process.env.VIGIL_URL || "http://localhost:3000";
  const token = process.env.VIGIL_INGEST_TOKEN;
  if (!token) {
    console.error(
      "VIGIL_INGEST_TOKEN is not set: the demo needs a token with the ingest scope.\n" +
        "Use the ingest token the console printed on its first start (or the VIGIL_INGEST_TOKEN you started it with),\n" +
        "or create one under Tokens, then: VIGIL_INGEST_TOKEN=<token> npm run demo\n" +
        "To start a console that loads the demo by itself: VIGIL_DEMO=1 npm start",
    );
    return 2;
  }
  const now = Date.now();
  const progress = progressPrinter(process.stdout, { prefix: "  " });
  const days = demoTimeBase(now);
  console.log(`Vigil demo → ${url}\n  routine on seven web servers from ${day(days.start)}, web-shell attacks on ${day(days.attackDay)}, routine today up to now`);
  try {
    const summary = await replayDemo({ url, token, now, onProgress: (p) => progress.update(p) });
    progress.finish();
    printSummary(summary);
    return 0;
  } catch (error) {
    progress.finish();
    if (error instanceof ReplayError) {
      console.error(`\nvigil demo: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exit(await main());
