import { describe, expect, it } from "vitest";
import { DetectionError, LimitExceededError, QuerySyntaxError, UnsupportedFeatureError } from "../errors";
import { eql, stripLocations, type EqlExpression, type EqlStatement } from "./ast";
import { parseEql, parseEqlExpression } from "./parse-eql";

const parse = (q: string) => stripLocations(parseEql(q));
const expr = (q: string) => stripLocations(parseEqlExpression(q));
const t = <T>(x: T) => stripLocations(x);

function failure(q: string): DetectionError {
  try {
    parseEql(q);
  } catch (e) {
    if (e instanceof DetectionError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(q)} to fail`);
}

describe("parseEql: queries", () => {
  it("category where condition", () => {
    expect(parse('process where process.name == "cmd.exe"')).toEqual(t(eql.query("process", eql.compare("process.name", "==", "cmd.exe"))));
  });

  it("any, quoted categories", () => {
    expect(parse("any where true")).toEqual(t(eql.query(null, eql.boolean(true))));
    expect(parse('"my-category" where true')).toEqual(t(eql.query("my-category", eql.boolean(true))));
    expect(parse('"""my category""" where true')).toEqual(t(eql.query("my category", eql.boolean(true))));
  });

  it("the shipped webshell query", () => {
    const q = `process where event.type == "start" and
  process.parent.name : ("w3wp.exe", "httpd.exe") and
  process.name : ("cmd.exe", "powershell.exe")`;
    expect(parse(q)).toEqual(
      t(
        eql.query(
          "process",
          eql.and(
            eql.compare("event.type", "==", "start"),
            eql.match("process.parent.name", ":", "w3wp.exe", "httpd.exe"),
            eql.match("process.name", ":", "cmd.exe", "powershell.exe"),
          ),
        ),
      ),
    );
  });

  it("sequence with by, maxspan, missing events, runs and until; pipes", () => {
    const q = 'sequence by host.id with maxspan=30s [process where true] by process.pid with runs=2 ![file where true] until [process where event.type == "end"] | head 5';
    const expected: EqlStatement = eql.statement(
      eql.sequence(
        [eql.term(eql.where("process", eql.boolean(true)), { by: [eql.field("process.pid")], runs: 2 }), eql.term(eql.where("file", eql.boolean(true)), { missing: true })],
        { by: [eql.field("host.id")], maxspan: { value: 30, unit: "s" }, until: eql.term(eql.where("process", eql.compare("event.type", "==", "end"))) },
      ),
      [eql.pipe("head", eql.number(5))],
    );
    expect(parse(q)).toEqual(t(expected));
  });

  it("sample and join parse", () => {
    expect(parse("sample by host.id [process where true] [file where true]").query.type).toBe("Sample");
    expect(parse("join by host.id [process where true] [file where true]").query.type).toBe("Join");
  });

  it("`by field [` is the next term, not an array index", () => {
    const ast = parseEql("sequence by user.name [process where true] [file where true]");
    expect(ast.query.type === "Sequence" && ast.query.terms.length).toBe(2);
  });
});

describe("parseEql: expressions", () => {
  it.each<[string, EqlExpression]>([
    ['a == "x"', eql.compare("a", "==", "x")],
    ["a != null", eql.compare("a", "!=", null)],
    ["a < 5", eql.compare("a", "<", 5)],
    ["a <= -5", eql.compare("a", "<=", -5)],
    ["a >= 1.5", eql.compare("a", ">=", 1.5)],
    ["a > 4.0", eql.compare("a", ">", eql.number(4, true))],
    [".5 == a", eql.compare(eql.number(0.5), "==", eql.field("a"))],
    ["1e3 == a", eql.compare(eql.number(1000, true), "==", eql.field("a"))],
    ['a : "x*"', eql.match("a", ":", "x*")],
    ['a : ("x", "y")', eql.match("a", ":", "x", "y")],
    ['a like "X*"', eql.match("a", "like", "X*")],
    ['a like~ ("x", "y?")', eql.match("a", "like~", "x", "y?")],
    ['a regex "x.*"', eql.match("a", "regex", "x.*")],
    ['a regex~ """C:\\x"""', eql.match("a", "regex~", eql.raw("C:\\x"))],
    ['a in ("x", "y")', eql.in("a", ["x", "y"])],
    ['a in~ ("x")', eql.in("a", ["x"], { insensitive: true })],
    ['a not in ("x")', eql.in("a", ["x"], { negated: true })],
    ['a not in~ ("x", 1)', eql.in("a", ["x", 1], { negated: true, insensitive: true })],
    ["?user.id != null", eql.compare(eql.optionalField("user.id"), "!=", null)],
    ["`my-field`.x == 1", eql.compare(eql.field("my-field.x"), "==", 1)],
    ["`a``b` == 1", eql.compare(eql.field("a`b"), "==", 1)],
    ["event.sequence == 1", eql.compare(eql.field("event.sequence"), "==", 1)],
    ["@timestamp > 0", eql.compare(eql.field("@timestamp"), ">", 0)],
    ['stringContains(a, "x")', eql.call("stringContains", eql.field("a"), "x")],
    ['stringcontains~(a, "x")', eql.call("stringcontains~", eql.field("a"), "x")],
    ['cidrMatch(ip, "10.0.0.0/8", "fd00::/8")', eql.call("cidrMatch", eql.field("ip"), "10.0.0.0/8", "fd00::/8")],
    ["length(a) > 3", eql.compare(eql.call("length", eql.field("a")), ">", 3)],
    ["a + 1 * 2 == 3", eql.compare(eql.arith("a", "+", eql.arith(1, "*", 2)), "==", 3)],
    ["(a + 1) * 2 == 3", eql.compare(eql.arith(eql.arith("a", "+", 1), "*", 2), "==", 3)],
    ["a - 1 - 2 == 0", eql.compare(eql.arith(eql.arith("a", "-", 1), "-", 2), "==", 0)],
    ["-a == 1", eql.compare(eql.neg(eql.field("a")), "==", 1)],
    ["a % 2 == 0", eql.compare(eql.arith("a", "%", 2), "==", 0)],
    ["true", eql.boolean(true)],
  ])("%s", (q, expected) => {
    expect(expr(q)).toEqual(t(expected));
  });

  it("strings: escapes, unicode escapes, raw strings", () => {
    expect(expr('a == "x\\"y\\\\z\\n\\t"')).toEqual(t(eql.compare("a", "==", 'x"y\\z\n\t')));
    expect(expr('a == "\\u{41}\\u{1F600}"')).toEqual(t(eql.compare("a", "==", "A😀")));
    expect(expr('a == """C:\\Windows\\"q"""')).toEqual(t(eql.compare("a", "==", eql.raw('C:\\Windows\\"q'))));
    expect(expr('a == """ends with quotes"""""')).toEqual(t(eql.compare("a", "==", eql.raw('ends with quotes""'))));
  });

  it("comments are skipped, block comments nest", () => {
    expect(expr("a == 1 // trailing\n and /* one /* two */ still */ b == 2")).toEqual(t(eql.and(eql.compare("a", "==", 1), eql.compare("b", "==", 2))));
  });

  it("precedence: not > and > or", () => {
    expect(expr("a == 1 or b == 2 and not c == 3")).toEqual(
      t(eql.or(eql.compare("a", "==", 1), eql.and(eql.compare("b", "==", 2), eql.not(eql.compare("c", "==", 3))))),
    );
    expect(expr("not a == 1 and b == 2")).toEqual(t(eql.and(eql.not(eql.compare("a", "==", 1)), eql.compare("b", "==", 2))));
    expect(expr("not not a")).toEqual(t(eql.not(eql.not(eql.field("a")))));
    expect(expr("(a or b) or c")).toEqual(t(eql.or(eql.or(eql.field("a"), eql.field("b")), eql.field("c"))));
  });

  it("records locations", () => {
    const ast = parseEql('process where a : ("x", "y") and b == 1');
    expect(ast.location).toEqual({ start: 0, end: 39 });
    const q = ast.query;
    if (q.type !== "EventQuery" || q.condition.type !== "LogicalExpression") throw new Error("shape");
    expect(q.condition.operands[0]!.location).toEqual({ start: 14, end: 28 });
    expect(q.condition.operands[1]!.location).toEqual({ start: 33, end: 39 });
  });
});

describe("parseEql: errors", () => {
  it.each<[string, string, number, number, number]>([
    ["process where a = 1", "eql_single_equals", 16, 1, 17],
    ["process WHERE a == 1", "eql_unexpected_token", 8, 1, 9],
    ["process where a == 1 AND b", "eql_unexpected_token", 21, 1, 22],
    ["process where a == 'x'", "eql_single_quoted_string", 19, 1, 20],
    ['process where a == ?"x"', "eql_old_raw_string", 19, 1, 20],
    ['process where a == "x', "eql_unterminated_string", 19, 1, 20],
    ['process where a == "x\ny"', "eql_unterminated_string", 19, 1, 20],
    ['process where a == "\\q"', "eql_invalid_escape", 20, 1, 21],
    ['process where a == "\\u{110000}"', "eql_invalid_escape", 20, 1, 21],
    ["process where a < b < c", "eql_chained_comparison", 20, 1, 21],
    ["process where a == 1 and\n  (b == 2", "eql_unexpected_end", 34, 2, 10],
    ["process where /* open", "eql_unterminated_comment", 14, 1, 15],
    ["process where a : b", "eql_unexpected_token", 18, 1, 19],
    ["process", "eql_unexpected_end", 7, 1, 8],
    ["where a == 1", "eql_unexpected_token", 0, 1, 1],
    ["process where a == 1 )", "eql_unexpected_token", 21, 1, 22],
    ["process where a # 1", "eql_unexpected_character", 16, 1, 17],
  ])("%j → %s at offset %i (line %i, column %i)", (q, code, offset, line, column) => {
    const e = failure(q);
    expect(e).toBeInstanceOf(QuerySyntaxError);
    expect(e.code).toBe(code);
    expect(e.source).toMatchObject({ offset, line, column });
    expect(e.message).toContain("^");
  });

  it("hints that keywords are lower-case", () => {
    expect(failure("process where a == 1 AND b == 2").summary).toContain("lower-case: `and`");
  });

  it("array indexes and lineage are parsed out as unsupported, with a position", () => {
    const index = failure("process where process.args[0] == 1");
    expect(index).toBeInstanceOf(UnsupportedFeatureError);
    expect(index.code).toBe("eql_array_index");
    expect(index.source.offset).toBe(26);
    const lineage = failure("process where descendant of [process where true]");
    expect(lineage).toBeInstanceOf(UnsupportedFeatureError);
    expect(lineage.code).toBe("eql_lineage");
  });

  it("renders a caret under the offending token", () => {
    expect(failure("process where a == 1 AND b").message).toBe(
      "expected `and`, `or`, `|` or the end of the query but found `AND` (EQL keywords are lower-case: `and`) (line 1, column 22)\nprocess where a == 1 AND b\n                     ^^^",
    );
  });
});

describe("parseEql: limits", () => {
  it("10k nested parentheses fail fast with LimitExceededError", () => {
    const q = `process where ${"(".repeat(10_000)}a == 1${")".repeat(10_000)}`;
    const e = failure(q);
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e.code).toBe("query_too_deep");
  });

  it("deep not chains and nested calls are bounded", () => {
    expect(failure(`process where ${"not ".repeat(500)}a`).code).toBe("query_too_deep");
    expect(failure(`process where ${"length(".repeat(300)}a${")".repeat(300)} == 1`).code).toBe("query_too_deep");
  });

  it("a huge in-list fails with query_too_many_nodes", () => {
    const q = `process where a in (${Array.from({ length: 30_000 }, (_, i) => i).join(", ")})`;
    let e: unknown;
    try {
      parseEql(q, { limits: { maxLength: 1 << 20 } });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(LimitExceededError);
    expect((e as DetectionError).code).toBe("query_too_many_nodes");
  });

  it("rejects an over-long query before lexing it", () => {
    let e: unknown;
    try {
      parseEql(`process where ${"a == 1 or ".repeat(100)}b == 1`, { limits: { maxLength: 100 } });
    } catch (err) {
      e = err;
    }
    expect((e as DetectionError).code).toBe("query_too_long");
  });
});
