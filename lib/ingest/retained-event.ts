import { normalizeEvent, type EcsEvent } from "@/lib/detection";

/**
 * A retained event as rules and views see it. The events table keeps the document as it arrived
 * (lib/db/ingest.ts); this normalizes it again with the arrival time it had, which gives the
 * event ingest normalized (normalization is pure), with this version's mapping. A row written
 * before documents were kept as they arrived holds the normalized event, and normalizing that
 * gives it back. Null when the document no longer normalizes (it did when it was stored, so only
 * a mapping change can do that): the caller skips the row.
 */
export function readRetainedEvent(doc: unknown, ingestedAt: Date): EcsEvent | null {
  const result = normalizeEvent(doc, { receivedAt: ingestedAt });
  return result.ok ? result.event : null;
}
