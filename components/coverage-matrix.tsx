import Link from "next/link";
import type { AttackCoverage, CoverageRuleRef, TacticCoverage, TechniqueCoverage } from "@/lib/detection";

export interface CoverageLinks {
  /** The queue's filters besides the ATT&CK id or rule (status, period): `status=all&since=…`. */
  queueQuery: string;
  /** Words for the period, for labels: "in the last 30 days". */
  periodText: string;
  alertsByRule: ReadonlyMap<string, number>;
}

type CellState = "covered" | "via-sub" | "off" | "gap";

const CELL_STYLE: Record<CellState, string> = {
  covered: "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/50",
  "via-sub": "border-emerald-200 bg-emerald-50/40 dark:border-emerald-900 dark:bg-emerald-950/20",
  off: "border-dashed border-amber-300 bg-white dark:border-amber-800 dark:bg-zinc-900",
  gap: "border-zinc-200 bg-white text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400",
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The ATT&CK matrix: one column per tactic in kill-chain order, a cell per technique with its
 * sub-techniques inside. Covered-only view: tactics with nothing covered shrink to a narrow
 * labelled strip, so every tactic stays visible in order without pushing the others off screen.
 */
export function CoverageMatrix({ coverage, showUncovered, links }: { coverage: AttackCoverage; showUncovered: boolean; links: CoverageLinks }) {
  const columns = coverage.tactics.map((column) => ({
    column,
    cells: showUncovered ? column.techniques : column.techniques.filter((t) => t.covered),
  }));
  const template = columns
    .map(({ column, cells }) => (showUncovered ? "minmax(9.5rem, 1fr)" : cells.length > 0 || column.tacticOnlyRules.length > 0 ? "minmax(10.5rem, 1fr)" : "2.5rem"))
    .join(" ");
  return (
    <div className="overflow-x-auto pb-2" data-testid="coverage-matrix">
      <div className="grid items-start gap-1.5" style={{ gridTemplateColumns: template }}>
        {columns.map(({ column, cells }) =>
          !showUncovered && cells.length === 0 && column.tacticOnlyRules.length === 0 ? (
            <CollapsedColumn key={column.tactic.id} column={column} />
          ) : (
            <TacticColumn key={column.tactic.id} column={column} cells={cells} showUncovered={showUncovered} links={links} />
          ),
        )}
      </div>
    </div>
  );
}

function CollapsedColumn({ column }: { column: TacticCoverage }) {
  const { tactic } = column;
  return (
    <section
      aria-label={`${tactic.name}: no technique covered (0 of ${column.total})`}
      title={`${tactic.name} (${tactic.id}): no technique covered, 0 of ${column.total}`}
      className="flex min-h-48 justify-center rounded border border-dashed border-zinc-300 bg-zinc-50 py-2 dark:border-zinc-700 dark:bg-zinc-900/50"
      data-tactic={tactic.id}
    >
      <h2 className="rotate-180 text-xs whitespace-nowrap text-zinc-500 [writing-mode:vertical-rl]">
        <a href={tactic.url} target="_blank" rel="noreferrer" className="hover:underline">
          {tactic.name}
        </a>{" "}
        <span className="tabular-nums">0/{column.total}</span>
      </h2>
    </section>
  );
}

function TacticColumn({ column, cells, showUncovered, links }: { column: TacticCoverage; cells: TechniqueCoverage[]; showUncovered: boolean; links: CoverageLinks }) {
  const { tactic } = column;
  const share = column.total === 0 ? 0 : column.covered / column.total;
  const headingId = `tactic-${tactic.id}`;
  return (
    <section aria-labelledby={headingId} className="min-w-0" data-tactic={tactic.id}>
      <header className="mb-1.5 rounded bg-zinc-100 px-2 py-1.5 dark:bg-zinc-800">
        <h2 id={headingId} className="truncate text-xs font-semibold" title={`${tactic.name} (${tactic.id})`}>
          <a href={tactic.url} target="_blank" rel="noreferrer" className="hover:underline">
            {tactic.name}
          </a>
        </h2>
        <div className="mt-0.5 flex items-baseline justify-between text-[11px] text-zinc-600 dark:text-zinc-400">
          <span className="font-mono">{tactic.id}</span>
          <span className="tabular-nums" title={`${column.covered} of ${column.total} techniques covered by enabled rules`}>
            {column.covered}/{column.total}
          </span>
        </div>
        <div aria-hidden className="mt-1 h-1 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-700">
          <div className="h-1 bg-emerald-500" style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      </header>
      {column.tacticOnlyRules.length > 0 && (
        <p className="mb-1 px-1 text-[11px] text-zinc-500" title={column.tacticOnlyRules.map((r) => r.name).join("\n")}>
          + {plural(column.tacticOnlyRules.length, "rule")} on the tactic, no technique
        </p>
      )}
      <ul className="space-y-1">
        {cells.map((cell) => (
          <TechniqueCell key={cell.technique.id} cell={cell} showUncovered={showUncovered} links={links} />
        ))}
      </ul>
    </section>
  );
}

function TechniqueCell({ cell, showUncovered, links }: { cell: TechniqueCoverage; showUncovered: boolean; links: CoverageLinks }) {
  const { technique } = cell;
  const state: CellState = cell.rules.length > 0 ? "covered" : cell.covered ? "via-sub" : cell.offRules.length > 0 ? "off" : "gap";
  // Uncovered sub-techniques of a shown parent are counted, not listed: the full list is ATT&CK's.
  const subs = cell.subtechniques.filter((s) => s.covered || (showUncovered && s.offRules.length > 0));
  const unlisted = cell.subtechniques.length - subs.length;
  return (
    <li data-technique={technique.id} data-covered={cell.covered} className={`rounded border px-1.5 py-1 text-xs ${CELL_STYLE[state]}`}>
      <a href={technique.url} target="_blank" rel="noreferrer" className="block leading-snug hover:underline" title={`${technique.id} ${technique.name} on attack.mitre.org`}>
        <span className="font-mono text-[11px] text-zinc-600 dark:text-zinc-400">{technique.id}</span> {technique.name}
      </a>
      <Stats id={technique.id} rules={cell.coveringRules} offRules={cell.offRules} alerts={cell.alerts} links={links} />
      {subs.length > 0 && (
        <ul className="mt-1 space-y-1 border-l border-emerald-300 pl-1.5 dark:border-emerald-800">
          {subs.map((sub) => (
            <li key={sub.technique.id} data-technique={sub.technique.id} data-covered={sub.covered} className={sub.covered ? "" : "text-zinc-500"}>
              <a
                href={sub.technique.url}
                target="_blank"
                rel="noreferrer"
                className="block leading-snug hover:underline"
                aria-label={`${sub.technique.id} ${sub.technique.name}`}
                title={`${sub.technique.id} ${sub.technique.name} on attack.mitre.org`}
              >
                <span className="font-mono text-[11px] text-zinc-600 dark:text-zinc-400">
                  <span aria-hidden>› </span>
                  <span className="sr-only">{technique.id}</span>.{sub.technique.id.slice(technique.id.length + 1)}
                </span>{" "}
                {sub.technique.name}
              </a>
              <Stats id={sub.technique.id} rules={sub.rules} offRules={sub.offRules} alerts={sub.alerts} links={links} />
            </li>
          ))}
        </ul>
      )}
      {unlisted > 0 && (showUncovered || subs.length > 0) && (
        <p className="mt-0.5 text-[10px] text-zinc-500">
          {unlisted} {subs.length > 0 ? "other " : ""}sub-technique{unlisted === 1 ? "" : "s"} uncovered
        </p>
      )}
    </li>
  );
}

/** "2 rules" (expands to the list, names on hover) and the alert count linking to the queue. */
function Stats({ id, rules, offRules, alerts, links }: { id: string; rules: readonly CoverageRuleRef[]; offRules: readonly CoverageRuleRef[]; alerts: number; links: CoverageLinks }) {
  if (rules.length === 0 && offRules.length === 0 && alerts === 0) return null;
  const label = [rules.length > 0 && plural(rules.length, "rule"), offRules.length > 0 && `${offRules.length} off`].filter(Boolean).join(" · ");
  const hover = [...rules.map((r) => r.name), ...offRules.map((r) => `${r.name} (${r.off})`)].join("\n");
  return (
    <div className="mt-0.5 flex items-start justify-between gap-1 text-[11px]">
      {label ? (
        <details className="group min-w-0 flex-1">
          <summary className="cursor-pointer list-none text-zinc-600 select-none hover:text-zinc-950 dark:text-zinc-400 dark:hover:text-white" title={hover}>
            <span aria-hidden className="inline-block transition-transform group-open:rotate-90">▸</span> {label}
            <span className="sr-only"> covering {id}</span>
          </summary>
          <ul className="mt-0.5 space-y-0.5">
            {[...rules, ...offRules].map((r) => (
              <RuleItem key={r.id} rule={r} links={links} />
            ))}
          </ul>
        </details>
      ) : (
        <span className="flex-1" />
      )}
      {alerts > 0 ? (
        <Link
          href={`/alerts?mitre=${encodeURIComponent(id)}&${links.queueQuery}`}
          className="shrink-0 font-medium tabular-nums text-zinc-800 underline decoration-zinc-300 underline-offset-2 hover:decoration-zinc-600 dark:text-zinc-200 dark:decoration-zinc-600"
          aria-label={`${plural(alerts, "alert")} for ${id} ${links.periodText}`}
          title={`${plural(alerts, "alert")} carrying ${id} ${links.periodText}`}
        >
          {plural(alerts, "alert")}
        </Link>
      ) : (
        <span className="shrink-0 text-zinc-400 tabular-nums dark:text-zinc-500" title={`no alert carrying ${id} ${links.periodText}`}>
          0 alerts
        </span>
      )}
    </div>
  );
}

function RuleItem({ rule, links }: { rule: CoverageRuleRef; links: CoverageLinks }) {
  const alerts = links.alertsByRule.get(rule.id) ?? 0;
  return (
    <li className="flex items-baseline justify-between gap-1">
      <Link href={`/rules/${encodeURIComponent(rule.id)}`} className={`min-w-0 truncate hover:underline ${rule.off ? "text-zinc-500 line-through" : ""}`} title={rule.off ? `${rule.name} (${rule.off})` : rule.name}>
        {rule.name}
      </Link>
      {rule.off ? (
        <span className="shrink-0 text-amber-700 dark:text-amber-400">{rule.off}</span>
      ) : (
        alerts > 0 && (
          <Link href={`/alerts?rule=${encodeURIComponent(rule.id)}&${links.queueQuery}`} className="shrink-0 tabular-nums text-zinc-500 hover:underline" title={`${plural(alerts, "alert")} from this rule ${links.periodText}`}>
            {alerts}
          </Link>
        )
      )}
    </li>
  );
}
