import { db } from "../client";

/** Empty every data table between test files (the schema and migrations stay). */
export async function resetDatabase(): Promise<void> {
  await db().$executeRawUnsafe(
    `TRUNCATE alert_activity, alert_rules, alerts, events, rule_load_errors, rules, api_tokens RESTART IDENTITY CASCADE`,
  );
}
