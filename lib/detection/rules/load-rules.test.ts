import { describe, expect, it } from "vitest";
import { DetectionError, LimitExceededError } from "../errors";
import type { RuleFormatLoader } from "./load-rules";
import { loadRules } from "./load-rules";
import { buildRuleSet } from "./rule-set";
import { equalsRule, equalsRuleFormat } from "./testing/equals-rule-format";

const loaders = [equalsRuleFormat];
const cmd = { path: "rules/cmd.equals.json", text: equalsRule({ id: "r-cmd", name: "cmd", field: "process.name", values: ["cmd.exe"] }) };

describe("loadRules", () => {
  it("loads a rule through the loader that claims its file", () => {
    const result = loadRules([cmd], { loaders });
    expect(result.errors).toEqual([]);
    expect(result.rules.map((r) => r.meta.id)).toEqual(["r-cmd"]);
    expect(result.rules[0]!.source).toEqual({ path: "rules/cmd.equals.json", text: cmd.text, line: 1 });
  });

  it("reports a file no loader claims, with its path, and keeps the good files", () => {
    const result = loadRules([{ path: "rules/readme.txt", text: "hello" }, cmd], { loaders });
    expect(result.rules).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.code).toBe("unknown_rule_format");
    expect(result.errors[0]!.source).toMatchObject({ file: "rules/readme.txt", line: 1, column: 1 });
  });

  it("keeps the first definition of a duplicated id and reports the second where it is", () => {
    const again = { path: "rules/other.equals.json", text: cmd.text };
    const result = loadRules([cmd, again], { loaders });
    expect(result.rules).toHaveLength(1);
    expect(result.errors[0]!.code).toBe("duplicate_rule_id");
    expect(result.errors[0]!.message).toContain("rules/other.equals.json");
    expect(result.errors[0]!.summary).toContain("rules/cmd.equals.json:1");
  });

  it("refuses a file over the size limit before parsing it", () => {
    const result = loadRules([cmd], { loaders, limits: { maxFileBytes: 10 } });
    expect(result.rules).toEqual([]);
    expect(result.errors[0]).toBeInstanceOf(LimitExceededError);
    expect(result.errors[0]!.code).toBe("file_too_large");
  });

  it("turns a loader crash into an error on that file only", () => {
    const broken: RuleFormatLoader = {
      format: "broken",
      claims: (f) => f.path.endsWith(".broken"),
      load: () => {
        throw new TypeError("boom");
      },
    };
    const result = loadRules([{ path: "x.broken", text: "" }, cmd], { loaders: [broken, ...loaders] });
    expect(result.rules).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(DetectionError);
    expect(result.errors[0]!.code).toBe("loader_failed");
    expect(result.errors[0]!.source.file).toBe("x.broken");
  });

  it("keeps unsupported rules, with their reason, out of the rule set", () => {
    const text = equalsRule({ id: "r-u", name: "u", field: "a", values: ["b"], unsupported: "uses sequences" });
    const result = loadRules([cmd, { path: "u.equals.json", text }], { loaders });
    expect(result.rules.map((r) => [r.meta.id, r.unsupported?.summary ?? null])).toEqual([
      ["r-cmd", null],
      ["r-u", "uses sequences"],
    ]);
    expect(buildRuleSet(result.rules).rules.map((r) => r.id)).toEqual(["r-cmd"]);
  });
});

describe("buildRuleSet", () => {
  it("returns every rule that matches an event, with why", () => {
    const any = { path: "b.equals.json", text: equalsRule({ id: "r-parent", name: "w3wp parent", field: "process.parent.name", values: ["w3wp.exe"] }) };
    const set = buildRuleSet(loadRules([cmd, any], { loaders }).rules);
    const event = { process: { name: "cmd.exe", parent: { name: "w3wp.exe" } } };
    const matches = set.match(event);
    expect(matches.map((m) => m.rule.id)).toEqual(["r-cmd", "r-parent"]);
    expect(matches[0]!.explanation.details[0]).toEqual({ condition: "process.name in (cmd.exe)", field: "process.name", value: "cmd.exe" });
    expect(set.match({ process: { name: "notepad.exe" } })).toEqual([]);
  });
});
