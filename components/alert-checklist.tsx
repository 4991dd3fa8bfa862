"use client";

import { useOptimistic, useState, useTransition } from "react";
import { tickChecklistStep } from "@/lib/actions/alerts";

export interface ChecklistItem {
  ruleId: string;
  ruleName: string;
  list: "triage" | "response";
  hash: string;
  /** The step as plain text (its Markdown flattened): the checkbox's label. */
  label: string;
  done: boolean;
  by: string | null;
  at: string | null;
}

/**
 * The triage and response steps of every rule that fired, as checkboxes labelled with the step.
 * Ticking records who and when (server action); viewers see the ticks read-only.
 */
export function AlertChecklist({ alertId, items, canTick }: { alertId: string; items: ChecklistItem[]; canTick: boolean }) {
  const [optimistic, setOptimistic] = useOptimistic(items, (current, change: { hash: string; ruleId: string; list: string; done: boolean }) =>
    current.map((i) => (i.hash === change.hash && i.ruleId === change.ruleId && i.list === change.list ? { ...i, done: change.done } : i)),
  );
  const [message, setMessage] = useState("");
  const [, startTransition] = useTransition();
  const multipleRules = new Set(items.map((i) => i.ruleId)).size > 1;

  const tick = (item: ChecklistItem, done: boolean) =>
    startTransition(async () => {
      setOptimistic({ hash: item.hash, ruleId: item.ruleId, list: item.list, done });
      const result = await tickChecklistStep({ alertId, ruleId: item.ruleId, list: item.list, step: item.hash, done });
      setMessage(result.ok ? (result.message ?? "") : result.error);
    });

  return (
    <div className="grid gap-6 md:grid-cols-2">
      {(["triage", "response"] as const).map((list) => {
        const steps = optimistic.filter((i) => i.list === list);
        const done = steps.filter((i) => i.done).length;
        return (
          <section key={list} aria-labelledby={`checklist-${list}`}>
            <h2 id={`checklist-${list}`} className="mb-2 flex items-baseline gap-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
              {list === "triage" ? "Triage steps" : "Response steps"}
              {steps.length > 0 && (
                <span className="font-normal normal-case tabular-nums">
                  {done} of {steps.length} done
                </span>
              )}
            </h2>
            {steps.length === 0 ? (
              <p className="text-sm text-zinc-500">The rules that fired give no {list} steps.</p>
            ) : (
              <ul className="space-y-1.5">
                {steps.map((item) => (
                  <li key={`${item.ruleId}/${item.hash}`} className="flex items-start gap-2 text-sm">
                    <input
                      id={`step-${item.list}-${item.ruleId}-${item.hash}`}
                      type="checkbox"
                      className="mt-0.5"
                      checked={item.done}
                      disabled={!canTick}
                      onChange={(e) => tick(item, e.target.checked)}
                    />
                    <label htmlFor={`step-${item.list}-${item.ruleId}-${item.hash}`} className={item.done ? "text-zinc-500 line-through decoration-zinc-400" : ""}>
                      {item.label}
                      {(item.by || multipleRules) && (
                        <span className="ml-1 text-xs text-zinc-500 no-underline">
                          {multipleRules && <>({item.ruleName}) </>}
                          {item.done && item.by && (
                            <>
                              ✓ {item.by}
                              {item.at && ` ${item.at.replace("T", " ").slice(0, 16)}`}
                            </>
                          )}
                        </span>
                      )}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <p role="status" aria-live="polite" className="sr-only">
        {message}
      </p>
    </div>
  );
}
