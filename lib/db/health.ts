import { pendingMigrations } from "./migrate";
import { databaseUrl } from "@/lib/env";
import { db } from "./client";

export interface DatabaseHealth {
  reachable: boolean;
  pendingMigrations: string[] | null;
}

export async function checkDatabase(): Promise<DatabaseHealth> {
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return { reachable: true, pendingMigrations: await pendingMigrations(databaseUrl()) };
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "database check failed", error: describeDatabaseError(error) }));
    return { reachable: false, pendingMigrations: null };
  }
}

/**
 * What a failed database call says, on one line, for the log. Prisma's driver adapter can throw
 * with an empty message and the reason in `code` or in `cause` (the health check logged `""`
 * while PostgreSQL was down), so every part that says something is kept.
 */
export function describeDatabaseError(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null | undefined;
  const line = (v: unknown) => (typeof v === "string" ? v.split("\n")[0]!.trim() : typeof v === "number" ? String(v) : "");
  const parts = [line(e?.code), line(e?.message), line(e?.cause?.code), line(e?.cause?.message)].filter((p) => p !== "");
  if (parts.length > 0) return [...new Set(parts)].join(": ");
  return line(e?.name) || String(error);
}
