-- CreateTable
CREATE TABLE "novelty_states" (
    "rule_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "count" BIGINT NOT NULL,
    "days" JSONB NOT NULL,
    "known" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "novelty_states_pkey" PRIMARY KEY ("rule_id","key_hash")
);

-- CreateTable
CREATE TABLE "rarity_states" (
    "rule_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "days" JSONB NOT NULL,
    "last_alert_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rarity_states_pkey" PRIMARY KEY ("rule_id","key_hash")
);

-- CreateTable
CREATE TABLE "rule_states" (
    "rule_id" TEXT NOT NULL,
    "first_event_at" TIMESTAMPTZ(3) NOT NULL,
    "latest_event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rule_states_pkey" PRIMARY KEY ("rule_id")
);

-- CreateIndex
CREATE INDEX "novelty_states_rule_id_last_seen_idx" ON "novelty_states"("rule_id", "last_seen");

-- CreateIndex
CREATE INDEX "rarity_states_rule_id_last_seen_idx" ON "rarity_states"("rule_id", "last_seen");

-- AddForeignKey
ALTER TABLE "novelty_states" ADD CONSTRAINT "novelty_states_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rarity_states" ADD CONSTRAINT "rarity_states_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_states" ADD CONSTRAINT "rule_states_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
