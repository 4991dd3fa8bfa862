/**
 * `npm run bench`: every figure of issue 9, from one run on one machine, in this order:
 *
 *   1. the engine (bench/run.ts): JSON-parse-only throughput of the bench's events (the physical
 *      floor), and parse + normalize + match with the shipped rules and with a 500-rule pack;
 *   2. new-terms decisions against PostgreSQL (bench/new-terms.ts);
 *   3. the alert queue's latency at 1M alerts (bench/queue.ts);
 *   4. end-to-end HTTP ingest (bench/e2e.ts): a production server, real PostgreSQL, 4 clients,
 *      1,000-event NDJSON batches, retention on and off.
 *
 * 2–4 run as child processes (their output passes through; their last line is their JSON).
 * The LAST line is one JSON object:
 *
 *   parse_eps, engine_eps_shipped, engine_eps_500     events/s, one core (run.ts)
 *   e2e_eps_retention_on, e2e_eps_retention_off       events/s accepted over HTTP (e2e.ts)
 *   e2e_p99_ms                                        p99 batch latency, the worse of the two phases
 *   ratio_e2e_to_parse                                e2e_eps_retention_off / parse_eps: what the whole
 *                                                     server keeps of the floor on its best path
 *   ratio_e2e_on_to_parse, ratio_e2e_off_to_parse     both ratios
 *   rss_mb_start, rss_mb_end                          the server's RSS after start-up and after the
 *                                                     measured retention-on run (e2e.ts)
 *   soak_*                                            with BENCH_SOAK_SECONDS (e2e.ts)
 *   engine, new_terms, queue, e2e                     each part's own JSON
 *
 * BENCH_QUICK=1 shortens everything for a smoke run (10,000 engine events and one timed pass,
 * 100,000 stored sightings, 20,000 alerts, 5 s per e2e phase); BENCH_SKIP=new_terms,queue leaves
 * parts out. A part that fails is reported in the JSON (`<part>_error`) and the run exits 1.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";

const QUICK = process.env.BENCH_QUICK === "1";
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").map((s) => s.trim()).filter(Boolean));

if (QUICK) {
  // Set before bench/run.ts is loaded: it reads them at import.
  process.env.BENCH_EVENTS ??= "10000";
  process.env.BENCH_RUNS ??= "1";
  process.env.BENCH_NEWTERMS_SIZES ??= "100000";
  process.env.BENCH_NEWTERMS_BATCHES ??= "10";
  process.env.BENCH_QUEUE_ALERTS ??= "20000";
}

/** Runs a bench script in a child process, its output passing through; resolves with its last JSON line. */
function runScript(script: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, script)], { stdio: ["ignore", "pipe", "inherit"] });
    let last = "";
    let rest = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString("utf8")).split("\n");
      rest = lines.pop() ?? "";
      for (const l of lines) if (l.trim()) last = l;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (rest.trim()) last = rest;
      if (code !== 0) return reject(new Error(`${script} exited ${code}`));
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`${script}: its last line is not JSON: ${last.slice(0, 200)}`));
      }
    });
  });
}

const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

async function main(): Promise<number> {
  const started = Date.now();
  const loadStart = os.loadavg()[0]!;
  const parts: Record<string, Record<string, unknown>> = {};
  const errors: Record<string, string> = {};
  const run = async (name: string, work: () => Promise<Record<string, unknown>>) => {
    if (SKIP.has(name)) return;
    console.log(`\n=== ${name} ===`);
    try {
      parts[name] = await work();
    } catch (error) {
      errors[`${name}_error`] = String((error as Error).message);
      console.log(`${name} FAILED: ${(error as Error).message}`);
    }
  };
  await run("engine", async () => (await import("./run")).runEngineBench());
  await run("new_terms", () => runScript("new-terms.ts"));
  await run("queue", () => runScript("queue.ts"));
  await run("e2e", () => runScript("e2e.ts"));

  const engine = parts["engine"] ?? {};
  const e2e = parts["e2e"] ?? {};
  const parse = num(engine["parse_eps"]);
  const on = num(e2e["e2e_eps_retention_on"]);
  const off = num(e2e["e2e_eps_retention_off"]);
  const soak = e2e["soak"] as Record<string, unknown> | undefined;
  const soakFigures =
    soak && "eps" in soak
      ? {
          soak_seconds: soak["seconds"],
          soak_eps: soak["eps"],
          soak_rss_mb_start: soak["rss_mb_start"],
          soak_rss_mb_end: soak["rss_mb_end"],
          soak_rss_mb_max: soak["rss_mb_max"],
          soak_rss_slope_mb_per_min: soak["rss_slope_mb_per_min"],
        }
      : {};
  const summary = {
    parse_eps: parse,
    engine_eps_shipped: num(engine["engine_eps_shipped"]),
    engine_eps_500: num(engine["engine_eps_500"]),
    e2e_eps_retention_on: on,
    e2e_eps_retention_off: off,
    e2e_p99_ms: num(e2e["e2e_p99_ms"]),
    ratio_e2e_to_parse: ratio(off, parse),
    ratio_e2e_on_to_parse: ratio(on, parse),
    ratio_e2e_off_to_parse: ratio(off, parse),
    rss_mb_start: num(e2e["rss_mb_start"]),
    rss_mb_end: num(e2e["rss_mb_end"]),
    ...soakFigures,
    quick: QUICK,
    seconds: Math.round((Date.now() - started) / 1000),
    load_avg_start: Math.round(loadStart * 100) / 100,
    load_avg_end: Math.round(os.loadavg()[0]! * 100) / 100,
    node: process.version,
    ...errors,
    ...parts,
  };
  console.log(`\nbench finished in ${summary.seconds} s`);
  console.log(JSON.stringify(summary));
  return Object.keys(errors).length > 0 ? 1 : 0;
}

process.exit(await main());
