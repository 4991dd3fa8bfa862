import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";
import { gaugeMetric } from "./metrics";

/**
 * Backpressure for the ingest API: at most VIGIL_INGEST_MAX_CONCURRENT requests are read, parsed
 * and stored at once per process (each holds up to VIGIL_MAX_BODY_BYTES in memory); past that, a
 * shipper gets 429 with Retry-After instead of a queue that grows until memory runs out. And, when
 * VIGIL_INGEST_EVENTS_PER_SECOND is set, a token bucket per API token (burst: two seconds' worth).
 */

const state = globalThis as unknown as { vigilIngest?: { inFlight: number; buckets: Map<string, { tokens: number; at: number }> } };

function ingest() {
  if (!state.vigilIngest) {
    state.vigilIngest = { inFlight: 0, buckets: new Map() };
    gaugeMetric("vigil_ingest_in_flight", "Ingest requests being processed now.", () => state.vigilIngest?.inFlight ?? 0);
  }
  return state.vigilIngest;
}

/** Takes an ingest slot or answers 429; call the returned function when the request is done. */
export function acquireIngestSlot(): () => void {
  const s = ingest();
  if (s.inFlight >= env().VIGIL_INGEST_MAX_CONCURRENT) {
    throw new ApiError("rate_limit_exceeded", `ingest is at capacity (${s.inFlight} requests in flight): retry shortly`, undefined, { "Retry-After": "1" });
  }
  s.inFlight++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    s.inFlight--;
  };
}

/** Spends `events` from the token's bucket, or answers 429 saying when to retry. */
export function spendEventBudget(token: string, events: number, now = Date.now()): void {
  const rate = env().VIGIL_INGEST_EVENTS_PER_SECOND;
  if (!rate || events === 0) return;
  const burst = rate * 2;
  const buckets = ingest().buckets;
  const bucket = buckets.get(token) ?? { tokens: burst, at: now };
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
  bucket.at = now;
  buckets.set(token, bucket);
  if (events > burst) throw new ApiError("payload_too_large", `this token may send at most ${burst} events per request (VIGIL_INGEST_EVENTS_PER_SECOND=${rate})`);
  if (bucket.tokens < events) {
    const wait = Math.max(1, Math.ceil((events - bucket.tokens) / rate));
    throw new ApiError("rate_limit_exceeded", `this token's rate limit is ${rate} events/s: retry in ${wait} s`, undefined, { "Retry-After": String(wait) });
  }
  bucket.tokens -= events;
}
