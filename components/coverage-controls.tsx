"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";
import { smallFieldClass } from "./ui";

export interface CoveragePeriodOption {
  value: string;
  label: string;
  href: string;
}

/**
 * The coverage page's view settings. They live in the URL (a view is shared by its address);
 * this only navigates when one changes.
 */
export function CoverageControls({ showUncovered, toggleHref, period, periods }: { showUncovered: boolean; toggleHref: string; period: string; periods: readonly CoveragePeriodOption[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  // Shown at once while the page for the new view loads.
  const [view, setView] = useOptimistic({ showUncovered, period });
  const go = (href: string, next: Partial<typeof view>) =>
    start(() => {
      setView({ ...view, ...next });
      router.push(href, { scroll: false });
    });
  return (
    <div className="flex flex-wrap items-center gap-4 text-sm" aria-busy={pending}>
      <label className="flex items-center gap-1.5">
        <input type="checkbox" checked={view.showUncovered} onChange={() => go(toggleHref, { showUncovered: !view.showUncovered })} className="size-3.5 accent-zinc-900 dark:accent-zinc-100" />
        Show uncovered techniques
      </label>
      <label className="flex items-center gap-1.5">
        <span className="text-zinc-600 dark:text-zinc-400">Alerts in</span>
        <select
          value={view.period}
          onChange={(e) => go(periods.find((p) => p.value === e.target.value)?.href ?? "/coverage", { period: e.target.value })}
          className={smallFieldClass}
        >
          {periods.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <span aria-live="polite" className="w-16 text-xs text-zinc-500">
        {pending ? "Loading…" : ""}
      </span>
    </div>
  );
}
