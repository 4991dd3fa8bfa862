import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "../../scripts/db-runtime";
import { serverNodeOptions } from "../../scripts/server-node-options";
import { nextBin } from "./ensure-build";
import { readGroupRssMb } from "./sample-rss";

export interface ServerOptions {
  /** The project folder holding a production build (.next); `next start` runs there. */
  dir: string;
  databaseUrl: string;
  /** Vigil's configuration (tokens, retention, limits); VIGIL_* of this process are not passed on. */
  env?: Record<string, string>;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** How long to wait for /api/v1/health to answer 200 (default 60 s). */
  startTimeoutMs?: number;
  /** Print the server's output as it comes (default: keep only the last lines for diagnostics). */
  echo?: boolean;
  /**
   * Server processes: 1 (default) is `next start`; more run scripts/serve.ts with
   * VIGIL_PROCESSES, that many Next.js servers sharing the port.
   */
  processes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Pid of `next start`, which is also its process group id. */
  pid: number;
  alive(): boolean;
  /** Resident memory of the server's process group in MB (null once it is gone). */
  rssMb(): number | null;
  /** The last lines the server printed. */
  output(): string;
  /** Every line the server logged at level "error" (the first 1,000), over its whole life. */
  errorLines(): string[];
  /** SIGTERM to the process group, SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL to the process group: no graceful shutdown, no flushing, like a power cut. */
  kill(): Promise<void>;
}

const KEEP_LINES = 400;

/**
 * Starts `next start` from a production build, bound to loopback on a free port, in its own
 * process group, and waits until GET /api/v1/health answers 200 (start-up done, database
 * reachable and migrated). Rejects, with the server's last output, when it exits or the wait
 * times out.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const inherited: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("VIGIL_") && k !== "DATABASE_URL" && k !== "PORT") inherited[k] = v;
  }
  // The node options `npm start` gives a server (scripts/server-node-options.ts).
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: serverNodeOptions(inherited.NODE_OPTIONS),
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
  };
  const processes = options.processes ?? 1;
  // BENCH_SERVER_NODE_ARGS: Node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // to profile it; NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const args = [
    ...nodeArgs,
    ...(processes > 1
      ? ["--import", "tsx", path.join(options.dir, "scripts/serve.ts")]
      : [nextBin(options.dir), "start", "-H", "127.0.0.1", "-p", String(port)]),
  ];
  if (processes > 1) Object.assign(env, { VIGIL_PROCESSES: String(processes), HOST: "127.0.0.1" });
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.dir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (!pid) throw new Error("could not start next start");
  const lines: string[] = [];
  const errors: string[] = [];
  const onData = (stream: NodeJS.ReadableStream | null, echo: NodeJS.WriteStream) => {
    let rest = "";
    stream?.on("data", (chunk: Buffer) => {
      if (options.echo) echo.write(chunk);
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        if (line.includes('"level":"error"') && errors.length < 1000) errors.push(line);
      }
      if (lines.length > KEEP_LINES * 2) lines.splice(0, lines.length - KEEP_LINES);
    });
  };
  onData(child.stdout, process.stdout);
  onData(child.stderr, process.stderr);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const output = () => lines.slice(-KEEP_LINES).join("\n");
  const url = `http://127.0.0.1:${port}`;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  };
  const server: RunningServer = {
    url,
    port,
    pid,
    alive: () => child.exitCode === null && child.signalCode === null,
    rssMb: () => readGroupRssMb(pid),
    output,
    errorLines: () => [...errors],
    async stop() {
      if (!server.alive()) return;
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      signalGroup("SIGKILL");
      if (server.alive()) await exited;
    },
  };
  try {
    await waitHealthy(url, child, output, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was healthy; its output:\n${output()}`);
    }
    // A configuration error never heals by waiting: fail at once, with the reason.
    const config = /invalid configuration: [^"\n]*/.exec(output());
    if (config) throw new Error(`the server refused its configuration: ${config[0]}`);
    try {
      const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = String((error as Error).message);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server was not healthy after ${timeoutMs / 1000} s (last: ${last}); its output:\n${output()}`);
}
