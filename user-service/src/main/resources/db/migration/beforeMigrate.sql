-- Runs before every migration run (Flyway callback), so it must be a no-op on any schema but the one it converts.
--
-- A "hello" bot's users table is keyed by its own serial id, with the Telegram id in a unique telegram_id column:
--   users(id serial pk, telegram_id bigint unique, username, first_name, last_name, is_active default true,
--         language_code, created_at, updated_at)
-- V2..V5 expect users keyed by user_id (V4's backfill cannot even be created without it), and an applied
-- migration cannot change, so the table is converted here, before V2 sees it: telegram_id becomes the key
-- user_id, created_at becomes first_seen_at (V2 then reads both timestamps in ${legacy_time_zone}, like any
-- adopted users table), the serial id is kept as hello_bot_id. The table as it was is copied first to
-- hello_bot_users_before_adoption, so a row without a telegram_id (which cannot be keyed) is kept there.
DO $$
DECLARE
    primary_key text;
BEGIN
    IF to_regclass('users') IS NULL
       OR NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                         AND table_name = 'users' AND column_name = 'telegram_id')
       OR EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                     AND table_name = 'users' AND column_name = 'user_id') THEN
        RETURN;
    END IF;
    RAISE NOTICE 'users is keyed by telegram_id (hello bot): converting it to the registry''s key user_id';

    CREATE TABLE hello_bot_users_before_adoption AS TABLE users;
    DELETE FROM users WHERE telegram_id IS NULL;

    SELECT conname INTO primary_key FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'p';
    IF primary_key IS NOT NULL THEN
        EXECUTE format('ALTER TABLE users DROP CONSTRAINT %I', primary_key);
    END IF;
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                  AND table_name = 'users' AND column_name = 'id') THEN
        ALTER TABLE users RENAME COLUMN id TO hello_bot_id;
        ALTER TABLE users ALTER COLUMN hello_bot_id DROP DEFAULT, ALTER COLUMN hello_bot_id DROP NOT NULL;
    END IF;
    ALTER TABLE users RENAME COLUMN telegram_id TO user_id;
    ALTER TABLE users ALTER COLUMN user_id TYPE BIGINT, ADD PRIMARY KEY (user_id);

    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                  AND table_name = 'users' AND column_name = 'created_at')
       AND NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                          AND table_name = 'users' AND column_name = 'first_seen_at') THEN
        ALTER TABLE users RENAME COLUMN created_at TO first_seen_at;
    END IF;
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                  AND table_name = 'users' AND column_name = 'is_active') THEN
        UPDATE users SET is_active = true WHERE is_active IS NULL;
    END IF;
END $$;
