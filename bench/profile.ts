/**
 * The engine loop of the bench (JSON.parse + normalizeEvent + RuleSet.match per line), run for a
 * while under a profiler:
 *
 *   node --cpu-prof --import tsx bench/profile.ts [none|shipped|500] [seconds] [event kind]
 *
 * (`--cpu-prof-interval 100` for finer samples; or `perf record -g node --perf-prof …` with the
 * file bundled by esbuild, for native frames such as the JSON parser and the GC). Prints µs per
 * event for each pass. `none` profiles parse + normalize only; an event kind from
 * generate-events.ts (`sysmon1_evtx`, …) restricts the stream to that kind.
 */
import fs from "node:fs";
import path from "node:path";
import { buildRuleSet, loadRules, normalizeEvent, RULE_FORMAT_LOADERS, type RuleFile, type RuleSet } from "@/lib/detection";
import { generateEvents, type EventKind } from "./generate-events";
import { generateRules } from "./generate-rules";

const [which = "500", seconds = "10", kind] = process.argv.slice(2);
const receivedAt = new Date("2026-11-09T12:00:00Z");

function shippedFiles(): RuleFile[] {
  const dir = path.resolve(import.meta.dirname, "../rules/sigma");
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ path: `rules/sigma/${f}`, text: fs.readFileSync(path.join(dir, f), "utf8") }));
}

let set: RuleSet | undefined;
if (which === "shipped") set = buildRuleSet(loadRules(shippedFiles(), { loaders: RULE_FORMAT_LOADERS }).rules);
else if (which === "500") set = buildRuleSet(loadRules(generateRules(500), { loaders: RULE_FORMAT_LOADERS }).rules);
else if (which !== "none") throw new Error(`usage: bench/profile.ts [none|shipped|500] [seconds] [event kind]`);

const events = generateEvents(50_000);
const lines = events.lines.filter((_, i) => kind === undefined || events.kinds[i] === (kind as EventKind));
if (lines.length === 0) throw new Error(`no events of kind ${kind}`);

const end = Date.now() + Number(seconds) * 1000;
while (Date.now() < end) {
  const started = process.hrtime.bigint();
  let n = 0;
  for (const line of lines) {
    const result = normalizeEvent(JSON.parse(line), { receivedAt });
    if (result.ok) n += set ? set.match(result.event).length : 1;
  }
  console.log(`${(Number(process.hrtime.bigint() - started) / lines.length / 1000).toFixed(2)} µs/event (${n})`);
}
