import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eventKey } from "./event-key";

describe("eventKey", () => {
  it("uses event.id when the source gives one", () => {
    expect(eventKey(JSON.stringify({ any: 1 }), { event: { id: "abc-123" } })).toBe("id:abc-123");
  });

  it("hashes the original text otherwise (prepareBatch re-serializes it, so spacing on the wire does not count)", () => {
    const text = JSON.stringify({ EventID: 1, Image: "C:\\cmd.exe", Nested: { x: 1, y: [1, 2] } });
    expect(eventKey(text, {})).toBe(eventKey(text, {}));
    expect(eventKey(text, {})).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(eventKey(text, {})).toBe("sha256:" + createHash("sha256").update(text).digest("hex"));
  });

  it("tells different content apart, including array order and types", () => {
    expect(eventKey(JSON.stringify({ a: [1, 2] }), {})).not.toBe(eventKey(JSON.stringify({ a: [2, 1] }), {}));
    expect(eventKey(JSON.stringify({ a: "1" }), {})).not.toBe(eventKey(JSON.stringify({ a: 1 }), {}));
  });

  it("ignores an event.id too long to be an identifier and hashes instead", () => {
    expect(eventKey(JSON.stringify({ a: 1 }), { event: { id: "x".repeat(257) } })).toMatch(/^sha256:/);
  });

  it("keeps the id and hash namespaces apart", () => {
    const hash = eventKey(JSON.stringify({ a: 1 }), {}).slice("sha256:".length);
    expect(eventKey(JSON.stringify({}), { event: { id: hash } })).not.toBe(eventKey(JSON.stringify({ a: 1 }), {}));
  });
});
