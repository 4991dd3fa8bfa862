/// <reference types="vite/client" />
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { EcsEvent } from "../../event/types";
import { compileEql } from "../../eql/compile-eql";
import { parseEql } from "../../eql/parse-eql";
import { parseSigmaFile } from "../parse-rule";
import { sigmaToEql, sigmaToSentinel } from "./convert-sigma";
import { parseOne, ruleText } from "./test-support";

const sel = "sel:\n    Image|endswith: '\\cmd.exe'\ncondition: sel";
const WINDOWS = "category: process_creation\n    product: windows";

describe("sigmaToSentinel / sigmaToEql", () => {
  it("return the query, whether it is complete, what did not convert and notes", () => {
    const rule = parseOne(ruleText(sel, WINDOWS));
    expect(sigmaToSentinel(rule)).toEqual({
      target: "sentinel",
      query: 'imProcessCreate\n| where TargetProcessName endswith "\\\\cmd.exe"',
      complete: true,
      unsupported: [],
      notes: [expect.stringMatching(/product \(windows\)/)],
    });
    expect(sigmaToEql(rule)).toEqual({
      target: "eql",
      query:
        'process where host.os.type == "windows" and (winlog.channel : "Microsoft-Windows-Sysmon/Operational" and event.code == "1" or winlog.channel : "Security" and event.code == "4688" or winlog.channel == null and event.type == "start") and process.executable : """*\\cmd.exe"""',
      complete: true,
      unsupported: [],
      notes: [],
    });
  });

  it("report a correlation rule, with no query", () => {
    const text = `title: Many failures\nid: 00000000-0000-4000-8000-0000000000c1\ncorrelation:\n    type: event_count\n    rules: [x]\n    group-by: [User]\n    timespan: 5m\n    condition:\n        gte: 10\n`;
    const parsed = parseSigmaFile(text);
    const doc = parsed.unsupported[0]!.document;
    for (const convert of [sigmaToSentinel, sigmaToEql]) {
      expect(convert(doc)).toMatchObject({ query: "", complete: false, unsupported: [{ construct: "correlation", reason: expect.stringMatching(/correlation rules/) }] });
    }
  });

  it("report another taxonomy", () => {
    const rule = { ...parseOne(ruleText(sel, WINDOWS)), taxonomy: "custom" };
    expect(sigmaToEql(rule).unsupported).toEqual([expect.objectContaining({ construct: "taxonomy" })]);
    expect(sigmaToSentinel(rule).query).toBe("");
  });

  it("note an ignored timeframe", () => {
    const rule = parseOne(ruleText(`${sel}\ntimeframe: 5m`, WINDOWS));
    expect(sigmaToEql(rule).notes).toEqual([expect.stringMatching(/timeframe: 5m/)]);
  });

  it("take placeholder values", () => {
    const rule = parseOne(ruleText("sel:\n    CommandLine|expand|contains: '%tool%'\ncondition: sel", WINDOWS));
    expect(sigmaToEql(rule).complete).toBe(false);
    const c = sigmaToEql(rule, { placeholders: { tool: ["nmap", "zmap"] } });
    expect(c.complete).toBe(true);
    expect(c.query).toMatch(/process\.command_line : \("\*nmap\*", "\*zmap\*"\)$/);
  });

  it("convert each rule of a multi-document file (action: global) on its own", () => {
    const text = `action: global\ntitle: Global\nstatus: test\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    condition: sel\n---\nid: 00000000-0000-4000-8000-0000000000a1\ndetection:\n    sel:\n        Image|endswith: '\\a.exe'\n---\nid: 00000000-0000-4000-8000-0000000000a2\ndetection:\n    sel:\n        Image|endswith: '\\b.exe'\n`;
    const rules = parseSigmaFile(text).rules;
    expect(rules.map((r) => sigmaToSentinel(r).query)).toEqual([
      'imProcessCreate\n| where TargetProcessName endswith "\\\\a.exe"',
      'imProcessCreate\n| where TargetProcessName endswith "\\\\b.exe"',
    ]);
  });
});

/**
 * Vigil's Sigma conformance corpus (sigma/__fixtures__): normalized events as Vigil stores them
 * (Sysmon, Security 4688, Elastic Defend) and rules with the events they must match. The EQL
 * conversion of each rule gives the same events (a superset when it is partial), as the STYLE
 * asks of any case that exists in two languages.
 */
const fixtures = import.meta.glob("../__fixtures__/*.{jsonl,yaml}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const shippedFiles = import.meta.glob("../../../../rules/sigma/*.yml", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const events = fixtures["../__fixtures__/events.jsonl"]!
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as EcsEvent);
const idOf = (e: EcsEvent) => (e.event as { id: string }).id;
const corpus = Object.entries(fixtures)
  .filter(([path]) => path.endsWith(".cases.yaml"))
  .flatMap(([path, text]) =>
    (parse(text) as { rule?: string; rule_file?: string; expected_event_ids: string[]; note: string }[]).map((c, i) => ({
      where: `${path.replace("../__fixtures__/", "")}#${i + 1}`,
      text: c.rule ?? shippedFiles[`../../../../${c.rule_file}`]!,
      expected: c.expected_event_ids,
    })),
  );

describe("the EQL conversion on Vigil's Sigma corpus", () => {
  it.each(corpus)("$where", ({ text, expected }) => {
    for (const rule of parseSigmaFile(text).rules) {
      const c = sigmaToEql(rule);
      const query = compileEql(parseEql(c.query));
      const ids = events.filter((e) => query.test(e)).map(idOf);
      if (c.complete) expect(ids.sort()).toEqual([...expected].sort());
      else expect(ids).toEqual(expect.arrayContaining(expected));
    }
  });
});
