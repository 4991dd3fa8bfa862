import { describe, expect, it } from "vitest";
import { bodyKind, INVALID_UTF8_WARNING, IngestRejection, parseIngestBody } from "./parse-body";

const enc = (s: string) => new TextEncoder().encode(s);
const ndjson = (s: string) => parseIngestBody(enc(s), "ndjson");

function rejection(fn: () => unknown): IngestRejection {
  try {
    fn();
  } catch (error) {
    if (error instanceof IngestRejection) return error;
    throw error;
  }
  throw new Error("expected an IngestRejection");
}

describe("bodyKind", () => {
  it.each([
    ["application/x-ndjson", "ndjson"],
    ["application/x-ndjson; charset=utf-8", "ndjson"],
    ["Application/NDJSON", "ndjson"],
    ["application/json", "json"],
    ["application/json;charset=UTF-8", "json"],
  ])("%s selects %s", (type, kind) => {
    expect(bodyKind(type)).toBe(kind);
  });

  it.each(["text/plain", "application/xml", "", null])("refuses %s with 415's reason", (type) => {
    const e = rejection(() => bodyKind(type));
    expect(e.reason).toBe("unsupported_media_type");
    expect(e.message).toContain("application/x-ndjson");
  });
});

describe("parseIngestBody, NDJSON", () => {
  it("takes one event per line with physical line numbers, skipping blank lines", () => {
    const r = ndjson('{"a":1}\n\n  \n{"b":2}\r\n{"c":3}');
    expect(r.errors).toEqual([]);
    expect(r.records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { b: 2 } },
      { line: 5, value: { c: 3 } },
    ]);
  });

  it("rejects bad lines with their number and reason and keeps the good ones", () => {
    const r = ndjson('{"ok":1}\n{"broken":\n[1,2]\n"text"\nnull\n{"ok":2}\n');
    expect(r.records.map((x) => x.line)).toEqual([1, 6]);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(r.errors[0]!.error).toMatch(/^invalid JSON: /);
    expect(r.errors[1]!.error).toBe("expected a JSON object, got an array");
    expect(r.errors[2]!.error).toBe("expected a JSON object, got string");
    expect(r.errors[3]!.error).toBe("expected a JSON object, got null");
  });

  it("takes a line that is not UTF-8 with U+FFFD for the bad bytes and a warning, beside its neighbours", () => {
    const body = new Uint8Array([...enc('{"a":1}\n{"b":"'), 0xff, 0xfe, ...enc('"}\n{"c":3}')]);
    const r = parseIngestBody(body, "ndjson");
    expect(r.errors).toEqual([]);
    expect(r.records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { b: "\ufffd\ufffd" }, warnings: [INVALID_UTF8_WARNING] },
      { line: 3, value: { c: 3 } },
    ]);
  });

  it("rejects a line over the line limit", () => {
    const r = parseIngestBody(enc(`{"a":"${"x".repeat(100)}"}\n{"b":1}`), "ndjson", { maxLineBytes: 50, maxDepth: 64 });
    expect(r.errors[0]).toEqual({ line: 1, error: "line is 108 bytes; the limit is 50" });
    expect(r.records).toHaveLength(1);
  });

  it("rejects deep nesting without walking it recursively", () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const r = ndjson(`{"a":${deep}}\n{"ok":true}`);
    expect(r.errors).toEqual([{ line: 1, error: "event is nested deeper than 64 levels" }]);
    expect(r.records).toHaveLength(1);
  });

  it("refuses an empty body and a body of blank lines", () => {
    expect(rejection(() => ndjson("")).reason).toBe("empty_body");
    expect(rejection(() => ndjson("\n \n")).reason).toBe("empty_body");
  });

  it("reports every line when none parses, so the route can answer 400 with them", () => {
    const r = ndjson("nope\n{bad");
    expect(r.records).toEqual([]);
    expect(r.errors.map((e) => e.line)).toEqual([1, 2]);
  });
});

describe("parseIngestBody, JSON", () => {
  it("takes one object", () => {
    expect(parseIngestBody(enc('{"a":1}'), "json").records).toEqual([{ line: 1, value: { a: 1 } }]);
  });

  it("takes an array, numbering elements from 1, refusing non-objects one by one", () => {
    const r = parseIngestBody(enc('[{"a":1}, 7, {"b":2}]'), "json");
    expect(r.records.map((x) => x.line)).toEqual([1, 3]);
    expect(r.errors).toEqual([{ line: 2, error: "expected a JSON object, got number" }]);
  });

  it("refuses a body that is not JSON as a whole", () => {
    const e = rejection(() => parseIngestBody(enc('[{"a":1},'), "json"));
    expect(e.reason).toBe("invalid_body");
    expect(e.message).toMatch(/^invalid JSON: /);
  });

  it("refuses an empty array", () => {
    expect(rejection(() => parseIngestBody(enc("[]"), "json")).reason).toBe("empty_body");
  });
});
