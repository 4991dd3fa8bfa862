import { describe, expect, it } from "vitest";
import { eventKey } from "./event-key";

describe("eventKey", () => {
  it("uses event.id when the source gives one", () => {
    expect(eventKey({ any: 1 }, { event: { id: "abc-123" } })).toBe("id:abc-123");
  });

  it("hashes the original content otherwise, independent of whitespace", () => {
    const a = eventKey({ EventID: 1, Image: "C:\\cmd.exe", Nested: { x: 1, y: [1, 2] } }, {});
    const b = eventKey(JSON.parse('{ "EventID":1,\t"Image":"C:\\\\cmd.exe",  "Nested": {"x":1, "y":[1,2]} }'), {});
    expect(a).toBe(b);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("tells different content apart, including array order and types", () => {
    expect(eventKey({ a: [1, 2] }, {})).not.toBe(eventKey({ a: [2, 1] }, {}));
    expect(eventKey({ a: "1" }, {})).not.toBe(eventKey({ a: 1 }, {}));
  });

  it("ignores an event.id too long to be an identifier and hashes instead", () => {
    expect(eventKey({ a: 1 }, { event: { id: "x".repeat(257) } })).toMatch(/^sha256:/);
  });

  it("keeps the id and hash namespaces apart", () => {
    const hash = eventKey({ a: 1 }, {}).slice("sha256:".length);
    expect(eventKey({}, { event: { id: hash } })).not.toBe(eventKey({ a: 1 }, {}));
  });
});
