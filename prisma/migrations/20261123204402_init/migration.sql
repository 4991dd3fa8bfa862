-- CreateEnum
CREATE TYPE "severity" AS ENUM ('informational', 'low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "alert_status" AS ENUM ('open', 'acknowledged', 'escalated', 'closed');

-- CreateEnum
CREATE TYPE "disposition" AS ENUM ('true_positive', 'benign_positive', 'false_positive', 'undetermined');

-- CreateTable
CREATE TABLE "rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "format" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "severity" "severity" NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mitre" JSONB NOT NULL DEFAULT '[]',
    "references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "false_positives" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "guide" JSONB NOT NULL DEFAULT '{}',
    "author" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source" TEXT NOT NULL,
    "source_path" TEXT NOT NULL,
    "source_line" INTEGER NOT NULL DEFAULT 1,
    "source_hash" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'file',
    "state" TEXT NOT NULL DEFAULT 'active',
    "unsupported_reason" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_load_errors" (
    "id" BIGSERIAL NOT NULL,
    "path" TEXT NOT NULL,
    "rule_id" TEXT,
    "line" INTEGER,
    "column" INTEGER,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_load_errors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "event_key" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "format" TEXT NOT NULL,
    "host_name" TEXT,
    "doc" JSONB NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_key" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "severity" "severity" NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "status" "alert_status" NOT NULL DEFAULT 'open',
    "disposition" "disposition",
    "host_name" TEXT,
    "host_id" TEXT,
    "user_name" TEXT,
    "process_name" TEXT,
    "process_executable" TEXT,
    "process_command_line" TEXT,
    "process_pid" BIGINT,
    "parent_name" TEXT,
    "parent_executable" TEXT,
    "parent_command_line" TEXT,
    "event" JSONB NOT NULL,
    "mitre" JSONB NOT NULL DEFAULT '[]',
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rules" (
    "alert_id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "severity" "severity" NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "matched" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("alert_id","rule_id")
);

-- CreateTable
CREATE TABLE "alert_activity" (
    "id" BIGSERIAL NOT NULL,
    "alert_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "from_status" "alert_status",
    "to_status" "alert_status",
    "disposition" "disposition",
    "note" TEXT,

    CONSTRAINT "alert_activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rule_load_errors_path_idx" ON "rule_load_errors"("path");

-- CreateIndex
CREATE UNIQUE INDEX "events_event_key_key" ON "events"("event_key");

-- CreateIndex
CREATE INDEX "events_ts_idx" ON "events"("ts");

-- CreateIndex
CREATE INDEX "events_host_name_ts_idx" ON "events"("host_name", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_event_key_key" ON "alerts"("event_key");

-- CreateIndex
CREATE INDEX "alerts_ts_id_idx" ON "alerts"("ts" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "alerts_status_ts_id_idx" ON "alerts"("status", "ts" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "alerts_host_name_ts_idx" ON "alerts"("host_name", "ts" DESC);

-- CreateIndex
CREATE INDEX "alerts_severity_ts_idx" ON "alerts"("severity", "ts" DESC);

-- CreateIndex
CREATE INDEX "alert_rules_rule_id_alert_id_idx" ON "alert_rules"("rule_id", "alert_id");

-- CreateIndex
CREATE INDEX "alert_activity_alert_id_at_idx" ON "alert_activity"("alert_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_name_key" ON "api_tokens"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_activity" ADD CONSTRAINT "alert_activity_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
