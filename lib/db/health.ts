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
    console.error(JSON.stringify({ level: "error", msg: "database check failed", error: String((error as Error).message).split("\n")[0] }));
    return { reachable: false, pendingMigrations: null };
  }
}
