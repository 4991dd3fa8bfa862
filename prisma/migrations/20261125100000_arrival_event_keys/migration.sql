-- An event without a usable time of its own takes its arrival time as @timestamp, so a shipper's
-- retry of it arrives with another time, and (ts, event_key) alone would store it twice and count
-- it twice toward stateful rules. Such events' keys are also kept here, unique on their own,
-- until retention lets their events go (issue 9: "no duplicates, unique per retention window").
CREATE TABLE "arrival_event_keys" (
    "event_key" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "arrival_event_keys_pkey" PRIMARY KEY ("event_key")
);

CREATE INDEX "arrival_event_keys_ts_idx" ON "arrival_event_keys"("ts");
