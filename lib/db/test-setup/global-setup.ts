import type { TestProject } from "vitest/node";
import { openDatabase } from "../../../scripts/db-runtime";

/**
 * Integration tests run against a real PostgreSQL (never a mock): a fresh, migrated database per
 * run, on the server in DATABASE_URL (CI's) or on the embedded server in .data/pg-test, dropped
 * afterwards. The tests never touch the database DATABASE_URL itself names.
 */
export default async function setup(project: TestProject) {
  const database = await openDatabase({ freshDb: true, log: () => {} });
  project.provide("databaseUrl", database.url);
  return async () => {
    await database.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
