import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { scanTomlPositions } from "./toml-positions";

const text = `# comment
[metadata]
maturity = "production"

[rule]
name = "x"
tags = ["a", "b"]
query = '''
process where a == "b"
  and c
'''
note = """
line one \\
   joined "q" \\u00e9
"""
single = 'lit\\eral'
inline = { a = 1, "b c" = "d" }

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1"
[rule.threat.tactic]
id = "TA1"

[[rule.threat]]
framework = "MITRE ATT&CK"
[rule.threat.tactic]
id = "TA2"
`;

describe("scanTomlPositions", () => {
  const pos = scanTomlPositions(text);
  const doc = parse(text) as { rule: { query: string; note: string; single: string } };

  it("finds keys and tables by resolved path", () => {
    expect(pos.key("metadata.maturity")).toMatchObject({ line: 3, column: 1 });
    expect(pos.key("rule.query")).toMatchObject({ line: 8, column: 1 });
    expect(pos.key("rule.inline.b c")).toBeDefined();
    expect(pos.table("rule.threat[0]")).toMatchObject({ line: 19 });
    expect(pos.key("rule.threat[0].technique[0].id")).toMatchObject({ line: 22 });
    expect(pos.key("rule.threat[0].tactic.id")).toMatchObject({ line: 24 });
    expect(pos.key("rule.threat[1].tactic.id")).toMatchObject({ line: 29 });
    expect(pos.nearest("rule.threat[1].technique[3].id")).toMatchObject({ line: 26 });
    expect(pos.nearest("nothing.here")).toMatchObject({ line: 1, column: 1 });
  });

  it("maps every character of a ''' string to its file offset", () => {
    const span = pos.string("rule.query")!;
    expect(span.value).toBe(doc.rule.query);
    const i = doc.rule.query.indexOf("and");
    expect(text.slice(span.offsets[i], span.offsets[i]! + 3)).toBe("and");
  });

  it('decodes """ strings with escapes and line-ending backslashes', () => {
    const span = pos.string("rule.note")!;
    expect(span.value).toBe(doc.rule.note);
    const i = span.value.indexOf("é");
    expect(text.slice(span.offsets[i], span.offsets[i]! + 6)).toBe("\\u00e9");
    expect(pos.string("rule.single")!.value).toBe(doc.rule.single);
  });
});
