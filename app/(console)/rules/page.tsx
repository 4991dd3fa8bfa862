import type { Metadata } from "next";
import Link from "next/link";
import { RuleTable } from "@/components/rule-table";
import { RuleUploadForm } from "@/components/rule-upload-form";
import { smallFieldClass } from "@/components/ui";
import { requireUser } from "@/lib/auth/guard";
import { NOISE_WINDOW_DAYS, RECENT_ALERT_DAYS, findRuleStats } from "@/lib/db/rule-stats";
import { listRuleLoadErrors, listRules } from "@/lib/db/rules";
import { env } from "@/lib/env";
import { RULE_FORMAT_LABEL, filterRuleRows, hasErrors, parseRuleFilter, ruleRow } from "@/lib/rules/rule-row";
import { MAX_RULE_UPLOAD_BYTES, RULE_UPLOAD_EXTENSIONS } from "@/lib/rules/upload-rule-file";

export const metadata: Metadata = { title: "Rules" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

const field = smallFieldClass;
const labelText = "mb-0.5 block text-[11px] text-zinc-500";

export default async function RulesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("read");
  const isAdmin = user.scopes.includes("admin");
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" && v.trim() !== "") params.set(k, v.trim());
  const filter = parseRuleFilter(params);
  const now = new Date();
  const [rules, loadErrors, stats] = await Promise.all([listRules(), listRuleLoadErrors(), findRuleStats({ now })]);
  const errorsByPath = new Map<string, number>();
  for (const e of loadErrors) errorsByPath.set(e.path, (errorsByPath.get(e.path) ?? 0) + 1);
  const all = rules.map((r) => ruleRow(r, stats.get(r.id), errorsByPath.get(r.sourcePath) ?? 0));
  const rows = filterRuleRows(all, filter);
  const filtered = Object.keys(filter).length > 0;
  const counts = {
    active: all.filter((r) => r.state === "active").length,
    enabled: all.filter((r) => r.state === "active" && r.enabled).length,
    problems: all.filter(hasErrors).length,
  };

  return (
    <div>
      <div className="flex flex-wrap items-center gap-4 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h1 className="text-sm font-semibold">Rules</h1>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {all.length} rules · {counts.enabled} running ({counts.active} runnable) · {counts.problems} with problems · {loadErrors.length} load error{loadErrors.length === 1 ? "" : "s"}
        </p>
        <p className="ml-auto text-[11px] text-zinc-500">
          Alerts and noise count events of the last {RECENT_ALERT_DAYS} and {NOISE_WINDOW_DAYS} days; noise = closed as benign or false positive ÷ all closed.
        </p>
      </div>

      <form method="get" action="/rules" aria-label="Filter rules" className="flex flex-wrap items-end gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <label>
          <span className={labelText}>Search</span>
          <input name="q" type="search" defaultValue={filter.q ?? ""} placeholder="name, id, tag, T1505, path" className={`${field} w-64`} />
        </label>
        <label>
          <span className={labelText}>Format</span>
          <select name="format" defaultValue={filter.format ?? ""} className={field}>
            <option value="">Any</option>
            {Object.entries(RULE_FORMAT_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className={labelText}>Enabled</span>
          <select name="enabled" defaultValue={filter.enabled === undefined ? "" : filter.enabled ? "on" : "off"} className={field}>
            <option value="">Any</option>
            <option value="on">Enabled</option>
            <option value="off">Disabled</option>
          </select>
        </label>
        <label>
          <span className={labelText}>Errors</span>
          <select name="errors" defaultValue={filter.errors === undefined ? "" : filter.errors ? "yes" : "no"} className={field}>
            <option value="">Any</option>
            <option value="yes" title="Unsupported, missing, or its file has load errors">
              Has errors
            </option>
            <option value="no">No errors</option>
          </select>
        </label>
        <button className="rounded bg-zinc-900 px-2.5 py-1 text-xs font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">Apply</button>
        {filtered && (
          <Link href="/rules" className="text-xs text-zinc-600 hover:underline dark:text-zinc-400">
            Clear filters
          </Link>
        )}
      </form>

      {all.length === 0 ? (
        <EmptyState rulesDir={env().VIGIL_RULES_DIR} isAdmin={isAdmin} />
      ) : rows.length === 0 ? (
        <p className="px-4 py-10 text-center text-sm text-zinc-500">No rule matches these filters.</p>
      ) : (
        <RuleTable rows={rows} isAdmin={isAdmin} now={now.getTime()} noiseDays={NOISE_WINDOW_DAYS} recentDays={RECENT_ALERT_DAYS} />
      )}

      <div className="grid gap-4 px-4 py-5 lg:grid-cols-2">
        <LoadErrors errors={loadErrors} />
        {isAdmin && <RuleUploadForm accept={RULE_UPLOAD_EXTENSIONS} maxBytes={MAX_RULE_UPLOAD_BYTES} />}
      </div>
    </div>
  );
}

function LoadErrors({ errors }: { errors: Awaited<ReturnType<typeof listRuleLoadErrors>> }) {
  return (
    <section aria-labelledby="load-errors" className="min-w-0 rounded border border-zinc-200 p-3 dark:border-zinc-800">
      <h2 id="load-errors" className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
        Load errors
      </h2>
      {errors.length === 0 ? (
        <p className="text-sm text-zinc-500">Every rule file loaded at the last reload.</p>
      ) : (
        <>
          <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">These files (or rules in them) did not load at the last reload; the other rules run. Fix the file, then reload the rules.</p>
          <ul className="space-y-1.5 text-xs" aria-label="Rule file errors">
            {errors.map((e) => (
              <li key={String(e.id)} className="min-w-0">
                <span className="font-mono font-medium text-red-800 dark:text-red-300">
                  {e.path}
                  {e.line !== null && `:${e.line}`}
                  {e.column !== null && `:${e.column}`}
                </span>
                <span className="ml-1 font-mono text-[11px] text-zinc-500">[{e.code}]</span>
                <div className="break-words text-zinc-700 dark:text-zinc-300">{e.message}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function EmptyState({ rulesDir, isAdmin }: { rulesDir: string; isAdmin: boolean }) {
  return (
    <div className="mx-auto max-w-2xl px-4 py-12 text-sm text-zinc-600 dark:text-zinc-400">
      <h2 className="mb-2 text-base font-semibold text-zinc-900 dark:text-zinc-100">No rules loaded</h2>
      <p className="mb-2">
        Vigil loads every rule file in <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">{rulesDir}</code> (the <code className="font-mono text-xs">VIGIL_RULES_DIR</code> setting; the shipped pack is in{" "}
        <code className="font-mono text-xs">rules/</code>) at start-up and on <code className="font-mono text-xs">POST /api/v1/rules/reload</code>: Sigma <code className="font-mono text-xs">.yml</code>, Elastic <code className="font-mono text-xs">.toml</code> and
        native <code className="font-mono text-xs">.yml</code> files.
      </p>
      <p>
        {isAdmin ? "Or upload a rule file below" : "An admin can also upload a rule file here"}, or send one to the API:{" "}
        <code className="font-mono text-xs">curl -H &quot;Authorization: Bearer …&quot; --data-binary @my-rule.yml &quot;…/api/v1/rules?filename=my-rule.yml&quot;</code>.
      </p>
    </div>
  );
}
