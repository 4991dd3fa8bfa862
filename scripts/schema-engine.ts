/**
 * Prisma's Wasm schema engine, driven through adapter-pg, for *authoring* migrations on machines
 * that cannot download the native engine (see ../shared/STACK-NOTES.md for the workarounds and
 * why each is needed). Used by `npm run db:diff` and by the schema-drift test; never at run time.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);

// Workaround: the schema describer selects Postgres "char" columns (OID 18), which adapter-pg
// cannot decode. Read them as text.
const CHAR_OID = 18;
const TEXT_OID = 25;
const PgResult = require("pg/lib/result.js") as {
  prototype: { addFields(fields: { dataTypeID: number }[]): void };
};
const addFields = PgResult.prototype.addFields;
PgResult.prototype.addFields = function patchedAddFields(fields) {
  for (const f of fields) if (f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
  return addFields.call(this, fields);
};

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>;
  free(): void;
};

export interface DiffOptions {
  schemaPath: string;
  /** The database to diff from (the engine connects even to diff from an empty schema). */
  fromUrl: string;
}

// The engine reports Rust panics through this global; without it a panic surfaces as a TypeError.
const panics: string[] = [];
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message: string) => {
    panics.push(message);
    console.error(`schema engine panic: ${message}`);
  },
};

async function loadRuntime() {
  const runtimePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const runtime = await import(runtimePath);
  const wasmPath = path.join(path.dirname(runtimePath), "schema_engine_bg.wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), {
    "./schema_engine_bg.js": runtime,
  });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return runtime;
}

/** SQL that takes the database at `fromUrl` to the Prisma schema; "" when they agree. */
export async function diffToSchema(options: DiffOptions): Promise<string> {
  const runtime = await loadRuntime();
  const schemaText = fs.readFileSync(options.schemaPath, "utf8");
  const url = new URL(options.fromUrl);
  // Discrete fields, not connectionString (adapter-pg's shadow-db helper would otherwise ignore
  // the database it sets; we never use a shadow database here anyway).
  const factory = new PrismaPg({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1) || "postgres",
    max: 1,
  });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as never);
  const engine: Engine = await runtime.SchemaEngine.new(
    { datamodels: [[options.schemaPath, schemaText]] },
    () => {},
    adapter,
  );
  try {
    const { stdout } = await engine.diff({
      from: { tag: "schemaDatasource", files: [{ path: options.schemaPath, content: schemaText }], configDir: process.cwd() },
      to: { tag: "schemaDatamodel", files: [{ path: options.schemaPath, content: schemaText }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return stdout.includes("-- This is an empty migration.") ? "" : stdout.trim();
  } catch (error) {
    throw new Error(panics.length ? `schema engine panicked: ${panics.join("; ")}` : String(error));
  } finally {
    engine.free();
  }
}
