/**
 * Process-local metrics in Prometheus text format (GET /api/v1/metrics): counters, one gauge and
 * one histogram, no dependency. Each node exposes its own; Prometheus sums them across nodes.
 * Label values come from a closed set (reasons, rule ids, exception ids), never from raw input.
 */

type Labels = Record<string, string>;

interface Counter {
  help: string;
  values: Map<string, { labels: Labels; value: number }>;
}

const state = globalThis as unknown as {
  vigilMetrics?: {
    counters: Map<string, Counter>;
    gauges: Map<string, { help: string; value: () => number }>;
    histogram: { name: string; help: string; buckets: number[]; counts: number[]; sum: number; count: number };
  };
};

/** Batch latency buckets, seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function registry() {
  state.vigilMetrics ??= {
    counters: new Map(),
    gauges: new Map(),
    histogram: { name: "vigil_ingest_batch_seconds", help: "Time to answer an ingest request, from its first byte to the committed batch.", buckets: BUCKETS, counts: BUCKETS.map(() => 0), sum: 0, count: 0 },
  };
  return state.vigilMetrics;
}

const HELP: Record<string, string> = {
  vigil_events_accepted_total: "Events accepted by the ingest API (stored now or already stored).",
  vigil_events_rejected_total: "Lines refused by the ingest API, by reason.",
  vigil_ingest_requests_total: "Ingest requests by HTTP status.",
  vigil_alerts_total: "Rule hits stored on alerts, by rule.",
  vigil_stateful_decisions_total: "Stateful rule candidates decided (new terms, new value, rare), by outcome.",
  vigil_exception_hits_total: "Rule matches an allowlist exception suppressed, by exception.",
};

export function countMetric(name: keyof typeof HELP, by = 1, labels: Labels = {}): void {
  if (by === 0) return;
  const counters = registry().counters;
  let counter = counters.get(name);
  if (!counter) counters.set(name, (counter = { help: HELP[name] ?? name, values: new Map() }));
  const key = JSON.stringify(labels);
  const entry = counter.values.get(key);
  if (entry) entry.value += by;
  else counter.values.set(key, { labels, value: by });
}

export function gaugeMetric(name: string, help: string, value: () => number): void {
  registry().gauges.set(name, { help, value });
}

export function observeBatchSeconds(seconds: number): void {
  const h = registry().histogram;
  for (let i = 0; i < h.buckets.length; i++) if (seconds <= h.buckets[i]!) h.counts[i]!++;
  h.sum += seconds;
  h.count++;
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** The exposition text, version 0.0.4. */
export function renderMetrics(): string {
  const r = registry();
  const lines: string[] = [];
  for (const [name, counter] of [...r.counters].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
    for (const { labels, value } of counter.values.values()) lines.push(`${name}${labelText(labels)} ${value}`);
  }
  for (const [name, gauge] of r.gauges) lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.value()}`);
  const h = r.histogram;
  lines.push(`# HELP ${h.name} ${h.help}`, `# TYPE ${h.name} histogram`);
  h.buckets.forEach((b, i) => lines.push(`${h.name}_bucket{le="${b}"} ${h.counts[i]}`));
  lines.push(`${h.name}_bucket{le="+Inf"} ${h.count}`, `${h.name}_sum ${h.sum}`, `${h.name}_count ${h.count}`);
  const mem = process.memoryUsage();
  lines.push("# HELP vigil_process_resident_bytes Resident memory of this process.", "# TYPE vigil_process_resident_bytes gauge", `vigil_process_resident_bytes ${mem.rss}`);
  return `${lines.join("\n")}\n`;
}

/** What an ingest line error was about, for the rejected-by-reason counter. */
export function rejectionReason(error: string): string {
  if (/^invalid JSON/i.test(error)) return "invalid_json";
  if (/^expected a JSON object/i.test(error)) return "not_an_object";
  if (/unrecognised event/i.test(error)) return "unknown_format";
  if (/bytes; the limit is/.test(error)) return "line_too_large";
  if (/nest/i.test(error)) return "too_deep";
  return "invalid_event";
}
