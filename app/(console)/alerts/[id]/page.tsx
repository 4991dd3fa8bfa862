import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertActions } from "@/components/alert-actions";
import { SeverityBadge } from "@/components/severity-badge";
import { attackUrl, renderGuideTemplate, type EcsEvent } from "@/lib/detection";
import { requireUser } from "@/lib/auth/guard";
import { findAlert, findAlertActivity } from "@/lib/db/alerts";
import { findRuleGuides } from "@/lib/db/rules";
import { isUuid } from "@/lib/http/alert-json";

export const metadata: Metadata = { title: "Alert" };
export const dynamic = "force-dynamic";

const time = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("read");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const alert = await findAlert(id);
  if (!alert) notFound();
  const [activity, guides] = await Promise.all([findAlertActivity(id), findRuleGuides(alert.rules.map((r) => r.id))]);
  const headline = alert.rules[0];
  const template = alert.rules.map((r) => guides.get(r.id)?.guide?.whatHappened).find(Boolean);
  // Rendered as text: values from the event are never HTML.
  const whatHappened = template
    ? renderGuideTemplate(template, alert.event as EcsEvent)
    : `${alert.parentName ?? "A process"} started ${alert.processName ?? "a process"} on ${alert.hostName ?? "an unknown host"}${alert.userName ? ` as ${alert.userName}` : ""}.`;

  return (
    <div className="mx-auto max-w-6xl space-y-6 px-4 py-5">
      <div>
        <Link href="/alerts" className="text-xs text-zinc-500 hover:underline">
          ← Alert queue
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <SeverityBadge severity={alert.severity} riskScore={alert.riskScore} />
          <h1 className="text-lg font-semibold">{headline?.name ?? "Alert"}</h1>
          <span className="rounded bg-zinc-100 px-2 py-0.5 text-xs font-medium capitalize text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" data-testid="alert-status">
            {alert.status}
            {alert.disposition && ` · ${alert.disposition.replace("_", " ")}`}
          </span>
        </div>
        <p className="mt-1 text-xs text-zinc-500">
          {time(alert.timestamp)} UTC on <span className="font-medium text-zinc-700 dark:text-zinc-300">{alert.hostName ?? "unknown host"}</span>
        </p>
      </div>

      <section aria-labelledby="what-happened" className="rounded border border-zinc-200 p-4 dark:border-zinc-800">
        <h2 id="what-happened" className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">
          What happened
        </h2>
        <p className="whitespace-pre-wrap text-sm">{whatHappened}</p>
        {alert.processCommandLine && <pre className="mt-3 overflow-x-auto rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-900">{alert.processCommandLine}</pre>}
      </section>

      {user.scopes.includes("triage") && <AlertActions alertId={alert.id} status={alert.status} />}

      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="rules">
          <h2 id="rules" className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
            Rules that fired
          </h2>
          <ul className="space-y-3">
            {alert.rules.map((r) => (
              <li key={r.id} className="rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800">
                <div className="flex items-center gap-2">
                  <SeverityBadge severity={r.severity} riskScore={r.riskScore} />
                  <span className="font-medium">{r.name}</span>
                </div>
                <p className="mt-1 text-xs text-zinc-500">
                  {r.format} · {r.type}
                </p>
                <MatchedDetails matched={r.matched} />
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="mitre">
          <h2 id="mitre" className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
            MITRE ATT&CK
          </h2>
          {alert.mitre.length === 0 ? (
            <p className="text-sm text-zinc-500">No ATT&CK mapping.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {alert.mitre.map((m) => {
                const leaf = m.subtechnique ?? m.technique;
                return (
                  <li key={`${m.tactic.id}/${leaf?.id ?? ""}`}>
                    <span className="text-zinc-500">{m.tactic.name}</span>
                    {leaf && (
                      <>
                        {" → "}
                        <a href={attackUrl(leaf.id)} target="_blank" rel="noreferrer noopener" className="underline decoration-zinc-300 hover:decoration-zinc-600">
                          {leaf.id} {m.subtechnique && m.technique ? `${m.technique.name}: ${leaf.name}` : leaf.name}
                        </a>
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="timeline">
        <h2 id="timeline" className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
          Activity
        </h2>
        {activity.length === 0 ? (
          <p className="text-sm text-zinc-500">No activity yet.</p>
        ) : (
          <ol className="space-y-1 text-sm" data-testid="alert-activity">
            {activity.map((a) => (
              <li key={String(a.id)} className="flex gap-3">
                <time className="shrink-0 font-mono text-xs text-zinc-500">{time(a.at)}</time>
                <span>
                  <span className="font-medium">{a.actor}</span>{" "}
                  {a.action === "status" ? (
                    <>
                      set the status {a.fromStatus} → {a.toStatus}
                      {a.disposition && ` (${a.disposition.replace("_", " ")})`}
                    </>
                  ) : (
                    "added a note"
                  )}
                  {a.note && <span className="text-zinc-600 dark:text-zinc-400">: {a.note}</span>}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <details>
        <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wide text-zinc-500">Raw event</summary>
        <pre className="mt-2 max-h-[32rem] overflow-auto rounded bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900">{JSON.stringify(alert.event, null, 2)}</pre>
      </details>
    </div>
  );
}

function MatchedDetails({ matched }: { matched: unknown }) {
  const details = (matched as { details?: { condition?: string; field?: string; value?: unknown }[] })?.details ?? [];
  if (details.length === 0) return null;
  return (
    <ul className="mt-2 space-y-0.5 font-mono text-xs text-zinc-600 dark:text-zinc-400">
      {details.slice(0, 12).map((d, i) => (
        <li key={i} className="truncate" title={`${d.condition ?? ""} ${d.field ?? ""} = ${JSON.stringify(d.value)}`}>
          {d.field && <span>{d.field}</span>}
          {d.value !== undefined && <span> = {JSON.stringify(d.value)}</span>}
          {d.condition && <span className="text-zinc-400"> ({d.condition})</span>}
        </li>
      ))}
    </ul>
  );
}
