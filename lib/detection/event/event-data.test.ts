import { describe, expect, it } from "vitest";
import { eventDataOf, userDataOf } from "./event-data";

describe("eventDataOf", () => {
  it("uses a clean name → value object as it is (no copy)", () => {
    const raw = { Image: "C:\\x.exe", ProcessId: 7112 };
    expect(eventDataOf(raw)).toBe(raw);
    expect(eventDataOf(raw)).toBe(raw); // and again, from the remembered key list
  });

  it("reads evtx_dump's Data list with #attributes names", () => {
    const raw = {
      Data: [
        { "#attributes": { Name: "Image" }, "#text": "C:\\x.exe" },
        { "#attributes": { Name: "ProcessId" }, "#text": 7112 },
        { "#attributes": { Name: "Empty" } },
      ],
    };
    expect(eventDataOf(raw)).toEqual({ Image: "C:\\x.exe", ProcessId: 7112, Empty: "" });
  });

  it("reads xmltodict's @Name form and a single Data element", () => {
    expect(eventDataOf({ Data: [{ "@Name": "TaskName", "#text": "\\x" }] })).toEqual({ TaskName: "\\x" });
    expect(eventDataOf({ Data: { "@Name": "TaskName", "#text": "\\x" } })).toEqual({ TaskName: "\\x" });
  });

  it("names unnamed Data elements param1, param2, … as winlogbeat does", () => {
    expect(eventDataOf({ Data: ["first", { "#text": "second" }, null] })).toEqual({ param1: "first", param2: "second" });
    expect(eventDataOf("only")).toEqual({ param1: "only" });
  });

  it("drops the EventData element's own attributes (TaskScheduler 142)", () => {
    expect(eventDataOf({ "#attributes": { Name: "TaskDisabled" }, TaskName: "\\SR", UserName: "System" })).toEqual({ TaskName: "\\SR", UserName: "System" });
  });

  it("adds a whitespace-free alias for names with blanks, keeping the original", () => {
    const data = eventDataOf({ "Threat Name": "EICAR", "Severity\tID": "5", "Process Name": "x", ProcessName: "kept" });
    expect(data).toEqual({ "Threat Name": "EICAR", ThreatName: "EICAR", "Severity\tID": "5", SeverityID: "5", "Process Name": "x", ProcessName: "kept" });
  });

  it("keeps a field that happens to be called Data when it is plain text", () => {
    expect(eventDataOf({ Data: "plain", Other: 1 })).toEqual({ Data: "plain", Other: 1 });
  });

  it("has nothing for null, empty or non-objects", () => {
    expect(eventDataOf(null)).toBeUndefined();
    expect(eventDataOf({})).toBeUndefined();
    expect(eventDataOf("")).toBeUndefined();
    expect(eventDataOf(42)).toBeUndefined();
    expect(eventDataOf({ "#attributes": { Name: "x" } })).toBeUndefined();
  });

  it("never changes its input", () => {
    const raw = Object.freeze({ "Threat Name": "EICAR", Data: Object.freeze([Object.freeze({ "@Name": "A", "#text": "1" })]) });
    expect(() => eventDataOf(raw)).not.toThrow();
  });
});

describe("userDataOf", () => {
  it("flattens the inner element and names it xml_name, as winlogbeat does", () => {
    const userData = userDataOf({
      Operation_ClientFailure: { "#attributes": { xmlns: "http://manifests.microsoft.com/win/2006/windows/WMI" }, Operation: "x", ClientProcessId: 25920 },
    });
    expect(userData).toEqual({ xml_name: "Operation_ClientFailure", Operation: "x", ClientProcessId: 25920 });
  });

  it("has nothing without an element", () => {
    expect(userDataOf({ "#attributes": {} })).toBeUndefined();
    expect(userDataOf(null)).toBeUndefined();
  });
});
