import { describe, expect, it } from "vitest";
import { describeDatabaseError } from "./health";

describe("describeDatabaseError", () => {
  it("keeps the code, the first line of the message and the cause", () => {
    expect(describeDatabaseError(Object.assign(new Error("connect failed\n  at x"), { code: "P1001" }))).toBe("P1001: connect failed");
    expect(describeDatabaseError(Object.assign(new Error(""), { cause: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:5432" } }))).toBe(
      "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432",
    );
  });

  it("never logs an empty reason", () => {
    expect(describeDatabaseError(new Error(""))).toBe("Error");
    expect(describeDatabaseError(Object.assign(new Error(""), { name: "DriverAdapterError" }))).toBe("DriverAdapterError");
    expect(describeDatabaseError("down")).toBe("down");
  });
});
