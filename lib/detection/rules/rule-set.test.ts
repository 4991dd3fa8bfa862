import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fieldAccess } from "../compile/field-access";
import type { EcsEvent } from "../event/types";
import { SIGMA_RULE_FORMAT } from "../sigma/sigma-loader";
import { ruleText } from "../sigma/test-support";
import type { LoadedRule, Prefilter, QueryDetector } from "./detector";
import { loadRules } from "./load-rules";
import type { RuleMeta } from "./model";
import { buildRuleSet } from "./rule-set";
import { testRuleMeta } from "./testing/rule-meta";

const meta = (id: string): RuleMeta => testRuleMeta(id);

/** A rule whose test is `test` and whose prefilter is `prefilter` (which `test` must imply). */
function rule(id: string, test: (e: EcsEvent) => boolean, prefilter?: Prefilter): LoadedRule {
  const detector: QueryDetector = { kind: "query", test, explain: () => ({ details: [] }), ...(prefilter && { prefilter }) };
  return { meta: meta(id), source: { path: `${id}.yml`, text: "", line: 1 }, detector };
}

const name = (e: EcsEvent) => String((e.process as { name?: string } | undefined)?.name ?? "");
const ids = (set: ReturnType<typeof buildRuleSet>, e: EcsEvent) => set.match(e).map((m) => m.rule.id);

describe("buildRuleSet", () => {
  it("finds rules through each kind of value index, lower-cased", () => {
    const set = buildRuleSet([
      rule("eq", (e) => name(e).toLowerCase() === "cmd.exe", { kind: "equals", field: "process.name", values: ["CMD.exe"], caseInsensitive: true }),
      rule("pre", (e) => name(e).startsWith("power"), { kind: "startswith", field: "process.name", values: ["power"], caseInsensitive: false }),
      rule("suf", (e) => name(e).endsWith(".ps1"), { kind: "endswith", field: "process.name", values: [".ps1"], caseInsensitive: false }),
      rule("con", (e) => name(e).includes("katz"), { kind: "contains", field: "process.name", values: ["katz"], caseInsensitive: false }),
    ]);
    expect(ids(set, { process: { name: "CMD.EXE" } })).toEqual(["eq"]);
    expect(ids(set, { process: { name: "powershell.ps1" } })).toEqual(["pre", "suf"]);
    expect(ids(set, { process: { name: "mimikatz" } })).toEqual(["con"]);
    expect(ids(set, { process: { name: "notepad.exe" } })).toEqual([]);
    expect(set.stats).toMatchObject({ rules: 4, indexed: 4, unindexed: 0 });
  });

  it("evaluates rules without a prefilter for every event, and returns matches in rule-set order", () => {
    const set = buildRuleSet([
      rule("always", () => true),
      rule("eq", (e) => name(e) === "a", { kind: "equals", field: "process.name", values: ["a"], caseInsensitive: false }),
      rule("always2", () => true),
    ]);
    expect(ids(set, { process: { name: "a" } })).toEqual(["always", "eq", "always2"]);
    expect(set.stats).toMatchObject({ indexed: 1, unindexed: 2 });
  });

  it("tests a shared scope once per event and only probes the fields of scopes that hold", () => {
    let scopeCalls = 0;
    const windows = (e: EcsEvent) => {
      scopeCalls++;
      return (e.host as { os?: { type?: string } } | undefined)?.os?.type === "windows";
    };
    const inScope = (v: string) => (e: EcsEvent) => windows(e) && name(e) === v;
    const set = buildRuleSet([
      rule("a", inScope("a"), { kind: "scope", key: "win", test: windows, within: { kind: "equals", field: "process.name", values: ["a"], caseInsensitive: false } }),
      rule("b", inScope("b"), { kind: "scope", key: "win", test: windows, within: { kind: "equals", field: "process.name", values: ["b"], caseInsensitive: false } }),
      rule("any-in-scope", windows, { kind: "scope", key: "win", test: windows }),
    ]);
    scopeCalls = 0;
    expect(ids(set, { host: { os: { type: "windows" } }, process: { name: "b" } })).toEqual(["b", "any-in-scope"]);
    // Once by the index, then by each candidate's own test.
    expect(scopeCalls).toBe(3);
    expect(ids(set, { host: { os: { type: "linux" } }, process: { name: "b" } })).toEqual([]);
    expect(set.stats).toMatchObject({ indexed: 2, scoped: 1, scopes: 1 });
  });

  it("registers a rule under every alternative of an anyOf, across scopes and fields", () => {
    const set = buildRuleSet([
      rule("multi", (e) => name(e) === "x" || (e.user as { name?: string } | undefined)?.name === "root", {
        kind: "anyOf",
        of: [
          { kind: "equals", field: "process.name", values: ["x"], caseInsensitive: false },
          { kind: "scope", key: "s", test: () => true, within: { kind: "equals", field: "user.name", values: ["root"], caseInsensitive: false } },
        ],
      }),
    ]);
    expect(ids(set, { process: { name: "x" } })).toEqual(["multi"]);
    expect(ids(set, { user: { name: "root" } })).toEqual(["multi"]);
    expect(ids(set, { user: { name: "bob" } })).toEqual([]);
  });

  it("treats an empty anyOf and a nested scope conservatively (the rule stays a candidate)", () => {
    const set = buildRuleSet([
      rule("empty", () => true, { kind: "anyOf", of: [] }),
      rule("nested", () => true, { kind: "scope", key: "outer", test: () => true, within: { kind: "scope", key: "inner", test: () => false } }),
    ]);
    expect(ids(set, {})).toEqual(["empty", "nested"]);
  });

  it("reads a field through the prefilter's FieldAccess when given", () => {
    const access = fieldAccess("test:doubled", { get: (e) => `${name(e)}${name(e)}` });
    const set = buildRuleSet([rule("r", (e) => name(e) === "ab", { kind: "equals", field: access.key, values: ["abab"], caseInsensitive: true, access })]);
    expect(ids(set, { process: { name: "ab" } })).toEqual(["r"]);
  });

  it("keeps rules without a detector out", () => {
    const unsupported: LoadedRule = { ...rule("u", () => true), detector: null };
    expect(buildRuleSet([unsupported]).rules).toEqual([]);
  });

  it("a throwing scope test does not hide rules", () => {
    const set = buildRuleSet([rule("r", () => true, { kind: "scope", key: "boom", test: () => { throw new Error("x"); } })]);
    expect(ids(set, {})).toEqual(["r"]);
  });
});

describe("the index never changes the result (differential, property)", () => {
  const fields = ["Image", "CommandLine", "ParentImage"] as const;
  const words = ["\\cmd.exe", "\\powershell.exe", "whoami", "-enc", "c:\\windows\\", "\\w3wp.exe", "net user", "x"];
  const modifiers = ["", "|contains", "|startswith", "|endswith", "|cased", "|re", "|contains|all", "|neq"];

  const item = fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...modifiers), fc.uniqueArray(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }));
  const ruleArb = fc.tuple(fc.array(item, { minLength: 1, maxLength: 3 }), fc.constantFrom("sel", "not sel", "sel and not filter", "1 of them"));
  const eventArb = fc.record({
    Image: fc.constantFrom(...words.map((w) => `C:\\Windows${w}`), "C:\\Windows\\System32\\CMD.EXE"),
    CommandLine: fc.array(fc.constantFrom(...words), { maxLength: 4 }).map((ws) => ws.join(" ")),
    ParentImage: fc.constantFrom("C:\\Windows\\System32\\inetsrv\\w3wp.exe", "C:\\Windows\\explorer.exe"),
    linux: fc.boolean(),
  });

  function ruleFile(index: number, items: [string, string, string[]][], condition: string): string {
    const seen = new Set<string>();
    const lines: string[] = ["sel:"];
    for (const [field, modifier, vs] of items) {
      if (seen.has(field + modifier)) continue;
      seen.add(field + modifier);
      const list = modifier.includes("all") && vs.length < 2 ? [...vs, "x"] : vs;
      lines.push(`    ${field}${modifier}:`);
      for (const v of list) lines.push(`        - '${modifier.includes("re") ? v.replace(/[\\.]/g, "\\$&") : v}'`);
    }
    lines.push("filter:", "    CommandLine|contains: 'net user'", `condition: ${condition}`);
    return ruleText(lines.join("\n"), "category: process_creation\n    product: windows").replace(/id: .*/, `id: 00000000-0000-4000-8000-${String(index).padStart(12, "0")}`);
  }

  it("rule set matches equal the detectors' own verdicts", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 12 }), fc.array(eventArb, { minLength: 1, maxLength: 8 }), (rules, events) => {
        const loaded = loadRules(
          rules.map(([items, condition], i) => ({ path: `r${i}.yml`, text: ruleFile(i, items, condition) })),
          { loaders: [SIGMA_RULE_FORMAT] },
        );
        expect(loaded.errors.map((e) => e.message)).toEqual([]);
        const set = buildRuleSet(loaded.rules);
        for (const f of events) {
          const event: EcsEvent = {
            event: { code: "1", category: ["process"], type: ["start"] },
            host: { os: { type: f.linux ? "linux" : "windows" } },
            winlog: { channel: "Microsoft-Windows-Sysmon/Operational", event_id: 1, event_data: { Image: f.Image, CommandLine: f.CommandLine, ParentImage: f.ParentImage } },
          };
          const brute = loaded.rules.filter((r) => r.detector!.test(event)).map((r) => r.meta.id);
          expect(set.match(event).map((m) => m.rule.id)).toEqual(brute);
        }
      }),
      { numRuns: 150 },
    );
  });
});
