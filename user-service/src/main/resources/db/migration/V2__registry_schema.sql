-- The registry's read model on top of the bot's tables.

-- users: created here, or adopted from an earlier attempt whose timestamps had no time zone.
-- Those are read as wall-clock times in ${legacy_time_zone} (app.legacy-time-zone, default UTC).
DO $$
BEGIN
    IF to_regclass(format('%I.users', current_schema())) IS NULL THEN
        CREATE TABLE users (
            user_id       BIGINT PRIMARY KEY,
            username      TEXT,
            first_name    TEXT,
            last_name     TEXT,
            language_code TEXT,
            first_seen_at TIMESTAMPTZ,
            updated_at    TIMESTAMPTZ
        );
    ELSE
        IF (SELECT data_type FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = 'first_seen_at')
           = 'timestamp without time zone' THEN
            ALTER TABLE users ALTER COLUMN first_seen_at TYPE TIMESTAMPTZ
                USING first_seen_at AT TIME ZONE '${legacy_time_zone}';
        END IF;
        IF (SELECT data_type FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = 'updated_at')
           = 'timestamp without time zone' THEN
            ALTER TABLE users ALTER COLUMN updated_at TYPE TIMESTAMPTZ
                USING updated_at AT TIME ZONE '${legacy_time_zone}';
        END IF;
    END IF;
END $$;

ALTER TABLE users
    ADD COLUMN IF NOT EXISTS first_seen_at     TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS updated_at        TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS language_code     TEXT,
    ADD COLUMN IF NOT EXISTS last_name         TEXT,
    ADD COLUMN IF NOT EXISTS is_bot            BOOLEAN,
    ADD COLUMN IF NOT EXISTS is_premium        BOOLEAN,
    -- seen_at of the Telegram snapshot the identity fields (names, is_bot, is_premium) come from
    ADD COLUMN IF NOT EXISTS snapshot_at       TIMESTAMPTZ,
    -- seen_at of the newest snapshot that reported a language_code
    ADD COLUMN IF NOT EXISTS language_at       TIMESTAMPTZ,
    -- while no Telegram snapshot exists, names copied from bookings/registrations/events, and their time
    ADD COLUMN IF NOT EXISTS copied_names_at   TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS is_active         BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN IF NOT EXISTS active_changed_at TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS last_seen_at      TIMESTAMPTZ;

UPDATE users SET last_seen_at = COALESCE(updated_at, first_seen_at) WHERE last_seen_at IS NULL;

-- Every (username, first_name, last_name) a user has had, and when it was first seen: "who was @old_name".
CREATE TABLE IF NOT EXISTS user_name_history (
    user_id       BIGINT      NOT NULL,
    username      TEXT,
    first_name    TEXT,
    last_name     TEXT,
    first_seen_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS user_name_history_names_uq
    ON user_name_history (user_id, (COALESCE(username, '')), (COALESCE(first_name, '')), (COALESCE(last_name, '')));
CREATE INDEX IF NOT EXISTS user_name_history_username_idx ON user_name_history (lower(username));

-- Events from the pipeline carry a stable id; legacy rows have none.
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_id TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS events_event_id_uq ON events (event_id);

-- Bookings arrive as snapshots; the newest change wins.
ALTER TABLE bookings ADD COLUMN IF NOT EXISTS changed_at TIMESTAMPTZ;

-- Bookings and registrations are mapped with 64-bit ids (they are small tables; events keep theirs).
ALTER TABLE bookings ALTER COLUMN id TYPE BIGINT;
ALTER TABLE free_lesson_registrations ALTER COLUMN id TYPE BIGINT;
