import { createHash } from "node:crypto";
import { getString, type EcsEvent } from "@/lib/detection";

/**
 * The identity of a source event, used to make ingest idempotent: a shipper that re-sends a batch
 * after a timeout creates no second event and no second alert.
 *
 * `event.id` when the source gives one (Elastic Defend and winlogbeat do), else a SHA-256 of the
 * original document in canonical form (keys sorted), so the same content with keys in another
 * order or with other whitespace is still the same event. The prefixes keep the two namespaces
 * apart.
 */
export function eventKey(original: Record<string, unknown>, normalized: EcsEvent): string {
  const id = getString(normalized, "event.id");
  if (id && id.length <= 256) return `id:${id}`;
  return `sha256:${createHash("sha256").update(canonicalJson(original)).digest("hex")}`;
}

/** JSON with object keys sorted at every level; depth is bounded by the body parser. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}
