import Link from "next/link";
import { SEVERITIES, type Severity } from "@/lib/detection";
import { SEVERITY_STYLE } from "./severity";

/** Unresolved alerts per severity, most severe first; each links to the filtered queue. */
export function SeverityCounts({ counts }: { counts: Record<Severity, number> }) {
  const order = [...SEVERITIES].reverse();
  return (
    <ul aria-label="Unresolved alerts by severity" className="flex items-center gap-3 text-xs">
      <li aria-hidden className="text-zinc-500">Unresolved</li>
      {order.map((s) => (
        <li key={s}>
          <Link
            href={`/alerts?severity=${s}`}
            className="flex items-center gap-1.5 text-zinc-600 hover:text-zinc-950 dark:text-zinc-400 dark:hover:text-white"
            aria-label={`${counts[s]} unresolved ${SEVERITY_STYLE[s].label.toLowerCase()} alerts`}
            title={`${SEVERITY_STYLE[s].label}: ${counts[s]} unresolved`}
          >
            <span aria-hidden className={`size-2 rounded-full ${SEVERITY_STYLE[s].dot}`} />
            <span className="tabular-nums">{counts[s]}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
