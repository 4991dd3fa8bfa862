"use client";

import Link from "next/link";
import { useActionState, useEffect, useState } from "react";
import { addNote, assignAlert, changeAlertStatus, markAlertKnown } from "@/lib/actions/alerts";
import type { ActionResult } from "@/lib/actions/context";
import { buttonClass, fieldClass, primaryButtonClass } from "./ui";

const button = buttonClass;
const primary = primaryButtonClass;
const control = fieldClass;

function Feedback({ state }: { state: ActionResult | null }) {
  return (
    <p role="status" aria-live="polite" className={`min-h-5 text-xs ${state && !state.ok ? "text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}>
      {state ? (state.ok ? state.message : state.error) : ""}
    </p>
  );
}

type Panel = "escalate" | "benign" | "true_positive" | null;

interface Props {
  alertId: string;
  status: string;
  assigneeId: string | null;
  assignees: { id: string; email: string }[];
  /** Response checklist progress, shown before escalating or closing as a true positive. */
  response: { done: number; total: number };
  /** A new-terms or new-value rule fired: "Mark as known" adds the event's values to its baseline. */
  canMarkKnown: boolean;
}

/** Status, disposition, assignment, baseline and notes for analysts and admins (not rendered for viewers). */
export function AlertActions({ alertId, status, assigneeId, assignees, response, canMarkKnown }: Props) {
  const [statusState, statusAction, statusPending] = useActionState(changeAlertStatus, null);
  const [noteState, noteAction, notePending] = useActionState(addNote, null);
  const [assignState, assignAction, assignPending] = useActionState(assignAlert, null);
  const [knownState, knownAction, knownPending] = useActionState(markAlertKnown, null);
  const [panel, setPanel] = useState<Panel>(null);
  // A change took effect (here or by someone else): the form that asked for it has done its job.
  useEffect(() => setPanel(null), [status]);
  const closed = status === "closed";
  const progress = response.total > 0 && (
    <p className="text-xs text-zinc-600 dark:text-zinc-400">
      Response checklist: {response.done} of {response.total} steps done.
    </p>
  );
  return (
    <section aria-label="Triage" className="space-y-3">
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
          <button type="button" className={button} aria-expanded={panel === "escalate"} onClick={() => setPanel(panel === "escalate" ? null : "escalate")}>
            Escalate
          </button>
        )}
        {!closed && (
          <>
            <button type="button" className={button} aria-expanded={panel === "benign"} onClick={() => setPanel(panel === "benign" ? null : "benign")}>
              Mark benign
            </button>
            <button type="button" className={button} aria-expanded={panel === "true_positive"} onClick={() => setPanel(panel === "true_positive" ? null : "true_positive")}>
              Close as true positive
            </button>
          </>
        )}
        {closed && (
          <form action={statusAction}>
            <input type="hidden" name="alertId" value={alertId} />
            <button name="status" value="open" disabled={statusPending} className={button}>
              Reopen
            </button>
          </form>
        )}
        <Link href={`/exceptions/new?alert=${alertId}`} className={button}>
          Allowlist this…
        </Link>
        {canMarkKnown && (
          <form action={knownAction}>
            <input type="hidden" name="alertId" value={alertId} />
            <button disabled={knownPending} className={button} title="Add this event's values to the baseline of the new-terms / new-value rules that fired, so they stop alerting">
              Mark as known
            </button>
          </form>
        )}
        <form action={assignAction} className="ml-auto flex items-center gap-1">
          <input type="hidden" name="alertId" value={alertId} />
          <label className="flex items-center gap-1 text-sm">
            <span className="text-xs text-zinc-600 dark:text-zinc-400">Assignee</span>
            <select name="assignee" defaultValue={assigneeId ?? ""} className={control} key={assigneeId ?? ""}>
              <option value="">Unassigned</option>
              {assignees.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.email}
                </option>
              ))}
            </select>
          </label>
          <button disabled={assignPending} className={button}>
            Assign
          </button>
        </form>
      </div>

      {panel === "escalate" && (
        <form action={statusAction} className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800" aria-label="Escalate">
          <input type="hidden" name="alertId" value={alertId} />
          <input type="hidden" name="status" value="escalated" />
          {progress}
          <label className="block text-sm">
            <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Note for the responders</span>
            <textarea name="note" rows={2} className={`${control} w-full`} />
          </label>
          <button disabled={statusPending} className={primary}>
            Confirm escalation
          </button>
        </form>
      )}
      {(panel === "benign" || panel === "true_positive") && (
        <form action={statusAction} className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800" aria-label={panel === "benign" ? "Mark benign" : "Close as true positive"}>
          <input type="hidden" name="alertId" value={alertId} />
          <input type="hidden" name="status" value="closed" />
          {panel === "true_positive" ? (
            <>
              <input type="hidden" name="disposition" value="true_positive" />
              {progress}
            </>
          ) : (
            <label className="block text-sm">
              <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Disposition</span>
              <select name="disposition" defaultValue="benign_positive" className={control}>
                <option value="benign_positive">Benign positive (real activity, expected)</option>
                <option value="false_positive">False positive (the rule was wrong)</option>
              </select>
            </label>
          )}
          <label className="block text-sm">
            <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">{panel === "benign" ? "Reason (required)" : "Note"}</span>
            <input name="note" required={panel === "benign"} className={`${control} w-full`} />
          </label>
          <button disabled={statusPending} className={primary}>
            {panel === "benign" ? "Confirm benign" : "Confirm true positive"}
          </button>
        </form>
      )}
      <Feedback state={statusState} />
      {(assignState || knownState) && <Feedback state={knownState ?? assignState} />}

      <form action={noteAction} className="flex items-end gap-2">
        <input type="hidden" name="alertId" value={alertId} />
        <label className="flex-1 text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Note (Markdown)</span>
          <textarea name="note" rows={2} className={`${control} w-full`} />
        </label>
        <button disabled={notePending} className={button}>
          Add note
        </button>
      </form>
      <Feedback state={noteState} />
    </section>
  );
}
