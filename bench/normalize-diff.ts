/**
 * Differential check of normalizeEvent against its own past: `node --import tsx
 * bench/normalize-diff.ts [git revision]` (default HEAD) extracts lib/detection/event at that
 * revision into a temporary directory and compares both normalizers, result by result (fields,
 * key order, warnings, error codes), on
 *   - the bench stream (BENCH_EVENTS lines, default 50,000),
 *   - the golden inputs of lib/detection/event/__fixtures__/normalize-golden.json,
 *   - the SigmaHQ regression events of ../shared/conformance, when that checkout is there,
 *   - DIFF_RUNS (default 20,000) inputs of each generator in lib/detection/event/arbitraries.ts,
 * and checks that neither mutates its input. Exits 1 on the first ten differences (printed).
 * Use it before committing a change to normalization that is meant to change nothing; the unit
 * tests (normalize.golden.test.ts) keep a smaller, fixed sample of the same comparison.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { normalizeEvent, type NormalizeOptions, type NormalizeResult } from "@/lib/detection";
import { generateEvents } from "./generate-events";
import { shaped, windowsOrEcs } from "@/lib/detection/testing";

type Normalize = (input: unknown, options: NormalizeOptions) => NormalizeResult;

const root = path.resolve(import.meta.dirname, "..");
const revision = process.argv[2] ?? "HEAD";
const receivedAt = new Date("2026-11-09T12:00:00Z");

async function normalizerAt(rev: string): Promise<Normalize> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-normalize-diff-"));
  const files = execFileSync("git", ["-C", root, "ls-tree", "-r", "--name-only", rev, "lib/detection/event"], { encoding: "utf8" })
    .split("\n")
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  for (const file of files) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, execFileSync("git", ["-C", root, "show", `${rev}:${file}`]));
  }
  const loaded = (await import(pathToFileURL(path.join(dir, "lib/detection/event/normalize.ts")).href)) as { normalizeEvent: Normalize };
  return loaded.normalizeEvent;
}

/** Where two values differ (own keys in order, property descriptors, prototypes), if anywhere. */
function difference(a: unknown, b: unknown, at: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return `${at}: ${show(a)} vs ${show(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: array vs object`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: prototypes differ`;
  const keysA = Reflect.ownKeys(a as object);
  const keysB = Reflect.ownKeys(b as object);
  if (keysA.length !== keysB.length || keysA.some((k, i) => k !== keysB[i])) return `${at}: keys [${keysA.map(String)}] vs [${keysB.map(String)}]`;
  for (const key of keysA) {
    const da = Object.getOwnPropertyDescriptor(a, key)!;
    const db = Object.getOwnPropertyDescriptor(b, key)!;
    if (da.enumerable !== db.enumerable || da.writable !== db.writable) return `${at}.${String(key)}: descriptors differ`;
    const inner = difference(da.value, db.value, `${at}.${String(key)}`);
    if (inner) return inner;
  }
  return undefined;
}

function show(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 200);
}

async function main(): Promise<void> {
  const previous = await normalizerAt(revision);
  let checked = 0;
  let differing = 0;
  const check = (input: unknown, label: string): void => {
    const mine = structuredClone(input);
    const before = JSON.stringify(mine);
    const got = normalizeEvent(mine, { receivedAt });
    const want = previous(structuredClone(input), { receivedAt });
    let found = difference(got, want, "result") ?? (JSON.stringify(mine) !== before ? "the input was mutated" : undefined);
    if (found === undefined && got.ok && want.ok) found = difference(normalizeEvent(got.event, { receivedAt }), previous(want.event, { receivedAt }), "normalized again");
    checked++;
    if (found !== undefined && ++differing <= 10) console.log(`DIFFERENT ${label}: ${found}\n  input: ${show(input)}`);
  };

  const stream = generateEvents(Number(process.env.BENCH_EVENTS ?? 50_000));
  stream.lines.forEach((line, i) => check(JSON.parse(line), `bench line ${i} (${stream.kinds[i]})`));
  console.log(`bench stream: ${checked} events`);

  const golden = JSON.parse(fs.readFileSync(path.join(root, "lib/detection/event/__fixtures__/normalize-golden.json"), "utf8")) as { cases: { name: string; input?: unknown }[] };
  for (const c of golden.cases) if (c.input !== undefined) check(c.input, `golden ${c.name}`);
  const conformance = path.join(root, "../shared/conformance/sigma-regression/cases");
  if (fs.existsSync(conformance)) {
    for (const id of fs.readdirSync(conformance)) {
      const text = fs.readFileSync(path.join(conformance, id, "events.ndjson"), "utf8");
      text.split("\n").forEach((line, i) => line.trim() && check(JSON.parse(line), `conformance ${id}#${i}`));
    }
  }
  console.log(`+ golden inputs and conformance events: ${checked}`);

  const runs = Number(process.env.DIFF_RUNS ?? 20_000);
  for (const [name, arbitrary] of [["windows/ecs", windowsOrEcs], ["shaped", shaped], ["json", fc.jsonValue()]] as const) {
    fc.assert(
      fc.property(arbitrary as fc.Arbitrary<unknown>, (input) => {
        check(input, `random ${name}`);
      }),
      { numRuns: runs, seed: 20261123 },
    );
  }
  console.log(`+ random inputs: ${checked} checked against ${revision}, ${differing} different`);
  process.exit(differing > 0 ? 1 : 0);
}

await main();
