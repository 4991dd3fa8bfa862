import { describe, expect, it } from "vitest";
import { lineColumn, QuerySyntaxError, renderCaret, RuleValidationError, syntaxErrorAt } from "./errors";

describe("error positions", () => {
  it("turns offsets into 1-based lines and columns", () => {
    const text = "ab\ncd\n\nef";
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(text, 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn(text, 7)).toEqual({ line: 4, column: 1 });
  });

  it("draws a caret under the span on its own line", () => {
    expect(renderCaret("a and\nprocess.name:(cmd or", 14, 1)).toBe("process.name:(cmd or\n        ^");
  });

  it("builds syntax errors with code, position and caret", () => {
    const e = syntaxErrorAt("unexpected_token", "expected a value", "a:(b or", 7);
    expect(e).toBeInstanceOf(QuerySyntaxError);
    expect(e.code).toBe("unexpected_token");
    expect(e.source).toEqual({ line: 1, column: 8, offset: 7, length: 1 });
    expect(e.message).toBe("expected a value (line 1, column 8)\na:(b or\n       ^");
    expect(e.summary).toBe("expected a value");
  });

  it("moves an error into a file and keeps its class", () => {
    const e = new RuleValidationError("unknown_modifier", "unknown modifier |foo").withFile("rules/x.yml", { line: 12, column: 5 });
    expect(e).toBeInstanceOf(RuleValidationError);
    expect(e.message).toBe("rules/x.yml:12:5: unknown modifier |foo");
    expect(e.toJSON()).toEqual({ code: "unknown_modifier", error: "unknown modifier |foo", file: "rules/x.yml", line: 12, column: 5 });
  });
});
