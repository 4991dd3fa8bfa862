import { describe, expect, it } from "vitest";
import { canonicalJson, eventKey } from "./event-key";

describe("eventKey", () => {
  it("uses event.id when the source gives one", () => {
    expect(eventKey({ any: 1 }, { event: { id: "abc-123" } })).toBe("id:abc-123");
  });

  it("hashes the original content otherwise, independent of key order and whitespace", () => {
    const a = eventKey({ EventID: 1, Image: "C:\\cmd.exe", Nested: { x: 1, y: [1, 2] } }, {});
    const b = eventKey(JSON.parse('{ "Nested": {"y":[1,2], "x":1}, "Image":"C:\\\\cmd.exe",  "EventID":1 }'), {});
    expect(a).toBe(b);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("tells different content apart, including array order", () => {
    expect(eventKey({ a: [1, 2] }, {})).not.toBe(eventKey({ a: [2, 1] }, {}));
    expect(eventKey({ a: "1" }, {})).not.toBe(eventKey({ a: 1 }, {}));
  });

  it("keeps the id and hash namespaces apart", () => {
    const hash = eventKey({ a: 1 }, {}).slice("sha256:".length);
    expect(eventKey({}, { event: { id: hash } })).not.toBe(eventKey({ a: 1 }, {}));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined like JSON.stringify", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });
});
