import { SEVERITIES, type Severity } from "@/lib/detection";
import { ALERT_STATUSES, type AlertStatus } from "@/lib/alerts/status";
import { ALERT_SORTS, GROUP_BY, type AlertCursor, type AlertFilter, type AlertSort, type GroupBy } from "@/lib/db/alerts";
import { ApiError } from "./api-error";
import { decodeCursor } from "./alert-json";

export interface AlertQuery {
  filter: AlertFilter;
  limit: number;
  cursor: AlertCursor | null;
  /** Counts by rule, host or parent process instead of (or beside) the rows. */
  group: GroupBy | null;
  sort: AlertSort;
}

const PARAMS = ["status", "rule", "host", "user", "parent", "assignee", "mitre", "q", "severity", "since", "until", "group", "sort", "limit", "cursor"] as const;
const MITRE_ID = /^(TA\d{4}|T\d{4}(\.\d{3})?)$/;
export const MAX_PAGE = 500;

/**
 * GET /api/v1/alerts query string → filter. Lists are comma-separated (`status=open,acknowledged`).
 * Unknown parameters are refused rather than ignored, so a typo never silently widens a query.
 */
export function parseAlertQuery(params: URLSearchParams): AlertQuery {
  for (const key of params.keys()) {
    if (!(PARAMS as readonly string[]).includes(key)) {
      throw new ApiError("bad_request", `unknown parameter "${key}"; allowed: ${PARAMS.join(", ")}`);
    }
  }
  const list = (name: string) =>
    (params.get(name) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const status = list("status");
  for (const s of status) if (!(ALERT_STATUSES as readonly string[]).includes(s)) throw invalid("status", s, ALERT_STATUSES);
  const severity = list("severity");
  for (const s of severity) if (!(SEVERITIES as readonly string[]).includes(s)) throw invalid("severity", s, SEVERITIES);
  const ruleIds = list("rule");
  if (ruleIds.some((r) => r.length > 200)) throw new ApiError("bad_request", "rule ids are at most 200 characters");
  const host = text(params, "host", 255);
  const user = text(params, "user", 255);
  const parent = text(params, "parent", 255);
  const assignee = text(params, "assignee", 100);
  const q = text(params, "q", 200);
  const mitre = list("mitre").map((m) => m.toUpperCase());
  for (const m of mitre) if (!MITRE_ID.test(m)) throw new ApiError("bad_request", `invalid mitre "${m}": an ATT&CK tactic (TA0001), technique (T1505) or sub-technique (T1505.003) id`);
  const group = params.get("group") || null;
  if (group !== null && !(GROUP_BY as readonly string[]).includes(group)) throw invalid("group", group, GROUP_BY);
  const sort = params.get("sort") || "newest";
  if (!(ALERT_SORTS as readonly string[]).includes(sort)) throw invalid("sort", sort, ALERT_SORTS);
  const cursor = params.get("cursor") ? decodeCursor(params.get("cursor")!) : null;
  if (cursor && (cursor.risk !== undefined) !== (sort === "risk")) throw new ApiError("bad_request", "this cursor belongs to another sort order: start again from the first page");
  const limitRaw = params.get("limit");
  const limit = limitRaw === null ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new ApiError("bad_request", `limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  return {
    filter: {
      status: status as AlertStatus[],
      severity: severity as Severity[],
      ruleIds,
      ...(host && { host }),
      ...(user && { user }),
      ...(parent && { parent }),
      ...(assignee && { assignee }),
      ...(mitre.length && { mitre }),
      ...(q && { text: q }),
      since: date(params, "since"),
      until: date(params, "until"),
    },
    limit,
    cursor,
    group: group as GroupBy | null,
    sort: sort as AlertSort,
  };
}

function text(params: URLSearchParams, name: string, max: number): string | undefined {
  const value = params.get(name)?.trim() || undefined;
  if (value && value.length > max) throw new ApiError("bad_request", `${name} is at most ${max} characters`);
  return value;
}

function invalid(name: string, value: string, allowed: readonly string[]): ApiError {
  return new ApiError("bad_request", `invalid ${name} "${value}"; one of ${allowed.join(", ")}`);
}

function date(params: URLSearchParams, name: string): Date | undefined {
  const raw = params.get(name);
  if (!raw) return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    throw new ApiError("bad_request", `${name} must be an ISO 8601 date or date-time, e.g. 2026-11-09T10:00:00Z`);
  }
  return d;
}
