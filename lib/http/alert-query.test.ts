import { describe, expect, it } from "vitest";
import { encodeCursor } from "./alert-json";
import { parseAlertQuery } from "./alert-query";
import { ApiError } from "./api-error";

const parse = (qs: string) => parseAlertQuery(new URLSearchParams(qs));

describe("parseAlertQuery", () => {
  it("defaults to 50 newest alerts of any status", () => {
    expect(parse("")).toEqual({
      filter: { status: [], severity: [], ruleIds: [], host: undefined, since: undefined, until: undefined },
      limit: 50,
      cursor: null,
      group: null,
      sort: "newest",
    });
  });

  it("reads comma-separated lists, dates and the cursor", () => {
    const cursor = encodeCursor({ ts: new Date("2026-11-09T10:00:00.123Z"), id: "0f8fad5b-d9cb-469f-a165-70867728950e" });
    const q = parse(`status=open,acknowledged&severity=high&rule=a,b&host=WEB01&since=2026-11-01&until=2026-11-09T10:00:00Z&limit=10&cursor=${cursor}`);
    expect(q.filter).toEqual({
      status: ["open", "acknowledged"],
      severity: ["high"],
      ruleIds: ["a", "b"],
      host: "WEB01",
      since: new Date("2026-11-01T00:00:00Z"),
      until: new Date("2026-11-09T10:00:00Z"),
    });
    expect(q.limit).toBe(10);
    expect(q.cursor).toEqual({ ts: new Date("2026-11-09T10:00:00.123Z"), id: "0f8fad5b-d9cb-469f-a165-70867728950e" });
  });

  it.each([
    ["statuss=open", /unknown parameter "statuss"/],
    ["status=pending", /invalid status "pending"; one of open, acknowledged, escalated, closed/],
    ["severity=urgent", /invalid severity "urgent"/],
    ["limit=0", /limit must be an integer from 1 to 500/],
    ["limit=501", /limit must be an integer from 1 to 500/],
    ["since=yesterday", /since must be an ISO 8601 date/],
    ["cursor=garbage", /invalid cursor/],
  ])("refuses %s", (qs, message) => {
    expect(() => parse(qs)).toThrow(ApiError);
    expect(() => parse(qs)).toThrow(message);
  });
});
