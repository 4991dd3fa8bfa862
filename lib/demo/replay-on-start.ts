import net from "node:net";
import { count, duration, progressPrinter } from "./progress";
import { replayDemo, ReplayError } from "./replay";

/**
 * `VIGIL_DEMO=1 npm start`: once the console it started answers, replay the demo into it, once
 * per start. Nothing is skipped: the replay is idempotent, so a restart the same UTC day only
 * sends duplicates (a few seconds) and creates no alert. A failure is reported and the console
 * keeps running; it never stops the server.
 */
export async function replayOnStart(port: number | string, host: string | undefined, token: string, log: (line: string) => void = (l) => console.error(`[vigil] demo: ${l}`)): Promise<void> {
  const url = `http://${localHost(host)}:${port}`;
  const progress = progressPrinter({ write: (text) => text.trimEnd() && log(text.trimEnd()) }, { intervalMs: 5_000 });
  try {
    log(`replaying the demo scenario into ${url} once the console is up`);
    const s = await replayDemo({ url, token, waitMs: 300_000, retryRefused: true, onProgress: (p) => progress.update(p) });
    log(
      s.stored === 0
        ? `already loaded today: ${count(s.events)} duplicates, no new alert`
        : `${count(s.events)} events in ${duration(s.elapsedMs / 1000)}: ${count(s.stored)} new, ${count(s.duplicates)} duplicates, ${count(s.alerts)} alerts. Open ${url}/alerts`,
    );
  } catch (error) {
    log(error instanceof ReplayError ? `failed: ${error.message}` : `failed: ${(error as Error).stack ?? String(error)}`);
  }
}

/** The address to reach a server bound to `host` from this machine. */
function localHost(host: string | undefined): string {
  if (!host || host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return net.isIPv6(host) ? `[${host}]` : host;
}
