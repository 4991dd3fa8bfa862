/**
 * validateExceptionEntries: normalized entries for good bodies, and for bad ones every problem
 * with the path an API answers 422 with. Total for any JSON (property test).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileException } from "./compile";
import { EXCEPTION_LIMITS } from "./types";
import { validateExceptionEntries } from "./validate";

function problemsOf(input: unknown) {
  const result = validateExceptionEntries(input);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

function pathsOf(input: unknown): string[] {
  return problemsOf(input).map((p) => p.path);
}

describe("validateExceptionEntries: good bodies", () => {
  it("accepts every operator with its operand and returns normalized entries", () => {
    const body = [
      { field: "process.executable", operator: "is", value: "C:\\Windows\\System32\\cmd.exe" },
      { field: "process.name", operator: "is_not", value: "w3wp.exe", case_sensitive: true },
      { field: "user.name", operator: "is_one_of", values: ["svc_backup", "svc_sql"] },
      { field: "host.name", operator: "is_not_one_of", values: ["DC01"] },
      { field: "process.command_line", operator: "matches", value: "*\\\\backup\\\\*" },
      { field: "process.command_line", operator: "does_not_match", value: "*-enc*" },
      { field: "process.code_signature.subject_name", operator: "exists" },
      { field: "process.parent.executable", operator: "does_not_exist" },
      { field: "source.ip", operator: "cidr", value: "10.0.0.0/8" },
      { field: "destination.ip", operator: "cidr", values: ["fc00::/7", "192.168.1.7"] },
    ];
    const result = validateExceptionEntries(body);
    expect(result).toEqual({ ok: true, entries: body });
  });

  it("turns number and boolean operands into strings and drops case_sensitive: false", () => {
    const result = validateExceptionEntries([
      { field: "process.pid", operator: "is", value: 42, case_sensitive: false },
      { field: "winlog.event_id", operator: "is_one_of", values: [4688, "1", true] },
    ]);
    expect(result).toEqual({
      ok: true,
      entries: [
        { field: "process.pid", operator: "is", value: "42" },
        { field: "winlog.event_id", operator: "is_one_of", values: ["4688", "1", "true"] },
      ],
    });
  });

  it("accepts OR groups nested up to the depth limit (4 lists, the top-level one included)", () => {
    const leaf = { field: "host.name", operator: "is", value: "WEB01" };
    const body = [{ any: [leaf, { any: [leaf, { any: [leaf] }] }] }];
    expect(validateExceptionEntries(body)).toEqual({ ok: true, entries: body });
  });

  it("accepts the ECS-ish field names rules use", () => {
    for (const field of ["@timestamp", "winlog.event_data.TargetUserName", "labels.my-label", "process.Ext.token.integrity_level_name"]) {
      expect(validateExceptionEntries([{ field, operator: "exists" }]).ok).toBe(true);
    }
  });
});

describe("validateExceptionEntries: problems name their path", () => {
  it("reports every problem of a realistic bad body, in order", () => {
    const body = [
      { field: "process.name", operator: "is", value: "cmd.exe" },
      { field: "process.command_line", operator: "regex", value: ".*whoami.*" },
      { field: "process.executable", operator: "is" },
      { field: "process.args", operator: "is_one_of", values: "/c,whoami" },
      { field: "user.name", operator: "is", value: "svc", comment: "approved by Bob" },
      { any: [{ field: "source.ip", operator: "cidr", values: ["10.0.0.0/8", "10.0.0.300/24"] }] },
    ];
    expect(problemsOf(body)).toEqual([
      { path: "entries[1].operator", message: expect.stringContaining('unknown operator ("regex")') },
      { path: "entries[2].value", message: "is needs a value" },
      { path: "entries[3].values", message: "must be a list of strings" },
      { path: "entries[4].comment", message: expect.stringContaining('unknown key "comment"') },
      { path: "entries[5].any[0].values[1]", message: expect.stringContaining("10.0.0.300/24") },
    ]);
  });

  it("the top-level list: not a list, empty, too long", () => {
    expect(problemsOf({ field: "a", operator: "exists" })).toEqual([{ path: "entries", message: "must be a list of exception entries" }]);
    expect(problemsOf([])).toEqual([{ path: "entries", message: "needs at least one entry" }]);
    expect(problemsOf(null)).toEqual([{ path: "entries", message: "must be a list of exception entries" }]);
    const many = Array.from({ length: EXCEPTION_LIMITS.maxEntries + 1 }, () => ({ field: "a", operator: "exists" }));
    expect(pathsOf(many)).toEqual(["entries"]);
  });

  it("an item that is not an object", () => {
    expect(problemsOf(["process.name"])).toEqual([{ path: "entries[0]", message: expect.stringContaining("must be an object") }]);
    expect(pathsOf([[{ field: "a", operator: "exists" }]])).toEqual(["entries[0]"]);
  });

  it("field: missing, empty, not a string, too long, not a field name", () => {
    expect(pathsOf([{ operator: "exists" }])).toEqual(["entries[0].field"]);
    expect(pathsOf([{ field: "", operator: "exists" }])).toEqual(["entries[0].field"]);
    expect(pathsOf([{ field: 7, operator: "exists" }])).toEqual(["entries[0].field"]);
    expect(pathsOf([{ field: "a".repeat(201), operator: "exists" }])).toEqual(["entries[0].field"]);
    for (const field of ["process name", "process..name", ".process", "process.", "proc[0]", "a/b"]) {
      expect(pathsOf([{ field, operator: "exists" }])).toEqual(["entries[0].field"]);
    }
  });

  it("operator: missing or not a string", () => {
    expect(problemsOf([{ field: "a" }])[0]!.message).toContain("(missing)");
    expect(problemsOf([{ field: "a", operator: 3 }])[0]!.message).toContain("not a string");
    expect(problemsOf([{ field: "a", operator: "IS" }])[0]!.path).toBe("entries[0].operator");
  });

  it("operands that do not fit the operator", () => {
    expect(problemsOf([{ field: "a", operator: "is", values: ["x"] }])).toEqual([
      { path: "entries[0].values", message: "is takes a single value, not values (use is_one_of for a list)" },
    ]);
    expect(problemsOf([{ field: "a", operator: "is_one_of", value: "x" }])).toEqual([
      { path: "entries[0].value", message: "is_one_of takes a list in values, not value" },
    ]);
    expect(pathsOf([{ field: "a", operator: "is_not_one_of" }])).toEqual(["entries[0].values"]);
    expect(pathsOf([{ field: "a", operator: "exists", value: "x" }])).toEqual(["entries[0].value"]);
    expect(pathsOf([{ field: "a", operator: "does_not_exist", values: ["x"] }])).toEqual(["entries[0].values"]);
    expect(pathsOf([{ field: "a", operator: "cidr" }])).toEqual(["entries[0].value"]);
    expect(pathsOf([{ field: "a", operator: "cidr", value: "10.0.0.0/8", values: ["10.0.0.0/8"] }])).toEqual(["entries[0].values"]);
  });

  it("values: empty, too many, an element that is not a string", () => {
    expect(problemsOf([{ field: "a", operator: "is_one_of", values: [] }])).toEqual([
      { path: "entries[0].values", message: "is_one_of needs at least one value" },
    ]);
    const many = Array.from({ length: EXCEPTION_LIMITS.maxValues + 1 }, (_, i) => `v${i}`);
    expect(pathsOf([{ field: "a", operator: "is_one_of", values: many }])).toEqual(["entries[0].values"]);
    expect(pathsOf([{ field: "a", operator: "is_one_of", values: ["ok", { x: 1 }, null] }])).toEqual([
      "entries[0].values[1]",
      "entries[0].values[2]",
    ]);
  });

  it("value: not a scalar, too long, a number that is not finite", () => {
    expect(pathsOf([{ field: "a", operator: "is", value: ["x"] }])).toEqual(["entries[0].value"]);
    expect(pathsOf([{ field: "a", operator: "is", value: null }])).toEqual(["entries[0].value"]);
    expect(pathsOf([{ field: "a", operator: "matches", value: "x".repeat(4097) }])).toEqual(["entries[0].value"]);
    expect(pathsOf([{ field: "a", operator: "is", value: Number.NaN }])).toEqual(["entries[0].value"]);
    expect(validateExceptionEntries([{ field: "a", operator: "matches", value: "x".repeat(4096) }]).ok).toBe(true);
  });

  it("bad networks are reported by path: value or values[i]", () => {
    expect(problemsOf([{ field: "source.ip", operator: "cidr", value: "10.0.0.0/33" }])).toEqual([
      { path: "entries[0].value", message: '"10.0.0.0/33": the prefix length must be 0 to 32' },
    ]);
    expect(pathsOf([{ field: "source.ip", operator: "cidr", values: ["fe80::/10", "fe80::/129", "not-an-ip", "2001:db8::/32"] }])).toEqual([
      "entries[0].values[1]",
      "entries[0].values[2]",
    ]);
  });

  it("case_sensitive must be a boolean", () => {
    expect(pathsOf([{ field: "a", operator: "is", value: "x", case_sensitive: "yes" }])).toEqual(["entries[0].case_sensitive"]);
  });

  it("groups: unknown keys, not a list, empty, nested too deep", () => {
    const leaf = { field: "a", operator: "exists" };
    expect(pathsOf([{ any: [leaf], all: [leaf] }])).toEqual(["entries[0].all"]);
    expect(pathsOf([{ any: leaf }])).toEqual(["entries[0].any"]);
    expect(problemsOf([{ any: [] }])).toEqual([{ path: "entries[0].any", message: "needs at least one entry" }]);
    const tooDeep = [{ any: [{ any: [{ any: [{ any: [leaf] }] }] }] }];
    expect(problemsOf(tooDeep)).toEqual([{ path: "entries[0].any[0].any[0].any[0].any", message: "groups nest at most 4 levels deep" }]);
    expect(pathsOf([leaf, { any: [leaf, { field: "b", operator: "nope" }] }])).toEqual(["entries[1].any[1].operator"]);
  });

  it("counts entries across groups against the total limit", () => {
    const leaf = { field: "a", operator: "exists" };
    const group = { any: Array.from({ length: 60 }, () => leaf) };
    expect(problemsOf([group, group])).toEqual([{ path: "entries[1].any[40]", message: "an exception holds at most 100 entries" }]);
  });

  it("odd keys are named safely: __proto__ from JSON.parse, keys with spaces", () => {
    const parsed: unknown = JSON.parse('[{"field": "a", "operator": "exists", "__proto__": {"value": "x"}, "my key": 1}]');
    expect(pathsOf(parsed)).toEqual(["entries[0].__proto__", 'entries[0]["my key"]']);
  });

  it("stops after maxProblems problems", () => {
    const bad = Array.from({ length: 100 }, () => ({ field: "", operator: "nope" }));
    expect(problemsOf(bad)).toHaveLength(EXCEPTION_LIMITS.maxProblems);
  });

  it("is total: a throwing getter becomes a problem, not an exception", () => {
    const hostile = [
      Object.defineProperty({ operator: "exists" }, "field", {
        enumerable: true,
        get() {
          throw new Error("boom");
        },
      }),
    ];
    expect(problemsOf(hostile)).toEqual([{ path: "entries", message: "could not be read: boom" }]);
  });

  it("never throws on arbitrary JSON, and what it accepts compiles (property)", () => {
    const operator = fc.constantFrom("is", "is_not", "is_one_of", "is_not_one_of", "matches", "does_not_match", "exists", "does_not_exist", "cidr", "x");
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom("10.0.0.0/8", "::1", "C:\\x\\*"));
    const entry = fc.record(
      { field: fc.oneof(fc.constantFrom("process.name", "source.ip", "a.b"), fc.string()), operator, value: scalar, values: fc.array(scalar, { maxLength: 3 }) },
      { requiredKeys: [] },
    );
    const item = fc.oneof(entry, fc.record({ any: fc.array(entry, { maxLength: 3 }) }), fc.jsonValue());
    fc.assert(
      fc.property(fc.oneof(fc.array(item, { maxLength: 4 }), fc.jsonValue()), (input) => {
        const result = validateExceptionEntries(input);
        if (result.ok) {
          const predicate = compileException(result.entries);
          expect(typeof predicate({ process: { name: "cmd.exe" }, source: { ip: "10.1.2.3" } })).toBe("boolean");
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) expect(p.path.startsWith("entries")).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts well-formed bodies, and a negative operator is the positive one negated on present fields (property)", () => {
    const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("C:/X/*", "c:\\x\\Y", "*\\*", "?", "a/b", "\\"));
    const pair = fc.oneof(
      fc.record({ positive: fc.constantFrom("is" as const), negative: fc.constant("is_not" as const), operands: fc.record({ value: text }) }),
      fc.record({ positive: fc.constantFrom("matches" as const), negative: fc.constant("does_not_match" as const), operands: fc.record({ value: text }) }),
      fc.record({
        positive: fc.constantFrom("is_one_of" as const),
        negative: fc.constant("is_not_one_of" as const),
        operands: fc.record({ values: fc.array(text, { minLength: 1, maxLength: 3 }) }),
      }),
    );
    const fieldValue = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("C:\\x\\y", "c:/X/y")), { minLength: 1, maxLength: 3 }),
      fc.integer(),
      fc.constantFrom("C:\\X\\y", "c:/x/Y", "a\\b"),
    );
    fc.assert(
      fc.property(pair, fc.boolean(), fieldValue, ({ positive, negative, operands }, caseSensitive, value) => {
        const extra = caseSensitive ? { case_sensitive: true } : {};
        const pos = validateExceptionEntries([{ field: "process.name", operator: positive, ...operands, ...extra }]);
        const neg = validateExceptionEntries([{ field: "process.name", operator: negative, ...operands, ...extra }]);
        if (!pos.ok || !neg.ok) throw new Error("expected a valid body");
        const event = { process: { name: value } };
        expect(compileException(neg.entries)(event)).toBe(!compileException(pos.entries)(event));
        expect(compileException(neg.entries)({ process: {} })).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
