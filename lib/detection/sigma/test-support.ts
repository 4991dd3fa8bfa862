/**
 * Helpers for the Sigma tests (imported by *.test.ts only): rule text from a detection block,
 * compile-or-throw, and minimal ECS events for the Linux process_creation logsource, where an
 * unmapped field name is read as written (`Field` is the event's top-level `Field`).
 */
import type { DetectionError } from "../errors";
import type { EcsEvent, EventObject } from "../event/types";
import type { QueryDetector } from "../rules/detector";
import type { EngineConfig } from "../rules/load-rules";
import { compileSigmaRule } from "./compile-sigma";
import { parseSigmaFile } from "./parse-rule";

export const TEST_RULE_ID = "00000000-0000-4000-8000-000000000001";

/** A rule with `detection` (YAML lines, indented as under `detection:`) and a logsource. */
export function ruleText(detection: string, logsource = "category: process_creation\n    product: linux", extra = ""): string {
  const body = detection
    .replace(/^\n/, "")
    .split("\n")
    .map((l) => (l.trim() === "" ? l : `    ${l}`))
    .join("\n");
  return `title: Test rule\nid: ${TEST_RULE_ID}\nstatus: test\nlogsource:\n    ${logsource}\ndetection:\n${body}\nlevel: medium\n${extra}`;
}

/** Parse and compile; every problem of either step, in order. */
export function problems(text: string, config?: Partial<EngineConfig>, file = "rules/test.yml"): DetectionError[] {
  const parsed = parseSigmaFile(text, { file });
  const out = [...parsed.errors, ...parsed.unsupported.map((u) => u.reason)];
  for (const rule of parsed.rules) {
    const compiled = compileSigmaRule(rule, { config: config ?? {}, text });
    if (!compiled.ok) out.push(...compiled.errors);
  }
  return out;
}

export function compile(text: string, config?: Partial<EngineConfig>): QueryDetector {
  const parsed = parseSigmaFile(text, { file: "rules/test.yml" });
  if (parsed.errors.length > 0) throw parsed.errors[0];
  const rule = parsed.rules[0];
  if (!rule) throw new Error("no rule");
  const compiled = compileSigmaRule(rule, { config: config ?? {}, text });
  if (!compiled.ok) throw compiled.errors[0];
  return compiled.detector;
}

/** A detector for a detection block on Linux process starts. */
export function detect(detection: string, config?: Partial<EngineConfig>): QueryDetector {
  return compile(ruleText(detection), config);
}

/** A Linux process-start ECS event with extra fields. */
export function lnx(fields: EventObject = {}): EcsEvent {
  return { "@timestamp": "2026-11-09T10:15:02.123Z", host: { os: { type: "linux" } }, event: { category: ["process"], type: ["start"] }, ...fields };
}
