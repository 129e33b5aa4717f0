-- Profiles: what a bot itself knows about a user (onboarding state, real name, nickname, phone, ...). Owned by
-- the bot through the profile API; sightings, bookings and events never write here.
CREATE TABLE user_profiles (
    user_id              BIGINT PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    onboarding_completed BOOLEAN,
    real_name            TEXT,
    nickname             TEXT,
    study_track          TEXT,
    grade_band           TEXT,
    grade_year           INTEGER,
    -- E.164 when the written value parsed as a phone number, else as written
    phone                TEXT,
    last_activity        TIMESTAMPTZ,
    -- fields a bot adds later without a migration
    attributes           JSONB       NOT NULL DEFAULT '{}',
    version              BIGINT      NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every change of a profile field: who (API key id), when, old -> new (JSON values; field "attributes.<key>"
-- for an attribute).
CREATE TABLE user_profile_changes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    version    BIGINT      NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by TEXT        NOT NULL,
    field      TEXT        NOT NULL,
    old_value  JSONB,
    new_value  JSONB
);
CREATE INDEX user_profile_changes_user_idx ON user_profile_changes (user_id, id DESC);

-- An adopted course-bot users table keeps the profile on users itself (timestamps without time zone, is_active
-- nullable). Its profile values move to user_profiles (one source of truth), its created_at becomes first seen,
-- a NULL is_active means active. Whichever of the columns exist are taken; on any other database this does nothing.
DO $$
DECLARE
    profile_columns CONSTANT text[] := ARRAY['onboarding_completed', 'real_name', 'nickname', 'study_track',
                                             'grade_band', 'grade_year', 'phone', 'last_activity'];
    present   text[];
    col       text;
    col_type  text;
    value_sql text;
    selects   text := '';
    attrs     text := '';
    any_value text := '';
    moved     bigint;
BEGIN
    SELECT array_agg(column_name::text) INTO present FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = ANY (profile_columns);

    SELECT data_type INTO col_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = 'created_at';
    IF col_type = 'timestamp without time zone' THEN
        EXECUTE $sql$UPDATE users SET first_seen_at = created_at AT TIME ZONE '${legacy_time_zone}'
                      WHERE created_at AT TIME ZONE '${legacy_time_zone}' < first_seen_at$sql$;
    ELSIF col_type = 'timestamp with time zone' THEN
        EXECUTE $sql$UPDATE users SET first_seen_at = created_at WHERE created_at < first_seen_at$sql$;
    END IF;

    IF (SELECT is_nullable FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = 'is_active') = 'YES' THEN
        UPDATE users SET is_active = true WHERE is_active IS NULL;
        ALTER TABLE users ALTER COLUMN is_active SET DEFAULT true, ALTER COLUMN is_active SET NOT NULL;
    END IF;

    IF present IS NULL THEN
        RETURN;
    END IF;

    -- Each column converted to the profile's type; a value that does not convert is kept in attributes
    -- under the column's name instead of being dropped.
    FOREACH col IN ARRAY profile_columns LOOP
        IF NOT col = ANY (present) THEN
            selects := selects || ', NULL';
            CONTINUE;
        END IF;
        SELECT data_type INTO col_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = col;
        value_sql := CASE
            WHEN col = 'onboarding_completed' AND col_type = 'boolean' THEN format('u.%I', col)
            WHEN col = 'onboarding_completed' THEN
                format($f$CASE WHEN lower(btrim(u.%1$I::text)) IN ('true','t','yes','y','1','on') THEN true
                               WHEN lower(btrim(u.%1$I::text)) IN ('false','f','no','n','0','off') THEN false END$f$, col)
            WHEN col = 'grade_year' AND col_type IN ('integer', 'smallint') THEN format('u.%I::integer', col)
            WHEN col = 'grade_year' THEN
                format($f$CASE WHEN btrim(u.%1$I::text) ~ '^-?[0-9]{1,9}$' THEN btrim(u.%1$I::text)::integer END$f$, col)
            WHEN col = 'last_activity' AND col_type = 'timestamp with time zone' THEN format('u.%I', col)
            WHEN col = 'last_activity' AND col_type = 'timestamp without time zone' THEN
                format($f$u.%I AT TIME ZONE '${legacy_time_zone}'$f$, col)
            WHEN col = 'last_activity' THEN 'NULL::timestamptz'
            ELSE format('NULLIF(btrim(u.%I::text), '''')', col)
        END;
        selects := selects || ', ' || value_sql;
        any_value := any_value || format(' OR u.%I IS NOT NULL', col);
        -- kept in attributes as legacy_<column> when present but not converted
        attrs := attrs || format(' || CASE WHEN u.%1$I IS NOT NULL AND (%2$s) IS NULL AND NULLIF(btrim(u.%1$I::text), '''') IS NOT NULL '
                                 'THEN jsonb_build_object(''legacy_'' || %1$L, u.%1$I::text) ELSE ''{}''::jsonb END', col, value_sql);
    END LOOP;

    EXECUTE format($sql$
        INSERT INTO user_profiles (user_id, onboarding_completed, real_name, nickname, study_track, grade_band,
                                   grade_year, phone, last_activity, attributes)
        SELECT u.user_id %s, '{}'::jsonb %s
          FROM users u
         WHERE false %s
        ON CONFLICT (user_id) DO NOTHING$sql$, selects, attrs, any_value);
    GET DIAGNOSTICS moved = ROW_COUNT;
    RAISE NOTICE 'user profiles: % taken over from the users table', moved;

    -- the profile lives in user_profiles from now on; one copy, so nobody reads a stale one
    FOREACH col IN ARRAY present LOOP
        EXECUTE format('ALTER TABLE users DROP COLUMN %I', col);
    END LOOP;
END $$;

-- The course bot's nicknames were unique as written; here they are unique whatever their case. Of nicknames that
-- differ only in case the lowest user id keeps it; the others keep theirs as attributes.legacy_nickname.
WITH clashing AS (
    SELECT user_id FROM (
        SELECT user_id, row_number() OVER (PARTITION BY lower(nickname) ORDER BY user_id) AS nth
          FROM user_profiles WHERE nickname IS NOT NULL) ranked
     WHERE nth > 1)
UPDATE user_profiles p SET attributes = p.attributes || jsonb_build_object('legacy_nickname', p.nickname), nickname = NULL
  FROM clashing c WHERE p.user_id = c.user_id;

-- a nickname belongs to one user, whatever its case
CREATE UNIQUE INDEX user_profiles_nickname_uq ON user_profiles (lower(nickname)) WHERE nickname IS NOT NULL;
CREATE INDEX user_profiles_phone_idx ON user_profiles (phone) WHERE phone IS NOT NULL;
