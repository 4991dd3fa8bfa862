/**
 * Rewrite the expected results of lib/detection/event/__fixtures__/normalize-golden.json with the
 * current normalizer: `node --import tsx bench/normalize-golden.ts`. Only for a change that is
 * meant to change normalization; review the diff of the file before committing it. The inputs
 * stay as they are (the regression fixtures by name, the others inline).
 */
import fs from "node:fs";
import path from "node:path";
import { normalizeEvent } from "@/lib/detection";

interface GoldenCase {
  name: string;
  input?: unknown;
  fixture?: string;
  expected: unknown;
}

const dir = path.resolve(import.meta.dirname, "../lib/detection/event/__fixtures__");
const file = path.join(dir, "normalize-golden.json");
const golden = JSON.parse(fs.readFileSync(file, "utf8")) as { receivedAt: string; note: string; cases: GoldenCase[] };
const samples = JSON.parse(fs.readFileSync(path.join(dir, "sigma-regression-events.json"), "utf8")) as { name: string; event: unknown }[];
const receivedAt = new Date(golden.receivedAt);

let changed = 0;
for (const c of golden.cases) {
  const input = c.fixture === undefined ? structuredClone(c.input) : structuredClone(samples.find((s) => s.name === c.fixture)?.event);
  const expected = JSON.parse(JSON.stringify(normalizeEvent(input, { receivedAt }))) as unknown;
  if (JSON.stringify(expected) !== JSON.stringify(c.expected)) changed++;
  c.expected = expected;
}
// One case per line, so a change shows as a readable diff.
const body = `{"receivedAt":${JSON.stringify(golden.receivedAt)},"note":${JSON.stringify(golden.note)},"cases":[\n${golden.cases.map((c) => JSON.stringify(c)).join(",\n")}\n]}\n`;
fs.writeFileSync(file, body);
console.log(`${golden.cases.length} cases, ${changed} changed`);
