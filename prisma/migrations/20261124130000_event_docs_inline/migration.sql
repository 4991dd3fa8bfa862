-- Retained events stay inline and uncompressed up to a page (lib/db/partitions.ts,
-- PARTITION_STORAGE, for the measurement): a normalized Sysmon event is past the default 2 KB
-- threshold, and compressing every row cost a fifth of the insert rate. New partitions are
-- created with the setting; this gives it to the ones that exist.
DO $$
DECLARE part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'events'::regclass LOOP
    EXECUTE format('ALTER TABLE %s SET (toast_tuple_target = 8160)', part);
  END LOOP;
END $$;
