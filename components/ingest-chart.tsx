/**
 * Events per minute over the last 24 hours, stacked by source format, as server-rendered SVG (no
 * chart library, no client JavaScript). The plot stretches to its box; the axis labels are HTML
 * placed by percentage, so text never stretches with it.
 */

const MINUTE_MS = 60_000;
const MINUTES = 24 * 60;
const HEIGHT = 100;
/** Where a zero sits: just below the plot, so the outline's stroke never draws along the axis. */
const BELOW = HEIGHT + 3;

/** Label and colours of each source format (swatches, chart layers), light and dark. */
export const FORMAT_STYLE: Record<string, { label: string; shape: string; swatch: string }> = {
  windows_flat: { label: "Windows event (flat)", shape: "fill-violet-500 stroke-violet-500 dark:fill-violet-400 dark:stroke-violet-400", swatch: "bg-violet-500 dark:bg-violet-400" },
  ecs: { label: "ECS", shape: "fill-sky-500 stroke-sky-500 dark:fill-sky-400 dark:stroke-sky-400", swatch: "bg-sky-500 dark:bg-sky-400" },
  evtx_json: { label: "evtx JSON", shape: "fill-amber-500 stroke-amber-500 dark:fill-amber-400 dark:stroke-amber-400", swatch: "bg-amber-500 dark:bg-amber-400" },
  winlogbeat: { label: "winlogbeat", shape: "fill-emerald-500 stroke-emerald-500 dark:fill-emerald-400 dark:stroke-emerald-400", swatch: "bg-emerald-500 dark:bg-emerald-400" },
};
const OTHER_FORMAT = { shape: "fill-zinc-400 stroke-zinc-400", swatch: "bg-zinc-400" };

export const formatStyle = (format: string) => FORMAT_STYLE[format] ?? { ...OTHER_FORMAT, label: format };

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const count = (n: number) => n.toLocaleString("en-US");

/** 1, 2 or 5 times a power of ten, at least `n`: a scale whose half and top read well. */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/**
 * The outline of one stacked layer as a step path: x is the minute (0–1440), y is 0 at the top.
 * Only changes are written, so a quiet day costs a few bytes, not 1,440 points. A minute is less
 * than a pixel wide: the path is also stroked (a fixed 1.5 px), so a lone busy minute still shows.
 */
function skyline(tops: Float64Array, max: number): string {
  const y = (v: number) => (v === 0 ? BELOW : +(HEIGHT - (v / max) * HEIGHT).toFixed(2));
  let d = `M0 ${BELOW}`;
  let current = BELOW;
  for (let i = 0; i < tops.length; i++) {
    const next = y(tops[i]!);
    if (next !== current) {
      d += `H${i}V${next}`;
      current = next;
    }
  }
  return `${d}H${tops.length}V${BELOW}Z`;
}

export interface IngestChartProps {
  /** First minute of the window (UTC); the chart shows 1,440 minutes from it. */
  from: Date;
  perMinute: { minute: Date; format: string; events: number }[];
  rejectedPerMinute: { minute: Date; lines: number }[];
  /** Formats with their totals, largest first: the stacking order (largest at the bottom). */
  formats: { format: string; events: number }[];
}

export function IngestChart({ from, perMinute, rejectedPerMinute, formats }: IngestChartProps) {
  const start = from.getTime();
  const index = (d: Date) => Math.floor((d.getTime() - start) / MINUTE_MS);
  const layers = formats.map(() => new Float64Array(MINUTES));
  const order = new Map(formats.map((f, i) => [f.format, i]));
  for (const m of perMinute) {
    const i = index(m.minute);
    const layer = order.get(m.format);
    if (i >= 0 && i < MINUTES && layer !== undefined) layers[layer]![i]! += m.events;
  }
  // Cumulative: layer k's top is the sum of layers 0..k; painted top-down, each hides the next.
  for (let k = 1; k < layers.length; k++) for (let i = 0; i < MINUTES; i++) layers[k]![i]! += layers[k - 1]![i]!;
  const totals = layers.at(-1) ?? new Float64Array(MINUTES);
  let peak = 0;
  let peakAt = 0;
  for (let i = 0; i < MINUTES; i++) {
    if (totals[i]! > peak) {
      peak = totals[i]!;
      peakAt = i;
    }
  }
  const max = niceMax(peak);
  const refused = rejectedPerMinute.map((r) => ({ i: index(r.minute), lines: r.lines })).filter((r) => r.i >= 0 && r.i < MINUTES);
  const refusedTotal = refused.reduce((n, r) => n + r.lines, 0);

  // Hour ticks every 3 hours, on UTC hour boundaries.
  const ticks: { at: number; label: string }[] = [];
  const firstHour = Math.ceil(start / 3_600_000) * 3_600_000;
  for (let t = firstHour; t < start + MINUTES * MINUTE_MS; t += 3_600_000) {
    if (new Date(t).getUTCHours() % 3 === 0) ticks.push({ at: ((t - start) / MINUTE_MS / MINUTES) * 100, label: hhmm(t) });
  }

  const total = formats.reduce((n, f) => n + f.events, 0);
  const summary =
    total === 0
      ? "No events in the last 24 hours."
      : `${count(total)} events in the last 24 hours; busiest minute ${hhmm(start + peakAt * MINUTE_MS)} UTC with ${count(peak)}. ` +
        formats.map((f) => `${formatStyle(f.format).label}: ${count(f.events)}`).join(", ") +
        `.${refusedTotal > 0 ? ` ${count(refusedTotal)} lines refused.` : ""}`;

  return (
    <figure className="space-y-2">
      <figcaption className="flex flex-wrap items-baseline gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="text-sm font-medium text-zinc-900 dark:text-zinc-100">Events per minute, last 24 hours (UTC)</span>
        <ul className="flex flex-wrap gap-x-3 gap-y-1" aria-label="Formats">
          {formats.map((f) => (
            <li key={f.format} className="flex items-center gap-1.5">
              <span aria-hidden className={`inline-block size-2.5 rounded-sm ${formatStyle(f.format).swatch}`} />
              {formatStyle(f.format).label}
            </li>
          ))}
          {refusedTotal > 0 && (
            <li className="flex items-center gap-1.5">
              <span aria-hidden className="inline-block h-2.5 w-1 rounded-sm bg-red-500" />
              refused lines
            </li>
          )}
        </ul>
      </figcaption>
      <div className="flex gap-2">
        <div aria-hidden className="flex w-10 shrink-0 flex-col justify-between pb-5 text-right text-[11px] text-zinc-500 tabular-nums">
          <span>{count(max)}</span>
          <span>{count(max / 2)}</span>
          <span>0</span>
        </div>
        <div className="min-w-0 flex-1">
          <div className="relative h-36 border-b border-l border-zinc-300 dark:border-zinc-700">
            <div aria-hidden className="absolute inset-x-0 top-0 border-t border-dashed border-zinc-200 dark:border-zinc-800" />
            <div aria-hidden className="absolute inset-x-0 top-1/2 border-t border-dashed border-zinc-200 dark:border-zinc-800" />
            <svg role="img" aria-label={summary} viewBox={`0 0 ${MINUTES} ${HEIGHT}`} preserveAspectRatio="none" className="absolute inset-0 size-full overflow-hidden">
              <title>{summary}</title>
              {layers
                .map((tops, k) => (
                  <path
                    key={formats[k]!.format}
                    d={skyline(tops, max)}
                    className={formatStyle(formats[k]!.format).shape}
                    strokeWidth={1.5}
                    strokeLinejoin="round"
                    vectorEffect="non-scaling-stroke"
                  >
                    <title>{`${formatStyle(formats[k]!.format).label}: ${count(formats[k]!.events)} events`}</title>
                  </path>
                ))
                .reverse()}
            </svg>
          </div>
          {refused.length > 0 && (
            <svg aria-hidden viewBox={`0 0 ${MINUTES} 10`} preserveAspectRatio="none" className="mt-1 block h-2 w-full">
              {refused.map((r) => (
                <rect key={r.i} x={r.i} y={0} width={Math.max(1, MINUTES / 360)} height={10} className="fill-red-500" />
              ))}
            </svg>
          )}
          <div aria-hidden className="relative mt-1 h-4 text-[11px] text-zinc-500 tabular-nums">
            {ticks.map((t) => (
              <span key={t.at} className="absolute -translate-x-1/2" style={{ left: `${t.at}%` }}>
                {t.label}
              </span>
            ))}
          </div>
        </div>
      </div>
    </figure>
  );
}
