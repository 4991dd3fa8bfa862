import { describe, expect, it } from "vitest";
import { DetectionError, LimitExceededError, QuerySyntaxError } from "../errors";
import { kql, stripLocations, type KqlNode } from "./ast";
import { parseKql } from "./parse-kql";

const parse = (q: string) => stripLocations(parseKql(q));
const tree = (n: KqlNode) => stripLocations(n);

function syntaxError(q: string): DetectionError {
  try {
    parseKql(q);
  } catch (e) {
    if (e instanceof DetectionError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(q)} to fail`);
}

describe("parseKql: fields and values", () => {
  it.each<[string, KqlNode]>([
    ["process.name:cmd.exe", kql.is("process.name", "cmd.exe")],
    ["process.name : cmd.exe", kql.is("process.name", "cmd.exe")],
    ['process.name:"cmd.exe"', kql.phrase("process.name", "cmd.exe")],
    ['"process.name":cmd.exe', kql.is(kql.quotedField("process.name"), "cmd.exe")],
    ["process.name:*.exe", kql.is("process.name", "*.exe")],
    ["process.name:c*d.e*", kql.is("process.name", "c*d.e*")],
    ["process.name:cmd?exe", kql.is("process.name", "cmd?exe")],
    ['process.name:"c*d"', kql.phrase("process.name", "c*d")],
    ["message:foo bar", kql.is("message", "foo bar")],
    ["message:foo  bar  ", kql.is("message", "foo  bar")],
    ["event.code:4625", kql.is("event.code", "4625")],
    ["process.*:cmd.exe", kql.is("process.*", "cmd.exe")],
  ])("%s", (q, expected) => {
    expect(parse(q)).toEqual(tree(expected));
  });

  it.each<[string, string[]]>([
    ["a:x\\:y", ["x:y"]],
    ["a:\\(git", ["(git"]],
    ["a:x\\)", ["x)"]],
    ['a:say\\"hi\\"', ['say"hi"']],
    ["a:C\\:\\\\Windows\\\\*", ["C:\\Windows\\", ""]],
    ["a:lit\\*star", ["lit*star"]],
    ["a:\\<\\>\\{\\}", ["<>{}"]],
    ["a:tab\\there", ["tab\there"]],
    ["a:\\u0041BC", ["ABC"]],
    ["a:x \\or y", ["x or y"]],
    ["a:\\AND", ["AND"]],
    ["a:\\NOT x", ["NOT x"]],
  ])("unquoted escapes: %s", (q, segments) => {
    expect(parse(q)).toEqual(tree(kql.is("a", kql.literal(segments))));
  });

  it("reads \\not as an escaped newline and `ot`, then trims the newline, as Kibana's PEG grammar does", () => {
    expect(parse("a:\\not")).toEqual(tree(kql.is("a", kql.literal(["ot"]))));
  });

  it.each<[string, string]>([
    ['a:"C:\\Windows"', "C:\\Windows"],
    ['a:"a\\\\b"', "a\\b"],
    ['a:"say \\"hi\\""', 'say "hi"'],
    ['a:"tab\\tx"', "tab\tx"],
    ['a:"\\u00e9"', "é"],
    ['a:"x or y and not z"', "x or y and not z"],
  ])("quoted escapes: %s", (q, value) => {
    expect(parse(q)).toEqual(tree(kql.phrase("a", value)));
  });

  it("keeps a trailing `or` in the value when no blank follows it", () => {
    expect(parse("a:x or")).toEqual(tree(kql.is("a", "x or")));
  });

  it("reads `or` at the start of a value as text", () => {
    expect(parse("a:(or x)")).toEqual(tree(kql.is("a", "or x")));
  });

  it("field:* is exists, also in parentheses", () => {
    expect(parse("process.command_line:*")).toEqual(tree(kql.exists("process.command_line")));
    expect(parse("process.command_line:(*)")).toEqual(tree(kql.exists("process.command_line")));
  });

  it("a lone * in a value list stays a value (exists for that alternative)", () => {
    expect(parse("a:(* or x)")).toEqual(tree(kql.is("a", kql.anyOf("*", "x"))));
  });

  it("the empty query matches everything", () => {
    expect(parse("")).toEqual(tree(kql.matchAll()));
    expect(parse("   ")).toEqual(tree(kql.matchAll()));
  });
});

describe("parseKql: ranges, nesting, free text", () => {
  it.each<[string, KqlNode]>([
    ["bytes < 100", kql.range("bytes", "<", "100")],
    ["bytes<=100", kql.range("bytes", "<=", "100")],
    ["bytes > 1.5", kql.range("bytes", ">", "1.5")],
    ["host.id >= h-win", kql.range("host.id", ">=", "h-win")],
    ['@timestamp >= "2026-11-12"', kql.range("@timestamp", ">=", kql.quoted("2026-11-12"))],
  ])("%s", (q, expected) => {
    expect(parse(q)).toEqual(tree(expected));
  });

  it("nested field syntax", () => {
    expect(parse("dns.answers:{ type:CNAME and data:x }")).toEqual(
      tree(kql.nested("dns.answers", kql.and(kql.is("type", "CNAME"), kql.is("data", "x")))),
    );
  });

  it("nested inside nested", () => {
    expect(parse("a:{ b:{ c:1 } }")).toEqual(tree(kql.nested("a", kql.nested("b", kql.is("c", "1")))));
  });

  it("free text: a word, a phrase, a wildcard", () => {
    expect(parse("whoami")).toEqual(tree(kql.text("whoami")));
    expect(parse('"mode CON"')).toEqual(tree(kql.text(kql.quoted("mode CON"))));
    expect(parse("cannot*")).toEqual(tree(kql.text("cannot*")));
    expect(parse("foo bar or baz")).toEqual(tree(kql.or(kql.text("foo bar"), kql.text("baz"))));
  });
});

describe("parseKql: precedence (not > and > or)", () => {
  it("and binds tighter than or", () => {
    expect(parse("a:1 or b:2 and c:3")).toEqual(tree(kql.or(kql.is("a", "1"), kql.and(kql.is("b", "2"), kql.is("c", "3")))));
  });

  it("not binds tighter than and", () => {
    expect(parse("not a:1 and b:2")).toEqual(tree(kql.and(kql.not(kql.is("a", "1")), kql.is("b", "2"))));
  });

  it("keywords are case-insensitive", () => {
    expect(parse("NOT a:1 AND b:2 Or c:3")).toEqual(tree(kql.or(kql.and(kql.not(kql.is("a", "1")), kql.is("b", "2")), kql.is("c", "3"))));
  });

  it("parentheses group; same-operator groups are kept as written", () => {
    expect(parse("(a:1 or b:2) and c:3")).toEqual(tree(kql.and(kql.or(kql.is("a", "1"), kql.is("b", "2")), kql.is("c", "3"))));
    expect(parse("(a:1 or b:2) or c:3")).toEqual(tree(kql.or(kql.or(kql.is("a", "1"), kql.is("b", "2")), kql.is("c", "3"))));
  });

  it("trap: not ( java and not /u0*/ or working_directory:(…) ) excludes every java parent outside /u0*/", () => {
    const q = "not ( process.parent.name:java and not process.parent.executable:/u0*/* or process.working_directory:(/u0*/*/sysman/emd or /var/www/*edoc*) )";
    expect(parse(q)).toEqual(
      tree(
        kql.not(
          kql.or(
            kql.and(kql.is("process.parent.name", "java"), kql.not(kql.is("process.parent.executable", "/u0*/*"))),
            kql.is("process.working_directory", kql.anyOf("/u0*/*/sysman/emd", "/var/www/*edoc*")),
          ),
        ),
      ),
    );
  });

  it("trap: process.args:(\\(git or (*artisan* and *queue\\:work*) or \"mode CON\")", () => {
    expect(parse('process.args:(\\(git or (*artisan* and *queue\\:work*) or "mode CON")')).toEqual(
      tree(kql.is("process.args", kql.anyOf(kql.literal(["(git"]), kql.allOf("*artisan*", kql.literal(["", "queue:work", ""])), kql.quoted("mode CON")))),
    );
  });

  it('trap: process.args:("/V:ON" and "--header-html")', () => {
    expect(parse('process.args:("/V:ON" and "--header-html")')).toEqual(tree(kql.is("process.args", kql.allOf(kql.quoted("/V:ON"), kql.quoted("--header-html")))));
  });

  it("value lists take not, and, or and nested parentheses with the same precedence", () => {
    expect(parse("a:(x or y and not (z or w))")).toEqual(tree(kql.is("a", kql.anyOf("x", kql.allOf("y", kql.none(kql.anyOf("z", "w")))))));
  });

  it("records locations", () => {
    const ast = parseKql("a:1 and not b:(x or y)");
    expect(ast.location).toEqual({ start: 0, end: 22 });
    if (ast.type !== "LogicalExpression") throw new Error("shape");
    expect(ast.operands[1]!.location).toEqual({ start: 8, end: 22 });
    const not = ast.operands[1]!;
    if (not.type !== "NotExpression" || not.operand.type !== "FieldMatch") throw new Error("shape");
    expect(not.operand.field.location).toEqual({ start: 12, end: 13 });
    expect(not.operand.value.location).toEqual({ start: 15, end: 21 });
  });
});

describe("parseKql: errors carry code, offset, line, column and a caret", () => {
  it.each<[string, string, number, number, number]>([
    ["a:b c:d", "kql_unexpected_token", 5, 1, 6],
    ["a:(x or y", "kql_unexpected_end", 9, 1, 10],
    ['a:"x', "kql_unterminated_string", 2, 1, 3],
    ["a:C:\\Windows", "kql_unexpected_token", 3, 1, 4],
    ["a:x\\y", "kql_invalid_escape", 3, 1, 4],
    ["not not a:1", "kql_unexpected_token", 4, 1, 5],
    ["a:not x", "kql_unexpected_token", 2, 1, 3],
    ["a:1 and\n  (b:2 or c:3", "kql_unexpected_end", 21, 2, 14],
    ["a:1 and ", "kql_unexpected_end", 8, 1, 9],
    ["message:cannot x", "kql_unexpected_token", 11, 1, 12],
    ["a:{ b:1", "kql_unexpected_end", 7, 1, 8],
    [")", "kql_unexpected_token", 0, 1, 1],
    ["a<", "kql_unexpected_end", 2, 1, 3],
  ])("%j → %s at offset %i (line %i, column %i)", (q, code, offset, line, column) => {
    const e = syntaxError(q);
    expect(e).toBeInstanceOf(QuerySyntaxError);
    expect(e.code).toBe(code);
    expect(e.source).toMatchObject({ offset, line, column });
    expect(e.message).toContain("^");
  });

  it("renders the offending line with a caret under the position", () => {
    const e = syntaxError("process.name:(cmd.exe or\n  powershell.exe");
    expect(e.message).toBe(
      "expected `and`, `or` or `)` but found end of query (opened at offset 13) (line 2, column 17)\n  powershell.exe\n                ^",
    );
    expect(e.summary).not.toContain("\n");
  });

  it("explains that `not` inside an unquoted value is the keyword", () => {
    expect(syntaxError("message:cannot x").summary).toContain("quote the value or escape it");
  });
});

describe("parseKql: limits", () => {
  it("10k nested parentheses fail fast with LimitExceededError", () => {
    const q = `${"(".repeat(10_000)}a:1${")".repeat(10_000)}`;
    const e = syntaxError(q);
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e.code).toBe("query_too_deep");
    expect(e.source.offset).toBe(99); // the query itself is level 1
  });

  it("deep value-list and not nesting is bounded too", () => {
    expect(syntaxError(`a:${"(".repeat(500)}x${")".repeat(500)}`).code).toBe("query_too_deep");
    expect(syntaxError(`${"not (".repeat(300)}a:1${")".repeat(300)}`).code).toBe("query_too_deep");
  });

  it("a huge value list fails with query_too_many_nodes", () => {
    const q = `a:(${Array.from({ length: 30_000 }, (_, i) => `v${i}`).join(" or ")})`;
    const e = (() => {
      try {
        parseKql(q, { limits: { maxLength: 1 << 20 } });
      } catch (err) {
        return err as DetectionError;
      }
      throw new Error("expected a limit error");
    })();
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e.code).toBe("query_too_many_nodes");
  });

  it("a long list within the limits parses", () => {
    const q = `a:(${Array.from({ length: 2000 }, (_, i) => `v${i}`).join(" or ")})`;
    const ast = parseKql(q);
    expect(ast.type === "FieldMatch" && ast.value.type === "ValueLogical" && ast.value.operands.length).toBe(2000);
  });

  it("rejects a query over the length limit before reading it", () => {
    const e = (() => {
      try {
        parseKql("a:1 ".repeat(100), { limits: { maxLength: 50 } });
      } catch (err) {
        return err as DetectionError;
      }
      throw new Error("expected a limit error");
    })();
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e.code).toBe("query_too_long");
  });
});
