/**
 * Tests for the safe Markdown parser: every supported construct, the shape of real Elastic
 * investigation guides, HTML / script injection (raw HTML stays text, only http(s) links survive),
 * plain-text flattening, truncation, and pathological inputs that must parse in linear time.
 */
import { describe, expect, it } from "vitest";
import { MAX_MARKDOWN_LENGTH, markdownToPlainText, parseMarkdown, safeHref, type Block, type Inline } from "./parse-markdown";

const text = (value: string): Inline => ({ type: "text", value });
const code = (value: string): Inline => ({ type: "code", value });
const strong = (...children: Inline[]): Inline => ({ type: "strong", children });
const em = (...children: Inline[]): Inline => ({ type: "em", children });
const link = (href: string, ...children: Inline[]): Inline => ({ type: "link", href, children });
const para = (...children: Inline[]): Block => ({ type: "paragraph", children });
const item = (...children: Block[]) => ({ children });
const bullets = (...items: { children: Block[] }[]): Block => ({ type: "list", ordered: false, start: 1, items });

/** The inlines of a source that parses to exactly one paragraph. */
function inline(md: string): Inline[] {
  const blocks = parseMarkdown(md);
  const [first] = blocks;
  if (blocks.length !== 1 || first?.type !== "paragraph") throw new Error(`not one paragraph: ${JSON.stringify(blocks)}`);
  return first.children;
}

function inlinesOf(block: Block): Inline[] {
  switch (block.type) {
    case "paragraph":
    case "heading":
      return block.children;
    case "list":
      return block.items.flatMap((i) => i.children.flatMap(inlinesOf));
    case "blockquote":
      return block.children.flatMap(inlinesOf);
    default:
      return [];
  }
}

function allLinks(inlines: Inline[]): Extract<Inline, { type: "link" }>[] {
  return inlines.flatMap((i) => (i.type === "link" ? [i, ...allLinks(i.children)] : i.type === "strong" || i.type === "em" ? allLinks(i.children) : []));
}

function hrefs(md: string): string[] {
  return allLinks(parseMarkdown(md).flatMap(inlinesOf)).map((l) => l.href);
}

function inlineDepth(inlines: Inline[]): number {
  return inlines.reduce((max, i) => Math.max(max, i.type === "strong" || i.type === "em" || i.type === "link" ? 1 + inlineDepth(i.children) : 0), 0);
}

function quoteDepth(blocks: Block[]): number {
  return blocks.reduce((max, b) => Math.max(max, b.type === "blockquote" ? 1 + quoteDepth(b.children) : 0), 0);
}

describe("blocks", () => {
  it("splits paragraphs on blank lines and keeps soft line breaks inside one", () => {
    expect(parseMarkdown("first line\nsecond line\n\nnext paragraph")).toEqual([para(text("first line\nsecond line")), para(text("next paragraph"))]);
  });

  it("returns nothing for empty or blank input", () => {
    expect(parseMarkdown("")).toEqual([]);
    expect(parseMarkdown(" \n\t\n")).toEqual([]);
  });

  it("ranks headings from the shallowest one as 3, deeper ones up to 6", () => {
    const blocks = parseMarkdown("# A #\n## B\n### C\n#### D\n##### E\n###### F");
    expect(blocks.map((b) => (b.type === "heading" ? b.level : null))).toEqual([3, 4, 5, 6, 6, 6]);
    expect(blocks[0]).toEqual({ type: "heading", level: 3, children: [text("A")] });
  });

  it("shifts a document that starts at ## so its top heading is 3", () => {
    expect(parseMarkdown("## Top\n\n### Below")).toEqual([
      { type: "heading", level: 3, children: [text("Top")] },
      { type: "heading", level: 4, children: [text("Below")] },
    ]);
  });

  it("parses inline formatting in headings and keeps a hash that is not a closing sequence", () => {
    expect(parseMarkdown("### Run `whoami` in C#")).toEqual([{ type: "heading", level: 3, children: [text("Run "), code("whoami"), text(" in C#")] }]);
  });

  it("does not read #hashtags or seven hashes as headings", () => {
    expect(parseMarkdown("#hashtag\n####### seven")).toEqual([para(text("#hashtag\n####### seven"))]);
  });

  it.each(["-", "*", "+"])("reads %s bullet lists", (marker) => {
    expect(parseMarkdown(`${marker} one\n${marker} two`)).toEqual([bullets(item(para(text("one"))), item(para(text("two"))))]);
  });

  it("reads ordered lists and their start number", () => {
    expect(parseMarkdown("1. one\n2. two")).toEqual([{ type: "list", ordered: true, start: 1, items: [item(para(text("one"))), item(para(text("two")))] }]);
    expect(parseMarkdown("3) three\n4) four")).toMatchObject([{ type: "list", ordered: true, start: 3 }]);
  });

  it("nests a list by indentation (two spaces, four spaces, or a tab)", () => {
    const nested = [bullets(item(para(text("parent")), bullets(item(para(text("child a"))), item(para(text("child b")))))), para(text("after"))];
    expect(parseMarkdown("- parent\n  - child a\n  - child b\n\nafter")).toEqual(nested);
    expect(parseMarkdown("- parent\n    - child a\n    - child b\n\nafter")).toEqual(nested);
    expect(parseMarkdown("- parent\n\t- child a\n\t- child b\n\nafter")).toEqual(nested);
  });

  it("nests a bullet list under an ordered item", () => {
    expect(parseMarkdown("1. Isolate\n   - unplug it\n2. Clean")).toEqual([
      { type: "list", ordered: true, start: 1, items: [item(para(text("Isolate")), bullets(item(para(text("unplug it"))))), item(para(text("Clean")))] },
    ]);
  });

  it("keeps items separated by blank lines in one list, with indented continuation paragraphs", () => {
    expect(parseMarkdown("- a\n\n  more a\n\n- b")).toEqual([bullets(item(para(text("a")), para(text("more a"))), item(para(text("b"))))]);
  });

  it("joins lazy continuation lines to the item's paragraph", () => {
    expect(parseMarkdown("- first\ncontinued")).toEqual([bullets(item(para(text("first\ncontinued"))))]);
  });

  it("ends a list at an unindented paragraph after a blank line, and when the kind of list changes", () => {
    expect(parseMarkdown("- a\n\nplain")).toEqual([bullets(item(para(text("a")))), para(text("plain"))]);
    expect(parseMarkdown("- a\n1. b")).toEqual([bullets(item(para(text("a")))), { type: "list", ordered: true, start: 1, items: [item(para(text("b")))] }]);
  });

  it("needs a space after the marker, and lets only a list starting at 1 interrupt a paragraph", () => {
    expect(parseMarkdown("-not a list")).toEqual([para(text("-not a list"))]);
    expect(parseMarkdown("In 2024\n2. was not a list")).toEqual([para(text("In 2024\n2. was not a list"))]);
    expect(parseMarkdown("Steps:\n- one")).toEqual([para(text("Steps:")), bullets(item(para(text("one"))))]);
  });

  it("reads ``` and ~~~ fences with a language, keeping the content verbatim", () => {
    expect(parseMarkdown("```powershell\nGet-Process | ? { $_.Name -eq '*w3wp*' }\n<script>alert(1)</script>\n```")).toEqual([
      { type: "code", language: "powershell", value: "Get-Process | ? { $_.Name -eq '*w3wp*' }\n<script>alert(1)</script>" },
    ]);
    expect(parseMarkdown("~~~\n[x](javascript:alert(1))\n~~~\nafter")).toEqual([{ type: "code", language: null, value: "[x](javascript:alert(1))" }, para(text("after"))]);
  });

  it("closes a fence only with a run at least as long, and runs an unclosed fence to the end", () => {
    expect(parseMarkdown("````\n```\ninner\n````")).toEqual([{ type: "code", language: null, value: "```\ninner" }]);
    expect(parseMarkdown("```sh\nwhoami\n\nid")).toEqual([{ type: "code", language: "sh", value: "whoami\n\nid" }]);
  });

  it("strips a fence's own indentation from its lines", () => {
    expect(parseMarkdown("  ```js\n  code\n    more\n  ```")).toEqual([{ type: "code", language: "js", value: "code\n  more" }]);
  });

  it("reads blockquotes with nested blocks and lazy continuation", () => {
    expect(parseMarkdown("> **Note**:\n> - one\n\n> a\nlazy\n> > deeper")).toEqual([
      { type: "blockquote", children: [para(strong(text("Note")), text(":")), bullets(item(para(text("one"))))] },
      { type: "blockquote", children: [para(text("a\nlazy")), { type: "blockquote", children: [para(text("deeper"))] }] },
    ]);
  });

  it.each(["---", "***", "___", "- - -", " * * * "])("reads %j as a horizontal rule", (line) => {
    expect(parseMarkdown(`above\n\n${line}\n\nbelow`)).toEqual([para(text("above")), { type: "rule" }, para(text("below"))]);
  });

  it("does not read indented code: four-space lines are paragraph text", () => {
    expect(parseMarkdown("    not code")).toEqual([para(text("not code"))]);
  });
});

describe("inlines", () => {
  it("reads code spans, stripping one padding space and allowing shorter backtick runs inside", () => {
    expect(inline("run `cmd.exe /c whoami` now")).toEqual([text("run "), code("cmd.exe /c whoami"), text(" now")]);
    expect(inline("``a ` b`` and ` c `")).toEqual([code("a ` b"), text(" and "), code("c")]);
  });

  it("keeps unmatched backticks literal and does not parse markup inside code", () => {
    expect(inline("`unclosed *em*")).toEqual([text("`unclosed "), em(text("em"))]);
    expect(inline("`**not bold** <b>`")).toEqual([code("**not bold** <b>")]);
  });

  it("reads **strong**, __strong__, *em* and _em_", () => {
    expect(inline("**a** __b__ *c* _d_")).toEqual([strong(text("a")), text(" "), strong(text("b")), text(" "), em(text("c")), text(" "), em(text("d"))]);
  });

  it("nests emphasis", () => {
    expect(inline("*a **b** c*")).toEqual([em(text("a "), strong(text("b")), text(" c"))]);
    expect(inline("***both***")).toEqual([em(strong(text("both")))]);
  });

  it("leaves intraword underscores alone but allows intraword asterisks", () => {
    expect(inline("snake_case_name and file_*.log")).toEqual([text("snake_case_name and file_*.log")]);
    expect(inline("un*frigging*believable")).toEqual([text("un"), em(text("frigging")), text("believable")]);
  });

  it("reads backslash escapes", () => {
    expect(inline("\\*not em\\* \\[not link\\](x) \\<b> \\`code\\` C:\\Windows")).toEqual([text("*not em* [not link](x) <b> `code` C:\\Windows")]);
  });

  it("reads [text](url) links with a title, parentheses in the URL and formatting in the text", () => {
    expect(inline('see [the **guide**](https://www.elastic.co/guide/a_(b) "Elastic")')).toEqual([
      text("see "),
      { type: "link", href: "https://www.elastic.co/guide/a_(b)", title: "Elastic", children: [text("the "), strong(text("guide"))] },
    ]);
  });

  it("reads a <destination> in angle brackets and shows the URL for empty link text", () => {
    expect(inline("[docs](<https://x.example/a b>)")).toEqual([link("https://x.example/a%20b", text("docs"))]);
    expect(inline("[](https://x.example/p)")).toEqual([link("https://x.example/p", text("https://x.example/p"))]);
  });

  it("does not nest links: the inner one wins", () => {
    expect(hrefs("[a [b](https://b.example) c](https://a.example)")).toContain("https://b.example/");
    const outer = inline("[a [b](https://b.example) c](https://a.example)");
    expect(outer.slice(0, 2)).toEqual([text("[a "), link("https://b.example/", text("b"))]);
  });

  it("keeps brackets that are not links literal", () => {
    expect(inline("[ ] todo and [x] done and [ref]")).toEqual([text("[ ] todo and [x] done and [ref]")]);
  });

  it("reads <https://…> autolinks", () => {
    expect(inline("at <https://example.com/a?b=1&c=2>.")).toEqual([text("at "), link("https://example.com/a?b=1&c=2", text("https://example.com/a?b=1&c=2")), text(".")]);
  });

  it("links bare http(s) URLs, dropping trailing punctuation and unbalanced parentheses", () => {
    expect(inline("see https://example.com/a_b. Or (HTTP://example.com/x).")).toEqual([
      text("see "),
      link("https://example.com/a_b", text("https://example.com/a_b")),
      text(". Or ("),
      link("http://example.com/x", text("HTTP://example.com/x")),
      text(")."),
    ]);
    expect(inline("**https://example.com/p**")).toEqual([strong(link("https://example.com/p", text("https://example.com/p")))]);
  });

  it("does not link a URL inside a word, inside code, or inside link text", () => {
    expect(inline("xhttps://example.com")).toEqual([text("xhttps://example.com")]);
    expect(inline("`https://example.com`")).toEqual([code("https://example.com")]);
    expect(inline("[see https://a.example](https://b.example)")).toEqual([link("https://b.example/", text("see https://a.example"))]);
  });

  it("reads hard line breaks (two trailing spaces or a backslash) and drops a single trailing space", () => {
    expect(inline("one  \ntwo\\\nthree \nfour")).toEqual([text("one"), { type: "break" }, text("two"), { type: "break" }, text("three\nfour")]);
  });

  it("keeps entities as written (never decoded into markup)", () => {
    expect(inline("&lt;b&gt; &amp;")).toEqual([text("&lt;b&gt; &amp;")]);
  });
});

describe("untrusted input", () => {
  it.each(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>', "<iframe src=//evil.example></iframe>"])(
    "keeps raw HTML %j as literal text",
    (html) => {
      expect(parseMarkdown(html)).toEqual([para(text(html))]);
    },
  );

  it("keeps raw HTML blocks literal too", () => {
    expect(parseMarkdown("<div>\n<script>\nalert(1)\n</script>\n</div>")).toEqual([para(text("<div>\n<script>\nalert(1)\n</script>\n</div>"))]);
  });

  it.each([
    ["[x](javascript:alert(1))"],
    ["[x](JaVaScRiPt:alert(1))"],
    ["[x](  javascript:alert(1))"],
    ["[x](<java\tscript:alert(1)>)"],
    ["[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["[x](vbscript:msgbox(1))"],
    ["[x](mailto:soc@example.com)"],
    ["[x](/alerts/1)"],
    ["[x](//evil.example/x)"],
    ["[x](file:///etc/passwd)"],
    ["[x](&#106;avascript:alert(1))"],
  ])("renders %j as its text only", (md) => {
    expect(inline(md)).toEqual([text("x")]);
  });

  it.each(["[x](java\tscript:alert(1))", "[x](java\nscript:alert(1))", "[x](<java\nscript:alert(1)>)"])(
    "keeps %j as literal text: whitespace ends a destination, so this is not link syntax at all",
    (md) => {
      expect(parseMarkdown(md)).toEqual([para(text(md))]);
    },
  );

  it("renders a non-http autolink as its plain text", () => {
    expect(inline("<javascript:alert(1)>")).toEqual([text("javascript:alert(1)")]);
    expect(inline("<JAVASCRIPT:alert(1)> <data:text/html,x>")).toEqual([text("JAVASCRIPT:alert(1) data:text/html,x")]);
  });

  it("does not link bare javascript: or data: text", () => {
    expect(inline("javascript:alert(1) and data:text/html,x")).toEqual([text("javascript:alert(1) and data:text/html,x")]);
  });

  it("keeps link formatting but drops the anchor of an unsafe link", () => {
    expect(inline("[**click**](javascript:alert(1))")).toEqual([strong(text("click"))]);
  });

  it("normalizes an http href so it cannot break out of the attribute", () => {
    expect(hrefs('[x](https://a.example/"onmouseover="alert(1))')).toEqual(["https://a.example/%22onmouseover=%22alert(1)"]);
  });

  it("lets only http and https hrefs through, anywhere in the document", () => {
    const md = "# [h](javascript:1)\n\n- [a](https://ok.example)\n- <data:x>\n\n> [q](vbscript:1) https://also.example";
    expect(hrefs(md)).toEqual(["https://ok.example/", "https://also.example/"]);
  });
});

describe("safeHref", () => {
  it.each([
    ["https://example.com", "https://example.com/"],
    ["HTTP://EXAMPLE.COM/Path", "http://example.com/Path"],
    ["  https://example.com/a b  ", "https://example.com/a%20b"],
  ])("accepts %j as %j", (raw, href) => {
    expect(safeHref(raw)).toBe(href);
  });

  it.each([
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\nscript:alert(1)",
    "java\tscript:alert(1)",
    "\u0000javascript:alert(1)",
    "\u0001javascript:alert(1)",
    "\u200bjavascript:alert(1)",
    "\ufeffjavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "mailto:a@example.com",
    "/relative/path",
    "//protocol-relative.example",
    "relative",
    "",
    "https://exa mple.com",
    "h\u200bttps://example.com",
  ])("rejects %j", (raw) => {
    expect(safeHref(raw)).toBeNull();
  });
});

describe("Elastic investigation guides", () => {
  it("parses the usual triage guide shape", () => {
    const guide = [
      "## Triage and analysis",
      "",
      "### Investigating Webshell Detection",
      "",
      "#### Possible investigation steps",
      "",
      "- Examine the process tree to identify the parent process (e.g., w3wp.exe) and any child processes.",
      "- Review the command line arguments: `cmd.exe /c whoami`.",
      "",
      "#### Response and remediation",
      "",
      "1. Isolate the host.",
      "2. Remove the web shell from the web root.",
    ].join("\n");
    expect(parseMarkdown(guide)).toEqual([
      { type: "heading", level: 3, children: [text("Triage and analysis")] },
      { type: "heading", level: 4, children: [text("Investigating Webshell Detection")] },
      { type: "heading", level: 5, children: [text("Possible investigation steps")] },
      bullets(
        item(para(text("Examine the process tree to identify the parent process (e.g., w3wp.exe) and any child processes."))),
        item(para(text("Review the command line arguments: "), code("cmd.exe /c whoami"), text("."))),
      ),
      { type: "heading", level: 5, children: [text("Response and remediation")] },
      { type: "list", ordered: true, start: 1, items: [item(para(text("Isolate the host."))), item(para(text("Remove the web shell from the web root.")))] },
    ]);
  });

  it("parses the osquery note blockquote and nested investigation bullets", () => {
    const guide = [
      "> **Note**:",
      "> This investigation guide uses the [Osquery Markdown Plugin](https://www.elastic.co/guide/en/security/current/invest-guide-run-osquery.html) introduced in Elastic Stack version 8.5.0.",
      "",
      "- Investigate other alerts associated with the user/host during the past 48 hours.",
      "  - $osquery_0",
      "- Check for `*.aspx` files in `C:\\inetpub\\wwwroot\\`.",
    ].join("\n");
    const [quote, list] = parseMarkdown(guide);
    expect(quote).toMatchObject({ type: "blockquote" });
    expect(hrefs(guide)).toEqual(["https://www.elastic.co/guide/en/security/current/invest-guide-run-osquery.html"]);
    expect(list).toEqual(
      bullets(
        item(para(text("Investigate other alerts associated with the user/host during the past 48 hours.")), bullets(item(para(text("$osquery_0"))))),
        item(para(text("Check for "), code("*.aspx"), text(" files in "), code("C:\\inetpub\\wwwroot\\"), text("."))),
      ),
    );
  });

  it("reads CRLF line endings", () => {
    expect(parseMarkdown("## Title\r\n\r\n- a\r\n- b")).toEqual([{ type: "heading", level: 3, children: [text("Title")] }, bullets(item(para(text("a"))), item(para(text("b"))))]);
  });
});

describe("markdownToPlainText", () => {
  it("drops formatting and keeps link and code text", () => {
    expect(markdownToPlainText("**Check** the [process *tree*](https://x.example) and `cmd.exe /c whoami`.")).toBe("Check the process tree and cmd.exe /c whoami.");
  });

  it("flattens blocks into one line", () => {
    expect(markdownToPlainText("# Title\n\n- one\n- two\n  - three\n\n> quoted  \nline\n\n---\n\n```\ncode block\n```")).toBe("Title one two three quoted line code block");
  });

  it("keeps the text of unsafe links and raw HTML as written", () => {
    expect(markdownToPlainText("[click](javascript:alert(1)) <b>bold</b>")).toBe("click <b>bold</b>");
  });

  it("returns an empty string for empty input", () => {
    expect(markdownToPlainText("")).toBe("");
    expect(markdownToPlainText("---")).toBe("");
  });
});

describe("limits", () => {
  it("truncates input longer than MAX_MARKDOWN_LENGTH with a trailing ellipsis", () => {
    expect(parseMarkdown("a".repeat(MAX_MARKDOWN_LENGTH + 50))).toEqual([para(text(`${"a".repeat(MAX_MARKDOWN_LENGTH)}…`))]);
  });

  it("keeps input of exactly MAX_MARKDOWN_LENGTH whole", () => {
    expect(parseMarkdown("a".repeat(MAX_MARKDOWN_LENGTH))).toEqual([para(text("a".repeat(MAX_MARKDOWN_LENGTH)))]);
  });

  it("never cuts a surrogate pair in half", () => {
    const source = `${"a".repeat(MAX_MARKDOWN_LENGTH - 1)}😀b`;
    expect(parseMarkdown(source)).toEqual([para(text(`${"a".repeat(MAX_MARKDOWN_LENGTH - 1)}…`))]);
  });

  it("caps blockquote nesting, leaving the rest as text", () => {
    const blocks = parseMarkdown(`${">".repeat(50)} deep`);
    expect(quoteDepth(blocks)).toBe(6);
    expect(markdownToPlainText(`${">".repeat(50)} deep`)).toBe(`${">".repeat(44)} deep`);
  });

  it("caps list nesting", () => {
    expect(markdownToPlainText(`${"- ".repeat(50)}x`)).toBe(`${"- ".repeat(44)}x`);
  });

  it("caps emphasis nesting, keeping all the text", () => {
    const md = `${"*x ".repeat(30)}z${" y*".repeat(30)}`;
    expect(inlineDepth(inline(md))).toBe(8);
    expect(markdownToPlainText(md)).toBe(`${"x ".repeat(30)}z${" y".repeat(30)}`);
  });
});

describe("pathological input", () => {
  const size = 50_000;

  it("reads 50,000 asterisks or underscores as a rule", () => {
    expect(parseMarkdown("*".repeat(size))).toEqual([{ type: "rule" }]);
    expect(parseMarkdown("_".repeat(size))).toEqual([{ type: "rule" }]);
  });

  it("reads 50,000 backticks as an empty fenced block", () => {
    expect(parseMarkdown("`".repeat(size))).toEqual([{ type: "code", language: null, value: "" }]);
  });

  it("reads 50,000 open brackets as text", () => {
    expect(parseMarkdown("[".repeat(size))).toEqual([para(text("[".repeat(size)))]);
  });

  it("parses 50,000 mixed * _ [ ` characters into one paragraph without links", () => {
    const md = "*_[`".repeat(size / 4);
    const blocks = parseMarkdown(md);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.type).toBe("paragraph");
    expect(hrefs(md)).toEqual([]);
    expect(markdownToPlainText(md).length).toBeLessThanOrEqual(size);
  });

  it("parses a seeded random mix of delimiters, brackets and parentheses", () => {
    const alphabet = "*_[`]()<>\\ a\nh";
    let seed = 42;
    let md = "";
    for (let i = 0; i < size; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      md += alphabet.charAt(seed % alphabet.length);
    }
    const blocks = parseMarkdown(md);
    expect(blocks.length).toBeGreaterThan(0);
    expect(markdownToPlainText(md).length).toBeLessThanOrEqual(size);
  });

  it("parses 50,000 characters of unclosed link tails and nested links", () => {
    const tails = "[a](".repeat(size / 4);
    expect(parseMarkdown(tails)).toEqual([para(text(tails))]);
    const nested = `${"[a ".repeat(size / 20)}${"](https://x)".repeat(size / 20)}`;
    expect(hrefs(nested)[0]).toBe("https://x/");
  });

  it("parses 50,000 characters of alternating openers and closers", () => {
    const md = "*a **a _a __a ".repeat(size / 14);
    expect(markdownToPlainText(md)).toBe(md.replace(/\s+/g, " ").trim());
  });
});
