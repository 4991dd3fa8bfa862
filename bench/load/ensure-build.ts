import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** What a production build is made from (scripts/start.ts hashes the same list). */
const BUILD_INPUTS = ["app", "components", "lib", "prisma/schema.prisma", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "instrumentation.ts"];

/** The `next` CLI of the project in `dir`, run with this Node (no npx: one process less to kill). */
export function nextBin(dir: string): string {
  return createRequire(path.join(dir, "package.json")).resolve("next/dist/bin/next");
}

/** Newest modification time among the build inputs of `dir` (tests and node_modules left out). */
function newestSourceMs(dir: string): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) {
        if (name === "node_modules" || name.endsWith(".test.ts")) continue;
        visit(path.join(p, name));
      }
    } else if (st.mtimeMs > newest) {
      newest = st.mtimeMs;
    }
  };
  for (const input of BUILD_INPUTS) visit(path.join(dir, input));
  return newest;
}

/**
 * Why the build in `dir` cannot be used, or null when it can: a build is usable when
 * .next/BUILD_ID exists and is newer than every source file. That is true right after the e2e
 * tier's `next build` (so the faults tier reuses it) and after `npm start` built; mtimes rather
 * than scripts/start.ts's stamp file, because Playwright's build writes no stamp.
 */
export function staleBuildReason(dir: string): string | null {
  const id = path.join(dir, ".next", "BUILD_ID");
  if (!fs.existsSync(id)) return "no build (.next/BUILD_ID is missing)";
  const built = fs.statSync(id).mtimeMs;
  const newest = newestSourceMs(dir);
  return newest > built ? `the build is older than the sources (by ${Math.round((newest - built) / 1000)} s)` : null;
}

/** Runs `next build` in `dir` unless its build is usable; throws when the build fails. */
export function ensureBuild(dir: string, log: (line: string) => void = (l) => console.error(l)): void {
  const reason = staleBuildReason(dir);
  if (!reason) return;
  log(`[load] building ${dir} (${reason}): next build`);
  const started = Date.now();
  const build = spawnSync(process.execPath, [nextBin(dir), "build"], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (build.status !== 0) throw new Error(`next build in ${dir} failed (exit ${build.status ?? build.signal})`);
  log(`[load] built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
