import Link from "next/link";
import { attackUrl, type UncataloguedTechnique } from "@/lib/detection";
import type { CoverageLinks } from "./coverage-matrix";

const STATUS_TEXT: Record<UncataloguedTechnique["status"], string> = {
  unknown: "not in the catalogue",
  revoked: "revoked",
  deprecated: "deprecated",
};

/**
 * Techniques rules name that the matrix cannot place: unknown to the catalogue in use (a newer
 * ATT&CK, a typo) or retired. Listed so a mapping is never silently dropped.
 */
export function CoverageUncatalogued({ items, attackVersion, links }: { items: readonly UncataloguedTechnique[]; attackVersion: string; links: CoverageLinks }) {
  return (
    <section aria-labelledby="uncatalogued-heading" className="space-y-2">
      <div>
        <h2 id="uncatalogued-heading" className="text-sm font-semibold">
          Techniques outside the matrix
        </h2>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Rules name these, but ATT&amp;CK {attackVersion} does not list them as current techniques: update the rules&apos; mappings, or import a newer catalogue.
        </p>
      </div>
      <table className="w-full max-w-5xl table-fixed border-collapse text-sm" aria-label="Techniques outside the matrix">
        <colgroup>
          <col className="w-28" />
          <col className="w-64" />
          <col className="w-48" />
          <col />
          <col className="w-24" />
        </colgroup>
        <thead className="text-left text-xs text-zinc-500">
          <tr>
            {["ATT&CK id", "Name", "Status", "Rules", "Alerts"].map((h) => (
              <th key={h} scope="col" className="border-b border-zinc-200 py-1.5 pr-3 font-medium dark:border-zinc-800">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const url = attackUrl(item.id);
            return (
              <tr key={item.id} data-technique={item.id} className="border-b border-zinc-100 align-top dark:border-zinc-900">
                <td className="py-1.5 pr-3 font-mono text-xs">
                  {url ? (
                    <a href={url} target="_blank" rel="noreferrer" className="underline decoration-zinc-300 underline-offset-2 dark:decoration-zinc-600">
                      {item.id}
                    </a>
                  ) : (
                    item.id
                  )}
                </td>
                <td className="truncate py-1.5 pr-3 text-xs" title={item.name}>
                  {item.name ?? "—"}
                </td>
                <td className="py-1.5 pr-3 text-xs">
                  <span className="rounded bg-amber-50 px-1.5 py-0.5 text-amber-800 dark:bg-amber-950 dark:text-amber-300">{STATUS_TEXT[item.status]}</span>
                  {item.revokedBy && (
                    <span className="ml-1 text-zinc-600 dark:text-zinc-400">
                      → <span className="font-mono">{item.revokedBy}</span>
                    </span>
                  )}
                </td>
                <td className="py-1.5 pr-3 text-xs">
                  <ul>
                    {item.rules.map((r) => (
                      <li key={r.id} className="truncate">
                        <Link href={`/rules/${encodeURIComponent(r.id)}`} className="hover:underline">
                          {r.name}
                        </Link>
                        {r.off && <span className="ml-1 text-amber-700 dark:text-amber-400">({r.off})</span>}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="py-1.5 text-xs tabular-nums">
                  {item.alerts > 0 ? (
                    <Link href={`/alerts?mitre=${encodeURIComponent(item.id)}&${links.queueQuery}`} className="underline" aria-label={`${item.alerts} alerts for ${item.id} ${links.periodText}`}>
                      {item.alerts}
                    </Link>
                  ) : (
                    <span className="text-zinc-400">0</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
