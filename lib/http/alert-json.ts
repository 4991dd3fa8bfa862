import type { AlertCursor, AlertRecord } from "@/lib/db/alerts";
import { ApiError } from "./api-error";

/**
 * The public JSON of an alert (API v1, documented in README). Field names follow ECS where ECS
 * has one (`@timestamp`, host, user, process) and snake_case elsewhere.
 */
export function alertJson(a: AlertRecord) {
  const headline = a.rules[0];
  return {
    id: a.id,
    rule: headline ? { id: headline.id, name: headline.name, type: headline.type, format: headline.format } : null,
    rules: a.rules.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      format: r.format,
      severity: r.severity,
      risk_score: r.riskScore,
      matched: r.matched,
    })),
    severity: a.severity,
    risk_score: a.riskScore,
    status: a.status,
    disposition: a.disposition,
    "@timestamp": a.timestamp.toISOString(),
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
    host: { name: a.hostName, id: a.hostId },
    user: { name: a.userName },
    process: {
      name: a.processName,
      executable: a.processExecutable,
      command_line: a.processCommandLine,
      pid: a.processPid,
      parent: { name: a.parentName, executable: a.parentExecutable, command_line: a.parentCommandLine },
    },
    event: a.event,
    mitre: a.mitre,
    assignee: a.assignee ? { id: a.assignee.id, email: a.assignee.email } : null,
    checklist: { total: a.checklist.total, done: a.checklist.done },
  };
}

/** Cursors are opaque to clients: base64url of the keyset position. */
export function encodeCursor(c: AlertCursor): string {
  return Buffer.from(JSON.stringify(c.risk === undefined ? [c.ts.toISOString(), c.id] : [c.ts.toISOString(), c.id, c.risk])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(raw: string): AlertCursor {
  try {
    const [ts, id, risk] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [string, string, unknown];
    const date = new Date(ts);
    const riskOk = risk === undefined || (Number.isInteger(risk) && (risk as number) >= 0 && (risk as number) <= 100);
    if (typeof id === "string" && UUID.test(id) && !Number.isNaN(date.getTime()) && riskOk) return { ts: date, id, ...(risk !== undefined && { risk: risk as number }) };
  } catch {
    /* fall through */
  }
  throw new ApiError("bad_request", "invalid cursor: pass next_cursor from the previous page unchanged");
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The `{id}` of an /api/v1/alerts/{id}… route, or 404 when it is not an alert id. */
export async function alertIdParam(context: { params: Promise<{ id: string }> }): Promise<string> {
  const { id } = await context.params;
  if (!isUuid(id)) throw new ApiError("not_found", `no alert ${id}`);
  return id;
}
