-- CreateIndex
CREATE INDEX "alerts_status_host_name_idx" ON "alerts"("status", "host_name");

-- CreateIndex
CREATE INDEX "alerts_status_parent_name_idx" ON "alerts"("status", "parent_name");
