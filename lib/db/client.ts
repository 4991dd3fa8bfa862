import { PrismaPg } from "@prisma/adapter-pg";
import { databaseUrl } from "@/lib/env";
import { PrismaClient } from "./generated/prisma/client";

/**
 * The one Prisma client (STYLE F9), created on first use so `next build` needs no database, and
 * kept on globalThis so dev-mode hot reloads do not open a new pool each time.
 */
const globalForPrisma = globalThis as unknown as { vigilPrisma?: PrismaClient };

export function db(): PrismaClient {
  if (!globalForPrisma.vigilPrisma) {
    const adapter = new PrismaPg({
      connectionString: databaseUrl(),
      max: 10,
      // Fail fast when PostgreSQL is down: ingest answers 503 instead of hanging.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // Vigil's queries are short index scans; PostgreSQL's JIT added 30–50 ms to each large
      // aggregate (bench/queue.ts) without ever paying back.
      options: "-c jit=off",
    });
    globalForPrisma.vigilPrisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.vigilPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.vigilPrisma?.$disconnect();
  globalForPrisma.vigilPrisma = undefined;
}

export { Prisma } from "./generated/prisma/client";
