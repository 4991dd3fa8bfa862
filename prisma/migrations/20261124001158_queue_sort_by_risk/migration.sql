-- CreateIndex
CREATE INDEX "alerts_risk_score_ts_id_idx" ON "alerts"("risk_score" DESC, "ts" DESC, "id" DESC);
