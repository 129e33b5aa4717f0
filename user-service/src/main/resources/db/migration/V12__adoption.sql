-- Adoption of a running bot's tables (docs/DESIGN.md "Adoption"). The bot keeps its tables in its own schema
-- (public), in their own shapes; the registry adds one AFTER trigger per bot table that queues each row the bot
-- writes (registry.legacy_writes), and user-service applies the queue through its own writers. For a bot that keeps
-- profiles in its users table, a trigger on user_profiles writes profile changes back into the bot's row, so the bot
-- reads what was written through the API. Nothing here changes a column, constraint, default or index of a bot table.
-- Functions run under the bot's search_path too: they name every registry object with its schema.

-- A profile field the bot stores as text keeps the bot's value as written; grade_year holds its number when it has one.
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS grade_year_text TEXT;
UPDATE user_profiles SET grade_year_text = grade_year::text WHERE grade_year IS NOT NULL AND grade_year_text IS NULL;

-- One row per adopted bot table.
CREATE TABLE adopted_tables (
    bot_table            TEXT        PRIMARY KEY,
    shape                TEXT        NOT NULL,
    adopted_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the backfill copies the rows that existed at adoption in key order; done when backfilled_at is set
    backfilled_up_to     BIGINT,
    backfilled_at        TIMESTAMPTZ,
    legacy_writes        BIGINT      NOT NULL DEFAULT 0,
    last_legacy_write_at TIMESTAMPTZ,
    finished_at          TIMESTAMPTZ
);

-- Rows the bot wrote, in the order it wrote them, until user-service has applied them.
CREATE TABLE legacy_writes (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bot_table  TEXT        NOT NULL,
    operation  TEXT        NOT NULL,
    row_data   JSONB       NOT NULL,
    written_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION registry.capture_legacy_write() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- depth 2: the registry's own write-back of a profile (a trigger on registry.user_profiles), not the bot's
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    INSERT INTO registry.legacy_writes (bot_table, operation, row_data)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP,
            to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END));
    RETURN NULL;
END
$$;

-- The shape of each table a bot may have in bot_schema: how its rows map to the registry.
CREATE FUNCTION registry.bot_table_shapes(bot_schema TEXT) RETURNS TABLE (bot_table TEXT, shape TEXT)
    LANGUAGE sql STABLE AS $$
    SELECT format('%I.%I', c.table_schema, c.table_name),
           CASE WHEN c.table_name = 'users' AND bool_or(c.column_name = 'telegram_id') THEN 'hello_bot_users'
                WHEN c.table_name = 'users' AND bool_or(c.column_name = 'user_id') THEN 'profile_bot_users'
                WHEN c.table_name = 'bookings' THEN 'course_bookings'
                WHEN c.table_name = 'events' THEN 'course_events'
                WHEN c.table_name = 'free_lesson_registrations' THEN 'course_free_lessons' END
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = bot_schema AND t.table_type = 'BASE TABLE'
       AND c.table_name IN ('users', 'bookings', 'events', 'free_lesson_registrations')
     GROUP BY c.table_schema, c.table_name
    HAVING bool_or(c.column_name IN ('telegram_id', 'user_id'))
$$;

-- The profile columns a profile bot's users table has, with their types.
CREATE FUNCTION registry.bot_profile_columns(bot_table TEXT) RETURNS TABLE (column_name TEXT, column_type TEXT)
    LANGUAGE sql STABLE AS $$
    SELECT a.attname::text, format_type(a.atttypid, a.atttypmod)
      FROM pg_attribute a
     WHERE a.attrelid = bot_table::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname IN ('onboarding_completed', 'real_name', 'nickname', 'study_track', 'grade_band', 'grade_year',
                         'phone', 'last_activity')
     ORDER BY a.attnum
$$;

-- The value of a registry profile column (row alias source) as the bot's column column_name of type column_type.
CREATE FUNCTION registry.bot_profile_value(column_name TEXT, column_type TEXT, source TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN column_name = 'grade_year' AND column_type IN ('integer', 'smallint', 'bigint')
            THEN format('%s.grade_year::%s', source, column_type)
        WHEN column_name = 'grade_year' THEN format('%s.grade_year_text::%s', source, column_type)
        WHEN column_type = 'timestamp without time zone'
            THEN format($f$(%s.%I AT TIME ZONE '${legacy_time_zone}')$f$, source, column_name)
        ELSE format('%s.%I::%s', source, column_name, column_type) END
$$;

-- Writes a profile change into the profile bot's users row (only while that table is adopted and not finished).
-- Generated per bot table, since the columns and their types are the bot's.
CREATE FUNCTION registry.install_profile_write_back(bot_table TEXT) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    targets TEXT := '';
    sources TEXT := '';
    col     RECORD;
BEGIN
    FOR col IN SELECT * FROM registry.bot_profile_columns(bot_table) LOOP
        targets := targets || CASE WHEN targets = '' THEN '' ELSE ', ' END || format('%I', col.column_name);
        sources := sources || CASE WHEN sources = '' THEN '' ELSE ', ' END
                   || registry.bot_profile_value(col.column_name, col.column_type, 'NEW');
    END LOOP;
    IF targets = '' THEN
        RETURN;
    END IF;
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION registry.write_back_profile() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            UPDATE %1$s SET (%2$s) = ROW(%3$s)
             WHERE user_id = NEW.user_id AND (%2$s) IS DISTINCT FROM (%3$s);
            RETURN NULL;
        END
        $body$
    $f$, bot_table, targets, sources);
    DROP TRIGGER IF EXISTS registry_write_back ON registry.user_profiles;
    CREATE TRIGGER registry_write_back AFTER INSERT OR UPDATE ON registry.user_profiles
        FOR EACH ROW EXECUTE FUNCTION registry.write_back_profile();
END
$$;

-- Adopts one bot table: its capture trigger, its row in adopted_tables, and for a profile bot the write-back.
-- Idempotent; a finished table is left alone. Run with a short lock_timeout: CREATE TRIGGER waits for the bot's
-- open transactions on the table, and the bot's next statements would queue behind it.
CREATE FUNCTION registry.adopt_bot_table(bot_table TEXT, shape TEXT) RETURNS boolean
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM registry.adopted_tables a WHERE a.bot_table = adopt_bot_table.bot_table
                                                        AND a.finished_at IS NOT NULL) THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = bot_table::regclass AND tgname = 'registry_capture') THEN
        EXECUTE format('CREATE TRIGGER registry_capture AFTER INSERT OR UPDATE OR DELETE ON %s '
                       'FOR EACH ROW EXECUTE FUNCTION registry.capture_legacy_write()', bot_table);
    END IF;
    INSERT INTO registry.adopted_tables (bot_table, shape) VALUES (bot_table, shape)
    ON CONFLICT ON CONSTRAINT adopted_tables_pkey DO NOTHING;
    IF shape = 'profile_bot_users' THEN
        PERFORM registry.install_profile_write_back(bot_table);
    END IF;
    RETURN true;
END
$$;

-- Drops a trigger without making the bot wait: DROP TRIGGER takes the table's strongest lock, so each attempt waits
-- at most a second for the bot's open transactions, then lets the bot's queued statements through and tries again.
CREATE PROCEDURE registry.drop_trigger_politely(trigger_name TEXT, on_table TEXT)
    LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass(on_table) IS NULL THEN
        RETURN;
    END IF;
    FOR attempt IN 1..600 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '1s', true);
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', trigger_name, on_table);
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.2);
        END;
    END LOOP;
    RAISE EXCEPTION 'could not lock % for 600 attempts: a transaction of the bot keeps it open', on_table;
END
$$;

-- Finish: the bot has moved to the API; the compatibility layer goes (triggers and write-back), the tables stay.
CREATE FUNCTION registry.finish_adoption() RETURNS SETOF TEXT
    LANGUAGE plpgsql AS $$
DECLARE
    adopted RECORD;
BEGIN
    FOR adopted IN SELECT * FROM registry.adopted_tables WHERE finished_at IS NULL ORDER BY bot_table LOOP
        CALL registry.drop_trigger_politely('registry_capture', adopted.bot_table);
        UPDATE registry.adopted_tables SET finished_at = now() WHERE bot_table = adopted.bot_table;
        RETURN NEXT adopted.bot_table;
    END LOOP;
    DROP TRIGGER IF EXISTS registry_write_back ON registry.user_profiles;
END
$$;

-- Undo (README "Adopting a running bot's database"): removes the capture triggers and the write-back, writes what
-- the registry learned into the bot's own tables, and renames the registry's schema to registry_undone_<time>
-- (kept until a separate DROP SCHEMA ... CASCADE). Stop user-service first. Commits per chunk of users; a run that
-- stopped half-way is simply run again.
CREATE PROCEDURE registry.undo_adoption(chunk BIGINT DEFAULT 20000)
    LANGUAGE plpgsql AS $$
DECLARE
    adopted  RECORD;
    key_col  TEXT;
    lo       BIGINT;
    top      BIGINT;
    profile  TEXT;
    col      RECORD;
    created  TEXT;
    untouched_since TEXT;
    started  TIMESTAMPTZ := clock_timestamp();
BEGIN
    -- first the capture (the write-back below is the registry's, not the bot's) and the profile write-back
    FOR adopted IN SELECT * FROM registry.adopted_tables ORDER BY bot_table LOOP
        CALL registry.drop_trigger_politely('registry_capture', adopted.bot_table);
        COMMIT;
    END LOOP;
    DROP TRIGGER IF EXISTS registry_write_back ON registry.user_profiles;
    COMMIT;
    FOR adopted IN SELECT * FROM registry.adopted_tables ORDER BY bot_table LOOP
        CONTINUE WHEN to_regclass(adopted.bot_table) IS NULL;
        IF adopted.shape IN ('hello_bot_users', 'profile_bot_users') THEN
            key_col := CASE adopted.shape WHEN 'hello_bot_users' THEN 'telegram_id' ELSE 'user_id' END;
            SELECT format_type(atttypid, atttypmod) INTO created FROM pg_attribute
             WHERE attrelid = adopted.bot_table::regclass AND attname = 'created_at' AND NOT attisdropped;
            profile := '';
            IF adopted.shape = 'profile_bot_users' THEN
                FOR col IN SELECT * FROM registry.bot_profile_columns(adopted.bot_table) LOOP
                    -- a user without a registry profile keeps the bot's values
                    profile := profile || format(', %1$I = CASE WHEN p.user_id IS NULL THEN b.%1$I ELSE %2$s END',
                                                 col.column_name, registry.bot_profile_value(col.column_name, col.column_type, 'p'));
                END LOOP;
            END IF;
            -- a row the bot writes while this runs is newer than anything the registry knows: left as the bot wrote it
            SELECT CASE format_type(atttypid, atttypmod)
                       WHEN 'timestamp without time zone'
                           THEN format($c$AND (b.updated_at IS NULL OR b.updated_at < %L::timestamptz AT TIME ZONE '${legacy_time_zone}')$c$, started)
                       WHEN 'timestamp with time zone' THEN format('AND (b.updated_at IS NULL OR b.updated_at < %L::timestamptz)', started)
                       ELSE '' END
              INTO untouched_since FROM pg_attribute
             WHERE attrelid = adopted.bot_table::regclass AND attname = 'updated_at' AND NOT attisdropped;
            untouched_since := COALESCE(untouched_since, '');
            SELECT max(user_id) INTO top FROM registry.users;
            lo := 0;
            WHILE lo <= COALESCE(top, -1) LOOP
                -- names, language and blocked state from the registry's newest snapshot; the earliest first sighting
                EXECUTE format($f$
                    UPDATE %1$s b SET username = u.username, first_name = u.first_name, last_name = u.last_name,
                           language_code = COALESCE(u.language_code, b.language_code), is_active = u.is_active %3$s %4$s
                      FROM registry.users u LEFT JOIN registry.user_profiles p ON p.user_id = u.user_id
                     WHERE b.%2$I = u.user_id AND u.user_id >= $1 AND u.user_id < $2 AND u.snapshot_at IS NOT NULL %5$s$f$,
                    adopted.bot_table, key_col,
                    CASE created WHEN 'timestamp without time zone'
                        THEN $c$, created_at = LEAST(b.created_at, u.first_seen_at AT TIME ZONE '${legacy_time_zone}')$c$
                        WHEN 'timestamp with time zone' THEN ', created_at = LEAST(b.created_at, u.first_seen_at)'
                        ELSE '' END,
                    profile, untouched_since)
                USING lo, lo + chunk;
                -- users the bot never wrote, which the registry learned about
                EXECUTE format($f$
                    INSERT INTO %1$s (%2$I, username, first_name, last_name, language_code, is_active %3$s)
                    SELECT u.user_id, u.username, u.first_name, u.last_name, u.language_code, u.is_active %4$s
                      FROM registry.users u
                     WHERE u.user_id >= $1 AND u.user_id < $2 AND u.user_id > 0
                       AND NOT EXISTS (SELECT 1 FROM %1$s b WHERE b.%2$I = u.user_id)$f$,
                    adopted.bot_table, key_col,
                    CASE WHEN created IS NULL THEN '' ELSE ', created_at' END,
                    CASE created WHEN 'timestamp without time zone' THEN $c$, u.first_seen_at AT TIME ZONE '${legacy_time_zone}'$c$
                        WHEN 'timestamp with time zone' THEN ', u.first_seen_at' ELSE '' END)
                USING lo, lo + chunk;
                COMMIT;
                lo := lo + chunk;
            END LOOP;
            -- a person erased through the registry (and not seen again since) does not come back into the bot's table
            EXECUTE format('DELETE FROM %1$s b USING registry.erased_users e WHERE b.%2$I = e.user_id'
                           ' AND NOT EXISTS (SELECT 1 FROM registry.users u WHERE u.user_id = e.user_id)',
                           adopted.bot_table, key_col);
        ELSIF adopted.shape = 'course_bookings' THEN
            -- stream moves and confirmations made through the API
            EXECUTE format($f$
                UPDATE %1$s b SET course_stream = r.course_stream, confirmed = r.confirmed
                  FROM registry.bookings r
                 WHERE r.id = b.id AND (b.course_stream, b.confirmed) IS DISTINCT FROM (r.course_stream, r.confirmed)$f$,
                adopted.bot_table);
        END IF;
        COMMIT;
    END LOOP;
    EXECUTE format('ALTER SCHEMA registry RENAME TO %I', 'registry_undone_' || to_char(clock_timestamp(), 'YYYYMMDDHH24MISS'));
    COMMIT;
END
$$;
