import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/guard";
import { findAuditPage } from "@/lib/db/audit";
import { ApiError } from "@/lib/http/api-error";
import { encodeAuditCursor, parseAuditQuery } from "@/lib/http/audit-query";
import { fieldClass } from "@/components/ui";

export const metadata: Metadata = { title: "Audit trail" };
export const dynamic = "force-dynamic";

const input = fieldClass;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("admin");
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" && v !== "") params.set(k, v);
  let problem: string | null = null;
  let page: Awaited<ReturnType<typeof findAuditPage>> = { entries: [], next: null };
  try {
    const query = parseAuditQuery(params);
    page = await findAuditPage(query.filter, query.limit, query.cursor);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    problem = error.message;
  }
  const nextHref = page.next ? `/audit?${new URLSearchParams({ ...Object.fromEntries(params), cursor: encodeAuditCursor(page.next) })}` : null;
  return (
    <div className="mx-auto max-w-7xl space-y-4 px-4 py-5">
      <div>
        <h1 className="text-lg font-semibold">Audit trail</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Every change, sign-in and failed sign-in: who, when, what, before and after. Append-only.</p>
      </div>
      <form className="flex flex-wrap items-end gap-2" aria-label="Filter the audit trail">
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Actor</span>
          <input name="actor" defaultValue={params.get("actor") ?? ""} className={input} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Action (e.g. alert. or auth.sign_in_failed)</span>
          <input name="action" defaultValue={params.get("action") ?? ""} className={input} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Object id</span>
          <input name="object_id" defaultValue={params.get("object_id") ?? ""} className={input} />
        </label>
        <button className="rounded border border-zinc-300 px-3 py-1 text-sm dark:border-zinc-700">Filter</button>
        {params.size > 0 && (
          <Link href="/audit" className="text-sm text-zinc-600 underline">
            Clear
          </Link>
        )}
      </form>
      {problem && (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      )}
      <table className="w-full table-fixed border-collapse text-sm" aria-label="Audit trail">
        <colgroup>
          <col className="w-40" />
          <col className="w-56" />
          <col className="w-48" />
          <col className="w-64" />
          <col />
        </colgroup>
        <thead className="text-left text-xs text-zinc-500">
          <tr>
            {["Time (UTC)", "Actor", "Action", "Object", "Change"].map((h) => (
              <th key={h} scope="col" className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {page.entries.map((e) => (
            <tr key={String(e.id)} className="border-b border-zinc-100 align-top dark:border-zinc-900">
              <td className="py-1.5 pr-3 font-mono text-xs text-zinc-500">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
              <td className="truncate py-1.5 pr-3" title={`${e.actor}${e.ip ? ` from ${e.ip}` : ""}`}>
                {e.actor}
              </td>
              <td className="py-1.5 pr-3 font-mono text-xs">{e.action}</td>
              <td className="truncate py-1.5 pr-3 text-xs text-zinc-600 dark:text-zinc-400" title={e.objectId ?? ""}>
                {e.objectType && e.objectId && e.objectType === "alert" ? <Link href={`/alerts/${e.objectId}`} className="underline">{`alert ${e.objectId.slice(0, 8)}`}</Link> : [e.objectType, e.objectId].filter(Boolean).join(" ")}
              </td>
              <td className="truncate py-1.5 font-mono text-xs text-zinc-600 dark:text-zinc-400" title={JSON.stringify({ before: e.before, after: e.after })}>
                {e.before !== null && <span>{JSON.stringify(e.before)} → </span>}
                {e.after !== null && JSON.stringify(e.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextHref && (
        <Link href={nextHref} className="text-sm underline">
          Older →
        </Link>
      )}
    </div>
  );
}
