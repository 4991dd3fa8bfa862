"use client";

import { useActionState } from "react";
import { addNote, changeAlertStatus } from "@/lib/actions/alerts";
import type { ActionResult } from "@/lib/actions/context";

const button =
  "rounded border border-zinc-300 bg-white px-2.5 py-1 text-sm font-medium text-zinc-800 hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800";
const primary = "rounded bg-zinc-900 px-2.5 py-1 text-sm font-medium text-white hover:bg-zinc-800 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-white";

function Feedback({ state }: { state: ActionResult | null }) {
  return (
    <p role="status" aria-live="polite" className={`min-h-5 text-xs ${state && !state.ok ? "text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}>
      {state ? (state.ok ? state.message : state.error) : ""}
    </p>
  );
}

/** Status changes and notes for analysts and admins (the page does not render it for viewers). */
export function AlertActions({ alertId, status }: { alertId: string; status: string }) {
  const [statusState, statusAction, statusPending] = useActionState(changeAlertStatus, null);
  const [noteState, noteAction, notePending] = useActionState(addNote, null);
  const closed = status === "closed";
  return (
    <section aria-label="Triage" className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        {!closed && status !== "acknowledged" && (
          <form action={statusAction}>
            <input type="hidden" name="alertId" value={alertId} />
            <button name="status" value="acknowledged" disabled={statusPending} className={button}>
              Acknowledge
            </button>
          </form>
        )}
        {!closed && status !== "escalated" && (
          <form action={statusAction}>
            <input type="hidden" name="alertId" value={alertId} />
            <button name="status" value="escalated" disabled={statusPending} className={button}>
              Escalate
            </button>
          </form>
        )}
        {closed && (
          <form action={statusAction}>
            <input type="hidden" name="alertId" value={alertId} />
            <button name="status" value="open" disabled={statusPending} className={button}>
              Reopen
            </button>
          </form>
        )}
      </div>
      {!closed && (
        <form action={statusAction} className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="alertId" value={alertId} />
          <input type="hidden" name="status" value="closed" />
          <label className="text-sm">
            <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Disposition</span>
            <select name="disposition" required defaultValue="benign_positive" className="rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900">
              <option value="true_positive">True positive</option>
              <option value="benign_positive">Benign positive</option>
              <option value="false_positive">False positive</option>
              <option value="undetermined">Undetermined</option>
            </select>
          </label>
          <label className="min-w-64 flex-1 text-sm">
            <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Reason</span>
            <input name="note" placeholder="Why (kept in the timeline)" className="w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
          </label>
          <button disabled={statusPending} className={primary}>
            Close alert
          </button>
        </form>
      )}
      <Feedback state={statusState} />
      <form action={noteAction} className="flex items-end gap-2">
        <input type="hidden" name="alertId" value={alertId} />
        <label className="flex-1 text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Note</span>
          <textarea name="note" rows={2} className="w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
        </label>
        <button disabled={notePending} className={button}>
          Add note
        </button>
      </form>
      <Feedback state={noteState} />
    </section>
  );
}
