import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  INVALID_UTF8_WARNING,
  IngestRejection,
  parseIngestBody,
  UNSTORABLE_TEXT_WARNING,
  type BodyKind,
  type BodyLimits,
  type ParsedBody,
} from "./parse-body";
import { concat, FC_SEED } from "./test-support";

/**
 * Properties of the ingest parser over generated bodies (STYLE F8.6): it never throws but its
 * own IngestRejection, accounts for every non-blank line exactly once with its 1-based number,
 * never lets a bad line cost its neighbours, honours its limits, and hands on only text the store
 * can keep.
 */

const encoder = new TextEncoder();
const LIMITS: BodyLimits = { maxLineBytes: 400, maxDepth: 8 };

/** Parse, or the rejection's reason: anything else thrown fails the property. */
function parse(body: Uint8Array, kind: BodyKind, limits?: BodyLimits): ParsedBody | IngestRejection {
  try {
    return parseIngestBody(body, kind, limits);
  } catch (error) {
    if (error instanceof IngestRejection) return error;
    throw error;
  }
}

/** `\u0000` or an unpaired surrogate escape in JSON text (after an even run of backslashes). */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

function expectStorable(parsed: ParsedBody): void {
  for (const r of parsed.records) expect(JSON.stringify(r.value)).not.toMatch(UNSTORABLE_ESCAPE);
}

/** What one generated line must become. */
type Expected =
  | { kind: "none" }
  | { kind: "record"; value: unknown; warnings?: string[] }
  | { kind: "error"; error: string | RegExp };

interface Line {
  bytes: Uint8Array;
  expected: Expected;
}

const bytesOf = (text: string) => encoder.encode(text);
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** Objects within LIMITS.maxDepth (jsonValue's depth counts from the value, the key adds one). */
const event = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });

/** A good event, written as a shipper might: maybe a BOM, blanks around it. */
const goodLine: fc.Arbitrary<Line> = fc
  .tuple(event, fc.boolean(), fc.constantFrom("", " ", "\t"))
  .map(([value, bom, pad]): Line => {
    const text = pad + JSON.stringify(value) + pad;
    const bytes = bom ? concat(BOM, bytesOf(text)) : bytesOf(text);
    // jsonValue may write -0, which JSON turns into 0: expect what JSON round-trips.
    return { bytes, expected: { kind: "record", value: JSON.parse(JSON.stringify(value)) } };
  })
  .filter((l) => l.bytes.byteLength <= LIMITS.maxLineBytes);

const blankLine: fc.Arbitrary<Line> = fc
  .tuple(fc.constantFrom("", " ", "\t", " \t ", "\r"), fc.boolean())
  .map(([text, bom]): Line => ({ bytes: bom ? concat(BOM, bytesOf(text)) : bytesOf(text), expected: { kind: "none" } }));

const notAnObject: fc.Arbitrary<Line> = fc
  .oneof(fc.constantFrom("[1,2]", '"text"', "null", "42", "true"), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }).map((a) => JSON.stringify(a)))
  .map((text): Line => ({ bytes: bytesOf(text), expected: { kind: "error", error: /^expected a JSON object, got / } }))
  .filter((l) => l.bytes.byteLength <= LIMITS.maxLineBytes);

const invalidJson: fc.Arbitrary<Line> = fc
  .oneof(
    fc.constantFrom('{"broken":', "{bad", "nope", "{'a':1}", '{"a":1}}', '{"a":1,}', "\u0000"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 30 }).filter((s) => !s.includes("\n") && s.trim() !== "" && isInvalidJson(s)),
  )
  .map((text): Line => ({ bytes: bytesOf(text), expected: { kind: "error", error: /^invalid JSON: / } }));

function isInvalidJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ""));
    return false;
  } catch {
    return true;
  }
}

const tooLong: fc.Arbitrary<Line> = fc.integer({ min: LIMITS.maxLineBytes + 1, max: LIMITS.maxLineBytes + 50 }).map((size): Line => {
  // Valid JSON of exactly `size` bytes: the limit is on bytes, not on validity.
  const text = `{"a":"${"x".repeat(size - 8)}"}`;
  return { bytes: bytesOf(text), expected: { kind: "error", error: `line is ${size} bytes; the limit is ${LIMITS.maxLineBytes}` } };
});

const tooDeep: fc.Arbitrary<Line> = fc
  .tuple(fc.integer({ min: LIMITS.maxDepth + 1, max: 150 }), fc.constantFrom('{"a":', "["))
  .map(([depth, open]): Line => {
    // The outer object is level 1; `depth - 1` more levels inside it.
    const close = open === "[" ? "]" : "}";
    const text = `{"k":${open.repeat(depth - 1)}1${close.repeat(depth - 1)}}`;
    return { bytes: bytesOf(text), expected: { kind: "error", error: `event is nested deeper than ${LIMITS.maxDepth} levels` } };
  })
  .filter((l) => l.bytes.byteLength <= LIMITS.maxLineBytes);

/** Bytes no UTF-8 decoder accepts: a lone continuation, an overlong, a surrogate, a cut sequence. */
const invalidUtf8 = fc.constantFrom([0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]);

const badBytesLine: fc.Arbitrary<Line> = fc.tuple(fc.string({ maxLength: 5 }), invalidUtf8).map(([text, bad]): Line => {
  const bytes = concat(bytesOf(`{"k":${JSON.stringify(text).slice(0, -1)}`), new Uint8Array(bad), bytesOf('"}'));
  const decoded = new TextDecoder().decode(bytes);
  return { bytes, expected: { kind: "record", value: JSON.parse(decoded), warnings: [INVALID_UTF8_WARNING] } };
});

/** A string with \u0000 or lone surrogates, as a key or a value: JSON.stringify escapes both. */
const unstorable = fc
  .tuple(fc.string({ maxLength: 3 }), fc.constantFrom("\u0000", "\ud800", "\udfff", "\udbff\u0000", "\udc00\ud800"), fc.string({ maxLength: 3 }))
  .map(([a, bad, b]) => a + bad + b);
const unstorableLine: fc.Arbitrary<Line> = fc.tuple(unstorable, fc.boolean()).map(([text, asKey]): Line => {
  const value = asKey ? { [text]: 1 } : { k: [text] };
  const repaired = (s: string) => s.replaceAll("\u0000", "\ufffd").replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  const expected = asKey ? { [repaired(text)]: 1 } : { k: [repaired(text)] };
  return { bytes: bytesOf(JSON.stringify(value)), expected: { kind: "record", value: expected, warnings: [UNSTORABLE_TEXT_WARNING] } };
});

const anyLine: fc.Arbitrary<Line> = fc.oneof(
  { weight: 4, arbitrary: goodLine },
  { weight: 2, arbitrary: blankLine },
  { weight: 1, arbitrary: notAnObject },
  { weight: 1, arbitrary: invalidJson },
  { weight: 1, arbitrary: tooLong },
  { weight: 1, arbitrary: tooDeep },
  { weight: 1, arbitrary: badBytesLine },
  { weight: 1, arbitrary: unstorableLine },
);

/** Lines joined by LF or CRLF, with or without a final line break. */
const ndjsonBody = fc.tuple(fc.array(anyLine, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.boolean()).map(([lines, crlf, trailing]) => {
  const eol = bytesOf(crlf ? "\r\n" : "\n");
  const parts: Uint8Array[] = [];
  lines.forEach((l, i) => {
    parts.push(l.bytes);
    if (i < lines.length - 1 || trailing) parts.push(eol);
  });
  return { lines, body: concat(...parts) };
});

describe("parseIngestBody properties", () => {
  it("never throws on any bytes: a ParsedBody or an IngestRejection, lines within the body, text the store can keep", () => {
    // Bytes biased toward JSON's punctuation, escapes, line breaks and broken UTF-8.
    const interesting = fc.constantFrom(0x0a, 0x0d, 0x20, 0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x3a, 0x2c, 0x5c, 0x75, 0x30, 0x64, 0x38, 0x61, 0x31, 0xef, 0xbb, 0xbf, 0xed, 0xa0, 0x80, 0xff, 0xc0);
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.array(interesting, { maxLength: 300 }).map((a) => new Uint8Array(a)));
    fc.assert(
      fc.property(bytes, fc.constantFrom<BodyKind>("ndjson", "json"), (body, kind) => {
        const parsed = parse(body, kind, LIMITS);
        if (parsed instanceof IngestRejection) {
          expect(["empty_body", "invalid_body"]).toContain(parsed.reason);
          return;
        }
        const lines = [...parsed.records.map((r) => r.line), ...parsed.errors.map((e) => e.line)];
        const maxLine = kind === "ndjson" ? body.filter((b) => b === 0x0a).length + 1 : Number.MAX_SAFE_INTEGER;
        expect(new Set(lines).size).toBe(lines.length);
        for (const line of lines) {
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(maxLine);
        }
        for (const r of parsed.records) expect(r.value !== null && typeof r.value === "object" && !Array.isArray(r.value)).toBe(true);
        expectStorable(parsed);
      }),
      { seed: FC_SEED, numRuns: 2000 },
    );
  });

  it("never throws on arbitrary strings, lone surrogates and BOMs included (encoded as a shipper would)", () => {
    const text = fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 20 }), fc.constantFrom("\n", "\r\n", "\uFEFF", "{", "}", '"\\u0000"', '"\\ud800"', ":")), { maxLength: 20 });
    fc.assert(
      fc.property(text, fc.constantFrom<BodyKind>("ndjson", "json"), (parts, kind) => {
        const parsed = parse(bytesOf(parts.join("")), kind, LIMITS);
        if (!(parsed instanceof IngestRejection)) expectStorable(parsed);
      }),
      { seed: FC_SEED, numRuns: 2000 },
    );
  });

  it("accounts for every non-blank line exactly once, with its number, in order; bad lines never cost their neighbours", () => {
    fc.assert(
      fc.property(ndjsonBody, ({ lines, body }) => {
        const parsed = parse(body, "ndjson", LIMITS);
        if (lines.every((l) => l.expected.kind === "none")) {
          expect(parsed).toBeInstanceOf(IngestRejection);
          return;
        }
        if (parsed instanceof IngestRejection) throw parsed;
        const records = new Map(parsed.records.map((r) => [r.line, r]));
        const errors = new Map(parsed.errors.map((e) => [e.line, e.error]));
        expect(records.size + errors.size).toBe(lines.filter((l) => l.expected.kind !== "none").length);
        lines.forEach((l, i) => {
          const line = i + 1;
          const expected = l.expected;
          if (expected.kind === "none") {
            expect(records.has(line) || errors.has(line), `line ${line}`).toBe(false);
          } else if (expected.kind === "record") {
            expect(errors.get(line), `line ${line}`).toBeUndefined();
            expect(records.get(line)?.value, `line ${line}`).toEqual(expected.value);
            expect(records.get(line)?.warnings, `line ${line}`).toEqual(expected.warnings);
          } else {
            expect(records.has(line), `line ${line}`).toBe(false);
            const error = errors.get(line);
            if (typeof expected.error === "string") expect(error, `line ${line}`).toBe(expected.error);
            else expect(error, `line ${line}`).toMatch(expected.error);
          }
        });
        // Records and errors each come in line order.
        const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
        expect(parsed.records.map((r) => r.line)).toEqual(sorted(parsed.records.map((r) => r.line)));
        expect(parsed.errors.map((e) => e.line)).toEqual(sorted(parsed.errors.map((e) => e.line)));
        expectStorable(parsed);
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it("gives a line the same outcome whatever surrounds it", () => {
    fc.assert(
      fc.property(ndjsonBody, anyLine, ({ body }, extra) => {
        // The extra line alone, and then appended after the body.
        const alone = parse(extra.bytes, "ndjson", LIMITS);
        const together = parse(concat(body, bytesOf("\n"), extra.bytes), "ndjson", LIMITS);
        if (alone instanceof IngestRejection || together instanceof IngestRejection) return;
        const line = body.filter((b) => b === 0x0a).length + 2;
        expect(together.records.find((r) => r.line === line)?.value).toEqual(alone.records[0]?.value);
        expect(together.errors.find((e) => e.line === line)?.error).toEqual(alone.errors[0]?.error);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });

  it("takes a JSON array's elements one by one, numbered from 1, objects as records and anything else as errors", () => {
    const item = fc.oneof(event, fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 20 }), (items) => {
        const parsed = parse(bytesOf(JSON.stringify(items)), "json", LIMITS);
        if (parsed instanceof IngestRejection) throw parsed;
        const roundTripped = JSON.parse(JSON.stringify(items)) as unknown[];
        roundTripped.forEach((value, i) => {
          const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
          if (isObject) expect(parsed.records.find((r) => r.line === i + 1)?.value).toEqual(value);
          else expect(parsed.errors.find((e) => e.line === i + 1)?.error).toMatch(/^expected a JSON object, got /);
        });
        expect(parsed.records.length + parsed.errors.length).toBe(items.length);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});
