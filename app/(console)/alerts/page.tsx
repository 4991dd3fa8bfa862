import type { Metadata } from "next";
import Link from "next/link";
import { AlertQueueTable } from "@/components/alert-queue-table";
import { SEVERITIES } from "@/lib/detection";
import { queueRowFromJson, type QueueRow } from "@/lib/alerts/queue-row";
import { requireUser } from "@/lib/auth/guard";
import { findAlertGroups, findAlertPage, type AlertGroup, type GroupBy } from "@/lib/db/alerts";
import { listRules } from "@/lib/db/rules";
import { listAssignees } from "@/lib/db/triage";
import { alertJson, encodeCursor } from "@/lib/http/alert-json";
import { parseAlertQuery } from "@/lib/http/alert-query";
import { ApiError } from "@/lib/http/api-error";
import { smallFieldClass } from "@/components/ui";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

/** The default view: what still needs a first look or is being worked. */
const TO_TRIAGE = "open,acknowledged";
const VIEWS = [
  { label: "To triage", status: TO_TRIAGE },
  { label: "Escalated", status: "escalated" },
  { label: "Closed", status: "closed" },
  { label: "All", status: "all" },
] as const;
const GROUPS: { by: GroupBy; label: string }[] = [
  { by: "rule", label: "Rule" },
  { by: "host", label: "Host" },
  { by: "parent", label: "Parent process" },
];
const PAGE = 100;

type SearchParams = Record<string, string | string[] | undefined>;

const field = smallFieldClass;
const labelText = "mb-0.5 block text-[11px] text-zinc-500";

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("read");
  const raw = await searchParams;
  // Filters live in the URL: a view is shared by sharing its address.
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" && v.trim() !== "") params.set(k, v.trim());
  const status = params.get("status") ?? TO_TRIAGE;
  const query = new URLSearchParams(params);
  if (status === "all") query.delete("status");
  else query.set("status", status);
  if (query.get("assignee") === "me") query.set("assignee", user.id);

  let problem: string | null = null;
  let rows: QueueRow[] = [];
  let next: string | null = null;
  let groups: AlertGroup[] | null = null;
  let group: GroupBy | null = null;
  try {
    const parsed = parseAlertQuery(query);
    group = parsed.group;
    const limit = params.has("limit") ? parsed.limit : PAGE;
    const [page, grouped] = await Promise.all([findAlertPage(parsed.filter, limit, parsed.cursor, parsed.sort), group ? findAlertGroups(parsed.filter, group) : null]);
    rows = page.alerts.map((a) => queueRowFromJson(alertJson(a)));
    next = page.next ? encodeCursor(page.next) : null;
    groups = grouped;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    problem = error.message;
  }
  const [rules, assignees] = await Promise.all([listRules(), listAssignees()]);

  const link = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    const qs = p.toString();
    return qs ? `/alerts?${qs}` : "/alerts";
  };
  // Live updates poll the API with the same filters, on the first page only.
  const poll = new URLSearchParams(query);
  poll.delete("group");
  poll.delete("cursor");
  poll.set("limit", String(PAGE));
  // Live updates insert by event time: they apply to the newest-first view's first page.
  const pollUrl = params.has("cursor") || (params.get("sort") ?? "newest") !== "newest" ? null : `/api/v1/alerts?${poll.toString()}`;
  const filtered = [...params.keys()].some((k) => k !== "status" && k !== "group" && k !== "sort");

  return (
    <div>
      <div className="flex flex-wrap items-center gap-4 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h1 className="text-sm font-semibold">Alerts</h1>
        <nav aria-label="Status" className="flex gap-1 text-xs">
          {VIEWS.map((v) => (
            <Link
              key={v.label}
              href={link({ status: v.status === TO_TRIAGE ? null : v.status, cursor: null })}
              aria-current={status === v.status ? "page" : undefined}
              className="rounded px-2 py-1 text-zinc-600 hover:bg-zinc-100 aria-[current=page]:bg-zinc-900 aria-[current=page]:text-white dark:text-zinc-400 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-100 dark:aria-[current=page]:text-zinc-900"
            >
              {v.label}
            </Link>
          ))}
        </nav>
        <nav aria-label="Group by" className="flex items-center gap-1 text-xs text-zinc-500">
          Group by
          {GROUPS.map((g) => (
            <Link
              key={g.by}
              href={link({ group: group === g.by ? null : g.by, cursor: null })}
              aria-current={group === g.by ? "true" : undefined}
              className="rounded px-1.5 py-0.5 hover:bg-zinc-100 aria-[current=true]:bg-zinc-200 aria-[current=true]:text-zinc-900 dark:hover:bg-zinc-800 dark:aria-[current=true]:bg-zinc-700 dark:aria-[current=true]:text-zinc-100"
            >
              {g.label}
            </Link>
          ))}
        </nav>
        {params.get("cursor") && (
          <Link href={link({ cursor: null })} className="ml-auto text-xs text-zinc-600 hover:underline dark:text-zinc-400">
            ← Newest
          </Link>
        )}
      </div>

      <form method="get" action="/alerts" aria-label="Filter alerts" className="flex flex-wrap items-end gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        {status !== TO_TRIAGE && <input type="hidden" name="status" value={status} />}
        {group && <input type="hidden" name="group" value={group} />}
        <label>
          <span className={labelText}>Search</span>
          <input name="q" defaultValue={params.get("q") ?? ""} placeholder="command line, path, user" className={`${field} w-56`} />
        </label>
        <label>
          <span className={labelText}>Severity</span>
          <select name="severity" defaultValue={params.get("severity") ?? ""} className={field}>
            <option value="">Any</option>
            {[...SEVERITIES].reverse().map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
            <option value="critical,high">critical + high</option>
          </select>
        </label>
        <label>
          <span className={labelText}>Rule</span>
          <select name="rule" defaultValue={params.get("rule") ?? ""} className={`${field} max-w-56`}>
            <option value="">Any</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className={labelText}>Host</span>
          <input name="host" defaultValue={params.get("host") ?? ""} className={`${field} w-28`} />
        </label>
        <label>
          <span className={labelText}>User</span>
          <input name="user" defaultValue={params.get("user") ?? ""} className={`${field} w-32`} />
        </label>
        <label>
          <span className={labelText}>Parent</span>
          <input name="parent" defaultValue={params.get("parent") ?? ""} placeholder="w3wp.exe" className={`${field} w-24`} />
        </label>
        <label>
          <span className={labelText}>Assignee</span>
          <select name="assignee" defaultValue={params.get("assignee") ?? ""} className={field}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Unassigned</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className={labelText}>ATT&CK</span>
          <input name="mitre" defaultValue={params.get("mitre") ?? ""} placeholder="T1505.003, TA0003" className={`${field} w-32`} />
        </label>
        <label>
          <span className={labelText}>From (UTC)</span>
          <input name="since" type="date" defaultValue={params.get("since")?.slice(0, 10) ?? ""} className={field} />
        </label>
        <label>
          <span className={labelText}>Before (UTC)</span>
          <input name="until" type="date" defaultValue={params.get("until")?.slice(0, 10) ?? ""} className={field} />
        </label>
        <label>
          <span className={labelText}>Sort</span>
          <select name="sort" defaultValue={params.get("sort") ?? "newest"} className={field}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
            <option value="risk">Highest risk first</option>
          </select>
        </label>
        <button className="rounded bg-zinc-900 px-2.5 py-1 text-xs font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">Apply</button>
        {filtered && (
          <Link href={link(Object.fromEntries([...params.keys()].filter((k) => k !== "status" && k !== "group").map((k) => [k, null])))} className="text-xs text-zinc-600 hover:underline dark:text-zinc-400">
            Clear filters
          </Link>
        )}
      </form>

      {problem ? (
        <p role="alert" className="m-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {problem}
        </p>
      ) : (
        <div className={groups ? "flex items-start" : ""}>
          {groups && group && <Groups groups={groups} by={group} link={link} current={params.get(group === "rule" ? "rule" : group) ?? null} />}
          <div className="min-w-0 flex-1">
            {rows.length === 0 ? (
              <EmptyState filtered={filtered || params.has("cursor") || status !== TO_TRIAGE} />
            ) : (
              <>
                <AlertQueueTable rows={rows} canTriage={user.scopes.includes("triage")} assignees={assignees.map((a) => ({ id: a.id, email: a.email }))} pollUrl={pollUrl} now={Date.now()} />
                {next && (
                  <div className="flex justify-end px-4 py-3">
                    <Link href={link({ cursor: next })} className="text-sm text-zinc-700 hover:underline dark:text-zinc-300">
                      Older alerts →
                    </Link>
                  </div>
                )}
              </>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function Groups({ groups, by, link, current }: { groups: AlertGroup[]; by: GroupBy; link: (c: Record<string, string | null>) => string; current: string | null }) {
  const param = by === "rule" ? "rule" : by;
  return (
    <aside aria-label={`Alerts by ${by}`} className="w-64 shrink-0 border-r border-zinc-200 p-2 text-xs dark:border-zinc-800">
      <ul className="space-y-0.5">
        {groups.map((g) => (
          <li key={g.key ?? "(none)"}>
            {g.key === null ? (
              <span className="flex justify-between px-1.5 py-1 text-zinc-500">
                <span>{g.label}</span>
                <span className="tabular-nums">{g.count}</span>
              </span>
            ) : (
              <Link
                href={link({ [param]: current === g.key ? null : g.key, cursor: null })}
                aria-current={current === g.key ? "true" : undefined}
                className="flex justify-between gap-2 rounded px-1.5 py-1 hover:bg-zinc-100 aria-[current=true]:bg-zinc-200 dark:hover:bg-zinc-800 dark:aria-[current=true]:bg-zinc-700"
              >
                <span className="truncate" title={g.label}>
                  {g.label}
                </span>
                <span className="tabular-nums text-zinc-500">{g.count}</span>
              </Link>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return <p className="px-4 py-10 text-center text-sm text-zinc-500">No alerts match this view.</p>;
  }
  return (
    <div className="mx-auto max-w-2xl px-4 py-12 text-sm text-zinc-600 dark:text-zinc-400">
      <h2 className="mb-2 text-base font-semibold text-zinc-900 dark:text-zinc-100">Nothing to triage</h2>
      <p className="mb-3">
        Send endpoint events (ECS, Sysmon, Windows 4688, winlogbeat) to the ingest API and alerts appear here as rules match:
      </p>
      <pre className="overflow-x-auto rounded bg-zinc-100 p-3 font-mono text-xs text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">
        {`curl -H "Authorization: Bearer $VIGIL_INGEST_TOKEN" \\
     -H "Content-Type: application/x-ndjson" \\
     --data-binary @events.ndjson \\
     http://localhost:3000/api/v1/events`}
      </pre>
    </div>
  );
}
