/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import type { EcsEvent } from "../../event/types";
import { compileEql } from "../../eql/compile-eql";
import { parseEql } from "../../eql/parse-eql";
import { printEql } from "../../eql/print-eql";
import { compileSigmaRule } from "../compile-sigma";
import { parseSigmaFile } from "../parse-rule";
import type { SigmaRule } from "../types";
import { sigmaToEql } from "./convert-sigma";
import { CASES, type Case } from "./__fixtures__/construct-cases";
import { generateEvents, parseOne } from "./test-support";

/**
 * The "faithfully" proof for EQL: a converted query, compiled by Vigil's EQL engine, matches
 * exactly the events the Sigma rule matches, compiled by Vigil's Sigma engine, over events
 * generated for the rule (test-support.ts says what they are and are not). A partial conversion
 * (a construct EQL cannot say) must match a superset.
 */

const shipped = Object.entries(import.meta.glob("../../../../rules/sigma/*.yml", { query: "?raw", import: "default", eager: true }) as Record<string, string>).map(
  ([path, text]): Case => ({ name: path.replace(/^(\.\.\/)+/, ""), text }),
);

const EVENTS_PER_RULE = 800;

function check(rule: SigmaRule, kase: Case, seed: number): { positives: number; total: number } {
  const placeholders = kase.placeholders ?? {};
  const compiled = compileSigmaRule(rule, { config: { placeholders } });
  if (!compiled.ok) throw compiled.errors[0];
  const conversion = sigmaToEql(rule, { placeholders });
  expect(conversion.complete, JSON.stringify(conversion.unsupported)).toBe(!kase.partial);
  const ast = parseEql(conversion.query);
  expect(printEql(ast)).toBe(conversion.query);
  const query = compileEql(ast);
  const events = generateEvents(rule, EVENTS_PER_RULE, seed, { placeholders });
  const mismatches: { sigma: boolean; eql: boolean; event: EcsEvent }[] = [];
  let positives = 0;
  for (const event of events) {
    const sigma = compiled.detector.test(event);
    const eql = query.test(event);
    if (sigma) positives++;
    if (kase.partial ? sigma && !eql : sigma !== eql) mismatches.push({ sigma, eql, event });
  }
  expect(mismatches.slice(0, 2), conversion.query).toEqual([]);
  return { positives, total: events.length };
}

describe("EQL conversion matches the Sigma rule, event for event", () => {
  it.each(CASES.map((k, i) => ({ ...k, seed: 1000 + i })))("$name", (kase) => {
    const { positives, total } = check(parseOne(kase.text), kase, kase.seed);
    // Not vacuous: the generated events include matches and non-matches.
    expect(positives).toBeGreaterThan(0);
    expect(positives).toBeLessThan(total);
  });

  it.each(shipped.map((k, i) => ({ ...k, seed: 2000 + i })))("shipped rule $name", (kase) => {
    const rules = parseSigmaFile(kase.text, { file: kase.name }).rules;
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const { positives, total } = check(rule, kase, kase.seed);
      expect(positives).toBeGreaterThan(0);
      expect(positives).toBeLessThan(total);
    }
  });
});
