"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useTransition } from "react";
import { bulkAlerts } from "@/lib/actions/alerts";
import { age, displayTime, mergeRows, queueRowFromJson, type QueueRow } from "@/lib/alerts/queue-row";
import { SeverityBadge } from "./severity-badge";
import { smallButtonClass } from "./ui";

/**
 * The alert queue: one row per source event, dense and keyboard-driven. j/k move, Enter opens,
 * x selects, a acknowledges, e escalates, b marks benign (the selection, else the focused row).
 * New alerts arrive by polling the API with the page's own filters and are merged in place: the
 * row under the analyst's eyes does not move (the scroll position is corrected by the height of
 * what was inserted above it).
 */

const POLL_MS = 5_000;

const STATUS_STYLE: Record<string, string> = {
  open: "text-zinc-900 dark:text-zinc-100",
  acknowledged: "text-sky-700 dark:text-sky-300",
  escalated: "text-red-700 dark:text-red-300 font-medium",
  closed: "text-zinc-500 dark:text-zinc-500",
};

const dash = <span className="text-zinc-400 dark:text-zinc-600">—</span>;
const button = smallButtonClass;
const input = "rounded border border-zinc-300 bg-white px-1.5 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900";

type Dialog = { kind: "escalate" | "benign" | "true_positive"; ids: string[] } | null;

interface Props {
  rows: QueueRow[];
  canTriage: boolean;
  assignees: { id: string; email: string }[];
  /** GET /api/v1/alerts URL with this view's filters; null when live updates do not apply (older pages). */
  pollUrl: string | null;
  /** Server time of the render, so "age" matches between server and client. */
  now: number;
}

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, QueueRow>();

export function AlertQueueTable({ rows: initialRows, canTriage, assignees, pollUrl, now: serverNow }: Props) {
  const router = useRouter();
  const [rows, setRows] = useState(initialRows);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(initialRows[0]?.id ?? null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [announcement, setAnnouncement] = useState("");
  const [now, setNow] = useState(serverNow);
  const [pending, startTransition] = useTransition();
  const anchor = useRef<{ id: string; top: number } | null>(null);

  // A new server render (filters changed, refresh after an action) replaces the rows.
  useEffect(() => {
    setRows(initialRows);
    setSelected(new Set());
  }, [initialRows]);

  // Live updates.
  useEffect(() => {
    if (!pollUrl) return;
    let stopped = false;
    const tick = async () => {
      try {
        const res = await fetch(pollUrl, { credentials: "same-origin", cache: "no-store" });
        if (!res.ok || stopped) return;
        const body = (await res.json()) as { alerts: Parameters<typeof queueRowFromJson>[0][] };
        const polled = body.alerts.map(queueRowFromJson);
        setNow(Date.now());
        setRows((current) => {
          const merged = mergeRows(current, polled);
          if (merged.added.length === 0) return merged.rows;
          anchor.current = firstVisibleRow();
          setFresh(new Set(merged.added));
          setAnnouncement(`${merged.added.length} new alert${merged.added.length === 1 ? "" : "s"}`);
          return merged.rows;
        });
      } catch {
        // Offline or restarting: the next tick tries again.
      }
    };
    const timer = setInterval(tick, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [pollUrl]);

  // Keep the row that was at the top of the viewport where it was after rows were inserted above it.
  useLayoutEffect(() => {
    const a = anchor.current;
    anchor.current = null;
    if (!a) return;
    const el = document.querySelector<HTMLElement>(`tr[data-row-id="${a.id}"]`);
    if (el) window.scrollBy(0, el.getBoundingClientRect().top - a.top);
  }, [rows]);

  const act = useCallback(
    (ids: string[], change: { status?: "acknowledged" | "escalated" | "closed"; disposition?: "benign_positive" | "false_positive" | "true_positive"; note?: string; assignee?: string }) => {
      if (ids.length === 0) return;
      startTransition(async () => {
        const result = await bulkAlerts({ ids, ...change });
        if (!result.ok) {
          setAnnouncement(result.error);
          return;
        }
        setAnnouncement(result.message ?? "done");
        const changed = new Set((result.data?.results ?? []).filter((r) => r.ok).map((r) => r.id));
        if (change.status) {
          setRows((current) => current.map((r) => (changed.has(r.id) ? { ...r, status: change.status!, disposition: change.disposition ?? null } : r)));
        }
        setSelected(new Set());
        setDialog(null);
        router.refresh();
      });
    },
    [router],
  );

  const targets = useCallback(() => (selected.size > 0 ? [...selected] : focused ? [focused] : []), [selected, focused]);
  const toggle = useCallback((id: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  // Keyboard shortcuts, unless the analyst is typing or a dialog is open.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))) return;
      const index = rows.findIndex((r) => r.id === focused);
      const move = (to: number) => {
        const row = rows[Math.max(0, Math.min(rows.length - 1, to))];
        if (!row) return;
        setFocused(row.id);
        document.querySelector(`tr[data-row-id="${row.id}"]`)?.scrollIntoView({ block: "nearest" });
      };
      switch (event.key) {
        case "j":
          move(index + 1);
          break;
        case "k":
          move(index - 1);
          break;
        case "Enter":
          if (focused) router.push(`/alerts/${focused}`);
          break;
        case "x":
          if (canTriage && focused) toggle(focused);
          break;
        case "a":
          if (canTriage) act(targets(), { status: "acknowledged" });
          break;
        case "e":
          if (canTriage && targets().length) setDialog({ kind: "escalate", ids: targets() });
          break;
        case "b":
          if (canTriage && targets().length) setDialog({ kind: "benign", ids: targets() });
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, focused, dialog, canTriage, act, targets, toggle, router]);

  const columns = useMemo(
    () =>
      helper.columns([
        ...(canTriage
          ? [
              helper.display({
                id: "select",
                header: () => (
                  <input
                    type="checkbox"
                    aria-label="Select all alerts on this page"
                    checked={rows.length > 0 && selected.size === rows.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                  />
                ),
                cell: (info) => (
                  <input
                    type="checkbox"
                    aria-label={`Select alert ${info.row.original.rules[0] ?? ""} on ${info.row.original.host ?? "unknown host"} at ${displayTime(info.row.original.timestamp)}`}
                    checked={selected.has(info.row.original.id)}
                    onChange={() => toggle(info.row.original.id)}
                  />
                ),
              }),
            ]
          : []),
        helper.accessor("timestamp", {
          header: "Time (UTC)",
          cell: (info) => (
            <time dateTime={info.getValue()} className="whitespace-nowrap font-mono text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
              {displayTime(info.getValue())}
            </time>
          ),
        }),
        helper.accessor("severity", {
          header: "Severity",
          cell: (info) => <SeverityBadge severity={info.getValue()} riskScore={info.row.original.riskScore} />,
        }),
        helper.accessor("rules", {
          header: "Rules",
          cell: (info) => {
            const names = info.getValue();
            const shown = names.slice(0, 2);
            const r = info.row.original;
            return (
              <div className="min-w-0">
                <Link href={`/alerts/${r.id}`} className="block min-w-0 hover:underline" title={names.join("\n")}>
                  {shown.map((name) => (
                    <div key={name} className="truncate">
                      {name}
                    </div>
                  ))}
                </Link>
                {names.length > shown.length && <div className="text-xs text-zinc-500">+{names.length - shown.length} more</div>}
                {r.mitre.length > 0 && (
                  <div className="mt-0.5 flex flex-wrap gap-1" aria-label="MITRE ATT&CK">
                    {r.mitre.slice(0, 3).map((m) => (
                      <abbr key={m.id} title={`${m.id} ${m.name}`} className="rounded bg-zinc-100 px-1 font-mono text-[10px] text-zinc-600 no-underline dark:bg-zinc-800 dark:text-zinc-400">
                        {m.id}
                      </abbr>
                    ))}
                  </div>
                )}
              </div>
            );
          },
        }),
        helper.accessor("host", { header: "Host", cell: (info) => <span className="block truncate">{info.getValue() ?? dash}</span> }),
        helper.accessor("user", {
          header: "User",
          cell: (info) => (
            <span className="block truncate" title={info.getValue() ?? undefined}>
              {info.getValue() ?? dash}
            </span>
          ),
        }),
        helper.accessor("process", {
          header: "Parent → process",
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
          cell: (info) => (
            <span className={`whitespace-nowrap capitalize ${STATUS_STYLE[info.getValue()] ?? ""}`}>
              {info.getValue()}
              {info.row.original.disposition && <span className="block text-[11px] normal-case text-zinc-500">{info.row.original.disposition.replace("_", " ")}</span>}
            </span>
          ),
        }),
        helper.accessor("assignee", {
          header: "Assignee",
          cell: (info) => (
            <span className="block truncate text-xs" title={info.getValue() ?? undefined}>
              {info.getValue()?.split("@")[0] ?? dash}
            </span>
          ),
        }),
        helper.accessor("checklist", {
          header: "Steps",
          cell: (info) => {
            const { done, total } = info.getValue();
            if (total === 0) return dash;
            return (
              <span className="flex items-center gap-1 text-xs tabular-nums text-zinc-600 dark:text-zinc-400" title={`${done} of ${total} checklist steps done`}>
                <span className="h-1.5 w-8 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
                  <span className="block h-full bg-emerald-500" style={{ width: `${Math.round((done / total) * 100)}%` }} />
                </span>
                {done}/{total}
              </span>
            );
          },
        }),
        helper.accessor("createdAt", {
          header: "Age",
          cell: (info) => <span className="font-mono text-xs tabular-nums text-zinc-500">{age(info.getValue(), now)}</span>,
        }),
      ]),
    [canTriage, rows, selected, toggle, now],
  );

  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });

  return (
    <div>
      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {canTriage && selected.size > 0 && (
        <BulkBar count={selected.size} pending={pending} assignees={assignees} onAct={(change) => act([...selected], change)} onDialog={(kind) => setDialog({ kind, ids: [...selected] })} onClear={() => setSelected(new Set())} />
      )}
      {dialog && <ConfirmDialog dialog={dialog} rows={rows} pending={pending} onCancel={() => setDialog(null)} onConfirm={(change) => act(dialog.ids, change)} />}
      <table className="w-full table-fixed border-collapse text-sm" aria-label="Alert queue">
        <colgroup>
          {canTriage && <col className="w-8" />}
          <col className="w-36" />
          <col className="w-20" />
          <col className="w-60" />
          <col className="w-24" />
          <col className="w-32" />
          <col />
          <col className="w-24" />
          <col className="w-20" />
          <col className="w-16" />
          <col className="w-10" />
        </colgroup>
        <thead className="sticky top-11 z-10 bg-zinc-50 text-left text-xs font-medium text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="border-b border-zinc-200 px-2 py-2 font-medium dark:border-zinc-800">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              data-row-id={row.id}
              aria-selected={selected.has(row.id)}
              data-focused={focused === row.id || undefined}
              onClick={() => setFocused(row.id)}
              className={`border-b border-zinc-100 align-top hover:bg-zinc-50 data-[focused]:outline data-[focused]:outline-1 data-[focused]:-outline-offset-1 data-[focused]:outline-sky-500 aria-selected:bg-sky-50 dark:border-zinc-900 dark:hover:bg-zinc-900/60 dark:aria-selected:bg-sky-950/40 ${fresh.has(row.id) ? "bg-amber-50/60 dark:bg-amber-950/20" : ""}`}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className="px-2 py-1.5">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="px-4 py-2 text-[11px] text-zinc-500">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open
        {canTriage && (
          <>
            {" "}
            · <kbd>x</kbd> select · <kbd>a</kbd> acknowledge · <kbd>e</kbd> escalate · <kbd>b</kbd> mark benign
          </>
        )}
        {pollUrl && " · new alerts appear live"}
      </p>
    </div>
  );
}

function firstVisibleRow(): { id: string; top: number } | null {
  for (const el of document.querySelectorAll<HTMLElement>("tr[data-row-id]")) {
    const top = el.getBoundingClientRect().top;
    if (top >= 44) return { id: el.dataset.rowId!, top };
  }
  return null;
}

function BulkBar({
  count,
  pending,
  assignees,
  onAct,
  onDialog,
  onClear,
}: {
  count: number;
  pending: boolean;
  assignees: { id: string; email: string }[];
  onAct: (change: { status?: "acknowledged"; assignee?: string }) => void;
  onDialog: (kind: "escalate" | "benign" | "true_positive") => void;
  onClear: () => void;
}) {
  const [assignee, setAssignee] = useState("");
  return (
    <div role="toolbar" aria-label="Bulk actions" className="sticky top-11 z-20 flex flex-wrap items-center gap-2 border-b border-sky-200 bg-sky-50 px-4 py-1.5 text-xs dark:border-sky-900 dark:bg-sky-950">
      <span className="font-medium">{count} selected</span>
      <button className={button} disabled={pending} onClick={() => onAct({ status: "acknowledged" })}>
        Acknowledge
      </button>
      <button className={button} disabled={pending} onClick={() => onDialog("escalate")}>
        Escalate
      </button>
      <button className={button} disabled={pending} onClick={() => onDialog("benign")}>
        Mark benign
      </button>
      <button className={button} disabled={pending} onClick={() => onDialog("true_positive")}>
        Close as true positive
      </button>
      <label className="flex items-center gap-1">
        <span className="sr-only">Assignee</span>
        <select className={input} value={assignee} onChange={(e) => setAssignee(e.target.value)} aria-label="Assignee">
          <option value="">Unassigned</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.email}
            </option>
          ))}
        </select>
      </label>
      <button className={button} disabled={pending} onClick={() => onAct({ assignee })}>
        Assign
      </button>
      <button className="ml-auto text-xs text-zinc-600 hover:underline dark:text-zinc-400" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}

function ConfirmDialog({
  dialog,
  rows,
  pending,
  onCancel,
  onConfirm,
}: {
  dialog: NonNullable<Dialog>;
  rows: QueueRow[];
  pending: boolean;
  onCancel: () => void;
  onConfirm: (change: { status: "escalated" | "closed"; disposition?: "benign_positive" | "false_positive" | "true_positive"; note?: string }) => void;
}) {
  const [note, setNote] = useState("");
  const [disposition, setDisposition] = useState<"benign_positive" | "false_positive">("benign_positive");
  const chosen = rows.filter((r) => dialog.ids.includes(r.id));
  const done = chosen.reduce((n, r) => n + r.checklist.done, 0);
  const total = chosen.reduce((n, r) => n + r.checklist.total, 0);
  const title = dialog.kind === "escalate" ? "Escalate" : dialog.kind === "benign" ? "Mark benign" : "Close as true positive";
  const needsReason = dialog.kind === "benign";
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (needsReason && !note.trim()) return;
    if (dialog.kind === "escalate") onConfirm({ status: "escalated", ...(note.trim() && { note: note.trim() }) });
    else onConfirm({ status: "closed", disposition: dialog.kind === "benign" ? disposition : "true_positive", ...(note.trim() && { note: note.trim() }) });
  };
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="queue-dialog-title" className="fixed inset-0 z-40 flex items-start justify-center bg-black/20 pt-24" onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <form onSubmit={submit} className="w-full max-w-md space-y-3 rounded border border-zinc-200 bg-white p-4 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        <h2 id="queue-dialog-title" className="font-semibold">
          {title}: {dialog.ids.length} alert{dialog.ids.length === 1 ? "" : "s"}
        </h2>
        {dialog.kind !== "benign" && total > 0 && (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Checklist progress: {done} of {total} steps done{done < total ? ". Response steps left open will stay on the alert." : "."}
          </p>
        )}
        {dialog.kind === "benign" && (
          <label className="block text-xs">
            <span className="mb-1 block text-zinc-600 dark:text-zinc-400">Disposition</span>
            <select className={input} value={disposition} onChange={(e) => setDisposition(e.target.value as typeof disposition)}>
              <option value="benign_positive">Benign positive (real activity, expected)</option>
              <option value="false_positive">False positive (the rule was wrong)</option>
            </select>
          </label>
        )}
        <label className="block text-xs">
          <span className="mb-1 block text-zinc-600 dark:text-zinc-400">{needsReason ? "Reason (required)" : "Note"}</span>
          <textarea autoFocus required={needsReason} value={note} onChange={(e) => setNote(e.target.value)} rows={3} className="w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
        </label>
        <div className="flex justify-end gap-2">
          <button type="button" className={button} onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={pending || (needsReason && !note.trim())} className="rounded bg-zinc-900 px-2.5 py-1 text-xs font-medium text-white disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900">
            {title}
          </button>
        </div>
      </form>
    </div>
  );
}
