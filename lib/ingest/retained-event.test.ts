import { describe, expect, it } from "vitest";
import { normalizeEvent } from "@/lib/detection";
import { readRetainedEvent } from "./retained-event";

const arrived = new Date("2026-11-09T12:00:00.000Z");
const sysmon = {
  EventID: 1,
  Computer: "WEB01",
  UtcTime: "2026-11-09 10:15:02.123",
  Image: "C:\\Windows\\System32\\cmd.exe",
  CommandLine: "cmd.exe /c whoami",
  ProcessGuid: "{AAAA-1}",
  ProcessId: 4242,
  ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
};

describe("readRetainedEvent", () => {
  it("gives back the event ingest normalized, from the document as it arrived", () => {
    const atIngest = normalizeEvent(sysmon, { receivedAt: arrived });
    if (!atIngest.ok) throw new Error(atIngest.error);
    expect(readRetainedEvent(JSON.parse(JSON.stringify(sysmon)), arrived)).toEqual(atIngest.event);
  });

  it("keeps the arrival time as the time of an event that carried none", () => {
    const { UtcTime: _, ...timeless } = sysmon;
    expect(readRetainedEvent(timeless, arrived)).toMatchObject({ "@timestamp": arrived.toISOString(), vigil: { timestamp_source: "arrival" } });
  });

  it("reads a row stored before originals were kept (a normalized event) as that event", () => {
    const normalized = normalizeEvent(sysmon, { receivedAt: arrived });
    if (!normalized.ok) throw new Error(normalized.error);
    const stored = JSON.parse(JSON.stringify(normalized.event));
    expect(readRetainedEvent(stored, arrived)).toEqual(normalized.event);
  });

  it("is null for a document that does not normalize", () => {
    expect(readRetainedEvent({ neither: "format" }, arrived)).toBeNull();
    expect(readRetainedEvent("text", arrived)).toBeNull();
  });
});
