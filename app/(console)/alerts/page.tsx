import type { Metadata } from "next";
import Link from "next/link";
import { AlertQueueTable, type QueueRow } from "@/components/alert-queue-table";
import { findAlertPage, type AlertRecord } from "@/lib/db/alerts";
import { encodeCursor } from "@/lib/http/alert-json";
import { parseAlertQuery } from "@/lib/http/alert-query";
import { ApiError } from "@/lib/http/api-error";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

const UNRESOLVED = "open,acknowledged,escalated";
const VIEWS = [
  { label: "Unresolved", status: UNRESOLVED },
  { label: "Closed", status: "closed" },
  { label: "All", status: "all" },
] as const;

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" && v !== "") params.set(k, v);
  const status = params.get("status") ?? UNRESOLVED;
  if (status === "all") params.delete("status");
  else params.set("status", status);

  let problem: string | null = null;
  let rows: QueueRow[] = [];
  let next: string | null = null;
  try {
    const query = parseAlertQuery(params);
    const page = await findAlertPage(query.filter, query.limit === 50 ? 100 : query.limit, query.cursor);
    rows = page.alerts.map(toRow);
    next = page.next ? encodeCursor(page.next) : null;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    problem = error.message;
  }

  const link = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    if (status === "all") p.set("status", "all");
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    const qs = p.toString();
    return qs ? `/alerts?${qs}` : "/alerts";
  };

  return (
    <div>
      <div className="flex items-center gap-4 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h1 className="text-sm font-semibold">Alerts</h1>
        <nav aria-label="Status" className="flex gap-1 text-xs">
          {VIEWS.map((v) => (
            <Link
              key={v.label}
              href={link({ status: v.status === UNRESOLVED ? null : v.status, cursor: null })}
              aria-current={status === v.status ? "page" : undefined}
              className="rounded px-2 py-1 text-zinc-600 hover:bg-zinc-100 aria-[current=page]:bg-zinc-900 aria-[current=page]:text-white dark:text-zinc-400 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-100 dark:aria-[current=page]:text-zinc-900"
            >
              {v.label}
            </Link>
          ))}
        </nav>
        {params.get("cursor") && (
          <Link href={link({ cursor: null })} className="ml-auto text-xs text-zinc-600 hover:underline dark:text-zinc-400">
            ← Newest
          </Link>
        )}
      </div>
      {problem ? (
        <p role="alert" className="m-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {problem}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState filtered={params.has("cursor") || status !== UNRESOLVED || params.size > 1} />
      ) : (
        <>
          <AlertQueueTable rows={rows} />
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
  );
}

function toRow(a: AlertRecord): QueueRow {
  return {
    id: a.id,
    timestamp: a.timestamp.toISOString(),
    displayTime: a.timestamp.toISOString().replace("T", " ").slice(0, 19),
    severity: a.severity,
    riskScore: a.riskScore,
    rules: a.rules.map((r) => r.name),
    host: a.hostName,
    user: a.userName,
    parent: a.parentName,
    process: a.processName,
    commandLine: a.processCommandLine,
    status: a.status,
  };
}

function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return <p className="px-4 py-10 text-center text-sm text-zinc-500">No alerts match this view.</p>;
  }
  return (
    <div className="mx-auto max-w-2xl px-4 py-12 text-sm text-zinc-600 dark:text-zinc-400">
      <h2 className="mb-2 text-base font-semibold text-zinc-900 dark:text-zinc-100">No unresolved alerts</h2>
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
