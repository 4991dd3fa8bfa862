import { describe, expect, it } from "vitest";
import { parseGuideTemplate, renderGuideTemplate } from "./guide-template";

describe("guide templates", () => {
  it("splits text and field placeholders, blanks inside the braces optional", () => {
    expect(parseGuideTemplate("ran `{{ process.name }}` on {{host.name}}.")).toEqual({
      parts: [
        { kind: "text", text: "ran `" },
        { kind: "field", field: "process.name", start: 5, end: 23 },
        { kind: "text", text: "` on " },
        { kind: "field", field: "host.name", start: 28, end: 41 },
        { kind: "text", text: "." },
      ],
      errors: [],
    });
  });

  it.each<[string, number, string]>([
    ["a {{ process.name", 2, "never closed"],
    ["a {{ 1 + 2 }} b", 2, "not a field placeholder"],
    ["{{}}", 0, "not a field placeholder"],
    ["{{ a..b }}", 0, "not a field placeholder"],
  ])("%j is an error at %i", (template, offset, message) => {
    const { errors } = parseGuideTemplate(template);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.offset).toBe(offset);
    expect(errors[0]!.summary).toContain(message);
  });

  it("renders values from the event: arrays joined, numbers as text, missing as (none)", () => {
    const event = { process: { name: "sh", args: ["sh", "-c", "id"], pid: 42 }, "@timestamp": "2026-11-09T10:00:00.000Z" };
    expect(renderGuideTemplate("`{{ process.name }}` ({{ process.pid }}) {{ process.args }} by {{ user.name }} at {{ @timestamp }}", event)).toBe(
      "`sh` (42) sh, -c, id by (none) at 2026-11-09T10:00:00.000Z",
    );
  });

  it("the Datadog seed's message, with our field name", () => {
    const template = "The web server process executed the command `{{ process.name }}`, which may indicate the application is vulnerable to remote code execution (RCE).";
    expect(renderGuideTemplate(template, { process: { name: "curl" } })).toBe(
      "The web server process executed the command `curl`, which may indicate the application is vulnerable to remote code execution (RCE).",
    );
  });
});
