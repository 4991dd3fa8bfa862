import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { Markdown } from "@/components/markdown";
import { RuleCopyButton } from "@/components/rule-copy-button";
import { RuleDeleteButton } from "@/components/rule-delete-button";
import { RuleEnabledSwitch } from "@/components/rule-enabled-switch";
import { SeverityBadge } from "@/components/severity-badge";
import { SourceView } from "@/components/source-view";
import { attackUrl, formatDuration, printRareCondition, type MitreMapping, type RuleGuide, type SigmaConversion, type StatefulSpec } from "@/lib/detection";
import { requireUser } from "@/lib/auth/guard";
import { findBaseline, type BaselineEntry } from "@/lib/db/baselines";
import { NOISE_WINDOW_DAYS, RECENT_ALERT_DAYS, findBaselineSummary, findRuleStats, findTopBaselineValues, type BaselineSummary, type RuleStats, type TopBaselineValue } from "@/lib/db/rule-stats";
import { findRule, listRuleLoadErrors } from "@/lib/db/rules";
import { env } from "@/lib/env";
import { baselineFields } from "@/lib/http/baseline-json";
import { findStatefulSpec } from "@/lib/rules/registry";
import { sourceLanguage } from "@/lib/rules/highlight-source";
import { huntQueries } from "@/lib/rules/hunt-queries";
import { RULE_FORMAT_LABEL } from "@/lib/rules/rule-row";

export const metadata: Metadata = { title: "Rule" };
export const dynamic = "force-dynamic";

const DAY_MS = 86_400_000;
const time = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);
const heading = "mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500";
const box = "rounded border border-zinc-200 p-4 dark:border-zinc-800";
const linkClass = "underline decoration-zinc-300 hover:decoration-zinc-600 dark:decoration-zinc-600 dark:hover:decoration-zinc-300";

/** Rule ids are usually UUIDs; a page's params may or may not arrive percent-decoded. */
async function findRuleByParam(raw: string) {
  const rule = await findRule(raw);
  if (rule || !raw.includes("%")) return rule;
  try {
    return await findRule(decodeURIComponent(raw));
  } catch {
    return null;
  }
}

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("read");
  const { id: raw } = await params;
  if (raw.length > 600) notFound();
  const rule = await findRuleByParam(raw);
  if (!rule) notFound();
  const isAdmin = user.scopes.includes("admin");
  const now = new Date();
  const [stats, loadErrors, stateful] = await Promise.all([findRuleStats({ ids: [rule.id], now }), listRuleLoadErrors(), findStatefulSpec(rule.id)]);
  const fileErrors = loadErrors.filter((e) => e.path === rule.sourcePath);
  const ruleStats = stats.get(rule.id);
  const guide = rule.guide as unknown as RuleGuide;
  const mitre = rule.mitre as unknown as MitreMapping[];
  const queue = (extra: Record<string, string> = {}) => `/alerts?${new URLSearchParams({ status: "all", rule: rule.id, ...extra }).toString()}`;
  const recentSince = new Date(now.getTime() - RECENT_ALERT_DAYS * DAY_MS).toISOString();
  // A Sigma rule's stored source is its own document, which starts at sourceLine of its file,
  // unless the file's `action: global` part was merged in front of it ("global\n---\ndocument").
  // Elastic and native rules store the whole file.
  const startLine = rule.format === "sigma" && !rule.source.includes("\n---\n") ? rule.sourceLine : 1;
  const hunt = rule.format === "sigma" ? huntQueries(rule, env().sigmaPlaceholders) : null;

  return (
    <div className="mx-auto max-w-6xl space-y-6 px-4 py-5">
      <div>
        <Link href="/rules" className="text-xs text-zinc-500 hover:underline">
          ← Rules
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <SeverityBadge severity={rule.severity} riskScore={rule.riskScore} />
          <h1 className="text-lg font-semibold">{rule.name}</h1>
          <span className="rounded bg-zinc-100 px-2 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
            {RULE_FORMAT_LABEL[rule.format] ?? rule.format} · <span className="font-mono">{rule.type}</span>
          </span>
          <StateBadge state={rule.state} />
          <span className="ml-auto flex items-center gap-3">
            {isAdmin ? <RuleEnabledSwitch id={rule.id} name={rule.name} enabled={rule.enabled} withLabel /> : <span className="text-sm text-zinc-600 dark:text-zinc-400">{rule.enabled ? "Enabled" : "Disabled"}</span>}
            {isAdmin && rule.origin === "upload" && <RuleDeleteButton id={rule.id} name={rule.name} />}
          </span>
        </div>
        {rule.unsupportedReason && (
          <p className="mt-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
            The engine cannot run this rule yet: {rule.unsupportedReason}
          </p>
        )}
        {rule.state === "missing" && (
          <p className="mt-2 rounded border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300">
            {rule.origin === "upload" ? "This upload was deleted" : `Its file (${rule.sourcePath}) is gone`}: the rule no longer runs and is kept because alerts name it.
          </p>
        )}
      </div>

      {rule.description && (
        <section aria-labelledby="description" className={box}>
          <h2 id="description" className={heading}>
            Description
          </h2>
          <Markdown source={rule.description} />
        </section>
      )}

      <div className="grid gap-6 md:grid-cols-2">
        <Activity stats={ruleStats} queueAll={queue()} queueRecent={queue({ since: recentSince })} queueOpen={`/alerts?${new URLSearchParams({ rule: rule.id }).toString()}`} />
        <section aria-labelledby="details">
          <h2 id="details" className={heading}>
            Details
          </h2>
          <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
            <Term label="Id">
              <span className="font-mono text-xs">{rule.id}</span>
            </Term>
            <Term label="Source">
              <span className="font-mono text-xs">
                {rule.sourcePath}
                {rule.sourceLine > 1 && `:${rule.sourceLine}`}
              </span>
              {rule.origin === "upload" && <span className="ml-2 rounded bg-sky-50 px-1 text-xs text-sky-800 dark:bg-sky-950 dark:text-sky-300">uploaded</span>}
            </Term>
            <Term label="Severity">
              {rule.severity}, risk score {rule.riskScore}
            </Term>
            {rule.author.length > 0 && <Term label="Author">{rule.author.join(", ")}</Term>}
            {rule.tags.length > 0 && (
              <Term label="Tags">
                <span className="flex flex-wrap gap-1">
                  {rule.tags.map((t) => (
                    <span key={t} className="rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                      {t}
                    </span>
                  ))}
                </span>
              </Term>
            )}
            <Term label="Loaded">{time(rule.loadedAt)} UTC</Term>
            <Term label="Changed">{time(rule.updatedAt)} UTC</Term>
          </dl>
        </section>
      </div>

      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="mitre">
          <h2 id="mitre" className={heading}>
            MITRE ATT&CK
          </h2>
          {mitre.length === 0 ? (
            <p className="text-sm text-zinc-500">No ATT&CK mapping.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {mitre.map((m, i) => (
                <li key={i}>
                  <AttackLink id={m.tactic.id} name={m.tactic.name} muted />
                  {m.technique && (
                    <>
                      {" → "}
                      <AttackLink id={m.technique.id} name={m.technique.name} />
                    </>
                  )}
                  {m.subtechnique && (
                    <>
                      {" → "}
                      <AttackLink id={m.subtechnique.id} name={m.subtechnique.name} />
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="references">
          <h2 id="references" className={heading}>
            References
          </h2>
          {rule.references.length === 0 ? (
            <p className="text-sm text-zinc-500">None given.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {rule.references.map((r, i) => (
                <li key={i} className="break-all">
                  {/* Rule text is untrusted: only http(s) addresses become links. */}
                  {/^https?:\/\//i.test(r) ? (
                    <a href={r} target="_blank" rel="noopener noreferrer nofollow" className={linkClass}>
                      {r}
                    </a>
                  ) : (
                    r
                  )}
                </li>
              ))}
            </ul>
          )}
          {rule.falsePositives.length > 0 && (
            <>
              <h2 className={`${heading} mt-4`}>False positives</h2>
              <ul className="list-disc space-y-1 pl-5 text-sm">
                {rule.falsePositives.map((f, i) => (
                  <li key={i}>
                    <Markdown source={f} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>

      <Guide guide={guide} />

      {stateful && <Baseline ruleId={rule.id} spec={stateful.spec} />}

      <section aria-labelledby="source">
        <div className="mb-2 flex items-center gap-3">
          <h2 id="source" className={heading.replace("mb-2 ", "")}>
            Source
          </h2>
          <span className="text-xs text-zinc-500">
            {sourceLanguage(rule.format) === "toml" ? "TOML" : "YAML"},{" "}
            {rule.format !== "sigma" || startLine === rule.sourceLine ? `lines numbered as in ${rule.sourcePath}` : `this rule's document with the file's global part (from line ${rule.sourceLine} of ${rule.sourcePath})`}
          </span>
          <span className="ml-auto">
            <RuleCopyButton text={rule.source} label="Copy the rule source" />
          </span>
        </div>
        {fileErrors.length > 0 && (
          <ul className="mb-2 space-y-1 rounded border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200" aria-label="Load errors in this file">
            {fileErrors.map((e) => (
              <li key={String(e.id)}>
                <span className="font-mono font-medium">
                  {e.path}
                  {e.line !== null && `:${e.line}`}
                  {e.column !== null && `:${e.column}`}
                </span>{" "}
                {e.message} <span className="opacity-70">[{e.code}]</span>
              </li>
            ))}
          </ul>
        )}
        <SourceView source={rule.source} language={sourceLanguage(rule.format)} label="Rule source" startLine={startLine} highlightLines={fileErrors.flatMap((e) => (e.line === null ? [] : [e.line]))} />
      </section>

      {hunt && (
        <section aria-labelledby="hunt" className="border-t border-dashed border-zinc-300 pt-5 dark:border-zinc-700">
          <h2 id="hunt" className={heading}>
            Hunt with it elsewhere
          </h2>
          <p className="mb-3 text-xs text-zinc-600 dark:text-zinc-400">
            This Sigma rule as a query for the SIEM you already have. A partial query leaves out what has no counterpart in a way that only widens it: it finds everything the rule finds, and maybe more.
          </p>
          <div className="grid gap-4 lg:grid-cols-2">
            <Conversion title="Microsoft Sentinel" subtitle="KQL over ASIM imProcessCreate" conversion={hunt.sentinel} lineOffset={startLine - 1} />
            <Conversion title="Elastic" subtitle="EQL over ECS" conversion={hunt.eql} lineOffset={startLine - 1} />
          </div>
        </section>
      )}
    </div>
  );
}

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function StateBadge({ state }: { state: string }) {
  const style =
    state === "active"
      ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300"
      : state === "unsupported"
        ? "bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-300"
        : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400";
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs ${style}`} data-testid="rule-state">
      {state}
    </span>
  );
}

function AttackLink({ id, name, muted = false }: { id: string; name: string; muted?: boolean }) {
  const href = attackUrl(id);
  const text = (
    <>
      <span className="font-mono text-xs">{id}</span> {name}
    </>
  );
  if (!href) return <span className={muted ? "text-zinc-500" : ""}>{text}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={`${linkClass} ${muted ? "text-zinc-600 dark:text-zinc-400" : ""}`}>
      {text}
    </a>
  );
}

function Activity({ stats, queueAll, queueRecent, queueOpen }: { stats: RuleStats | undefined; queueAll: string; queueRecent: string; queueOpen: string }) {
  const d = stats?.dispositions ?? { truePositive: 0, benignPositive: 0, falsePositive: 0, undetermined: 0 };
  const resolved = stats?.resolved ?? 0;
  const rows: [string, number][] = [
    ["True positive", d.truePositive],
    ["Benign positive", d.benignPositive],
    ["False positive", d.falsePositive],
    ["Undetermined", d.undetermined],
  ];
  return (
    <section aria-labelledby="activity">
      <h2 id="activity" className={heading}>
        Alerts
      </h2>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
        <Term label="Last fired">{stats?.lastFiredAt ? `${time(stats.lastFiredAt)} UTC` : "never"}</Term>
        <Term label={`Last ${RECENT_ALERT_DAYS} days`}>
          <Link href={queueRecent} className={linkClass} data-testid="rule-recent-alerts">
            {stats?.recentAlerts ?? 0} alert{stats?.recentAlerts === 1 ? "" : "s"}
          </Link>
        </Term>
        <Term label={`Noise, ${NOISE_WINDOW_DAYS} days`}>
          {stats?.noiseRate === null || stats === undefined ? (
            <span className="text-zinc-500">no closed alert yet</span>
          ) : (
            <span data-testid="rule-noise-rate">
              {Math.round(stats.noiseRate * 100)}% <span className="text-zinc-500">closed as benign or false positive, of {resolved} closed</span>
            </span>
          )}
        </Term>
      </dl>
      <table className="mt-2 w-full max-w-sm text-sm" aria-label={`Dispositions of the last ${NOISE_WINDOW_DAYS} days`}>
        <tbody>
          {rows.map(([label, n]) => (
            <tr key={label}>
              <td className="w-36 py-0.5 text-zinc-600 dark:text-zinc-400">{label}</td>
              <td className="w-12 py-0.5 text-right tabular-nums">{n}</td>
              <td className="py-0.5 pl-3">
                <span className="block h-1.5 overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800">
                  <span className="block h-full bg-zinc-400 dark:bg-zinc-500" style={{ width: `${resolved ? Math.round((n / resolved) * 100) : 0}%` }} />
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-1 text-[11px] text-zinc-500">
        Of {stats?.windowAlerts ?? 0} alert{stats?.windowAlerts === 1 ? "" : "s"} on events of the last {NOISE_WINDOW_DAYS} days. An alert several rules fired on counts for each of them.
      </p>
      <p className="mt-2 flex gap-3 text-sm">
        <Link href={queueOpen} className={linkClass}>
          To triage in the queue
        </Link>
        <Link href={queueAll} className={linkClass}>
          All its alerts
        </Link>
      </p>
    </section>
  );
}

function Guide({ guide }: { guide: RuleGuide }) {
  const has = guide.whatHappened || guide.goal || guide.strategy || guide.triage?.length || guide.response?.length || guide.notes;
  if (!has) return null;
  return (
    <section aria-labelledby="guide" className={box}>
      <h2 id="guide" className={heading}>
        Triage and response guide
      </h2>
      <div className="space-y-4">
        {guide.whatHappened && (
          <div>
            <h3 className="mb-1 text-sm font-medium">What happened (message template)</h3>
            <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-900">{guide.whatHappened}</pre>
          </div>
        )}
        {guide.goal && (
          <div>
            <h3 className="mb-1 text-sm font-medium">Goal</h3>
            <Markdown source={guide.goal} />
          </div>
        )}
        {guide.strategy && (
          <div>
            <h3 className="mb-1 text-sm font-medium">Strategy</h3>
            <Markdown source={guide.strategy} />
          </div>
        )}
        <div className="grid gap-4 md:grid-cols-2">
          {guide.triage?.length > 0 && <Steps title="Triage" steps={guide.triage} />}
          {guide.response?.length > 0 && <Steps title="Response" steps={guide.response} />}
        </div>
        {guide.notes && (
          <div>
            <h3 className="mb-1 text-sm font-medium">Notes</h3>
            <Markdown source={guide.notes} />
          </div>
        )}
      </div>
    </section>
  );
}

function Steps({ title, steps }: { title: string; steps: string[] }) {
  return (
    <div>
      <h3 className="mb-1 text-sm font-medium">{title}</h3>
      <ol className="list-decimal space-y-1 pl-5 text-sm marker:text-zinc-400">
        {steps.map((s, i) => (
          <li key={i}>
            <Markdown source={s} />
          </li>
        ))}
      </ol>
    </div>
  );
}

async function Baseline({ ruleId, spec }: { ruleId: string; spec: StatefulSpec }) {
  const [summary, top, recent] = await Promise.all([
    findBaselineSummary(ruleId, spec.kind),
    findTopBaselineValues(ruleId, spec.kind, 10),
    findBaseline(ruleId, spec.kind, { limit: 10, cursor: null }),
  ]);
  const fields = baselineFields(spec);
  return (
    <section aria-labelledby="baseline" className={box}>
      <h2 id="baseline" className={heading}>
        Baseline
      </h2>
      <div className="grid gap-6 md:grid-cols-[20rem_1fr]">
        <dl className="grid grid-cols-[8rem_1fr] content-start gap-x-3 gap-y-1 text-sm">
          <Term label="Learning">
            <LearningState summary={summary} learningMs={spec.learningMs} />
          </Term>
          {spec.kind === "novelty" ? (
            <>
              <Term label="New terms of">
                <span className="font-mono text-xs">{spec.fields.join(" + ")}</span>
              </Term>
              <Term label="Per">{spec.groupBy.length ? <span className="font-mono text-xs">{spec.groupBy.join(", ")}</span> : "everything (one baseline)"}</Term>
              <Term label="Window">{formatDuration(spec.windowMs)} (a term unseen this long is new again)</Term>
            </>
          ) : (
            <>
              <Term label="Groups by">
                <span className="font-mono text-xs">{spec.groupBy.join(", ")}</span>
              </Term>
              <Term label="Window">{spec.windowDays} days</Term>
              <Term label="Condition">
                <span className="font-mono text-xs">{printRareCondition(spec.condition)}</span>
              </Term>
            </>
          )}
          <Term label={spec.kind === "novelty" ? "Terms learned" : "Groups counted"}>
            <span data-testid="baseline-keys">{summary.keys}</span>
            {summary.known > 0 && <span className="text-zinc-500"> ({summary.known} marked known)</span>}
          </Term>
          <Term label="Latest event">{summary.latestEventAt ? `${time(summary.latestEventAt)} UTC` : "none yet"}</Term>
        </dl>
        <div className="min-w-0 space-y-4">
          <BaselineTable title="Most frequent" fields={fields} entries={top} />
          <BaselineTable title="Most recently seen" fields={fields} entries={recent.entries} />
          <p className="text-[11px] text-zinc-500">
            The whole baseline: <code className="font-mono">GET /api/v1/rules/{ruleId}/baseline</code> (analysts can mark terms known or forget them there and from alerts).
          </p>
        </div>
      </div>
    </section>
  );
}

function LearningState({ summary, learningMs }: { summary: BaselineSummary; learningMs: number }) {
  if (!summary.firstEventAt) return <span>not started: no event has reached the rule yet{learningMs > 0 && ` (then ${formatDuration(learningMs)} of learning)`}</span>;
  if (learningMs === 0) return <span>none: judges from the first event</span>;
  const until = new Date(summary.firstEventAt.getTime() + learningMs);
  const learning = !summary.latestEventAt || summary.latestEventAt < until;
  return (
    <span data-testid="baseline-learning">
      {learning ? "learning" : "done"} — {formatDuration(learningMs)} from the first event, until {time(until)} UTC (event time)
    </span>
  );
}

function BaselineTable({ title, fields, entries }: { title: string; fields: string[]; entries: (TopBaselineValue | BaselineEntry)[] }) {
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-sm font-medium">{title}</h3>
      {entries.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing learned yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-xs" aria-label={`Baseline: ${title.toLowerCase()}`}>
            <thead className="text-left text-zinc-500">
              <tr>
                {fields.map((f) => (
                  <th key={f} scope="col" className="border-b border-zinc-200 py-1 pr-3 font-mono font-medium dark:border-zinc-800">
                    {f}
                  </th>
                ))}
                <th scope="col" className="border-b border-zinc-200 py-1 pr-3 text-right font-medium dark:border-zinc-800">
                  Count
                </th>
                <th scope="col" className="border-b border-zinc-200 py-1 pr-3 font-medium dark:border-zinc-800">
                  Last seen (UTC)
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.hash} className="border-b border-zinc-100 dark:border-zinc-900">
                  {fields.map((f, i) => (
                    <td key={f} className="max-w-64 truncate py-1 pr-3 font-mono" title={e.values[i] ?? ""}>
                      {e.values[i] ?? <span className="text-zinc-400">∅</span>}
                    </td>
                  ))}
                  <td className="py-1 pr-3 text-right tabular-nums">
                    {e.count}
                    {e.known && <span className="ml-1 rounded bg-emerald-50 px-1 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">known</span>}
                  </td>
                  <td className="whitespace-nowrap py-1 pr-3 font-mono text-zinc-600 dark:text-zinc-400">{time(e.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Conversion({ title, subtitle, conversion, lineOffset }: { title: string; subtitle: string; conversion: SigmaConversion; lineOffset: number }) {
  const label = `${title} query`;
  return (
    <div className="min-w-0 rounded border border-zinc-200 p-3 dark:border-zinc-800" data-testid={`hunt-${conversion.target}`}>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-medium">{title}</h3>
        <span className="text-xs text-zinc-500">{subtitle}</span>
        {conversion.query && (
          <span
            className={`rounded px-1.5 py-0.5 text-[11px] ${conversion.complete ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-300"}`}
          >
            {conversion.complete ? "exact" : "partial, wider than the rule"}
          </span>
        )}
        {conversion.query && (
          <span className="ml-auto">
            <RuleCopyButton text={conversion.query} label={`Copy the ${label}`} />
          </span>
        )}
      </div>
      {conversion.query ? (
        <pre aria-label={label} className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-50 p-2 font-mono text-xs leading-5 text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">
          {conversion.query}
        </pre>
      ) : (
        <p className="text-sm text-zinc-500">Nothing of this rule converts.</p>
      )}
      {conversion.unsupported.length > 0 && (
        <>
          <h4 className="mb-1 mt-3 text-xs font-medium text-zinc-600 dark:text-zinc-400">Could not be converted</h4>
          <ul className="space-y-1 text-xs">
            {conversion.unsupported.map((u, i) => (
              <li key={i} className="break-words">
                <span className="font-mono font-medium">{u.construct}</span>
                {(u.selection || u.field) && <span className="font-mono text-zinc-500"> ({[u.selection, u.field].filter(Boolean).join(" · ")})</span>}
                {u.location && <span className="text-zinc-500"> line {u.location.line + lineOffset}</span>}: {u.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {conversion.notes.length > 0 && (
        <ul className="mt-2 list-disc space-y-0.5 pl-5 text-xs text-zinc-600 dark:text-zinc-400">
          {conversion.notes.map((n, i) => (
            <li key={i}>
              <Markdown source={n} className="text-xs" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
