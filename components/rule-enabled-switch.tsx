"use client";

import { useEffect, useState, useTransition } from "react";
import { toggleRule } from "@/lib/actions/rules";

/**
 * An admin's on/off switch for one rule (the server action checks the role again and audits the
 * change). Shows the new state at once and goes back if the server refuses.
 */
export function RuleEnabledSwitch({ id, name, enabled: initial, withLabel = false }: { id: string; name: string; enabled: boolean; withLabel?: boolean }) {
  const [enabled, setEnabled] = useState(initial);
  const [error, setError] = useState("");
  const [pending, start] = useTransition();
  useEffect(() => setEnabled(initial), [initial]);
  const flip = () =>
    start(async () => {
      const next = !enabled;
      setEnabled(next);
      setError("");
      const result = await toggleRule(id, next);
      if (!result.ok) {
        setEnabled(!next);
        setError(result.error);
      }
    });
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        role="switch"
        aria-checked={enabled}
        aria-label={`${name} enabled`}
        disabled={pending}
        onClick={flip}
        className="relative inline-flex h-4 w-7 shrink-0 items-center rounded-full bg-zinc-300 transition-colors aria-checked:bg-emerald-600 disabled:opacity-60 dark:bg-zinc-700 dark:aria-checked:bg-emerald-500"
      >
        <span aria-hidden className={`inline-block size-3 rounded-full bg-white shadow transition-transform ${enabled ? "translate-x-3.5" : "translate-x-0.5"}`} />
      </button>
      {withLabel && <span className="text-sm">{enabled ? "Enabled" : "Disabled"}</span>}
      {error && (
        <span role="alert" className="text-[11px] text-red-700 dark:text-red-400">
          {error}
        </span>
      )}
    </span>
  );
}
