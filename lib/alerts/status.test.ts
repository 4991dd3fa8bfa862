import { describe, expect, it } from "vitest";
import { transitionProblem, type AlertStatus } from "./status";

describe("transitionProblem", () => {
  it.each<[AlertStatus, AlertStatus]>([
    ["open", "acknowledged"],
    ["open", "escalated"],
    ["acknowledged", "escalated"],
    ["acknowledged", "open"],
    ["escalated", "acknowledged"],
    ["escalated", "open"],
    ["closed", "open"],
    ["open", "open"],
  ])("allows %s → %s", (from, to) => {
    expect(transitionProblem(from, { status: to })).toBeNull();
  });

  it.each<AlertStatus>(["open", "acknowledged", "escalated", "closed"])("allows closing from %s with a disposition", (from) => {
    expect(transitionProblem(from, { status: "closed", disposition: "benign_positive" })).toBeNull();
  });

  it("needs a disposition to close", () => {
    expect(transitionProblem("open", { status: "closed" })).toMatch(/needs a disposition: one of true_positive, benign_positive/);
  });

  it("refuses a disposition without closing", () => {
    expect(transitionProblem("open", { status: "escalated", disposition: "true_positive" })).toMatch(/only when closing/);
  });

  it.each<AlertStatus>(["acknowledged", "escalated"])("makes a closed alert be reopened before it is %s", (to) => {
    expect(transitionProblem("closed", { status: to })).toBe(`the alert is closed: reopen it (status "open") before setting it ${to}`);
  });
});
