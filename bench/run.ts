/**
 * Sigma matching throughput, single core (issue 3): `npm run bench` (tsx bench/run.ts).
 *
 * Stages, each timed on its own over the same generated event stream:
 *   parse        JSON.parse of each line
 *   normalize    normalizeEvent on already-parsed events
 *   match        RuleSet.match on already-normalized events
 *   engine       JSON.parse + normalizeEvent + RuleSet.match, per line (what ingest does)
 * for the shipped rules (rules/sigma) and for 500 generated process_creation rules.
 * Human-readable lines first; the LAST line is one JSON object with the figures.
 */
import fs from "node:fs";
import path from "node:path";
import { buildRuleSet, loadRules, normalizeEvent, RULE_FORMAT_LOADERS, type EcsEvent, type RuleFile, type RuleSet } from "@/lib/detection";
import { generateEvents } from "./generate-events";
import { generateRules } from "./generate-rules";
import { runKqlEqlBench } from "./kql-eql";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const receivedAt = new Date("2026-11-09T12:00:00Z");

function loadRuleSet(files: RuleFile[], label: string): RuleSet {
  const started = performance.now();
  const loaded = loadRules(files, { loaders: RULE_FORMAT_LOADERS });
  if (loaded.errors.length > 0) throw new Error(`${label}: ${loaded.errors.map((e) => e.message).join("\n")}`);
  const unsupported = loaded.rules.filter((r) => !r.detector);
  if (unsupported.length > 0) throw new Error(`${label}: unsupported ${unsupported.map((r) => r.unsupported?.message).join("\n")}`);
  const set = buildRuleSet(loaded.rules);
  const ms = performance.now() - started;
  const s = set.stats;
  console.log(
    `${label}: ${s.rules} rules loaded+compiled+indexed in ${ms.toFixed(0)} ms; index: ${s.indexed} by value, ${s.scoped} per scope, ${s.unindexed} always; ${s.scopes} scopes, ${s.fieldIndexes} field indexes`,
  );
  return set;
}

/** Median events/s over RUNS timed passes (after one warm-up pass). */
function measure(label: string, count: number, pass: () => number): number {
  pass();
  const rates: number[] = [];
  let checksum = 0;
  for (let r = 0; r < RUNS; r++) {
    const started = process.hrtime.bigint();
    checksum = pass();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(count / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  console.log(`  ${label.padEnd(44)} ${Math.round(median).toLocaleString("en-US").padStart(10)} events/s  (${(1e6 / median).toFixed(2)} µs/event, result ${checksum})`);
  return median;
}

async function main(): Promise<void> {
  const root = path.resolve(import.meta.dirname, "..");
  const shippedDir = path.join(root, "rules/sigma");
  const shippedFiles: RuleFile[] = fs
    .readdirSync(shippedDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ path: `rules/sigma/${f}`, text: fs.readFileSync(path.join(shippedDir, f), "utf8") }));

  console.log(`Vigil Sigma bench: ${EVENTS} events, median of ${RUNS} runs, node ${process.version}, single thread`);
  const shipped = loadRuleSet(shippedFiles, "shipped rules");
  const pack = loadRuleSet(generateRules(500), "generated pack");

  const { lines, attacks } = generateEvents(EVENTS);
  const bytes = lines.reduce((n, l) => n + l.length, 0);
  console.log(`events: ${lines.length} lines, ${(bytes / lines.length).toFixed(0)} bytes/event on average, ${attacks} attacks mixed in`);

  const parsed = lines.map((l) => JSON.parse(l) as unknown);
  const normalized: EcsEvent[] = parsed.map((p) => {
    const r = normalizeEvent(p, { receivedAt });
    if (!r.ok) throw new Error(r.error);
    return r.event;
  });
  const summary = (set: RuleSet) => {
    let matches = 0;
    let events = 0;
    for (const e of normalized) {
      const n = set.match(e).length;
      matches += n;
      if (n > 0) events++;
    }
    return `${matches} matches on ${events} events`;
  };
  console.log(`shipped rules: ${summary(shipped)}; generated pack: ${summary(pack)}`);

  console.log("throughput:");
  const parseEps = measure("JSON.parse", lines.length, () => {
    let n = 0;
    for (const l of lines) n += (JSON.parse(l) as object) ? 1 : 0;
    return n;
  });
  const normalizeEps = measure("normalizeEvent (parsed input)", parsed.length, () => {
    let n = 0;
    for (const p of parsed) n += normalizeEvent(p, { receivedAt }).ok ? 1 : 0;
    return n;
  });
  const matchOnly = (set: RuleSet) => () => {
    let n = 0;
    for (const e of normalized) n += set.match(e).length;
    return n;
  };
  const engine = (set: RuleSet) => () => {
    let n = 0;
    for (const l of lines) {
      const r = normalizeEvent(JSON.parse(l), { receivedAt });
      if (r.ok) n += set.match(r.event).length;
    }
    return n;
  };
  const matchOnlyShipped = measure("match only, shipped rules", normalized.length, matchOnly(shipped));
  const matchOnly500 = measure("match only, 500-rule pack", normalized.length, matchOnly(pack));
  const engineShipped = measure("parse+normalize+match, shipped rules", lines.length, engine(shipped));
  const engine500 = measure("parse+normalize+match, 500-rule pack", lines.length, engine(pack));
  const parseNormalize = measure("parse+normalize (no rules)", lines.length, () => {
    let n = 0;
    for (const l of lines) n += normalizeEvent(JSON.parse(l), { receivedAt }).ok ? 1 : 0;
    return n;
  });

  // KQL and EQL (issue 4) over the same event stream, so one run reports every language.
  let other: Record<string, number> = {};
  try {
    console.log("KQL / EQL:");
    other = await runKqlEqlBench({ events: EVENTS, runs: RUNS, log: (line) => console.log(`  ${line}`) });
  } catch (error) {
    console.log(`  KQL/EQL bench failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const round = (x: number) => Math.round(x);
  console.log(
    JSON.stringify({
      ...other,
      events: lines.length,
      parse_eps: round(parseEps),
      normalize_eps: round(normalizeEps),
      parse_normalize_eps: round(parseNormalize),
      engine_eps_shipped: round(engineShipped),
      engine_eps_500: round(engine500),
      match_only_eps_shipped: round(matchOnlyShipped),
      match_only_eps_500: round(matchOnly500),
    }),
  );
}

await main();
