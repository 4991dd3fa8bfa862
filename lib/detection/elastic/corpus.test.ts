/// <reference types="vite/client" />
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { compileEql } from "../eql/compile-eql";
import { parseEql } from "../eql/parse-eql";
import { printEql } from "../eql/print-eql";
import type { EcsEvent } from "../event/types";
import { compileKql } from "../kql/compile-kql";
import { parseKql } from "../kql/parse-kql";
import { printKql } from "../kql/print-kql";
import eqlCasesText from "./__fixtures__/eql.cases.toml?raw";
import eventsText from "./__fixtures__/events.jsonl?raw";
import kqlCasesText from "./__fixtures__/kql.cases.toml?raw";

/**
 * The shared conformance corpus (STYLE F8.4): one table-driven test per language over the same
 * events. Each case states the ids it must match and why (`note`); a case tied to a shipped rule
 * (`rule`) must carry that rule's exact query, so the corpus covers what Vigil runs.
 */

interface Case {
  query: string;
  expected: string[];
  note?: string;
  rule?: string;
}

const events = eventsText
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as EcsEvent & { id: string });

const ruleFiles = import.meta.glob("../../../rules/elastic/*.toml", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

function cases(text: string): Case[] {
  return (parseToml(text) as unknown as { case: Case[] }).case;
}

function ruleQuery(path: string): string | undefined {
  const key = Object.keys(ruleFiles).find((k) => k.endsWith(path.replace(/^rules\/elastic\//, "/")));
  if (!key) return undefined;
  const doc = parseToml(ruleFiles[key]!) as { rule?: { query?: string } };
  return doc.rule?.query;
}

const languages = [
  { name: "KQL", text: kqlCasesText, compile: (q: string) => compileKql(parseKql(q), { source: q }), print: (q: string) => printKql(parseKql(q)) },
  { name: "EQL", text: eqlCasesText, compile: (q: string) => compileEql(parseEql(q), { source: q }), print: (q: string) => printEql(parseEql(q)) },
];

describe.each(languages)("$name corpus", ({ text, compile, print }) => {
  const all = cases(text);

  it("has cases and unique queries", () => {
    expect(all.length).toBeGreaterThan(30);
    expect(new Set(all.map((c) => c.query)).size).toBe(all.length);
  });

  it.each(all.map((c) => [c.query.trim().replace(/\s+/g, " ").slice(0, 100), c] as const))("%s", (_name, c) => {
    const { test } = compile(c.query);
    const matched = events.filter((e) => test(e)).map((e) => e.id);
    expect(matched, c.note).toEqual(c.expected);
    // The canonical form means the same thing.
    const canonical = print(c.query);
    expect(events.filter((e) => compile(canonical).test(e)).map((e) => e.id), `canonical: ${canonical}`).toEqual(c.expected);
  });

  it("carries the exact query of every shipped rule it names", () => {
    for (const c of all.filter((x) => x.rule)) expect(ruleQuery(c.rule!), c.rule).toBe(c.query);
  });
});
