import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SourceView } from "@/components/source-view";
import { highlightSource, MAX_HIGHLIGHT_CHARS, sourceLanguage, type Token, type TokenKind } from "./highlight-source";
import { readRuleFiles } from "./read-rule-files";

const kinds = (line: Token[] | undefined, kind: TokenKind) => (line ?? []).filter((t) => t.kind === kind).map((t) => t.text);

describe("highlightSource", () => {
  it("gives every line of every shipped rule back, character for character", () => {
    const { files } = readRuleFiles([path.resolve("rules")]);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const language = file.path.endsWith(".toml") ? "toml" : "yaml";
      const lines = highlightSource(file.text, language);
      expect(lines.map((l) => l.map((t) => t.text).join("")), file.path).toEqual(file.text.split(/\r?\n/));
    }
  });

  it("tells Sigma keys, modifiers, strings, comments and literals apart", () => {
    const [title, , field, list, comment, flag] = highlightSource(
      ["title: Web shell # seen in the wild", "detection:", "  CommandLine|contains|all:", "    - 'whoami'", "# a comment", "  enabled: true"].join("\n"),
      "yaml",
    );
    expect(kinds(title, "key")).toEqual(["title"]);
    expect(kinds(title, "comment")).toEqual(["# seen in the wild"]);
    expect(kinds(field, "key")).toEqual(["CommandLine"]);
    expect(kinds(field, "modifier")).toEqual(["|contains|all"]);
    expect(kinds(list, "punctuation")).toEqual(["-"]);
    expect(kinds(list, "string")).toEqual(["'whoami'"]);
    expect(kinds(comment, "comment")).toEqual(["# a comment"]);
    expect(kinds(flag, "literal")).toEqual(["true"]);
  });

  it("colours a YAML block scalar's lines as text until the indentation returns", () => {
    const lines = highlightSource(["query: |", "  process.name: cmd.exe", "", "  and not x: y", "type: new_value"].join("\n"), "yaml");
    expect(kinds(lines[1], "string")).toEqual(["process.name: cmd.exe"]);
    expect(kinds(lines[3], "string")).toEqual(["and not x: y"]);
    expect(kinds(lines[4], "key")).toEqual(["type"]);
  });

  it("reads TOML headers, keys, multi-line strings and dates", () => {
    const lines = highlightSource(
      ['[metadata]', 'creation_date = "2020/02/18"', "[[rule.threat]]", "query = '''", 'process.name : "cmd.exe" # not a comment', "'''", "risk_score = 47", "updated = 1979-05-27 07:32:00Z"].join("\n"),
      "toml",
    );
    expect(kinds(lines[0], "header")).toEqual(["[metadata]"]);
    expect(kinds(lines[1], "key")).toEqual(["creation_date"]);
    expect(kinds(lines[2], "header")).toEqual(["[[rule.threat]]"]);
    expect(kinds(lines[4], "string")).toEqual(['process.name : "cmd.exe" # not a comment']);
    expect(kinds(lines[4], "comment")).toEqual([]);
    expect(kinds(lines[6], "number")).toEqual(["47"]);
    expect(kinds(lines[7], "number")).toEqual(["1979-05-27 07:32:00Z"]);
  });

  it("leaves very long sources plain", () => {
    const text = `a: ${"x".repeat(MAX_HIGHLIGHT_CHARS)}`;
    expect(highlightSource(text, "yaml")).toEqual([[{ kind: "plain", text }]]);
  });

  it("picks TOML for Elastic rules and YAML for the others", () => {
    expect(sourceLanguage("elastic")).toBe("toml");
    expect(sourceLanguage("sigma")).toBe("yaml");
    expect(sourceLanguage("native")).toBe("yaml");
  });
});

describe("SourceView", () => {
  it("renders markup in a rule as text, never as HTML", () => {
    const source = [
      "title: <script>alert(1)</script>",
      "description: '<img src=x onerror=alert(2)>'",
      'detection: {sel: "</code></pre><b>bold</b>"}',
      "query = '''<iframe src=javascript:alert(3)>'''",
    ].join("\n");
    for (const language of ["yaml", "toml"] as const) {
      const html = renderToStaticMarkup(createElement(SourceView, { source, language, label: "Rule source" }));
      expect(html).not.toMatch(/<script|<img|<b>|<iframe|<\/code><\/pre><b>/);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).toContain("&lt;img src=x onerror=alert(2)&gt;");
      expect(html).toContain("&lt;/code&gt;&lt;/pre&gt;&lt;b&gt;bold&lt;/b&gt;");
    }
  });
});
