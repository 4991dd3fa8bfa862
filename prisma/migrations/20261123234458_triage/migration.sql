-- Trigram search over command lines and paths (a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "assignee_id" TEXT,
ADD COLUMN     "checklist_done" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "checklist_total" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "mitre_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "rule_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "alert_checklist_ticks" (
    "alert_id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "list" TEXT NOT NULL,
    "step_hash" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "done" BOOLEAN NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_checklist_ticks_pkey" PRIMARY KEY ("alert_id","rule_id","list","step_hash")
);

-- CreateTable
CREATE TABLE "alert_counts" (
    "status" "alert_status" NOT NULL,
    "severity" "severity" NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "alert_counts_pkey" PRIMARY KEY ("status","severity")
);

-- CreateIndex
CREATE INDEX "alerts_user_name_ts_idx" ON "alerts"("user_name", "ts" DESC);

-- CreateIndex
CREATE INDEX "alerts_assignee_id_ts_idx" ON "alerts"("assignee_id", "ts" DESC);

-- CreateIndex
CREATE INDEX "alerts_parent_name_ts_idx" ON "alerts"("parent_name", "ts" DESC);

-- CreateIndex
CREATE INDEX "alerts_mitre_ids_idx" ON "alerts" USING GIN ("mitre_ids");

-- CreateIndex
CREATE INDEX "alerts_rule_ids_idx" ON "alerts" USING GIN ("rule_ids");

-- CreateIndex
CREATE INDEX "alerts_search_text_idx" ON "alerts" USING GIN ("search_text" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_checklist_ticks" ADD CONSTRAINT "alert_checklist_ticks_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Derived columns, kept by the database so every writer (ingest, tests, tools) agrees.
-- mitre_ids: every tactic / technique / sub-technique id of `mitre`; search_text: what free-text
-- search looks in, lower-cased and capped.
CREATE FUNCTION vigil_alert_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.mitre_ids := ARRAY(
    SELECT DISTINCT v FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.mitre) = 'array' THEN NEW.mitre ELSE '[]'::jsonb END) m,
      LATERAL (VALUES (m->'tactic'->>'id'), (m->'technique'->>'id'), (m->'subtechnique'->>'id')) AS t(v)
    WHERE v IS NOT NULL ORDER BY v);
  NEW.search_text := lower(left(concat_ws(' ', NEW.process_command_line, NEW.process_executable, NEW.parent_command_line,
    NEW.parent_executable, NEW.user_name, NEW.host_name), 8192));
  RETURN NEW;
END $$;
CREATE TRIGGER alerts_derived BEFORE INSERT OR UPDATE OF mitre, process_command_line, process_executable, parent_command_line,
  parent_executable, user_name, host_name ON alerts FOR EACH ROW EXECUTE FUNCTION vigil_alert_derived();

-- rule_ids and checklist_total follow alert_rules: the rules that fired and the number of steps in
-- their triage and response checklists.
CREATE FUNCTION vigil_alert_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE alerts a SET rule_ids = x.rule_ids, checklist_total = x.total
  FROM (
    SELECT ar.alert_id,
      array_agg(ar.rule_id ORDER BY ar.risk_score DESC, ar.rule_id) AS rule_ids,
      sum(CASE WHEN jsonb_typeof(r.guide->'triage') = 'array' THEN jsonb_array_length(r.guide->'triage') ELSE 0 END
        + CASE WHEN jsonb_typeof(r.guide->'response') = 'array' THEN jsonb_array_length(r.guide->'response') ELSE 0 END)::int AS total
    FROM alert_rules ar JOIN rules r ON r.id = ar.rule_id
    WHERE ar.alert_id IN (SELECT DISTINCT alert_id FROM changed_rows)
    GROUP BY ar.alert_id
  ) x
  WHERE a.id = x.alert_id;
  RETURN NULL;
END $$;
CREATE TRIGGER alert_rules_changed AFTER INSERT ON alert_rules REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_alert_rules_changed();

-- alert_counts: alerts per (status, severity), adjusted once per statement, in key order (two
-- concurrent writers lock the counter rows in the same order).
CREATE FUNCTION vigil_alert_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO alert_counts (status, severity, n)
  SELECT status, severity, count(*) FROM new_rows GROUP BY status, severity ORDER BY status, severity
  ON CONFLICT (status, severity) DO UPDATE SET n = alert_counts.n + EXCLUDED.n;
  RETURN NULL;
END $$;
CREATE FUNCTION vigil_alert_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO alert_counts (status, severity, n)
  SELECT status, severity, sum(d) FROM (
    SELECT status, severity, -1 AS d FROM old_rows UNION ALL SELECT status, severity, 1 FROM new_rows
  ) x GROUP BY status, severity HAVING sum(d) <> 0 ORDER BY status, severity
  ON CONFLICT (status, severity) DO UPDATE SET n = alert_counts.n + EXCLUDED.n;
  RETURN NULL;
END $$;
CREATE FUNCTION vigil_alert_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO alert_counts (status, severity, n)
  SELECT status, severity, -count(*) FROM old_rows GROUP BY status, severity ORDER BY status, severity
  ON CONFLICT (status, severity) DO UPDATE SET n = alert_counts.n + EXCLUDED.n;
  RETURN NULL;
END $$;
CREATE TRIGGER alerts_count_insert AFTER INSERT ON alerts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_alert_counts_insert();
CREATE TRIGGER alerts_count_update AFTER UPDATE ON alerts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_alert_counts_update();
CREATE TRIGGER alerts_count_delete AFTER DELETE ON alerts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_alert_counts_delete();

-- Existing alerts.
UPDATE alerts SET mitre = mitre;
UPDATE alerts a SET rule_ids = x.rule_ids, checklist_total = x.total
FROM (
  SELECT ar.alert_id, array_agg(ar.rule_id ORDER BY ar.risk_score DESC, ar.rule_id) AS rule_ids,
    sum(CASE WHEN jsonb_typeof(r.guide->'triage') = 'array' THEN jsonb_array_length(r.guide->'triage') ELSE 0 END
      + CASE WHEN jsonb_typeof(r.guide->'response') = 'array' THEN jsonb_array_length(r.guide->'response') ELSE 0 END)::int AS total
  FROM alert_rules ar JOIN rules r ON r.id = ar.rule_id GROUP BY ar.alert_id
) x WHERE a.id = x.alert_id;
DELETE FROM alert_counts;
INSERT INTO alert_counts (status, severity, n) SELECT status, severity, count(*) FROM alerts GROUP BY status, severity;
