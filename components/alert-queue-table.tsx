"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import type { Severity } from "@/lib/detection";
import { SeverityBadge } from "./severity-badge";

export interface QueueRow {
  id: string;
  /** ISO time, and its display form rendered on the server (no hydration drift across time zones). */
  timestamp: string;
  displayTime: string;
  severity: Severity;
  riskScore: number;
  rules: string[];
  host: string | null;
  user: string | null;
  parent: string | null;
  process: string | null;
  commandLine: string | null;
  status: string;
}

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, QueueRow>();

const STATUS_STYLE: Record<string, string> = {
  open: "text-zinc-900 dark:text-zinc-100",
  acknowledged: "text-sky-700 dark:text-sky-300",
  escalated: "text-red-700 dark:text-red-300 font-medium",
  closed: "text-zinc-500 dark:text-zinc-500",
};

const dash = <span className="text-zinc-400 dark:text-zinc-600">—</span>;

const columns = helper.columns([
  helper.accessor("displayTime", {
    header: "Time (UTC)",
    cell: (info) => (
      <time dateTime={info.row.original.timestamp} className="whitespace-nowrap font-mono text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
        {info.getValue()}
      </time>
    ),
  }),
  helper.accessor("severity", {
    header: "Severity",
    cell: (info) => <SeverityBadge severity={info.getValue()} riskScore={info.row.original.riskScore} />,
  }),
  helper.accessor("rules", {
    header: "Rule",
    cell: (info) => {
      // Every rule that fired on the event is one triage item; show two, count the rest.
      const names = info.getValue();
      const shown = names.slice(0, 2);
      return (
        <Link href={`/alerts/${info.row.original.id}`} className="block min-w-0 hover:underline" title={names.join("\n")}>
          {shown.map((name) => (
            <div key={name} className="truncate">
              {name}
            </div>
          ))}
          {names.length > shown.length && <div className="text-xs text-zinc-500">+{names.length - shown.length} more</div>}
        </Link>
      );
    },
  }),
  helper.accessor("host", {
    header: "Host",
    cell: (info) => <span className="block truncate">{info.getValue() ?? dash}</span>,
  }),
  helper.accessor("user", {
    header: "User",
    cell: (info) => <span className="block truncate" title={info.getValue() ?? undefined}>{info.getValue() ?? dash}</span>,
  }),
  helper.accessor("process", {
    header: "Process",
    cell: (info) => {
      const r = info.row.original;
      return (
        <div className="min-w-0">
          <div className="truncate font-mono text-xs">
            {r.parent && <span className="text-zinc-500">{r.parent} → </span>}
            <span className="font-medium">{r.process ?? "?"}</span>
          </div>
          {r.commandLine && (
            <div className="truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400" title={r.commandLine}>
              {r.commandLine}
            </div>
          )}
        </div>
      );
    },
  }),
  helper.accessor("status", {
    header: "Status",
    cell: (info) => <span className={`whitespace-nowrap capitalize ${STATUS_STYLE[info.getValue()] ?? ""}`}>{info.getValue()}</span>,
  }),
]);

export function AlertQueueTable({ rows }: { rows: QueueRow[] }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });
  return (
    <table className="w-full table-fixed border-collapse text-sm" aria-label="Alert queue">
      {/* Fixed layout: long command lines truncate inside their cell instead of widening the page. */}
      <colgroup>
        <col className="w-40" />
        <col className="w-24" />
        <col className="w-72" />
        <col className="w-32" />
        <col className="w-44" />
        <col />
        <col className="w-28" />
      </colgroup>
      <thead className="sticky top-11 bg-zinc-50 text-left text-xs font-medium text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col" className="border-b border-zinc-200 px-3 py-2 font-medium dark:border-zinc-800">
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} className="border-b border-zinc-100 align-top hover:bg-zinc-50 dark:border-zinc-900 dark:hover:bg-zinc-900/60">
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className="px-3 py-1.5">
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
