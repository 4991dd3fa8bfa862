import { describe, expect, it } from "vitest";
import { detectFormat } from "./detect-format";
import type { EventObject } from "./types";

describe("detectFormat", () => {
  it.each<[string, EventObject, string | undefined]>([
    ["evtx JSON", { Event: { System: { EventID: 1 }, EventData: {} } }, "evtx_json"],
    ["a Velociraptor row (System at the top)", { System: { EventID: { Value: 1 } }, EventData: {} }, "evtx_json"],
    ["flat Sysmon", { EventID: 1, Image: "C:\\x.exe" }, "windows_flat"],
    ["flat 4688 with a string EventID", { EventID: "4688", NewProcessName: "C:\\x.exe" }, "windows_flat"],
    ["raw winlogbeat", { "@timestamp": "2026-01-01T00:00:00Z", event: { code: "1" }, winlog: { event_id: 1, event_data: {} } }, "winlogbeat"],
    ["raw winlogbeat with dotted keys", { "winlog.event_data.Image": "x", "winlog.event_id": 1 }, "winlogbeat"],
    ["winlogbeat with the sysmon module (ECS)", { "@timestamp": "t", event: { category: ["process"] }, process: {}, winlog: { event_data: {} } }, "ecs"],
    ["ECS with winlog.event_data but no event id anywhere (found by the property test)", { "@timestamp": 0, event: {}, winlog: { event_data: {} } }, "ecs"],
    ["ECS with a garbled winlog.event_id (found by the property test)", { "@timestamp": "garbage", event: {}, winlog: { event_id: "x" } }, "ecs"],
    ["raw winlogbeat whose only id is event.code", { "@timestamp": "t", event: { code: "4688" }, winlog: { event_data: {} } }, "winlogbeat"],
    ["raw winlogbeat without @timestamp or event", { winlog: { event_data: { Image: "x" } } }, "winlogbeat"],
    ["Elastic Defend", { "@timestamp": "t", event: { kind: "event" }, process: { name: "x" } }, "ecs"],
    ["flat dotted ECS", { "@timestamp": "t", "process.name": "x" }, "ecs"],
    ["an event Vigil normalized", { "@timestamp": "t", vigil: { source: { format: "windows_flat" } }, winlog: { event_id: 1, event_data: {} } }, "ecs"],
    ["ECS-looking without @timestamp", { event: { category: "process" }, process: {} }, undefined],
    ["@timestamp alone", { "@timestamp": "t", message: "x" }, undefined],
    ["an empty object", {}, undefined],
    ["event as a string", { "@timestamp": "t", event: "login" }, undefined],
  ])("%s → %s", (_name, input, format) => {
    expect(detectFormat(input)).toBe(format);
  });
});
