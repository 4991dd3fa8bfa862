import type { Severity } from "@/lib/detection";

/** One palette for severities everywhere: badges, counts, rows. */
export const SEVERITY_STYLE: Record<Severity, { label: string; badge: string; dot: string }> = {
  critical: {
    label: "Critical",
    badge: "bg-red-600 text-white dark:bg-red-500",
    dot: "bg-red-600 dark:bg-red-500",
  },
  high: {
    label: "High",
    badge: "bg-orange-100 text-orange-800 ring-1 ring-orange-300 dark:bg-orange-950 dark:text-orange-300 dark:ring-orange-800",
    dot: "bg-orange-500",
  },
  medium: {
    label: "Medium",
    badge: "bg-amber-50 text-amber-800 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-900",
    dot: "bg-amber-400",
  },
  low: {
    label: "Low",
    badge: "bg-sky-50 text-sky-800 ring-1 ring-sky-200 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-900",
    dot: "bg-sky-400",
  },
  informational: {
    label: "Info",
    badge: "bg-zinc-100 text-zinc-700 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:text-zinc-300 dark:ring-zinc-800",
    dot: "bg-zinc-400",
  },
};
