-- Retained events keep the document as it arrived (JSON text, type json) instead of its
-- normalized ECS form (jsonb), and a process start's identifiers move to columns: the process
-- tree looks events up by those, and everything else that reads a retained event normalizes it
-- again, with its ingested_at as the arrival time (issue 9). The original is about half the size
-- of the normalized form (a Sysmon event: 1.8 KB against 3.3 KB, which also carried winlog.*
-- and ECS copies of the same values), and json is stored as text, without jsonb's parse and
-- key sort on every insert. bench/store.ts measured the change.
--
-- Rows written before hold normalized documents; normalizing a normalized document gives it
-- back (lib/detection/event/normalize.ts), so they read the same as new ones.
ALTER TABLE "events"
  ADD COLUMN "process_entity_id" TEXT,
  ADD COLUMN "process_pid" BIGINT,
  ADD COLUMN "parent_entity_id" TEXT,
  ADD COLUMN "parent_pid" BIGINT;

UPDATE "events" SET
  "process_entity_id" = "doc"->'process'->>'entity_id',
  "process_pid" = CASE WHEN "doc"->'process'->>'pid' ~ '^[0-9]{1,15}$' THEN ("doc"->'process'->>'pid')::bigint END,
  "parent_entity_id" = "doc"->'process'->'parent'->>'entity_id',
  "parent_pid" = CASE WHEN "doc"->'process'->'parent'->>'pid' ~ '^[0-9]{1,15}$' THEN ("doc"->'process'->'parent'->>'pid')::bigint END
WHERE ("doc"->'event'->'category' ? 'process' OR "doc"->'event'->'category' = '"process"')
  AND ("doc"->'event'->'type' ? 'start' OR "doc"->'event'->'type' = '"start"');

ALTER TABLE "events" ALTER COLUMN "doc" TYPE JSON USING "doc"::json;
