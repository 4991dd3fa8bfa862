import { db } from "../client";

/** Empty every data table between test files (the schema and migrations stay). */
export async function resetDatabase(): Promise<void> {
  await db().$executeRawUnsafe(
    `TRUNCATE exception_hits, exceptions, alert_activity, alert_checklist_ticks, alert_rules, alerts, alert_counts, events, arrival_event_keys, rule_load_errors, novelty_states, rarity_states, rule_states, rules, api_tokens, audit_events, sessions, accounts, verifications, rate_limits, users, settings, ingest_minutes, ingest_token_minutes, ingest_host_hours, ingest_hosts, ingest_rejected_lines RESTART IDENTITY CASCADE`,
  );
}
