import type { StatefulSpec } from "@/lib/detection";
import type { BaselineEntry } from "@/lib/db/baselines";
import { ApiError } from "./api-error";

/** The fields a stateful rule's values are reported under, in StateKey.values order. */
export function baselineFields(spec: StatefulSpec): string[] {
  return spec.kind === "novelty" ? [...spec.fields, ...spec.groupBy] : spec.groupBy;
}

export function baselineEntryJson(entry: BaselineEntry, fields: readonly string[]) {
  return {
    key: entry.hash,
    values: Object.fromEntries(fields.map((f, i) => [f, entry.values[i] ?? null])),
    first_seen: entry.firstSeen.toISOString(),
    last_seen: entry.lastSeen.toISOString(),
    count: entry.count,
    known: entry.known,
  };
}

export function encodeBaselineCursor(c: { lastSeen: Date; hash: string }): string {
  return Buffer.from(JSON.stringify([c.lastSeen.toISOString(), c.hash])).toString("base64url");
}

export function decodeBaselineCursor(raw: string): { lastSeen: Date; hash: string } {
  try {
    const [ts, hash] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [string, string];
    const lastSeen = new Date(ts);
    if (typeof hash === "string" && /^[0-9a-f]{8,128}$/.test(hash) && !Number.isNaN(lastSeen.getTime())) return { lastSeen, hash };
  } catch {
    /* fall through */
  }
  throw new ApiError("bad_request", "invalid cursor: pass next_cursor from the previous page unchanged");
}
