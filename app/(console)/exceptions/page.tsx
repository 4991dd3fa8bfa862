import type { Metadata } from "next";
import Link from "next/link";
import { ExceptionActions } from "@/components/exception-actions";
import { isOrGroup, type ExceptionItem } from "@/lib/detection";
import { requireUser } from "@/lib/auth/guard";
import { listExceptions } from "@/lib/db/exceptions";
import { listRules } from "@/lib/db/rules";
import { exceptionJson } from "@/lib/http/exception-json";

export const metadata: Metadata = { title: "Exceptions" };
export const dynamic = "force-dynamic";

const OPERATOR_TEXT: Record<string, string> = {
  is: "is",
  is_not: "is not",
  is_one_of: "is one of",
  is_not_one_of: "is not one of",
  matches: "matches",
  does_not_match: "does not match",
  exists: "exists",
  does_not_exist: "does not exist",
  cidr: "in",
};

function describe(items: readonly ExceptionItem[]): string[] {
  return items.map((item) =>
    isOrGroup(item)
      ? `any of (${describe(item.any).join(" | ")})`
      : `${item.field} ${OPERATOR_TEXT[item.operator] ?? item.operator}${item.values ? ` [${item.values.join(", ")}]` : item.value !== undefined ? ` ${item.value}` : ""}${item.case_sensitive ? " (exact case)" : ""}`,
  );
}

const STATE_STYLE: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  proposed: "bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  disabled: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
  expired: "bg-zinc-100 text-zinc-600 line-through dark:bg-zinc-800 dark:text-zinc-400",
};

const time = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "—");

export default async function ExceptionsPage() {
  const user = await requireUser("read");
  const [list, rules] = await Promise.all([listExceptions(), listRules()]);
  const ruleName = new Map(rules.map((r) => [r.id, r.name]));
  const rows = list.map((e) => exceptionJson(e));
  const isAdmin = user.scopes.includes("admin");
  return (
    <div className="space-y-4 px-4 py-5">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-semibold">Exceptions</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Known-good activity that raises no alert for the rules listed. Every change is in the audit trail.</p>
        <div className="ml-auto flex gap-2 text-sm">
          {/* Downloads from an API route, not pages: plain links. */}
          <a href="/api/v1/exceptions/export?format=yaml" download className="underline">
            Export YAML
          </a>
          <a href="/api/v1/exceptions/export?format=json" download className="underline">
            Export JSON
          </a>
          {user.scopes.includes("triage") && (
            <Link href="/exceptions/new" className="rounded bg-zinc-900 px-2.5 py-1 text-xs font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
              New exception
            </Link>
          )}
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No exceptions yet. Create one from a benign alert with &ldquo;Allowlist this…&rdquo;.</p>
      ) : (
        <table className="w-full table-fixed border-collapse text-sm" aria-label="Exceptions">
          <colgroup>
            <col className="w-56" />
            <col className="w-52" />
            <col />
            <col className="w-20" />
            <col className="w-32" />
            <col className="w-28" />
            <col className="w-24" />
            <col className="w-44" />
          </colgroup>
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              {["Exception", "Rules", "Conditions", "Hits", "Last hit (UTC)", "Expires", "State", "Actions"].map((h) => (
                <th key={h} scope="col" className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} className="border-b border-zinc-100 align-top dark:border-zinc-900" data-exception-id={e.id}>
                <td className="py-2 pr-3">
                  <div className="font-medium">{e.name}</div>
                  <div className="text-xs text-zinc-600 dark:text-zinc-400">{e.reason}</div>
                  <div className="mt-0.5 text-[11px] text-zinc-500">
                    by {e.author}
                    {e.approved_by && e.approved_by !== e.author && `, approved by ${e.approved_by}`}
                  </div>
                </td>
                <td className="py-2 pr-3 text-xs">
                  {e.rule_ids === null ? (
                    <span className="font-medium">All rules</span>
                  ) : (
                    <ul>
                      {e.rule_ids.map((r) => (
                        <li key={r} className="truncate" title={r}>
                          {ruleName.get(r) ?? r}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="py-2 pr-3">
                  <ul className="space-y-0.5 font-mono text-[11px] text-zinc-700 dark:text-zinc-300">
                    {describe(e.entries as ExceptionItem[]).map((d, i) => (
                      <li key={i} className="break-all">
                        {d}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="py-2 pr-3 tabular-nums" title={e.hits_by_rule.map((h) => `${ruleName.get(h.rule_id) ?? h.rule_id}: ${h.hits}`).join("\n")}>
                  {e.hits}
                  {e.hits_by_rule.length > 1 && (
                    <ul className="text-[11px] text-zinc-500">
                      {e.hits_by_rule.map((h) => (
                        <li key={h.rule_id} className="truncate">
                          {h.hits} {ruleName.get(h.rule_id) ?? h.rule_id}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="py-2 pr-3 font-mono text-xs">{time(e.last_hit_at)}</td>
                <td className="py-2 pr-3 font-mono text-xs">{e.expires_at ? time(e.expires_at) : "never"}</td>
                <td className="py-2 pr-3">
                  <span className={`rounded px-1.5 py-0.5 text-xs capitalize ${STATE_STYLE[e.state] ?? ""}`}>{e.state}</span>
                  {e.stale && (
                    <div className="mt-1 text-[11px] text-amber-700 dark:text-amber-300" title="Active for 30 days without suppressing anything: is it still needed?">
                      no hit in 30 days
                    </div>
                  )}
                </td>
                <td className="py-2">
                  {user.scopes.includes("triage") && <ExceptionActions id={e.id} name={e.name} enabled={e.enabled} proposed={e.status === "proposed"} isAdmin={isAdmin} mine={e.author === user.email} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
