/**
 * Detection engine throughput, single core (issue 3): `node --import tsx bench/run.ts`, and the
 * first part of `npm run bench` (bench/all.ts).
 *
 * Figures, in events per second over the same generated NDJSON stream (generate-events.ts; the
 * mix is printed first), each the median of BENCH_RUNS timed passes after one warm-up pass:
 *   parse_eps               JSON.parse of each line
 *   normalize_eps           normalizeEvent on already-parsed events
 *   parse_normalize_eps     JSON.parse + normalizeEvent, no rules
 *   match_only_eps_*        RuleSet.match on already-normalized events
 *   engine_eps_*            JSON.parse + normalizeEvent + RuleSet.match per line, the result
 *                           dropped at once (the engine's cost per event)
 *   engine_eps_500_batched  the same in batches of BATCH lines, every line parsed first and every
 *                           result kept until the batch ends, as lib/ingest holds one request
 * for the shipped rules (rules/sigma) and for 500 generated Sigma process_creation rules, plus
 * per-format breakdowns (µs per event of each kind of line, measured in the same process right
 * after the mixed stream, so with the mixed stream's JIT state) and the KQL/EQL figures.
 *
 * Each group of figures runs in a fresh child process. Measured in one process, a stage's
 * fixtures distorted the next stage: keeping the 50,000 normalized events that the match-only
 * figures need made V8 pretenure normalizeEvent's allocation sites (nearly all of their objects
 * had survived), after which every later normalization allocated straight into the old
 * generation and paid for it in scavenges and full collections: normalizeEvent took twice as
 * long (measured: 4.4 → 8.5 µs per event; `--no-allocation-site-pretenuring` undid it).
 * engine_eps_500_batched shows what holding results does to the same code.
 *
 * Timing is wall clock (process.hrtime); the CPU time of the process (process.cpuUsage, every
 * thread, so V8's concurrent GC threads too) is printed beside it: wall well above CPU means the
 * machine was busy with other work. The load average is printed and kept in the JSON.
 * Human-readable lines first; the LAST line is one JSON object with the figures.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildRuleSet, loadRules, normalizeEvent, RULE_FORMAT_LOADERS, type EcsEvent, type RuleFile, type RuleSet } from "@/lib/detection";
import { EVENT_KINDS, generateEvents, type EventKind, type GeneratedEvents } from "./generate-events";
import { generateRules } from "./generate-rules";
import { runKqlEqlBench } from "./kql-eql";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Lines per ingest request in engine_eps_500_batched (a shipper's usual bulk size). */
const BATCH = 1000;
const receivedAt = new Date("2026-11-09T12:00:00Z");
const KINDS = Object.keys(EVENT_KINDS) as EventKind[];

const STAGES = ["parse", "normalize", "engine_shipped", "engine_500", "engine_500_batched", "match", "kql_eql"] as const;
type Stage = (typeof STAGES)[number];

interface StageResult {
  figures: Record<string, number>;
  /** µs per event by kind of line: `{ sysmon1_evtx: { parse_us: 5.1, … } }`. */
  formats: Partial<Record<EventKind, Record<string, number>>>;
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Median events/s over RUNS timed passes after one warm-up pass; `pass` returns a checksum. */
function measure(label: string, count: number, pass: () => number, indent = "  "): number {
  pass();
  const wall: number[] = [];
  const cpu: number[] = [];
  let checksum = 0;
  for (let r = 0; r < RUNS; r++) {
    const cpuStart = process.cpuUsage();
    const started = process.hrtime.bigint();
    checksum = pass();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpuStart);
    wall.push(count / seconds);
    cpu.push(count / ((used.user + used.system) / 1e6));
  }
  const eps = median(wall);
  const cpuEps = median(cpu);
  console.log(
    `${indent}${label.padEnd(46 - indent.length)} ${Math.round(eps).toLocaleString("en-US").padStart(10)} events/s  ${(1e6 / eps).toFixed(2).padStart(6)} µs/event  (cpu ${(1e6 / cpuEps).toFixed(2)} µs, result ${checksum})`,
  );
  return eps;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Per-kind sub-streams, for the breakdowns. */
function byKind<T>(events: GeneratedEvents, items: readonly T[]): Map<EventKind, T[]> {
  const out = new Map<EventKind, T[]>(KINDS.map((k) => [k, []]));
  items.forEach((item, i) => out.get(events.kinds[i]!)!.push(item));
  return out;
}

/** Measure `pass` over each kind's sub-stream; records `<metric>_us` per kind. */
function perKind<T>(groups: Map<EventKind, T[]>, metric: string, formats: StageResult["formats"], pass: (items: readonly T[]) => number): void {
  for (const [kind, items] of groups) {
    if (items.length === 0) continue;
    const eps = measure(kind, items.length, () => pass(items), "      ");
    (formats[kind] ??= {})[`${metric}_us`] = round2(1e6 / eps);
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Fixtures

function loadRuleSet(files: RuleFile[], label: string, log: boolean): RuleSet {
  const started = performance.now();
  const loaded = loadRules(files, { loaders: RULE_FORMAT_LOADERS });
  if (loaded.errors.length > 0) throw new Error(`${label}: ${loaded.errors.map((e) => e.message).join("\n")}`);
  const unsupported = loaded.rules.filter((r) => !r.detector);
  if (unsupported.length > 0) throw new Error(`${label}: unsupported ${unsupported.map((r) => r.unsupported?.message).join("\n")}`);
  const set = buildRuleSet(loaded.rules);
  const ms = performance.now() - started;
  const s = set.stats;
  if (log) {
    console.log(
      `  ${label}: ${s.rules} rules loaded+compiled+indexed in ${ms.toFixed(0)} ms; index: ${s.indexed} by value, ${s.scoped} per scope, ${s.unindexed} always; ${s.scopes} scopes, ${s.fieldIndexes} field indexes`,
    );
  }
  return set;
}

function shippedRuleSet(log = false): RuleSet {
  const dir = path.resolve(import.meta.dirname, "../rules/sigma");
  const files: RuleFile[] = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ path: `rules/sigma/${f}`, text: fs.readFileSync(path.join(dir, f), "utf8") }));
  return loadRuleSet(files, "shipped rules", log);
}

const packRuleSet = (log = false) => loadRuleSet(generateRules(500), "generated pack", log);

function normalizeAll(parsed: readonly unknown[]): EcsEvent[] {
  return parsed.map((p) => {
    const r = normalizeEvent(p, { receivedAt });
    if (!r.ok) throw new Error(r.error);
    return r.event;
  });
}

// ---------------------------------------------------------------------------------------------
// Stages (each in its own process)

const engine = (set: RuleSet | undefined) => (lines: readonly string[]) => {
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const r = normalizeEvent(JSON.parse(lines[i]!), { receivedAt });
    if (r.ok) n += set ? set.match(r.event).length : 1;
  }
  return n;
};

async function runStage(stage: Stage): Promise<StageResult> {
  const figures: Record<string, number> = {};
  const formats: StageResult["formats"] = {};
  if (stage === "kql_eql") {
    return { figures: await runKqlEqlBench({ events: EVENTS, runs: RUNS, log: (line) => console.log(`  ${line}`) }), formats };
  }
  const events = generateEvents(EVENTS);
  const lines = events.lines;
  switch (stage) {
    case "parse": {
      const parse = (ls: readonly string[]) => {
        let n = 0;
        for (let i = 0; i < ls.length; i++) n += (JSON.parse(ls[i]!) as object) ? 1 : 0;
        return n;
      };
      figures["parse_eps"] = measure("JSON.parse", lines.length, () => parse(lines));
      perKind(byKind(events, lines), "parse", formats, parse);
      break;
    }
    case "normalize": {
      const parsed = lines.map((l) => JSON.parse(l) as unknown);
      const normalize = (ps: readonly unknown[]) => {
        let n = 0;
        for (let i = 0; i < ps.length; i++) n += normalizeEvent(ps[i], { receivedAt }).ok ? 1 : 0;
        return n;
      };
      figures["normalize_eps"] = measure("normalizeEvent (parsed input)", parsed.length, () => normalize(parsed));
      perKind(byKind(events, parsed), "normalize", formats, normalize);
      figures["parse_normalize_eps"] = measure("parse+normalize (no rules)", lines.length, () => engine(undefined)(lines));
      break;
    }
    case "engine_shipped": {
      const set = shippedRuleSet();
      figures["engine_eps_shipped"] = measure("parse+normalize+match, shipped rules", lines.length, () => engine(set)(lines));
      break;
    }
    case "engine_500": {
      const set = packRuleSet();
      figures["engine_eps_500"] = measure("parse+normalize+match, 500-rule pack", lines.length, () => engine(set)(lines));
      perKind(byKind(events, lines), "engine_500", formats, engine(set));
      break;
    }
    case "engine_500_batched": {
      const set = packRuleSet();
      figures["engine_eps_500_batched"] = measure(`same, ${BATCH}-line batches held`, lines.length, () => {
        let n = 0;
        for (let start = 0; start < lines.length; start += BATCH) {
          const end = Math.min(start + BATCH, lines.length);
          const records: unknown[] = [];
          for (let i = start; i < end; i++) records.push(JSON.parse(lines[i]!));
          const prepared: { event: EcsEvent; matches: number }[] = [];
          for (const record of records) {
            const r = normalizeEvent(record, { receivedAt });
            if (r.ok) prepared.push({ event: r.event, matches: set.match(r.event).length });
          }
          for (const p of prepared) n += p.matches;
        }
        return n;
      });
      break;
    }
    case "match": {
      const shipped = shippedRuleSet(true);
      const pack = packRuleSet(true);
      const normalized = normalizeAll(lines.map((l) => JSON.parse(l) as unknown));
      const summary = (set: RuleSet) => {
        let matches = 0;
        let matched = 0;
        for (const e of normalized) {
          const n = set.match(e).length;
          matches += n;
          if (n > 0) matched++;
        }
        return `${matches} matches on ${matched} events`;
      };
      console.log(`  shipped rules: ${summary(shipped)}; generated pack: ${summary(pack)}`);
      const matchOnly = (set: RuleSet) => (es: readonly EcsEvent[]) => {
        let n = 0;
        for (let i = 0; i < es.length; i++) n += set.match(es[i]!).length;
        return n;
      };
      figures["match_only_eps_shipped"] = measure("match only, shipped rules", normalized.length, () => matchOnly(shipped)(normalized));
      figures["match_only_eps_500"] = measure("match only, 500-rule pack", normalized.length, () => matchOnly(pack)(normalized));
      perKind(byKind(events, normalized), "match_500", formats, matchOnly(pack));
      break;
    }
  }
  return { figures, formats };
}

// ---------------------------------------------------------------------------------------------
// The parent: describe the stream, run every stage in a fresh process, print the JSON line.

function runChild(stage: Stage): Promise<StageResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--stage", stage], { stdio: ["inherit", "inherit", "inherit", "ipc"] });
    let result: StageResult | undefined;
    child.on("message", (message) => (result = message as StageResult));
    child.on("error", reject);
    child.on("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`bench stage ${stage} failed (exit ${code})`))));
  });
}

/** The figures of the JSON line: events/s by stage (rounded), the load average, per-format breakdowns. */
export type EngineFigures = Record<string, unknown> & {
  parse_eps?: number;
  engine_eps_shipped?: number;
  engine_eps_500?: number;
};

/**
 * Runs every stage (each in a fresh child process), prints the human-readable lines and the JSON
 * line, and returns the JSON line's figures (bench/all.ts uses them in its summary).
 */
export async function runEngineBench(): Promise<EngineFigures> {
  const loadStart = os.loadavg()[0]!;
  console.log(`Vigil engine bench: ${EVENTS} events, median of ${RUNS} runs, node ${process.version}, single thread, each stage in a fresh process`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  const events = generateEvents(EVENTS);
  const bytes = events.lines.reduce((n, l) => n + l.length, 0);
  console.log(`events: ${events.lines.length} lines, ${(bytes / events.lines.length).toFixed(0)} bytes/event on average, ${events.attacks} attacks mixed in; the mix:`);
  const groups = byKind(events, events.lines);
  const formats: StageResult["formats"] = {};
  for (const kind of KINDS) {
    const ls = groups.get(kind)!;
    const avg = ls.length === 0 ? 0 : ls.reduce((n, l) => n + l.length, 0) / ls.length;
    const share = ls.length / events.lines.length;
    formats[kind] = { share: Math.round(share * 10_000) / 10_000, bytes: Math.round(avg) };
    console.log(`  ${kind.padEnd(24)} ${(share * 100).toFixed(1).padStart(5)}%  ${String(Math.round(avg)).padStart(5)} B  ${EVENT_KINDS[kind].description}`);
  }

  const figures: Record<string, number> = {};
  let other: Record<string, number> = {};
  for (const stage of STAGES) {
    console.log(stage === "kql_eql" ? "KQL / EQL:" : `${stage}:`);
    try {
      const result = await runChild(stage);
      if (stage === "kql_eql") other = result.figures;
      else Object.assign(figures, result.figures);
      for (const [kind, values] of Object.entries(result.formats)) Object.assign((formats[kind as EventKind] ??= {}), values);
    } catch (error) {
      // KQL/EQL figures are extra; every Sigma figure is required.
      if (stage !== "kql_eql") throw error;
      console.log(`  KQL/EQL bench failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const loadEnd = os.loadavg()[0]!;
  console.log(`load average (1 min) at start ${loadStart.toFixed(2)}, at end ${loadEnd.toFixed(2)}`);

  const round = (x: number | undefined) => (x === undefined ? undefined : Math.round(x));
  const summary: EngineFigures = {
    ...other,
    events: events.lines.length,
    parse_eps: round(figures["parse_eps"]),
    normalize_eps: round(figures["normalize_eps"]),
    parse_normalize_eps: round(figures["parse_normalize_eps"]),
    engine_eps_shipped: round(figures["engine_eps_shipped"]),
    engine_eps_500: round(figures["engine_eps_500"]),
    match_only_eps_shipped: round(figures["match_only_eps_shipped"]),
    match_only_eps_500: round(figures["match_only_eps_500"]),
    engine_eps_500_batched: round(figures["engine_eps_500_batched"]),
    load_avg_start: round2(loadStart),
    load_avg_end: round2(loadEnd),
    node: process.version,
    formats,
  };
  console.log(JSON.stringify(summary));
  return summary;
}

const stageArg = process.argv.indexOf("--stage");
if (stageArg >= 0) {
  const stage = process.argv[stageArg + 1] as Stage;
  if (!STAGES.includes(stage)) throw new Error(`unknown stage ${stage}`);
  const result = await runStage(stage);
  // Under the parent, hand the figures back; run alone (`--stage engine_500`), print them.
  if (process.send) process.send(result, () => process.disconnect());
  else console.log(JSON.stringify(result));
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Run directly (not imported by bench/all.ts).
  await runEngineBench();
}
