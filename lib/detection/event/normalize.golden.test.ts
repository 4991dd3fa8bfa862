import { describe, expect, it } from "vitest";
import golden from "./__fixtures__/normalize-golden.json";
import samples from "./__fixtures__/sigma-regression-events.json";
import { normalizeEvent } from "./normalize";

/**
 * Old against new: `normalize-golden.json` holds what normalizeEvent returned before the
 * performance rework (compiled mapping tables, fused process completion, fewer copies) for the
 * regression fixtures, two bench events of each kind, edge cases around the fast paths and
 * inputs drawn from the property tests' generators. The rework must not change a single field,
 * warning or key order, so results are compared as JSON text (which keeps key order).
 *
 * When normalization changes on purpose, regenerate the file with
 * `node --import tsx bench/normalize-golden.ts` and review the diff.
 */

interface GoldenCase {
  name: string;
  input?: unknown;
  fixture?: string;
  expected: unknown;
}

const receivedAt = new Date(golden.receivedAt);
const cases = golden.cases as GoldenCase[];

function inputOf(c: GoldenCase): unknown {
  if (c.fixture === undefined) return structuredClone(c.input);
  const sample = samples.find((s) => s.name === c.fixture);
  if (sample === undefined) throw new Error(`no fixture ${c.fixture}`);
  return structuredClone(sample.event);
}

describe("normalizeEvent gives the outputs it gave before the performance rework", () => {
  it("covers every kind of input the golden file was built from", () => {
    expect(cases.length).toBeGreaterThan(70);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const result = normalizeEvent(inputOf(c), { receivedAt });
    expect(JSON.stringify(result)).toBe(JSON.stringify(c.expected));
  });
});
