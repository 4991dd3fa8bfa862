import { describe, expect, it } from "vitest";
import { indexed } from "./alert-draft";

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

describe("indexed columns", () => {
  it("keeps short values as they are", () => {
    expect(indexed("IIS APPPOOL\\DefaultAppPool")).toBe("IIS APPPOOL\\DefaultAppPool");
    expect(indexed(null)).toBeNull();
  });

  it("cuts to 1,024 UTF-8 bytes, never inside a character or a surrogate pair", () => {
    for (const unit of ["a", "é", "€", "😀"]) {
      const cut = indexed(unit.repeat(2000))!;
      expect(utf8(cut)).toBeLessThanOrEqual(1024);
      expect(utf8(cut)).toBeGreaterThan(1024 - 4);
      expect(cut).toBe(unit.repeat(cut.length / unit.length));
    }
  });

  it("counts a lone surrogate as the three bytes PostgreSQL would store for U+FFFD", () => {
    const cut = indexed("\ud800".repeat(1000))!;
    expect(cut.length).toBe(341);
  });
});
