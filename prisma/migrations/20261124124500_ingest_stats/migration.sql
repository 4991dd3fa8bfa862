-- Ingest statistics for the ingest status page (issue 10): per-node counts added up here every few
-- seconds, never written per event or per batch.
-- CreateTable
CREATE TABLE "ingest_minutes" (
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "format" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "ingest_minutes_pkey" PRIMARY KEY ("minute","format")
);

-- CreateTable
CREATE TABLE "ingest_token_minutes" (
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "token" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "lines" INTEGER NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ingest_token_minutes_pkey" PRIMARY KEY ("minute","token","outcome")
);

-- CreateTable
CREATE TABLE "ingest_host_hours" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "host" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "ingest_host_hours_pkey" PRIMARY KEY ("hour","host","format")
);

-- CreateTable
CREATE TABLE "ingest_hosts" (
    "host" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "last_received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ingest_hosts_pkey" PRIMARY KEY ("host")
);

-- CreateTable
CREATE TABLE "ingest_rejected_lines" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "token" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "excerpt" TEXT,

    CONSTRAINT "ingest_rejected_lines_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ingest_hosts_last_received_at_idx" ON "ingest_hosts"("last_received_at");

-- CreateIndex
CREATE INDEX "ingest_rejected_lines_at_id_idx" ON "ingest_rejected_lines"("at" DESC, "id");
