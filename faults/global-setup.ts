import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureBuild } from "../bench/load/ensure-build";
import { openDatabase } from "../scripts/db-runtime";

/**
 * The faults tier drives a production server (`next start`), so it needs a build: the one the
 * e2e tier just made when it is newer than the sources, else it builds (about a minute).
 * VIGIL_FAULTS_BUILD_DIR points at another checkout's build instead. Each test makes its own
 * databases on the PostgreSQL server of DATABASE_URL (CI's), else on the embedded server in
 * .data/pg-test, and drops them.
 */
export default async function setup(project: TestProject) {
  const buildDir = path.resolve(process.env.VIGIL_FAULTS_BUILD_DIR ?? path.join(import.meta.dirname, ".."));
  ensureBuild(buildDir);
  const database = await openDatabase({ freshDb: true, log: () => {} });
  project.provide("faultsDatabaseUrl", database.url);
  project.provide("faultsBuildDir", buildDir);
  return async () => {
    await database.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    faultsDatabaseUrl: string;
    faultsBuildDir: string;
  }
}
