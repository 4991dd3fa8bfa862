import type { AuditFilter } from "@/lib/db/audit";
import { ApiError } from "./api-error";

const PARAMS = ["actor", "action", "object_type", "object_id", "since", "until", "limit", "cursor"] as const;

/** GET /api/v1/audit and the audit page share one parser: the same filters, the same errors. */
export function parseAuditQuery(params: URLSearchParams): { filter: AuditFilter; limit: number; cursor: { at: Date; id: bigint } | null } {
  for (const key of params.keys()) {
    if (!(PARAMS as readonly string[]).includes(key)) throw new ApiError("bad_request", `unknown parameter "${key}"; allowed: ${PARAMS.join(", ")}`);
  }
  const text = (name: string, max = 320) => {
    const v = params.get(name)?.trim();
    if (v && v.length > max) throw new ApiError("bad_request", `${name} is at most ${max} characters`);
    return v || undefined;
  };
  const date = (name: string) => {
    const raw = params.get(name);
    if (!raw) return undefined;
    const d = new Date(raw);
    if (Number.isNaN(d.getTime())) throw new ApiError("bad_request", `${name} must be an ISO 8601 date or date-time`);
    return d;
  };
  const limit = Number(params.get("limit") ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ApiError("bad_request", "limit must be an integer from 1 to 500");
  return {
    filter: { actor: text("actor"), action: text("action", 100), objectType: text("object_type", 100), objectId: text("object_id", 200), since: date("since"), until: date("until") },
    limit,
    cursor: params.get("cursor") ? decodeAuditCursor(params.get("cursor")!) : null,
  };
}

export function encodeAuditCursor(c: { at: Date; id: bigint }): string {
  return Buffer.from(JSON.stringify([c.at.toISOString(), String(c.id)])).toString("base64url");
}

function decodeAuditCursor(raw: string): { at: Date; id: bigint } {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [string, string];
    const date = new Date(at);
    if (!Number.isNaN(date.getTime()) && /^\d{1,19}$/.test(id)) return { at: date, id: BigInt(id) };
  } catch {
    /* fall through */
  }
  throw new ApiError("bad_request", "invalid cursor: pass next_cursor from the previous page unchanged");
}
