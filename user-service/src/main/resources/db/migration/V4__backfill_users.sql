-- Backfill users from the bot's own tables, so nobody who ever talked to the bot is "Unknown".
--
-- registry_backfill_users() walks the users mentioned in bookings, registrations and events in chunks of
-- user ids (about chunk_events events each), committing after every chunk and reporting progress as NOTICEs
-- (Flyway logs them as "DB: ..."). It is idempotent: run it again at any time with
--     CALL registry_backfill_users();
-- Per user: first_seen_at = the earliest sighting anywhere, last_seen_at = the latest; names = the newest
-- non-empty value per field from bookings, registrations and events.details. A user the live pipeline has
-- already seen (snapshot_at set) keeps the names Telegram sent.

-- Names an adopted users table already had count as copies made at its updated_at.
UPDATE users SET copied_names_at = COALESCE(updated_at, first_seen_at)
 WHERE snapshot_at IS NULL AND copied_names_at IS NULL AND (username IS NOT NULL OR first_name IS NOT NULL);

CREATE OR REPLACE FUNCTION registry_backfill_range(lo BIGINT, hi BIGINT) RETURNS BIGINT
LANGUAGE sql AS $fn$
    WITH sightings AS (
        SELECT user_id, created_at AS at, NULLIF(btrim(username), '') AS username, NULLIF(btrim(first_name), '') AS first_name
          FROM bookings WHERE user_id > lo AND user_id <= hi AND created_at IS NOT NULL
        UNION ALL
        SELECT user_id, registered_at, NULLIF(btrim(username), ''), NULLIF(btrim(first_name), '')
          FROM free_lesson_registrations WHERE user_id > lo AND user_id <= hi AND registered_at IS NOT NULL
        UNION ALL
        SELECT user_id, created_at, NULLIF(btrim(details ->> 'username'), ''), NULLIF(btrim(details ->> 'first_name'), '')
          FROM events WHERE user_id > lo AND user_id <= hi AND created_at IS NOT NULL
    ), per_user AS (
        SELECT user_id, min(at) AS first_seen, max(at) AS last_seen,
               (array_agg(username ORDER BY at DESC) FILTER (WHERE username IS NOT NULL))[1] AS username,
               max(at) FILTER (WHERE username IS NOT NULL) AS username_at,
               (array_agg(first_name ORDER BY at DESC) FILTER (WHERE first_name IS NOT NULL))[1] AS first_name,
               max(at) FILTER (WHERE first_name IS NOT NULL) AS first_name_at
          FROM sightings GROUP BY user_id
    ), written AS (
        INSERT INTO users AS u (user_id, username, first_name, copied_names_at, first_seen_at, last_seen_at, updated_at)
        SELECT user_id, username, first_name, GREATEST(username_at, first_name_at), first_seen, last_seen, now()
          FROM per_user
        ON CONFLICT (user_id) DO UPDATE SET
            username = CASE WHEN u.snapshot_at IS NULL AND excluded.username IS NOT NULL
                             AND (u.username IS NULL OR excluded.copied_names_at > COALESCE(u.copied_names_at, '-infinity'))
                            THEN excluded.username ELSE u.username END,
            first_name = CASE WHEN u.snapshot_at IS NULL AND excluded.first_name IS NOT NULL
                               AND (u.first_name IS NULL OR excluded.copied_names_at > COALESCE(u.copied_names_at, '-infinity'))
                              THEN excluded.first_name ELSE u.first_name END,
            copied_names_at = CASE WHEN u.snapshot_at IS NULL
                                   THEN GREATEST(u.copied_names_at, excluded.copied_names_at) ELSE u.copied_names_at END,
            first_seen_at = LEAST(u.first_seen_at, excluded.first_seen_at),
            last_seen_at = GREATEST(u.last_seen_at, excluded.last_seen_at),
            updated_at = now()
        WHERE excluded.first_seen_at < u.first_seen_at OR excluded.last_seen_at > u.last_seen_at
           OR (u.snapshot_at IS NULL AND (
                  (excluded.username IS NOT NULL AND excluded.username IS DISTINCT FROM u.username)
               OR (excluded.first_name IS NOT NULL AND excluded.first_name IS DISTINCT FROM u.first_name)))
        RETURNING 1
    )
    SELECT count(*) FROM written
$fn$;

CREATE OR REPLACE PROCEDURE registry_backfill_users(chunk_events INT DEFAULT 200000)
LANGUAGE plpgsql AS $pr$
DECLARE
    lo BIGINT := 0;
    hi BIGINT;
    top BIGINT;
    changed BIGINT := 0;
    started TIMESTAMPTZ := clock_timestamp();
BEGIN
    SELECT GREATEST((SELECT max(user_id) FROM events), (SELECT max(user_id) FROM bookings),
                    (SELECT max(user_id) FROM free_lesson_registrations)) INTO top;
    IF top IS NULL THEN
        RAISE NOTICE 'users backfill: nothing to do';
        RETURN;
    END IF;
    RAISE NOTICE 'users backfill: starting, user ids up to %', top;
    LOOP
        SELECT user_id INTO hi FROM events WHERE user_id > lo ORDER BY user_id OFFSET chunk_events LIMIT 1;
        IF hi IS NULL THEN
            hi := top;
        END IF;
        changed := changed + registry_backfill_range(lo, hi);
        COMMIT;
        RAISE NOTICE 'users backfill: user ids up to % done, % users written, % s',
            hi, changed, round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
        EXIT WHEN hi >= top;
        lo := hi;
    END LOOP;
END
$pr$;

CALL registry_backfill_users();
