import { checkDatabase } from "@/lib/db/health";
import { countRules } from "@/lib/db/rules";
import { ready } from "@/lib/server/startup";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/health: for load balancers and operators, so it needs no token and says nothing
 * secret. 200 when the database is reachable, migrated and start-up finished; 503 otherwise.
 */
export async function GET(): Promise<Response> {
  // Details of a failure go to the server log, not to an unauthenticated caller.
  const startup = await ready().then(
    () => ({ ok: true as const }),
    (error: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: "start-up failed", error: String((error as Error).message) }));
      return { ok: false as const };
    },
  );
  const database = await checkDatabase();
  const rules = database.reachable ? await countRules().catch(() => null) : null;
  const ok = startup.ok && database.reachable && database.pendingMigrations?.length === 0;
  return Response.json(
    {
      status: ok ? "ok" : "unavailable",
      startup: startup.ok ? "done" : "failed (see the server log)",
      database: {
        reachable: database.reachable,
        migrations_pending: database.pendingMigrations,
      },
      rules,
    },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
