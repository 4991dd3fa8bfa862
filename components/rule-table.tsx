"use client";

import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_alphanumeric, sortFn_basic, tableFeatures, useTable, type SortFn } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { age, displayTime } from "@/lib/alerts/queue-row";
import { RULE_FORMAT_LABEL, type RuleRow } from "@/lib/rules/rule-row";
import { RuleEnabledSwitch } from "./rule-enabled-switch";
import { SeverityBadge } from "./severity-badge";

/**
 * The rules table: one row per rule, sortable by any column (client-side: a rule pack is hundreds
 * of rows, not millions). Filters live in the URL and are applied by the page.
 */

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});
const helper = createColumnHelper<typeof features, RuleRow>();

const SEVERITY_RANK: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
const bySeverity: SortFn<typeof features, RuleRow> = (a, b) => SEVERITY_RANK[a.original.severity]! - SEVERITY_RANK[b.original.severity]! || a.original.riskScore - b.original.riskScore;
/** Never-fired and never-resolved rules sort below every real value, whichever the direction. */
const nullsLow = (get: (r: RuleRow) => number | null): SortFn<typeof features, RuleRow> => (a, b) => (get(a.original) ?? -1) - (get(b.original) ?? -1);

const dash = <span className="text-zinc-400 dark:text-zinc-600">—</span>;

const STATE_STYLE: Record<string, string> = {
  active: "text-emerald-700 dark:text-emerald-400",
  unsupported: "text-amber-700 dark:text-amber-300",
  missing: "text-zinc-500 line-through dark:text-zinc-400",
};

export function RuleTable({ rows, isAdmin, now, noiseDays, recentDays }: { rows: RuleRow[]; isAdmin: boolean; now: number; noiseDays: number; recentDays: number }) {
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("name", {
          header: "Rule",
          sortFn: "alphanumeric",
          cell: (info) => {
            const r = info.row.original;
            return (
              <div className="min-w-0">
                <Link href={`/rules/${encodeURIComponent(r.id)}`} className="line-clamp-2 font-medium hover:underline" title={r.name}>
                  {r.name}
                </Link>
                <div className="truncate font-mono text-[11px] text-zinc-500" title={r.sourcePath}>
                  {r.origin === "upload" && <span className="mr-1 rounded bg-sky-50 px-1 font-sans text-sky-800 dark:bg-sky-950 dark:text-sky-300">uploaded</span>}
                  {r.sourcePath}
                </div>
              </div>
            );
          },
        }),
        helper.accessor("format", {
          header: "Format",
          sortFn: "alphanumeric",
          cell: (info) => <span className="whitespace-nowrap text-xs">{RULE_FORMAT_LABEL[info.getValue()] ?? info.getValue()}</span>,
        }),
        helper.accessor("type", {
          header: "Type",
          sortFn: "alphanumeric",
          cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span>,
        }),
        helper.accessor("severity", {
          header: "Severity",
          sortFn: bySeverity,
          sortDescFirst: true,
          cell: (info) => <SeverityBadge severity={info.getValue()} riskScore={info.row.original.riskScore} />,
        }),
        helper.accessor("mitre", {
          header: "ATT&CK",
          enableSorting: false,
          cell: (info) => {
            const mitre = info.getValue();
            if (mitre.length === 0) return dash;
            return (
              <div className="flex flex-wrap gap-1">
                {mitre.slice(0, 4).map((m) => (
                  <abbr key={m.id} title={`${m.id} ${m.name}`} className="rounded bg-zinc-100 px-1 font-mono text-[10px] text-zinc-600 no-underline dark:bg-zinc-800 dark:text-zinc-400">
                    {m.id}
                  </abbr>
                ))}
                {mitre.length > 4 && <span className="text-[10px] text-zinc-500">+{mitre.length - 4}</span>}
              </div>
            );
          },
        }),
        helper.accessor("enabled", {
          header: "Enabled",
          sortFn: "basic",
          cell: (info) => {
            const r = info.row.original;
            return isAdmin ? (
              <RuleEnabledSwitch id={r.id} name={r.name} enabled={info.getValue()} />
            ) : (
              <span className={`text-xs ${info.getValue() ? "" : "text-zinc-500"}`}>{info.getValue() ? "On" : "Off"}</span>
            );
          },
        }),
        helper.accessor("state", {
          header: "State",
          sortFn: "alphanumeric",
          cell: (info) => {
            const r = info.row.original;
            return (
              <div className="min-w-0 text-xs">
                <span className={STATE_STYLE[r.state] ?? ""}>{r.state}</span>
                {r.unsupportedReason && (
                  <div className="line-clamp-2 text-[11px] text-zinc-500" title={r.unsupportedReason}>
                    {r.unsupportedReason}
                  </div>
                )}
                {r.fileErrors > 0 && (
                  <div className="text-[11px] text-red-700 dark:text-red-400">
                    {r.fileErrors} load error{r.fileErrors === 1 ? "" : "s"} in its file
                  </div>
                )}
              </div>
            );
          },
        }),
        helper.accessor("lastFiredAt", {
          header: "Last fired",
          sortFn: nullsLow((r) => (r.lastFiredAt ? Date.parse(r.lastFiredAt) : null)),
          sortDescFirst: true,
          cell: (info) => {
            const at = info.getValue();
            return at ? (
              <time dateTime={at} title={`${displayTime(at)} UTC`} className="whitespace-nowrap font-mono text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                {age(at, now)} ago
              </time>
            ) : (
              <span className="text-xs text-zinc-500">never</span>
            );
          },
        }),
        helper.accessor("recentAlerts", {
          header: `Alerts ${recentDays} d`,
          sortFn: "basic",
          sortDescFirst: true,
          cell: (info) => {
            const n = info.getValue();
            if (n === 0) return <span className="tabular-nums text-zinc-500">0</span>;
            const since = new Date(now - recentDays * 86_400_000).toISOString();
            return (
              <Link href={`/alerts?status=all&rule=${encodeURIComponent(info.row.original.id)}&since=${encodeURIComponent(since)}`} className="tabular-nums hover:underline" title={`Alerts on events of the last ${recentDays} days, in the queue`}>
                {n}
              </Link>
            );
          },
        }),
        helper.accessor("noiseRate", {
          header: `Noise ${noiseDays} d`,
          sortFn: nullsLow((r) => r.noiseRate),
          sortDescFirst: true,
          cell: (info) => {
            const r = info.row.original;
            const rate = info.getValue();
            if (rate === null) return <span className="text-xs text-zinc-500" title={`No alert of the last ${noiseDays} days closed yet`}>—</span>;
            const d = r.dispositions;
            return (
              <span
                className={`text-xs tabular-nums ${rate >= 0.8 ? "font-medium text-red-700 dark:text-red-400" : rate >= 0.5 ? "text-amber-700 dark:text-amber-300" : ""}`}
                title={`${d.falsePositive} false positive, ${d.benignPositive} benign positive, ${d.truePositive} true positive, ${d.undetermined} undetermined: of ${r.resolved} closed alerts on events of the last ${noiseDays} days`}
              >
                {Math.round(rate * 100)}%<span className="ml-1 text-[11px] text-zinc-500">of {r.resolved}</span>
              </span>
            );
          },
        }),
      ]),
    [isAdmin, now, noiseDays, recentDays],
  );

  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id, initialState: { sorting: [] } });

  return (
    <table className="w-full table-fixed border-collapse text-sm" aria-label="Rules">
      <colgroup>
        <col />
        <col className="w-28" />
        <col className="w-24" />
        <col className="w-24" />
        <col className="w-36" />
        <col className="w-20" />
        <col className="w-36" />
        <col className="w-24" />
        <col className="w-20" />
        <col className="w-24" />
      </colgroup>
      <thead className="sticky top-11 z-10 bg-zinc-50 text-left text-xs font-medium text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <th key={header.id} scope="col" aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined} className="border-b border-zinc-200 px-2 py-2 font-medium dark:border-zinc-800">
                  {header.isPlaceholder ? null : header.column.getCanSort() ? (
                    <button type="button" onClick={header.column.getToggleSortingHandler()} className="inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100">
                      <table.FlexRender header={header} />
                      <span aria-hidden className="text-[10px]">
                        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}
                      </span>
                    </button>
                  ) : (
                    <table.FlexRender header={header} />
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} data-rule-id={row.id} className="border-b border-zinc-100 align-top hover:bg-zinc-50 dark:border-zinc-900 dark:hover:bg-zinc-900/60">
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className="px-2 py-1.5">
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
