import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// The Prisma CLI downloads its native schema engine before every command, and these machines
// cannot reach binaries.prisma.sh. `generate` does not need the engine, so point the CLI at a
// harmless binary unless a real engine was downloaded. Migrations are applied by our own runner
// (lib/db/migrate.ts), not by `prisma migrate`; see README "Database".
const enginesDir = path.resolve("node_modules/@prisma/engines");
const hasEngine =
  fs.existsSync(enginesDir) && fs.readdirSync(enginesDir).some((f) => f.startsWith("schema-engine-"));
if (!hasEngine) process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
