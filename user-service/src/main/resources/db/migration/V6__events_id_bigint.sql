-- events.id was the bot's 32-bit serial: 2,147,483,647 values. Every insert attempt takes one, including a redelivered
-- event that ON CONFLICT (event_id) then skips, so at 20,000 events/s (redeliveries included) it would run out in
-- 30 hours. As bigint (9.2e18 values) the same rate lasts 14 million years. The bot's own inserts keep working: its
-- INSERTs take the default from the same sequence. Rewrites the table once (~1 min per 10M events on two cores).
ALTER TABLE events ALTER COLUMN id TYPE BIGINT;
DO $$
DECLARE
    sequence_name TEXT := pg_get_serial_sequence('events', 'id');
BEGIN
    IF sequence_name IS NOT NULL THEN
        EXECUTE format('ALTER SEQUENCE %s AS BIGINT MAXVALUE 9223372036854775807', sequence_name);
    END IF;
END $$;
