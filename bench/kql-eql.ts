/**
 * KQL and EQL matching throughput, single core (issue 4). The lead's bench/run.ts calls
 * runKqlEqlBench(); `node --import tsx bench/kql-eql.ts` runs it alone.
 *
 * Over the same normalized event stream as the Sigma bench (bench/generate-events.ts), timed
 * separately:
 *   kql_eps / eql_eps                the shipped rule of each language (rules/elastic), its detector alone
 *   kql_eps_200 / eql_eps_200        200 generated rules per language, every detector on every event
 *   kql_set_eps_200 / eql_set_eps_200  the same 200 rules through buildRuleSet (prefilter index)
 * Figures are events per second (median of BENCH_RUNS passes after a warm-up).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildRuleSet, loadRules, normalizeEvent, RULE_FORMAT_LOADERS, type EcsEvent, type LoadedRule, type RuleFile } from "@/lib/detection";
import { generateEvents } from "./generate-events";
import { Rng } from "./rng";
import { CLI_FRAGMENTS, LOLBINS, OFFICE_AND_SERVERS } from "./vocabulary";

const receivedAt = new Date("2026-11-09T12:00:00Z");

export interface KqlEqlBenchOptions {
  events?: number;
  runs?: number;
  rules?: number;
  log?: (line: string) => void;
}

export async function runKqlEqlBench(options: KqlEqlBenchOptions = {}): Promise<Record<string, number>> {
  const events = options.events ?? Number(process.env.BENCH_EVENTS ?? 50_000);
  const runs = options.runs ?? Number(process.env.BENCH_RUNS ?? 5);
  const ruleCount = options.rules ?? 200;
  const log = options.log ?? ((line: string) => console.log(line));

  const root = path.resolve(import.meta.dirname, "..");
  const dir = path.join(root, "rules/elastic");
  const shippedFiles: RuleFile[] = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".toml"))
    .map((f) => ({ path: `rules/elastic/${f}`, text: fs.readFileSync(path.join(dir, f), "utf8") }));
  const shipped = load(shippedFiles, "shipped Elastic rules", log);
  const kqlShipped = shipped.filter((r) => r.meta.type !== "eql");
  const eqlShipped = shipped.filter((r) => r.meta.type === "eql");
  const kqlPack = load(generateRules("kuery", ruleCount), `${ruleCount} generated KQL rules`, log);
  const eqlPack = load(generateRules("eql", ruleCount), `${ruleCount} generated EQL rules`, log);

  const { lines } = generateEvents(events);
  const normalized: EcsEvent[] = [];
  for (const l of lines) {
    const r = normalizeEvent(JSON.parse(l), { receivedAt });
    if (r.ok) normalized.push(r.event);
  }
  // Linux web-server shells so the KQL rule's deeper clauses run too (the stream is mostly Windows).
  for (let i = 0; i < normalized.length; i += 50) normalized[i] = linuxShell(i);

  const count = (rules: LoadedRule[]) => normalized.reduce((n, e) => n + rules.filter((r) => r.detector!.test(e)).length, 0);
  log(`KQL/EQL bench: ${normalized.length} events, median of ${runs} runs, node ${process.version}`);
  log(`matches: shipped KQL ${count(kqlShipped)}, shipped EQL ${count(eqlShipped)}, KQL pack ${count(kqlPack)}, EQL pack ${count(eqlPack)}`);

  const measure = (label: string, pass: () => number): number => {
    pass();
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const started = process.hrtime.bigint();
      pass();
      rates.push(normalized.length / (Number(process.hrtime.bigint() - started) / 1e9));
    }
    rates.sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)]!;
    log(`  ${label.padEnd(40)} ${Math.round(median).toLocaleString("en-US").padStart(12)} events/s  (${(1e6 / median).toFixed(2)} µs/event)`);
    return Math.round(median);
  };
  const detectors = (rules: LoadedRule[]) => () => {
    let n = 0;
    const tests = rules.map((r) => r.detector!);
    for (const e of normalized) for (const d of tests) if (d.test(e)) n++;
    return n;
  };
  const ruleSet = (rules: LoadedRule[]) => {
    const set = buildRuleSet(rules);
    return () => {
      let n = 0;
      for (const e of normalized) n += set.match(e).length;
      return n;
    };
  };

  return {
    kql_eps: measure("KQL, shipped rule (detector)", detectors(kqlShipped)),
    eql_eps: measure("EQL, shipped rule (detector)", detectors(eqlShipped)),
    kql_eps_200: measure(`KQL, ${ruleCount} rules (every detector)`, detectors(kqlPack)),
    eql_eps_200: measure(`EQL, ${ruleCount} rules (every detector)`, detectors(eqlPack)),
    kql_set_eps_200: measure(`KQL, ${ruleCount} rules (rule set, indexed)`, ruleSet(kqlPack)),
    eql_set_eps_200: measure(`EQL, ${ruleCount} rules (rule set, indexed)`, ruleSet(eqlPack)),
  };
}

function load(files: RuleFile[], label: string, log: (line: string) => void): LoadedRule[] {
  const started = performance.now();
  const loaded = loadRules(files, { loaders: RULE_FORMAT_LOADERS });
  if (loaded.errors.length > 0) throw new Error(`${label}: ${loaded.errors.map((e) => e.message).join("\n")}`);
  const runnable = loaded.rules.filter((r) => r.detector);
  if (runnable.length !== loaded.rules.length) throw new Error(`${label}: some rules are unsupported`);
  log(`${label}: ${runnable.length} rules loaded and compiled in ${(performance.now() - started).toFixed(0)} ms`);
  return runnable;
}

function linuxShell(i: number): EcsEvent {
  return {
    "@timestamp": "2026-11-09T12:00:00.000Z",
    event: { category: ["process"], type: ["start"], action: "exec" },
    host: { id: `h-${i % 97}`, os: { type: "linux" } },
    process: {
      name: i % 3 === 0 ? "bash" : "python3",
      command_line: `bash -c id-${i}`,
      args: ["bash", "-c", `id-${i}`],
      working_directory: "/var/www/html",
      parent: { name: i % 2 === 0 ? "nginx" : "java", executable: "/usr/sbin/nginx", args: ["java", "org.apache.catalina.startup.Bootstrap"] },
    },
  };
}

/** Rules shaped like Elastic's process rules: parent list, process list, command-line fragments. */
function generateRules(language: "kuery" | "eql", n: number): RuleFile[] {
  const rng = new Rng(language === "eql" ? 7 : 11);
  const files: RuleFile[] = [];
  // Fragments as plain text: no KQL specials or keywords, so both languages read them literally.
  const frag = () => {
    const f = rng.pick(CLI_FRAGMENTS).trim().replace(/[\\"():<>{}*]/g, "");
    return /(^|\s)(or|and|not)(\s|$)/i.test(f) ? "" : f;
  };
  for (let i = 0; i < n; i++) {
    const parents = [rng.pick(OFFICE_AND_SERVERS), rng.pick(OFFICE_AND_SERVERS), rng.pick(OFFICE_AND_SERVERS)];
    const names = [rng.pick(LOLBINS), rng.pick(LOLBINS), rng.pick(LOLBINS), rng.pick(LOLBINS)];
    const frags = [frag(), frag()].filter((f) => f !== "");
    let query: string;
    if (language === "kuery") {
      const caseless = i % 2 === 0 ? ".caseless" : "";
      query = [
        "event.category:process and event.type:start",
        `process.parent.name${caseless}:(${parents.join(" or ")})`,
        `process.name${caseless}:(${names.join(" or ")})`,
        frags.length ? `process.command_line${caseless}:(${frags.map((f) => `*${f}*`).join(" or ")})` : "process.command_line:*",
        `not process.args:(${rng.pick(LOLBINS)} or "--help")`,
      ].join(" and ");
    } else {
      const q = (s: string) => JSON.stringify(s);
      query = [
        'process where event.type == "start"',
        `process.parent.name : (${parents.map(q).join(", ")})`,
        `process.name : (${names.map(q).join(", ")})`,
        i % 3 === 0 && frags[0] ? `stringContains~(process.command_line, ${q(frags[0])})` : `process.command_line : (${frags.map((f) => q(`*${f}*`)).join(", ") || '"*"'})`,
        `not process.args in~ (${q(rng.pick(LOLBINS))}, "--help")`,
      ].join(" and ");
    }
    const id = `00000000-0000-4000-8${language === "eql" ? "1" : "0"}00-${String(i).padStart(12, "0")}`;
    files.push({
      path: `bench/generated/${language}-${i}.toml`,
      text: `[metadata]\nmaturity = "production"\n\n[rule]\nrule_id = "${id}"\nname = "generated ${language} ${i}"\ndescription = "bench"\nseverity = "medium"\nrisk_score = 47\ntype = "${language === "eql" ? "eql" : "query"}"\nlanguage = "${language}"\nquery = '''\n${query}\n'''\n`,
    });
  }
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runKqlEqlBench().then(
    (figures) => console.log(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
