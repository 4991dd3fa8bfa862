import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getField, type EcsEvent } from "@/lib/detection";
import { shaped, windowsOrEcs } from "@/lib/detection/testing";
import { parseIngestBody, type IngestRecord } from "./parse-body";
import { prepareBatch, type PreparedBatch } from "./prepare-batch";
import { readRetainedEvent } from "./retained-event";
import { FC_SEED, shippedRuleSet } from "./test-support";

/**
 * Properties of the pure ingest pipeline (normalize + the shipped rule set) over generated events
 * in every format, odd values and arbitrary JSON: it never throws, accounts for every record,
 * keeps line order, judges each event on its own, and hands the store only bounded, storable
 * events.
 */

const receivedAt = new Date("2026-11-23T08:00:00.000Z");
const ruleSet = shippedRuleSet();

/** A command line or host name far past its limit, now and then. */
const oversized = fc.oneof(
  fc.constant(undefined),
  fc.constant(undefined),
  fc.constant(undefined),
  fc.record({ path: fc.constantFrom("process.command_line", "process.executable", "host.name", "user.name"), size: fc.integer({ min: 30_000, max: 60_000 }) }),
);

const eventValue = fc
  .tuple(fc.oneof({ weight: 3, arbitrary: windowsOrEcs }, { weight: 2, arbitrary: shaped }, { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })) }), oversized)
  .map(([value, big]) => {
    const doc = structuredClone(value) as Record<string, unknown>;
    if (big) doc[big.path] = `${big.path === "host.name" ? "web" : "/bin/sh -c "}${"A".repeat(big.size)}`;
    return doc;
  });

/** Records as the parser hands them on: increasing line numbers, gaps where lines were blank or bad. */
const records = fc.array(fc.tuple(eventValue, fc.integer({ min: 1, max: 3 })), { maxLength: 12 }).map((items) => {
  let line = 0;
  return items.map(([value, step]): IngestRecord => ({ line: (line += step), value }));
});

const LIMITED: readonly [string, number][] = [
  ["process.command_line", 32_768],
  ["process.executable", 32_768],
  ["process.name", 512],
  ["process.parent.command_line", 32_768],
  ["process.parent.executable", 32_768],
  ["process.parent.name", 512],
  ["host.name", 512],
  ["user.name", 512],
  ["user.domain", 512],
];

/** Every limited field within its limit; text only where there is a value. */
function expectBounded(event: EcsEvent): void {
  for (const [path, max] of LIMITED) {
    const value = getField(event, path);
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined || v === null) continue;
      expect(typeof v, path).toBe("string");
      expect((v as string).length, path).toBeLessThanOrEqual(max);
    }
  }
}

function expectAccounted(input: readonly IngestRecord[], batch: PreparedBatch): void {
  const lines = input.map((r) => r.line);
  const errorLines = batch.errors.map((e) => e.line);
  expect(batch.accepted + batch.errors.length).toBe(input.length);
  for (const line of errorLines) expect(lines).toContain(line);
  expect(new Set(errorLines).size).toBe(errorLines.length);
  const eventLines = batch.events.map((e) => e.line);
  for (let i = 1; i < eventLines.length; i++) expect(eventLines[i]!).toBeGreaterThan(eventLines[i - 1]!);
  for (const line of eventLines) expect(errorLines).not.toContain(line);
  for (let i = 1; i < batch.warnings.length; i++) expect(batch.warnings[i]!.line).toBeGreaterThanOrEqual(batch.warnings[i - 1]!.line);
  for (const w of batch.warnings) expect(errorLines).not.toContain(w.line);
  for (const e of batch.events) {
    expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(e.hostName === null || e.hostName.length <= 512).toBe(true);
    if (e.event) expectBounded(e.event);
    // What readers of the retained event see: the original, normalized again, bounded alike.
    if (e.original) {
      const retained = readRetainedEvent(JSON.parse(e.original), new Date(e.receivedAt));
      expect(retained).not.toBeNull();
      expectBounded(retained!);
    }
  }
}

describe("prepareBatch properties (shipped rules)", () => {
  it("loads the shipped rules", () => {
    expect(ruleSet.rules.length).toBeGreaterThan(0);
  });

  it("never throws and accounts for every record, in line order, with bounded events", () => {
    fc.assert(
      fc.property(records, (input) => {
        expectAccounted(input, prepareBatch(input, ruleSet, receivedAt));
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it("judges each event on its own: the verdict on a record is the same alone and in a batch", () => {
    fc.assert(
      fc.property(records, (input) => {
        const batch = prepareBatch(input, ruleSet, receivedAt);
        const seen = new Set<string>();
        for (const record of input) {
          const alone = prepareBatch([record], ruleSet, receivedAt);
          const error = batch.errors.find((e) => e.line === record.line);
          expect(error?.error).toEqual(alone.errors[0]?.error);
          const event = alone.events[0];
          if (!event) continue;
          // A second copy of an event in one batch is the same event (deduplicated by key).
          if (seen.has(event.key)) continue;
          seen.add(event.key);
          const inBatch = batch.events.find((e) => e.line === record.line);
          expect(inBatch?.key).toBe(event.key);
          expect(inBatch?.matches.map((m) => m.rule.id)).toEqual(event.matches.map((m) => m.rule.id));
          expect(inBatch?.candidates.map((m) => m.rule.id)).toEqual(event.candidates.map((m) => m.rule.id));
        }
      }),
      { seed: FC_SEED, numRuns: 150 },
    );
  });

  it("from any body to prepared events: never throws, and every event is text the store can keep", () => {
    // Generated events serialized as a shipper would, with stray strings (lone surrogates, NUL)
    // in them, between garbage lines and invalid UTF-8.
    const odd = fc.string({ unit: "binary", maxLength: 8 });
    const line = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(eventValue, odd).map(([v, s]) => new TextEncoder().encode(JSON.stringify({ ...v, "process.command_line": s, [s]: s }))) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }).map((s) => new TextEncoder().encode(s.replaceAll("\n", " "))) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }).map((b) => b.map((x) => (x === 0x0a ? 0x20 : x))) },
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const body = new Uint8Array(lines.reduce((n, l) => n + l.byteLength + 1, 0));
        let at = 0;
        for (const l of lines) {
          body.set(l, at);
          at += l.byteLength;
          body[at++] = 0x0a;
        }
        let parsed;
        try {
          parsed = parseIngestBody(body, "ndjson");
        } catch {
          return; // only IngestRejection can get here: the first property of parse-body.property.test.ts
        }
        const batch = prepareBatch(parsed.records, ruleSet, receivedAt);
        expectAccounted(parsed.records, batch);
        for (const e of batch.events) expect(JSON.stringify(e.event)).not.toMatch(/(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
