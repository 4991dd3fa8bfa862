import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertActions } from "@/components/alert-actions";
import { AlertChecklist } from "@/components/alert-checklist";
import { Markdown } from "@/components/markdown";
import { SeverityBadge } from "@/components/severity-badge";
import { markdownToPlainText } from "@/lib/markdown/parse-markdown";
import { attackUrl, renderGuideTemplate, type EcsEvent } from "@/lib/detection";
import { requireUser } from "@/lib/auth/guard";
import { findAlert, findAlertActivity } from "@/lib/db/alerts";
import { findProcessTree, findRelatedAlerts, type ProcessNode } from "@/lib/db/context";
import { findRuleGuides } from "@/lib/db/rules";
import { findChecklist, listAssignees } from "@/lib/db/triage";
import { findStatefulSpec } from "@/lib/rules/registry";
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
  const canTriage = user.scopes.includes("triage");
  const [activity, guides, checklist, tree, related, assignees, novelty] = await Promise.all([
    findAlertActivity(id),
    findRuleGuides(alert.rules.map((r) => r.id)),
    findChecklist(id),
    findProcessTree(alert),
    findRelatedAlerts(alert),
    canTriage ? listAssignees() : Promise.resolve([]),
    Promise.all(alert.rules.map(async (r) => (await findStatefulSpec(r.id))?.spec.kind === "novelty")),
  ]);
  const responseSteps = checklist.filter((s) => s.list === "response");
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
          <span className="text-xs text-zinc-500">{alert.assignee ? `Assigned to ${alert.assignee.email}` : "Unassigned"}</span>
        </div>
        <p className="mt-1 text-xs text-zinc-500">
          {time(alert.timestamp)} UTC on <span className="font-medium text-zinc-700 dark:text-zinc-300">{alert.hostName ?? "unknown host"}</span>
        </p>
      </div>

      <section aria-labelledby="what-happened" className="rounded border border-zinc-200 p-4 dark:border-zinc-800">
        <h2 id="what-happened" className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">
          What happened
        </h2>
        <Markdown source={whatHappened} className="text-sm" />
        {alert.processCommandLine && <pre className="mt-3 overflow-x-auto rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-900">{alert.processCommandLine}</pre>}
      </section>

      {canTriage && (
        <AlertActions
          alertId={alert.id}
          status={alert.status}
          assigneeId={alert.assignee?.id ?? null}
          assignees={assignees.map((a) => ({ id: a.id, email: a.email }))}
          response={{ done: responseSteps.filter((s) => s.done).length, total: responseSteps.length }}
          canMarkKnown={novelty.some(Boolean)}
        />
      )}

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

      <AlertChecklist
        alertId={alert.id}
        canTick={canTriage}
        items={checklist.map((s) => ({ ruleId: s.ruleId, ruleName: s.ruleName, list: s.list, hash: s.hash, label: markdownToPlainText(s.text), done: s.done, by: s.by, at: s.at?.toISOString() ?? null }))}
      />

      <ProcessAncestry ancestors={tree.ancestors} self={tree.self} childProcesses={tree.children} />

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
                <div className="min-w-0">
                  <span className="font-medium">{a.actor}</span>{" "}
                  {a.action === "status" ? (
                    <>
                      set the status {a.fromStatus} → {a.toStatus}
                      {a.disposition && ` (${a.disposition.replace("_", " ")})`}
                      {a.note && <span className="text-zinc-600 dark:text-zinc-400">: {a.note}</span>}
                    </>
                  ) : a.action === "note" ? (
                    <>
                      added a note
                      {a.note && <Markdown source={a.note} className="mt-0.5 text-zinc-700 dark:text-zinc-300" />}
                    </>
                  ) : a.action === "checklist_done" || a.action === "checklist_undone" ? (
                    <>
                      {a.action === "checklist_done" ? "ticked" : "unticked"} <span className="text-zinc-600 dark:text-zinc-400">{markdownToPlainText(a.note?.replace(/^[✓✗] /, "") ?? "")}</span>
                    </>
                  ) : (
                    <span className="text-zinc-600 dark:text-zinc-400">{a.note ?? a.action}</span>
                  )}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="related">
        <h2 id="related" className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
          Related alerts
        </h2>
        {related.length === 0 ? (
          <p className="text-sm text-zinc-500">No other alert on this host, from this parent process or with this command line.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {related.map((r) => (
              <li key={r.id} className="flex min-w-0 gap-3">
                <time className="shrink-0 font-mono text-xs text-zinc-500">{time(r.timestamp)}</time>
                <span className="shrink-0 text-xs text-zinc-500">same {r.why}</span>
                <Link href={`/alerts/${r.id}`} className="truncate hover:underline">
                  {r.ruleName ?? "alert"} <span className="font-mono text-xs text-zinc-500">{r.commandLine}</span>
                </Link>
                <span className="ml-auto shrink-0 text-xs capitalize text-zinc-500">{r.status}</span>
              </li>
            ))}
          </ul>
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
  const m = matched as {
    details?: { condition?: string; field?: string; value?: unknown }[];
    newTerms?: { fields: string[]; values: string[][]; window: string; lastSeenBefore: string | null };
    rare?: { groupBy: string[]; values: (string | null)[]; windowDays: number; count: number; condition: string; distinct: Record<string, number | string> };
  } | null;
  const details = m?.details ?? [];
  return (
    <>
      {m?.newTerms && (
        <p className="mt-2 text-xs text-zinc-700 dark:text-zinc-300" data-testid="new-terms">
          New {m.newTerms.fields.join(" + ")}: <span className="font-mono">{m.newTerms.values.map((v) => v.join(" · ")).join(", ")}</span>
          <span className="text-zinc-500">
            {" "}
            — {m.newTerms.lastSeenBefore ? `last seen ${time(new Date(m.newTerms.lastSeenBefore))}, outside` : "never seen in"} the {m.newTerms.window} window
          </span>
        </p>
      )}
      {m?.rare && (
        <p className="mt-2 text-xs text-zinc-700 dark:text-zinc-300" data-testid="rare-window">
          Rare: {m.rare.count} event{m.rare.count === 1 ? "" : "s"} in {m.rare.windowDays} days for{" "}
          <span className="font-mono">{m.rare.groupBy.map((g, i) => `${g}=${m.rare!.values[i] ?? "∅"}`).join(", ")}</span>
          {Object.keys(m.rare.distinct).length > 0 && (
            <span className="font-mono">
              {" "}
              ({Object.entries(m.rare.distinct)
                .map(([f, n]) => `distinct ${f}: ${n}`)
                .join(", ")})
            </span>
          )}
          <span className="text-zinc-500"> — condition {m.rare.condition}</span>
        </p>
      )}
      {details.length > 0 && (
        <ul className="mt-2 space-y-0.5 font-mono text-xs text-zinc-600 dark:text-zinc-400">
          {details.slice(0, 12).map((d, i) => (
            <li key={i} className="truncate" title={`${d.condition ?? ""} ${d.field ?? ""} = ${JSON.stringify(d.value)}`}>
              {d.field && <span>{d.field}</span>}
              {d.value !== undefined && <span> = {JSON.stringify(d.value)}</span>}
              {d.condition && <span className="text-zinc-400"> ({d.condition})</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ProcessLine({ p, emphasis }: { p: ProcessNode; emphasis?: boolean }) {
  return (
    <div className={`min-w-0 ${emphasis ? "font-medium" : ""}`}>
      <span className="font-mono text-xs">{p.name ?? p.executable ?? "?"}</span>
      {p.pid !== null && <span className="ml-1 text-xs text-zinc-500">pid {p.pid}</span>}
      {p.startedAt && <time className="ml-2 font-mono text-[11px] text-zinc-500">{time(p.startedAt)}</time>}
      {p.alertId && !emphasis && (
        <Link href={`/alerts/${p.alertId}`} className="ml-2 text-[11px] text-orange-700 underline dark:text-orange-300">
          alert
        </Link>
      )}
      {p.commandLine && (
        <div className="truncate font-mono text-[11px] text-zinc-500" title={p.commandLine}>
          {p.commandLine}
        </div>
      )}
    </div>
  );
}

function ProcessAncestry({ ancestors, self, childProcesses }: { ancestors: ProcessNode[]; self: ProcessNode; childProcesses: ProcessNode[] }) {
  return (
    <section aria-labelledby="ancestry">
      <h2 id="ancestry" className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
        Process ancestry
      </h2>
      <ol className="space-y-1 text-sm" aria-label="Process tree">
        {ancestors.map((p, i) => (
          <li key={`a${i}`} style={{ paddingLeft: `${i * 16}px` }}>
            <ProcessLine p={p} />
          </li>
        ))}
        <li style={{ paddingLeft: `${ancestors.length * 16}px` }} className="rounded bg-orange-50 py-0.5 dark:bg-orange-950/40" aria-current="true">
          <ProcessLine p={self} emphasis />
        </li>
        {childProcesses.map((p, i) => (
          <li key={`c${i}`} style={{ paddingLeft: `${(ancestors.length + 1) * 16}px` }}>
            <ProcessLine p={p} />
          </li>
        ))}
      </ol>
      {ancestors.length <= 1 && childProcesses.length === 0 && (
        <p className="mt-1 text-xs text-zinc-500">Only what this event itself says is known: earlier starts on this host were not sent to Vigil or are older than 7 days.</p>
      )}
    </section>
  );
}
