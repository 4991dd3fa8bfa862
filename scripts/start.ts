/**
 * npm start: build the console if the build is missing or older than the sources, then serve it
 * on PORT (default 3000) against DATABASE_URL, or the embedded PostgreSQL in .data/ when unset.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { replayOnStart } from "../lib/demo/replay-on-start";
import { runWithDatabase } from "./db-runtime";
import { serverNodeOptions } from "./server-node-options";

const BUILD_INPUTS = ["app", "components", "lib", "prisma/schema.prisma", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "instrumentation.ts"];
const STAMP = ".next/vigil-build-stamp";

function sourceStamp(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name === "node_modules" || name.endsWith(".test.ts")) continue;
        visit(path.join(p, name));
      }
    } else {
      hash.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  for (const input of BUILD_INPUTS) visit(input);
  return hash.digest("hex");
}

const stamp = sourceStamp();
const built = fs.existsSync(".next/BUILD_ID") && fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === stamp;
if (!built) {
  console.error("[vigil] building the console (next build); this takes a minute on first start");
  const build = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  fs.writeFileSync(STAMP, stamp);
}

const port = process.env.PORT ?? "3000";
const host = process.env.HOST ? ` -H ${process.env.HOST}` : "";
// VIGIL_DEMO=1: replay the demo into the console once it is up (README "Demo"), with the
// bootstrap ingest token: VIGIL_INGEST_TOKEN, or one made up for this run when it is unset.
const demoToken = process.env.VIGIL_DEMO === "1" ? (process.env.VIGIL_INGEST_TOKEN ?? `vgl_demo_${randomBytes(24).toString("base64url")}`) : null;
// VIGIL_PROCESSES (README "Configuration"): more than one server process sharing the port.
const serve = (process.env.VIGIL_PROCESSES ?? "1").trim() === "1" ? `npx next start -p ${port}${host}` : `node --import tsx scripts/serve.ts`;
const server = runWithDatabase(serve, { env: { PORT: port, NODE_OPTIONS: serverNodeOptions(), ...(demoToken && { VIGIL_INGEST_TOKEN: demoToken }) } });
if (demoToken) void replayOnStart(port, process.env.HOST, demoToken);
process.exit(await server);
