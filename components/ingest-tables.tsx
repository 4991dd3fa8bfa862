import type { HostStatus, IngestStatus, RejectedLine, TokenUsage } from "@/lib/db/ingest-stats";
import { formatStyle } from "./ingest-chart";

/**
 * The ingest status page's sections (server components): summary, formats, hosts, refused lines,
 * tokens, and the empty state that says how to send a first event.
 */

const count = (n: number) => n.toLocaleString("en-US");
const utc = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

/** "3 min ago", "2 h ago", "5 d ago": how long before `now`. */
export function ago(d: Date, now: Date): string {
  const s = Math.round((now.getTime() - d.getTime()) / 1000);
  if (s < 0) return `in ${ago(now, d).replace(" ago", "")}`;
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Refusal reasons (vigil_events_rejected_total's labels), in words. */
const REASON_TEXT: Record<string, string> = {
  invalid_json: "invalid JSON",
  not_an_object: "not a JSON object",
  unknown_format: "unrecognised format",
  line_too_large: "line too large",
  too_deep: "nested too deep",
  invalid_utf8: "invalid UTF-8",
  invalid_event: "invalid event",
};

const th = "border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800";
const td = "py-1.5 pr-3";
const row = "border-b border-zinc-100 dark:border-zinc-900";
const h2 = "text-sm font-semibold";
const note = "text-xs text-zinc-600 dark:text-zinc-400";

function Head({ columns }: { columns: string[] }) {
  return (
    <thead className="text-left text-xs text-zinc-500">
      <tr>
        {columns.map((c, i) => (
          <th key={i} scope="col" className={th}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function FormatName({ format }: { format: string }) {
  const style = formatStyle(format);
  return (
    <span className="inline-flex items-center gap-1.5" title={format}>
      <span aria-hidden className={`inline-block size-2.5 shrink-0 rounded-sm ${style.swatch}`} />
      {style.label}
    </span>
  );
}

const hostLabel = (host: string) => (host === "" ? <span className="text-zinc-500 italic">(no host.name)</span> : host);

export function IngestSummary({ status }: { status: IngestStatus }) {
  const { totals } = status;
  const tiles: { label: string; value: string; detail?: string; warn?: boolean }[] = [
    { label: "Events, 24 h", value: count(totals.events) },
    { label: "Refused lines, 24 h", value: count(totals.rejected), warn: totals.rejected > 0 },
    { label: "Hosts sending", value: count(totals.hostsSending), detail: `${count(totals.hostsKnown)} known` },
    { label: "Quiet hosts", value: count(totals.quietHosts), detail: "silent for over 1 h", warn: totals.quietHosts > 0 },
    { label: "Last event received", value: totals.lastReceivedAt ? ago(totals.lastReceivedAt, status.now) : "never", detail: totals.lastReceivedAt ? utc(totals.lastReceivedAt) : undefined },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {tiles.map((t) => (
        <div
          key={t.label}
          className={`rounded border px-3 py-2 ${t.warn ? "border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/40" : "border-zinc-200 dark:border-zinc-800"}`}
        >
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">{t.label}</dt>
          <dd className={`text-lg font-semibold tabular-nums ${t.warn ? "text-amber-800 dark:text-amber-300" : ""}`}>{t.value}</dd>
          {t.detail && <dd className="text-[11px] text-zinc-500 tabular-nums">{t.detail}</dd>}
        </div>
      ))}
    </dl>
  );
}

export function IngestFormats({ formats, total }: { formats: IngestStatus["formats"]; total: number }) {
  return (
    <section aria-labelledby="ingest-formats" className="space-y-2">
      <h2 id="ingest-formats" className={h2}>
        By source format
      </h2>
      {formats.length === 0 ? (
        <p className={note}>No events in the last 24 hours.</p>
      ) : (
        <table className="w-full border-collapse text-sm" aria-labelledby="ingest-formats">
          <Head columns={["Format", "Events", "Share"]} />
          <tbody>
            {formats.map((f) => (
              <tr key={f.format} className={row}>
                <td className={td}>
                  <FormatName format={f.format} />
                </td>
                <td className={`${td} tabular-nums`}>{count(f.events)}</td>
                <td className={`${td} text-zinc-600 tabular-nums dark:text-zinc-400`}>{total > 0 ? `${((f.events / total) * 100).toFixed(1)} %` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function IngestTopHosts({ hosts }: { hosts: HostStatus[] }) {
  const top = [...hosts].filter((h) => h.events > 0).sort((a, b) => b.events - a.events).slice(0, 8);
  const max = top[0]?.events ?? 1;
  return (
    <section aria-labelledby="ingest-top-hosts" className="space-y-2">
      <h2 id="ingest-top-hosts" className={h2}>
        Top hosts, 24 h
      </h2>
      {top.length === 0 ? (
        <p className={note}>No host sent events in the last 24 hours.</p>
      ) : (
        <ol className="space-y-1 text-sm" aria-labelledby="ingest-top-hosts">
          {top.map((h) => (
            <li key={h.host} className="grid grid-cols-[minmax(0,14rem)_minmax(0,1fr)_5rem] items-center gap-3">
              <span className="truncate font-mono text-xs" title={h.host}>
                {hostLabel(h.host)}
              </span>
              <span aria-hidden className="h-2 rounded-sm bg-zinc-200 dark:bg-zinc-800">
                <span className={`block h-2 rounded-sm ${formatStyle(h.format).swatch}`} style={{ width: `${Math.max(1, (h.events / max) * 100)}%` }} />
              </span>
              <span className="text-right tabular-nums">{count(h.events)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const STATE_BADGE: Record<HostStatus["state"], string> = {
  sending: "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  quiet: "bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-200",
  silent: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
};

export function IngestHosts({ hosts, known, now }: { hosts: HostStatus[]; known: number; now: Date }) {
  return (
    <section aria-labelledby="ingest-hosts" className="space-y-2">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 id="ingest-hosts" className={h2}>
          Hosts
        </h2>
        <p className={note}>
          A host is <strong className="font-medium text-amber-800 dark:text-amber-300">quiet</strong> when it sent events in the last 24 hours but nothing has
          arrived from it for over an hour; quiet hosts come first. Silent: nothing for over 24 hours (forgotten after 30 days).
          {hosts.length < known && ` Showing ${count(hosts.length)} of ${count(known)}.`}
        </p>
      </div>
      {hosts.length === 0 ? (
        <p className={note}>No host has sent events yet.</p>
      ) : (
        <table className="w-full border-collapse text-sm" aria-labelledby="ingest-hosts">
          <Head columns={["Host", "State", "Format", "Events, 24 h", "Last event (event time)", "Last received", "First seen"]} />
          <tbody>
            {hosts.map((h) => (
              <tr key={h.host} className={`${row} ${h.state === "quiet" ? "bg-amber-50 dark:bg-amber-950/40" : ""}`} data-host={h.host} data-state={h.state}>
                <td className={`${td} font-mono text-xs break-all`}>{hostLabel(h.host)}</td>
                <td className={td}>
                  <span className={`rounded px-1.5 py-0.5 text-xs ${STATE_BADGE[h.state]}`}>{h.state}</span>
                </td>
                <td className={`${td} text-xs`}>
                  <FormatName format={h.format} />
                </td>
                <td className={`${td} tabular-nums`}>{count(h.events)}</td>
                <td className={`${td} font-mono text-xs`}>{utc(h.lastEventAt)}</td>
                <td className={`${td} text-xs`}>
                  <span className={h.state === "quiet" ? "font-medium text-amber-800 dark:text-amber-300" : ""}>{ago(h.lastReceivedAt, now)}</span>
                  <span className="ml-1.5 font-mono text-[11px] text-zinc-500">{utc(h.lastReceivedAt)}</span>
                </td>
                <td className={`${td} font-mono text-xs text-zinc-500`}>{utc(h.firstSeenAt).slice(0, 16)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const sender = (token: string) => (token.startsWith("token:") ? token.slice("token:".length) : token);

export function IngestRejections({ rejections, byReason, total, now }: { rejections: RejectedLine[]; byReason: IngestStatus["rejectionsByReason"]; total: number; now: Date }) {
  return (
    <section aria-labelledby="ingest-rejections" className="space-y-2">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 id="ingest-rejections" className={h2}>
          Refused lines
        </h2>
        <p className={note}>
          {total > 0 ? `${count(total)} in the last 24 hours: ` : "None in the last 24 hours. "}
          {byReason.map((r, i) => (
            <span key={r.reason}>
              {i > 0 && ", "}
              {REASON_TEXT[r.reason] ?? r.reason} <span className="tabular-nums">{count(r.lines)}</span>
            </span>
          ))}
          {total > 0 && ". "}
          The newest lines kept are below (at most 20 per request); a line is never stored whole, only an escaped excerpt of its start.
        </p>
      </div>
      {rejections.length === 0 ? (
        <p className={note}>No refused line kept.</p>
      ) : (
        <table className="w-full table-fixed border-collapse text-sm" aria-labelledby="ingest-rejections">
          <colgroup>
            <col className="w-44" />
            <col className="w-40" />
            <col className="w-14" />
            <col className="w-40" />
            <col />
            <col />
          </colgroup>
          <Head columns={["Time", "Token", "Line", "Reason", "Message", "Line starts with"]} />
          <tbody>
            {rejections.map((r) => (
              <tr key={r.id} className={`${row} align-top`}>
                <td className={`${td} font-mono text-xs`} title={ago(r.at, now)}>
                  {utc(r.at)}
                </td>
                <td className={`${td} truncate text-xs`} title={r.token}>
                  {sender(r.token)}
                </td>
                <td className={`${td} tabular-nums`}>{r.line}</td>
                <td className={`${td} text-xs`}>
                  <span className="rounded bg-red-50 px-1.5 py-0.5 text-red-800 dark:bg-red-950 dark:text-red-300" title={r.reason}>
                    {REASON_TEXT[r.reason] ?? r.reason}
                  </span>
                </td>
                <td className={`${td} text-xs break-words text-zinc-700 dark:text-zinc-300`}>{r.message}</td>
                <td className={`${td} font-mono text-[11px] break-all text-zinc-600 dark:text-zinc-400`}>
                  {r.excerpt ?? <span className="font-sans text-zinc-400 italic">(not kept for JSON array bodies)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const KIND_TEXT: Record<TokenUsage["kind"], string> = { api: "API token", environment: "environment", session: "console session" };

export function IngestTokens({ tokens, now }: { tokens: TokenUsage[]; now: Date }) {
  return (
    <section aria-labelledby="ingest-tokens" className="space-y-2">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 id="ingest-tokens" className={h2}>
          Tokens in use
        </h2>
        <p className={note}>Tokens that may post events, and whoever else sent in the last 24 hours. Names only: Vigil stores token hashes, never the tokens.</p>
      </div>
      {tokens.length === 0 ? (
        <p className={note}>No ingest token yet.</p>
      ) : (
        <table className="w-full border-collapse text-sm" aria-labelledby="ingest-tokens">
          <Head columns={["Name", "Kind", "Scopes", "Last used", "Events, 24 h", "Refused, 24 h"]} />
          <tbody>
            {tokens.map((t) => (
              <tr key={`${t.kind}:${t.name}`} className={row}>
                <td className={`${td} font-medium`}>
                  {t.name}
                  {t.revoked && <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-normal text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">revoked</span>}
                </td>
                <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{KIND_TEXT[t.kind]}</td>
                <td className={`${td} text-xs`}>{t.scopes.length > 0 ? t.scopes.join(", ") : "—"}</td>
                <td className={`${td} text-xs`}>
                  {t.lastUsedAt ? (
                    <>
                      {ago(t.lastUsedAt, now)} <span className="font-mono text-[11px] text-zinc-500">{utc(t.lastUsedAt)}</span>
                    </>
                  ) : (
                    <span className="text-zinc-500">never</span>
                  )}
                </td>
                <td className={`${td} tabular-nums`}>{count(t.events)}</td>
                <td className={`${td} tabular-nums ${t.rejected > 0 ? "text-red-700 dark:text-red-400" : ""}`}>{count(t.rejected)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function IngestEmptyState({ url, isAdmin }: { url: string; isAdmin: boolean }) {
  const command = `curl -H 'Authorization: Bearer <token>' -H 'Content-Type: application/x-ndjson' --data-binary @examples/events.ndjson ${url}/api/v1/events`;
  return (
    <section aria-labelledby="ingest-empty" className="space-y-3 rounded border border-dashed border-zinc-300 p-5 dark:border-zinc-700">
      <h2 id="ingest-empty" className="font-semibold">
        No events received yet
      </h2>
      <ol className="list-decimal space-y-2 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
        <li>
          Take an ingest token: the one printed when Vigil first started, or <code className="font-mono text-xs">VIGIL_INGEST_TOKEN</code>
          {isAdmin ? ", or create one under Tokens" : ", or ask an admin for one"}.
        </li>
        <li>
          From a checkout of Vigil, send the sample events (NDJSON, one event per line):
          <pre className="mt-1.5 overflow-x-auto rounded bg-zinc-100 px-3 py-2 font-mono text-xs text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">
            <code>{command}</code>
          </pre>
        </li>
        <li>This page shows them within seconds: the rate per minute, hosts, refused lines and the token that sent them.</li>
      </ol>
    </section>
  );
}
