-- CreateIndex
CREATE INDEX "alert_rules_rule_id_created_at_idx" ON "alert_rules"("rule_id", "created_at");
