import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { IngestChart } from "@/components/ingest-chart";
import { IngestEmptyState, IngestFormats, IngestHosts, IngestRejections, IngestSummary, IngestTokens, IngestTopHosts } from "@/components/ingest-tables";
import { requireUser } from "@/lib/auth/guard";
import { readIngestStatus } from "@/lib/db/ingest-stats";
import { env } from "@/lib/env";
import { flushIngestStatsNow, flushIntervalMs } from "@/lib/server/ingest-stats";

export const metadata: Metadata = { title: "Ingest" };
export const dynamic = "force-dynamic";

/** Where shippers reach this console: VIGIL_URL, else the address this page was asked at. */
async function consoleUrl(): Promise<string> {
  const configured = env().VIGIL_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? `localhost:${env().PORT}`;
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}

export default async function IngestPage() {
  const user = await requireUser("read");
  // This node's counts go in first; other nodes' arrive within their flush interval.
  await flushIngestStatsNow();
  const [status, url] = await Promise.all([readIngestStatus(), consoleUrl()]);
  const empty = status.totals.events === 0 && status.totals.hostsKnown === 0 && status.rejections.length === 0;
  const seconds = Math.round(flushIntervalMs() / 1000);
  return (
    <div className="mx-auto max-w-7xl space-y-6 px-4 py-5">
      <div>
        <h1 className="text-lg font-semibold">Ingest</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          What shippers sent in the last 24 hours, added up over every Vigil node; each node reports its counts every {seconds} s or so. Times are UTC.
        </p>
      </div>
      {empty ? (
        <IngestEmptyState url={url} isAdmin={user.scopes.includes("admin")} />
      ) : (
        <>
          <IngestSummary status={status} />
          <section aria-labelledby="ingest-rate" className="rounded border border-zinc-200 p-4 dark:border-zinc-800">
            <h2 id="ingest-rate" className="sr-only">
              Events per minute
            </h2>
            <IngestChart from={status.from} perMinute={status.perMinute} rejectedPerMinute={status.rejectedPerMinute} formats={status.formats} />
          </section>
          <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
            <IngestFormats formats={status.formats} total={status.totals.events} />
            <IngestTopHosts hosts={status.hosts} />
          </div>
          <IngestHosts hosts={status.hosts} known={status.totals.hostsKnown} now={status.now} />
          <IngestRejections rejections={status.rejections} byReason={status.rejectionsByReason} total={status.totals.rejected} now={status.now} />
        </>
      )}
      <IngestTokens tokens={status.tokens} now={status.now} />
      <p className="text-xs text-zinc-500">
        The same data as JSON for scripts: <code className="font-mono">GET /api/v1/ingest/status</code> (scope read).
        {user.scopes.includes("admin") && (
          <>
            {" "}
            Shipper tokens are created and revoked under{" "}
            <Link href="/admin/tokens" className="underline">
              Tokens
            </Link>
            .
          </>
        )}
      </p>
    </div>
  );
}
