import { generateEvents, type EventKind } from "../generate-events";

export interface EventStreamOptions {
  /** Events per batch (one ingest request). */
  batchSize: number;
  /**
   * Tells runs apart: event n of run r carries the sequence number r × 10⁹ + n, so two runs
   * against one database never share an event and a replay of one run is exactly a re-send.
   */
  runId?: number;
  /** Distinct generated events the stream cycles through (default 20,000). */
  poolSize?: number;
  seed?: number;
  /** UTC day (YYYY-MM-DD) the events happen on; default yesterday, inside any retention window. */
  day?: string;
}

export interface EventStream {
  readonly batchSize: number;
  /** The NDJSON lines of batch `index` (0, 1, 2, …): the same every time it is asked for. */
  lines(index: number): string[];
  /** The request body of batch `index`. */
  body(index: number): string;
  /** What kind of line each line of batch `index` is. */
  kinds(index: number): EventKind[];
}

const SEQ_PLACEHOLDER = 8_765_432_109_876_543;

/**
 * An endless, deterministic stream of the bench's event mix (generate-events.ts: Sysmon as evtx
 * JSON and flat, Security 4688, Elastic Defend) in batches, where every event is distinct, so
 * "stored exactly once" can be checked event by event:
 *
 * - Elastic Defend documents get `event.id` = `bench-<seq>` (Defend sends one; Vigil keys on it),
 * - Sysmon evtx records get `Event.System.EventRecordID` = seq,
 * - flat Windows records get `RecordNumber` = seq (as NXLog writes it),
 *
 * the last two making their content (which Vigil hashes when there is no event.id) unique. The
 * generator's fixed date is moved to `day`: retention deletes events by event time, and the
 * generator's date would otherwise fall out of the window as the calendar moves on.
 *
 * Each pool line is split once around its sequence number, so a batch costs the client a string
 * join, not a JSON round trip: the client shares the machine with the server it measures.
 */
export function createEventStream(options: EventStreamOptions): EventStream {
  const poolSize = options.poolSize ?? 20_000;
  const runBase = (options.runId ?? 0) * 1e9;
  const day = options.day ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const generated = generateEvents(poolSize, options.seed ?? 4242);
  const parts = generated.lines.map((line): [string, string] => {
    const record = JSON.parse(line.replaceAll("2026-11-09", day)) as Record<string, unknown>;
    const system = (record["Event"] as { System?: Record<string, unknown> } | undefined)?.System;
    const event = record["event"] as Record<string, unknown> | undefined;
    if (system) system["EventRecordID"] = SEQ_PLACEHOLDER;
    else if (event && record["@timestamp"] !== undefined) event["id"] = `bench-${SEQ_PLACEHOLDER}`;
    else record["RecordNumber"] = SEQ_PLACEHOLDER;
    const split = JSON.stringify(record).split(String(SEQ_PLACEHOLDER));
    if (split.length !== 2) throw new Error(`event-stream: cannot place the sequence number in ${line.slice(0, 80)}…`);
    return split as [string, string];
  });
  const batchSize = options.batchSize;
  const lines = (index: number) => {
    const out: string[] = new Array<string>(batchSize);
    for (let j = 0; j < batchSize; j++) {
      const n = index * batchSize + j;
      const [before, after] = parts[n % poolSize]!;
      out[j] = before + String(runBase + n) + after;
    }
    return out;
  };
  return {
    batchSize,
    lines,
    body: (index) => lines(index).join("\n"),
    kinds: (index) => Array.from({ length: batchSize }, (_, j) => generated.kinds[(index * batchSize + j) % poolSize]!),
  };
}
