import path from "node:path";
import { inject } from "vitest";
import { buildRuleSet, loadRules, normalizeEvent, type RuleSet } from "@/lib/detection";
import { eventKey } from "@/lib/ingest/event-key";
import { readRuleFiles } from "@/lib/rules/read-rule-files";
import { ruleLoadOptions } from "@/lib/rules/engine-options";
import type { EventStream } from "../bench/load/event-stream";
import { createScratchDatabase, withClient, type ScratchDatabase } from "../bench/load/scratch-database";
import { startServer, type RunningServer } from "../bench/load/start-server";

/**
 * What the fault tests share: servers started from the build, scratch databases, and the
 * checks, which read only the HTTP answers and the `events` and `alerts` tables (by event_key),
 * so they hold whatever the storage layout behind them.
 */
export const INGEST_TOKEN = "faults-ingest-token-0123456789abcdef";
export const ADMIN_TOKEN = "faults-admin-token-0123456789abcdef-0123";

const running = new Set<RunningServer>();
// A worker that dies between start and stop must not leave a server behind (its own group).
process.on("exit", () => {
  for (const s of running) {
    try {
      process.kill(-s.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});

/**
 * A production server on `databaseUrl` with the test tokens; events retained 7 days unless `env`
 * says otherwise; `processes` > 1 serves through scripts/serve.ts (VIGIL_PROCESSES).
 */
export async function startVigil(databaseUrl: string, env: Record<string, string> = {}, processes = 1): Promise<RunningServer> {
  const server = await startServer({
    processes,
    dir: inject("faultsBuildDir"),
    databaseUrl,
    env: { VIGIL_INGEST_TOKEN: INGEST_TOKEN, VIGIL_ADMIN_TOKEN: ADMIN_TOKEN, VIGIL_EVENT_RETENTION_DAYS: "7", ...env },
    echo: process.env.VIGIL_FAULTS_ECHO === "1",
  });
  running.add(server);
  const { stop, kill } = server;
  server.stop = () => stop().finally(() => running.delete(server));
  server.kill = () => kill().finally(() => running.delete(server));
  return server;
}

export function scratchDatabase(label: string): Promise<ScratchDatabase> {
  return createScratchDatabase(inject("faultsDatabaseUrl"), `vigil_faults_${label}`);
}

/** The event key (lib/ingest/event-key.ts) of every event of `batches`, with its batch. */
export function eventKeys(stream: EventStream, batches: Iterable<number>): Map<string, number> {
  const keys = new Map<string, number>();
  for (const batch of batches) {
    for (const line of stream.lines(batch)) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const normalized = normalizeEvent(record, { receivedAt: new Date() });
      if (!normalized.ok) throw new Error(`the stream made an event Vigil refuses: ${normalized.error}`);
      keys.set(eventKey(JSON.stringify(record), normalized.event), batch);
    }
  }
  return keys;
}

let ruleSet: RuleSet | undefined;

/**
 * Keys of the events of `batches` that a stateless rule of the server's rule folder matches:
 * each must end up with exactly one alert, whatever the order the batches arrived in. (Stateful
 * rules, new terms and rare, alert on whichever event came first, so they give no fixed set.)
 */
export function statelessAlertKeys(stream: EventStream, batches: Iterable<number>): Set<string> {
  if (!ruleSet) {
    const dir = inject("faultsBuildDir");
    const { files } = readRuleFiles([path.join(dir, "rules")], dir);
    const loaded = loadRules(files, ruleLoadOptions());
    ruleSet = buildRuleSet(loaded.rules.filter((r) => r.detector));
  }
  const keys = new Set<string>();
  for (const batch of batches) {
    for (const line of stream.lines(batch)) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const normalized = normalizeEvent(record, { receivedAt: new Date() });
      if (normalized.ok && ruleSet.match(normalized.event).some((m) => !m.stateful)) keys.add(eventKey(JSON.stringify(record), normalized.event));
    }
  }
  return keys;
}

/** How many rows of `table` hold each event_key. */
export async function keyCounts(databaseUrl: string, table: "events" | "alerts"): Promise<Map<string, number>> {
  return withClient(databaseUrl, async (c) => {
    const rows = await c.query<{ event_key: string; n: number }>(`SELECT event_key, count(*)::int AS n FROM ${table} GROUP BY event_key`);
    return new Map(rows.rows.map((r) => [r.event_key, r.n]));
  });
}

export interface KeyDiff {
  /** Expected keys with no row. */
  missing: string[];
  /** Keys with more than one row. */
  duplicated: string[];
  /** Keys with a row that are not expected (nor allowed). */
  unexpected: string[];
}

/** Compares stored key counts with the keys that must each be stored exactly once. */
export function diffKeys(counts: ReadonlyMap<string, number>, expected: Iterable<string>, allowed: ReadonlySet<string> | ReadonlyMap<string, unknown> = new Set()): KeyDiff {
  const want = new Set(expected);
  const missing = [...want].filter((k) => !counts.has(k));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  const unexpected = [...counts.keys()].filter((k) => !want.has(k) && !allowed.has(k));
  return { missing, duplicated, unexpected };
}

/** A KeyDiff for an assertion message: the counts and the first few of each. */
export function describeDiff(d: KeyDiff): string {
  const part = (name: string, list: string[]) => `${name}: ${list.length}${list.length ? ` (${list.slice(0, 5).join(", ")}${list.length > 5 ? ", …" : ""})` : ""}`;
  return [part("missing", d.missing), part("duplicated", d.duplicated), part("unexpected", d.unexpected)].join("; ");
}

/** What describeDiff says when every expected key is stored exactly once and nothing else is. */
export const EXACTLY_ONCE = describeDiff({ missing: [], duplicated: [], unexpected: [] });

/** The in-flight ingest requests the server reports (GET /api/v1/metrics, gauge vigil_ingest_in_flight). */
export async function ingestInFlight(server: RunningServer): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const text = await response.text();
  const match = /^vigil_ingest_in_flight (\d+)/m.exec(text);
  if (response.status !== 200 || !match) throw new Error(`metrics: ${response.status} ${text.slice(0, 200)}`);
  return Number(match[1]);
}
