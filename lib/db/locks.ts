import { pool } from "./pool";

/**
 * Runs `work` only if no other node is running work under the same lock id; otherwise returns
 * null at once. A session-level advisory lock on a dedicated connection, released when done.
 */
export async function runExclusive<T>(lockId: number, work: () => Promise<T>): Promise<T | null> {
  const client = await pool().connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [lockId]);
    if (!rows[0]?.locked) return null;
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [lockId]);
    }
  } finally {
    client.release();
  }
}
