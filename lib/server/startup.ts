import { ensureBootstrapAdmin } from "@/lib/auth/bootstrap";
import { ensureBootstrapIngestToken } from "@/lib/db/tokens";
import { migrate } from "@/lib/db/migrate";
import { databaseUrl, env } from "@/lib/env";
import { syncRulesFromDisk } from "@/lib/rules/registry";
import { startScheduler } from "./scheduler";

/**
 * Everything a node does before it serves: migrate (advisory-locked, so concurrent starts are
 * safe), make sure an ingest token exists, and load the rules. Started once per process from
 * instrumentation.ts; request handlers await `ready()` so nothing is served half-initialised.
 */
const state = globalThis as unknown as { vigilReady?: Promise<void> };

export function ready(): Promise<void> {
  state.vigilReady ??= start().catch((error) => {
    state.vigilReady = undefined; // let the next request try again (e.g. the database came back)
    throw error;
  });
  return state.vigilReady;
}

function log(msg: string, extra: Record<string, unknown> = {}) {
  console.log(JSON.stringify({ level: "info", msg, ...extra }));
}

async function start(): Promise<void> {
  const config = env();
  await migrate(databaseUrl(), { log: (line) => log(line) });
  if (!config.VIGIL_INGEST_TOKEN) {
    const token = await ensureBootstrapIngestToken();
    if (token) {
      // Printed once, never logged again: only its hash is stored.
      console.log(
        `\n  Vigil ingest token (shown once, store it now):\n\n    ${token}\n\n` +
          `  Send events with: curl -H "Authorization: Bearer ${token}" -H "Content-Type: application/x-ndjson" --data-binary @events.ndjson http://localhost:${config.PORT}/api/v1/events\n`,
      );
    }
  }
  const admin = await ensureBootstrapAdmin();
  if (admin) {
    console.log(
      admin.password
        ? `\n  Vigil admin account created (password shown once, store it now):\n\n    email:    ${admin.email}\n    password: ${admin.password}\n\n  Sign in at http://localhost:${config.PORT}/sign-in and create accounts for your team.\n`
        : `\n  Vigil admin account created for ${admin.email} (password from VIGIL_ADMIN_PASSWORD).\n`,
    );
  }
  const rules = await syncRulesFromDisk((line) => log(line));
  log("rules loaded", { active: rules.loaded, unsupported: rules.unsupported, failed: rules.failed, missing: rules.missing });
  startScheduler();
}
