import { hash } from "node:crypto";
import { getString, type EcsEvent } from "@/lib/detection";

/**
 * The identity of a source event, used to make ingest idempotent: a shipper that re-sends a batch
 * after a timeout creates no second event and no second alert.
 *
 * `event.id` when the source gives one (Elastic Defend and winlogbeat do), else a SHA-256 of
 * `original`, the document as parsed and re-serialized (`JSON.stringify`, the same text the store
 * keeps as the retained event): whitespace does not matter, key order does. A
 * retry re-sends the same document, so that is enough; sorting keys at every level (the earlier
 * canonical form) cost 25 µs of a 1.8 KB Sysmon event, more than detecting it. The prefixes keep
 * the two namespaces apart.
 */
export function eventKey(original: string, normalized: EcsEvent): string {
  const id = getString(normalized, "event.id");
  if (id && id.length <= 256) return `id:${id}`;
  // One-shot hash: a third cheaper than createHash/update/digest for a 1 KB document.
  return `sha256:${hash("sha256", original, "hex")}`;
}
