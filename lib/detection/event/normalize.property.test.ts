import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ecsDocument, security4688, sysmonEvtx, sysmonFlat, sysmonWinlogbeat } from "./arbitraries";
import { normalizeEvent } from "./normalize";
import type { EventObject, NormalizeResult } from "./types";

/**
 * Properties over generated inputs (STYLE F8.6): normalization is total, never mutates its
 * input, and is idempotent: normalizing a normalized event with the same receivedAt gives the
 * same event back.
 */

const receivedAt = new Date("2026-11-23T08:00:00.000Z");

/** Every Windows format and ECS, with exporters' odd values (arbitraries.ts). */
const windowsOrEcs = fc.oneof(sysmonFlat, sysmonEvtx, sysmonWinlogbeat, security4688, ecsDocument);

function expectIdempotent(first: NormalizeResult): void {
  if (!first.ok) return;
  const second = normalizeEvent(first.event, { receivedAt });
  expect(second.ok).toBe(true);
  if (second.ok) expect(second.event).toStrictEqual(first.event);
}

describe("normalizeEvent properties", () => {
  it("is idempotent on Sysmon, Security 4688 and ECS inputs", () => {
    fc.assert(
      fc.property(windowsOrEcs, (input) => {
        const first = normalizeEvent(input, { receivedAt });
        expect(first.ok).toBe(true);
        expectIdempotent(first);
      }),
      { numRuns: 1500 },
    );
  });

  it("never throws, never mutates its input, and is idempotent whenever it succeeds, on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const input = JSON.parse(JSON.stringify(value)) as unknown;
        const before = JSON.stringify(input);
        const result = normalizeEvent(input, { receivedAt });
        expect(typeof result.ok).toBe("boolean");
        expect(JSON.stringify(input)).toBe(before);
        expectIdempotent(result);
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws on arbitrary JSON shaped like the formats it reads", () => {
    const shaped = fc.oneof(
      fc.jsonValue().map((v) => ({ Event: { System: { EventID: 1, Provider: v }, EventData: v, UserData: v } })),
      fc.jsonValue().map((v) => ({ EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational", Image: v, CommandLine: v, Hashes: v, UtcTime: v, User: v })),
      fc.jsonValue().map((v) => ({ "@timestamp": v, event: v, process: v, host: v, winlog: { event_id: 1, event_data: v } })),
      fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ "@timestamp": "2026-01-01T00:00:00Z", "process.name": "x", ...d })),
      fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ EventID: 4688, ...d })),
    );
    fc.assert(
      fc.property(shaped, (input) => {
        const frozen = JSON.parse(JSON.stringify(input)) as EventObject;
        const result = normalizeEvent(frozen, { receivedAt });
        expect(typeof result.ok).toBe("boolean");
        expectIdempotent(result);
      }),
      { numRuns: 2000 },
    );
  });
});
