/**
 * The one event model every rule sees: an Elastic Common Schema document as nested objects
 * (DESIGN.md §2). Normalizers turn every input format into this shape; originals stay available
 * under `winlog.*` for Windows sources, as winlogbeat does.
 */

export type FieldValue = string | number | boolean | null | FieldValue[] | EventObject;

export interface EventObject {
  [field: string]: FieldValue;
}

/** A normalized event: ECS field names, nested objects, `@timestamp` always an ISO-8601 string. */
export type EcsEvent = EventObject;

/** The envelope an event arrived in. */
export type SourceFormat =
  /** An ECS document (Elastic Defend, winlogbeat/sysmon module, auditbeat, …). */
  | "ecs"
  /** A flat Windows event: top-level EventID plus EventData fields (Sysmon, Security 4688, …). */
  | "windows_flat"
  /** evtx rendered as JSON: {"Event": {"System": …, "EventData" | "UserData": …}}. */
  | "evtx_json"
  /** winlogbeat without ECS processing: the event under `winlog.event_data`. */
  | "winlogbeat";

export const SOURCE_FORMATS: readonly SourceFormat[] = ["ecs", "windows_flat", "evtx_json", "winlogbeat"];

export interface NormalizeOptions {
  /** When the event carries no usable timestamp, its arrival time is used (and the event says so). */
  receivedAt: Date;
}

export type NormalizeResult =
  | { ok: true; event: EcsEvent; format: SourceFormat; warnings: string[] }
  | { ok: false; code: NormalizeErrorCode; error: string };

export type NormalizeErrorCode = "not_an_object" | "unknown_format" | "invalid_field" | "too_large";
