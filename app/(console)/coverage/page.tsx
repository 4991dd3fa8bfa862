import type { Metadata } from "next";
import Link from "next/link";
import { CoverageCatalogueAdmin } from "@/components/coverage-catalogue";
import { CoverageControls } from "@/components/coverage-controls";
import { CoverageMatrix, type CoverageLinks } from "@/components/coverage-matrix";
import { CoverageUncatalogued } from "@/components/coverage-uncatalogued";
import { DAY_MS } from "@/lib/detection";
import { requireUser } from "@/lib/auth/guard";
import { catalogueSummary, findAttackCoverage } from "@/lib/db/coverage";

export const metadata: Metadata = { title: "ATT&CK coverage" };
export const dynamic = "force-dynamic";

/** Alert counts are over event time (`@timestamp`), like the queue's `since` filter they link to. */
const PERIODS = [
  { value: "1", days: 1, label: "the last 24 hours" },
  { value: "7", days: 7, label: "the last 7 days" },
  { value: "30", days: 30, label: "the last 30 days" },
  { value: "90", days: 90, label: "the last 90 days" },
  { value: "all", days: null, label: "all retained alerts" },
] as const;
const DEFAULT_PERIOD = PERIODS[2];

type SearchParams = Record<string, string | string[] | undefined>;

export default async function CoveragePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("read");
  const raw = await searchParams;
  const showUncovered = raw.uncovered === "1";
  const period = PERIODS.find((p) => p.value === raw.days) ?? DEFAULT_PERIOD;
  // Whole minutes, so the queue links of one page view share one `since`.
  const since = period.days === null ? null : new Date(Math.floor((Date.now() - period.days * DAY_MS) / 60_000) * 60_000);
  const { coverage, catalogue, alertsByRule, alertsInPeriod } = await findAttackCoverage(since);
  const summary = catalogueSummary(catalogue);
  const isAdmin = user.scopes.includes("admin");

  const href = (changes: { uncovered?: boolean; days?: string }) => {
    const p = new URLSearchParams();
    if (changes.uncovered ?? showUncovered) p.set("uncovered", "1");
    const days = changes.days ?? period.value;
    if (days !== DEFAULT_PERIOD.value) p.set("days", days);
    const qs = p.toString();
    return qs ? `/coverage?${qs}` : "/coverage";
  };
  const periodText = period.days === null ? "(all retained alerts)" : `in ${period.label}`;
  const links: CoverageLinks = {
    queueQuery: new URLSearchParams({ status: "all", ...(since && { since: since.toISOString() }) }).toString(),
    periodText,
    alertsByRule,
  };
  const empty = coverage.mappedRules === 0;

  return (
    <div className="space-y-4 px-4 py-5">
      <div className="flex flex-wrap items-start gap-x-6 gap-y-2">
        <div className="min-w-0">
          <h1 className="text-lg font-semibold">ATT&amp;CK coverage</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            The MITRE ATT&amp;CK Enterprise techniques that enabled rules detect, by tactic in kill-chain order, with the alerts carrying each technique {periodText} (event
            time).
          </p>
        </div>
        <div className="ml-auto">
          <CoverageControls
            showUncovered={showUncovered}
            toggleHref={href({ uncovered: !showUncovered })}
            period={period.value}
            periods={PERIODS.map((p) => ({ value: p.value, label: p.label, href: href({ days: p.value }) }))}
          />
        </div>
      </div>

      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm" aria-label="Coverage totals">
        <div className="flex gap-1.5">
          <dt className="text-zinc-600 dark:text-zinc-400">Techniques covered</dt>
          <dd className="font-medium tabular-nums" data-testid="coverage-techniques">
            {coverage.coveredTechniques} / {coverage.totalTechniques}
          </dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-zinc-600 dark:text-zinc-400">Sub-techniques</dt>
          <dd className="font-medium tabular-nums">
            {coverage.coveredSubtechniques} / {coverage.totalSubtechniques}
          </dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-zinc-600 dark:text-zinc-400">Enabled rules with ATT&amp;CK tags</dt>
          <dd className="font-medium tabular-nums">{coverage.mappedRules}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-zinc-600 dark:text-zinc-400">Alerts {periodText}</dt>
          <dd className="font-medium tabular-nums">{alertsInPeriod}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-zinc-600 dark:text-zinc-400">Catalogue</dt>
          <dd>
            <a href="#catalogue" className="underline decoration-zinc-300 underline-offset-2 dark:decoration-zinc-600">
              ATT&amp;CK {summary.attack_version}, {summary.origin}
            </a>
          </dd>
        </div>
      </dl>

      {empty && (
        <div className="rounded border border-dashed border-zinc-300 p-5 text-sm dark:border-zinc-700" role="note" aria-label="No coverage yet">
          <h2 className="font-medium">No enabled rule carries ATT&amp;CK tags</h2>
          <p className="mt-1 max-w-3xl text-zinc-600 dark:text-zinc-400">
            Coverage comes from the ATT&amp;CK mappings of the rules that run: Sigma <code>tags</code> such as <code>attack.persistence</code> and{" "}
            <code>attack.t1505.003</code>, the <code>[[rule.threat]]</code> entries of Elastic rules, and the same tags on native rules. Add them to your rule files
            (see <code>rules/README.md</code>), then reload the rules
            {coverage.mappedOffRules > 0 && (
              <>
                , or turn on the {coverage.mappedOffRules} rule{coverage.mappedOffRules === 1 ? " that has" : "s that have"} them but {coverage.mappedOffRules === 1 ? "is" : "are"} off, on the{" "}
                <Link href="/rules" className="underline">
                  Rules
                </Link>{" "}
                page
              </>
            )}
            . Tick &ldquo;Show uncovered techniques&rdquo; to see the whole matrix.
          </p>
        </div>
      )}

      {(!empty || showUncovered) && <CoverageMatrix coverage={coverage} showUncovered={showUncovered} links={links} />}

      {coverage.uncatalogued.length > 0 && <CoverageUncatalogued items={coverage.uncatalogued} attackVersion={summary.attack_version} links={links} />}

      <section id="catalogue" aria-labelledby="catalogue-heading" className="max-w-5xl space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
        <h2 id="catalogue-heading" className="text-sm font-semibold">
          Catalogue
        </h2>
        <p className="text-sm" data-testid="catalogue-in-use">
          {summary.origin === "imported" ? (
            <>
              <span className="font-medium">
                Imported {summary.name ?? "ATT&CK"} {summary.attack_version}
              </span>
              {summary.released && <> (released {summary.released.slice(0, 10)})</>}, from <span className="font-mono text-xs">{summary.file_name ?? "an uploaded bundle"}</span>, by{" "}
              {summary.imported_by} on {summary.imported_at?.replace("T", " ").slice(0, 16)} UTC.
            </>
          ) : (
            <>
              <span className="font-medium">Built-in ATT&amp;CK Enterprise {summary.attack_version}</span>, kept in the repository.
            </>
          )}{" "}
          <span className="text-zinc-600 dark:text-zinc-400">
            {summary.tactics} tactics, {summary.techniques} techniques, {summary.subtechniques} sub-techniques
            {summary.retired > 0 && `, ${summary.retired} retired`}.
          </span>
        </p>
        <p className="text-xs text-zinc-500">Source: {summary.source}</p>
        {summary.problem && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {summary.problem}
          </p>
        )}
        {isAdmin && <CoverageCatalogueAdmin imported={summary.origin === "imported" || summary.problem !== undefined} />}
        <p className="text-[11px] text-zinc-500">© The MITRE Corporation. ATT&amp;CK® is a registered trademark of The MITRE Corporation, used under the ATT&amp;CK Terms of Use.</p>
      </section>
    </div>
  );
}
