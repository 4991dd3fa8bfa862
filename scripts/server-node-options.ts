/**
 * Node options every Vigil server process runs with: `npm start` (one process or VIGIL_PROCESSES
 * of them) and the bench's and fault tests' servers, so what is measured is what runs. The
 * Dockerfile in docs/deploy sets the same in its NODE_OPTIONS.
 *
 * --max-semi-space-size=128 (MB, V8's young generation; Node 20's default is 16): an ingest
 * batch of 1,000 events allocates tens of MB (parsed lines, normalized events, the rows sent to
 * PostgreSQL) and is alive while its transaction commits, with up to the in-flight limit of them
 * at once. With 16 MB semi-spaces most of it survived two scavenges and went to the old
 * generation, to be found dead there by a full mark-compact. bench/e2e.ts, retention on, one
 * process: GC took a fifth of the server's time and 17.6k events/s; with 128 MB, 21.4k events/s.
 */
export const SERVER_NODE_OPTIONS = "--max-semi-space-size=128";

/** NODE_OPTIONS for a server: ours first, so an operator's own NODE_OPTIONS (later) wins. */
export function serverNodeOptions(existing = process.env.NODE_OPTIONS): string {
  return existing?.trim() ? `${SERVER_NODE_OPTIONS} ${existing.trim()}` : SERVER_NODE_OPTIONS;
}
