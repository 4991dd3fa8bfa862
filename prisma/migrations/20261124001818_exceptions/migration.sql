-- CreateTable
CREATE TABLE "exceptions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "all_rules" BOOLEAN NOT NULL,
    "rule_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "entries" JSONB NOT NULL,
    "author" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "approved_by" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "expires_at" TIMESTAMPTZ(3),
    "hits" BIGINT NOT NULL DEFAULT 0,
    "last_hit_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exceptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exception_hits" (
    "exception_id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "hits" BIGINT NOT NULL,
    "last_hit_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "exception_hits_pkey" PRIMARY KEY ("exception_id","rule_id")
);

-- CreateIndex
CREATE INDEX "exceptions_status_enabled_idx" ON "exceptions"("status", "enabled");

-- CreateIndex
CREATE INDEX "exception_hits_rule_id_idx" ON "exception_hits"("rule_id");

-- AddForeignKey
ALTER TABLE "exception_hits" ADD CONSTRAINT "exception_hits_exception_id_fkey" FOREIGN KEY ("exception_id") REFERENCES "exceptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
