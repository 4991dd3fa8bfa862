-- Retained events move to day partitions of ts, so retention drops a whole day at once instead of
-- deleting row by row (issue 9). The surrogate id goes: nothing referenced it, and the primary
-- key (ts, event_key) both keeps a re-sent event unique and serves time-ordered reads.
ALTER TABLE "events" RENAME TO "events_unpartitioned";
ALTER TABLE "events_unpartitioned" RENAME CONSTRAINT "events_pkey" TO "events_unpartitioned_pkey";
ALTER INDEX "events_event_key_key" RENAME TO "events_unpartitioned_event_key_key";
ALTER INDEX "events_ts_idx" RENAME TO "events_unpartitioned_ts_idx";
ALTER INDEX "events_host_name_ts_idx" RENAME TO "events_unpartitioned_host_name_ts_idx";

CREATE TABLE "events" (
    "event_key" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "format" TEXT NOT NULL,
    "host_name" TEXT,
    "doc" JSONB NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("ts","event_key")
) PARTITION BY RANGE ("ts");

CREATE INDEX "events_host_name_ts_idx" ON "events"("host_name", "ts");

-- Days without a partition of their own (far future, or kept past the window) land here.
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;

-- One partition per day the existing events cover (UTC days, as lib/db/partitions.ts names them).
DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT DISTINCT (ts AT TIME ZONE 'UTC')::date FROM "events_unpartitioned" LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "events" FOR VALUES FROM (%L) TO (%L)',
      'events_p' || to_char(d, 'YYYYMMDD'), d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
  END LOOP;
END $$;

INSERT INTO "events" ("event_key", "ts", "ingested_at", "format", "host_name", "doc")
SELECT "event_key", "ts", "ingested_at", "format", "host_name", "doc" FROM "events_unpartitioned"
ON CONFLICT DO NOTHING;

DROP TABLE "events_unpartitioned";
