import pg from "pg";
import { databaseUrl } from "@/lib/env";

/**
 * A plain pg pool for the one path that needs a multi-statement transaction with row and
 * advisory locks held across statements: the ingest batch (stateful decisions must see, lock and
 * update state in the same transaction that stores the alerts). Everything else goes through the
 * Prisma client.
 */
const globalForPool = globalThis as unknown as { vigilPool?: pg.Pool };

export function pool(): pg.Pool {
  if (!globalForPool.vigilPool) {
    globalForPool.vigilPool = new pg.Pool({
      connectionString: databaseUrl(),
      max: 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // Vigil's queries are short index scans; PostgreSQL's JIT added 30–50 ms to each large
      // aggregate (bench/queue.ts) without ever paying back.
      options: "-c jit=off",
    });
    // A client losing its connection (a database restart) must not crash the process: idle ones
    // report to the pool; a checked-out one emits on itself, and with no listener that is an
    // uncaught exception (seen in faults/postgres-stop.test.ts). The query in flight still fails.
    globalForPool.vigilPool.on("error", () => {});
    globalForPool.vigilPool.on("connect", (client) => client.on("error", () => {}));
  }
  return globalForPool.vigilPool;
}

export async function closePool(): Promise<void> {
  await globalForPool.vigilPool?.end();
  globalForPool.vigilPool = undefined;
}

const RETRYABLE = new Set(["40P01", "40001"]); // deadlock detected, serialization failure

/**
 * Runs `work` in one transaction on one connection, committing when it resolves. A deadlock or
 * serialization failure (two batches racing on the same keys in an unlucky order) rolls back and
 * runs the whole batch again: it is all-or-nothing, so a retry is safe.
 */
export async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      client.release();
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw error;
    }
  }
}
