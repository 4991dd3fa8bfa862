/**
 * tsx scripts/with-db.ts [--fresh-db] -- <command...>
 * Runs <command> with DATABASE_URL pointing at a migrated PostgreSQL (see db-runtime.ts).
 */
import { freePort, runWithDatabase } from "./db-runtime";

const args = process.argv.slice(2);
const sep = args.indexOf("--");
const flags = sep === -1 ? [] : args.slice(0, sep);
const command = (sep === -1 ? args : args.slice(sep + 1)).join(" ");
if (!command) {
  console.error("usage: tsx scripts/with-db.ts [--fresh-db] -- <command>");
  process.exit(2);
}
const env: Record<string, string> = {};
if (!process.env.E2E_PORT) env.E2E_PORT = String(await freePort());
const code = await runWithDatabase(command, { freshDb: flags.includes("--fresh-db"), env });
process.exit(code);
