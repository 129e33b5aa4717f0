-- One text folding (docs/DESIGN.md "Text folding"): registry.fold_text is the only definition of how names compare.
-- It builds users.search_text and user_name_history.search_text (search, former-name search, "who was @x"), the
-- nickname uniqueness index and by-nickname lookup; queries fold their parameter with the same function in SQL.
--
-- Online on a live registry: search_text was a STORED generated column, and changing its expression rewrites the
-- table under its strongest lock (PostgreSQL 17's ALTER COLUMN SET EXPRESSION too). So a plain column beside it,
-- search_text_v14, is kept by a trigger from now on, filled for existing rows in batches (each its own transaction:
-- row locks only), indexed CONCURRENTLY; then one short transaction swaps it in under the old name. Every step can
-- run again after a failure (Flyway repair + migrate): each one checks what is already there.

-- The folding -------------------------------------------------------------------------------------------------------
-- NFKC (compatibility forms: Arabic presentation forms, fullwidth Latin, ligatures), lower case, Arabic-script
-- diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and combining marks left after NFKC
-- removed, invisible joiners and marks removed (ZWNJ, ZWJ, ZWSP, LRM, RLM, ALM, word joiner, BOM, soft hyphen) and
-- tatweel, then letters that are one letter to a reader: Arabic ي ى → Persian ی, Arabic ك → Persian ک, ة → ه,
-- ё → е, final ς → σ. Precomposed letters keep their marks (é, й): NFKC composes é, and a rule that strips it
-- would make Russian й into и. The NFKC check first: most names are already NFKC, and the check is ~3x cheaper
-- than normalize(). IMMUTABLE (normalize, lower, regexp_replace and translate all are), and a single SQL
-- expression, so PostgreSQL inlines it into every index expression and query that calls it.
CREATE OR REPLACE FUNCTION registry.fold_text(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN translate(
        regexp_replace(lower(CASE WHEN t IS NFKC NORMALIZED THEN t ELSE normalize(t, NFKC) END),
            U&'[\0300-\036F\0610-\061A\061C\064B-\065F\0670\06D6-\06DC\06DF-\06E4\06E7\06E8\06EA-\06ED\0640\00AD\200B-\200F\2060\FEFF]',
            '', 'g'),
        U&'\064A\0649\0643\0629\0451\03C2', U&'\06CC\06CC\06A9\0647\0435\03C3');

-- search_text's form of a text: folded, and '_' stored as 'ǂ' (U+01C2, a letter to pg_trgm; migration V5 says why).
-- Search folds its query with this too.
CREATE OR REPLACE FUNCTION registry.search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN translate(registry.fold_text(t), '_', 'ǂ');

-- Nicknames the folding made equal: the newer claim lost the nickname (kept in attributes.legacy_nickname, the
-- profile's change log says so); one row per cleared nickname, without the nickname itself.
CREATE TABLE IF NOT EXISTS registry.nickname_fold_conflicts (
    user_id         BIGINT      NOT NULL,
    kept_by_user_id BIGINT      NOT NULL,
    claimed_at      TIMESTAMPTZ NOT NULL,
    kept_claimed_at TIMESTAMPTZ NOT NULL,
    cleared_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, cleared_at)
);

-- search_text of one row: "username\nfirst last\x1Flast", folded (V5 explains the layout). Shared by users and
-- user_name_history. The names are joined into a variable first so that the folding reads them once.
CREATE OR REPLACE FUNCTION registry.set_search_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    names text := COALESCE(NEW.username, '') || E'\n' || COALESCE(NEW.first_name, '') || ' '
                  || COALESCE(NEW.last_name, '') || E'\x1F' || COALESCE(NEW.last_name, '');
BEGIN
    NEW.search_text_v14 := registry.search_fold(names);
    RETURN NEW;
END
$$;

-- 1. Nicknames: unique once folded. One transaction holding user_profiles against writes (reads go on) while the
-- clashes are cleared and the new index is built; only the old index's DROP takes the table's strongest lock, at the
-- end. Of nicknames equal once folded the older claim keeps it: the claim is the profile change that last set the
-- nickname, or the profile's creation when the change log has none; ties go to the lower user id.
DO $$
DECLARE
    cleared bigint;
BEGIN
    IF (SELECT indexdef FROM pg_indexes WHERE schemaname = 'registry' AND indexname = 'user_profiles_nickname_uq')
       LIKE '%fold_text%' THEN
        RETURN;
    END IF;
    FOR attempt IN 1..600 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '1s', true);
            LOCK TABLE registry.user_profiles IN SHARE ROW EXCLUSIVE MODE;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.2);
        END;
    END LOOP;
    PERFORM set_config('lock_timeout', '0', true);

    CREATE TEMP TABLE nickname_claims ON COMMIT DROP AS
    SELECT p.user_id, p.nickname, registry.fold_text(p.nickname) AS folded,
           COALESCE((SELECT max(c.changed_at) FROM registry.user_profile_changes c
                      WHERE c.user_id = p.user_id AND c.field = 'nickname'), p.created_at) AS claimed_at
      FROM registry.user_profiles p
     WHERE p.nickname IS NOT NULL
       AND registry.fold_text(p.nickname) IN (SELECT registry.fold_text(nickname) FROM registry.user_profiles
                                               WHERE nickname IS NOT NULL
                                               GROUP BY 1 HAVING count(*) > 1);

    INSERT INTO registry.nickname_fold_conflicts (user_id, kept_by_user_id, claimed_at, kept_claimed_at)
    SELECT c.user_id, k.user_id, c.claimed_at, k.claimed_at
      FROM (SELECT *, row_number() OVER (PARTITION BY folded ORDER BY claimed_at, user_id) AS nth FROM nickname_claims) c
      JOIN (SELECT DISTINCT ON (folded) * FROM nickname_claims ORDER BY folded, claimed_at, user_id) k
        ON k.folded = c.folded
     WHERE c.nth > 1;
    GET DIAGNOSTICS cleared = ROW_COUNT;

    INSERT INTO registry.user_profile_changes (user_id, version, changed_at, changed_by, field, old_value, new_value)
    SELECT p.user_id, p.version + 1, now(), 'migration V14 (nickname equal once folded)', 'nickname',
           to_jsonb(p.nickname), NULL
      FROM registry.user_profiles p
     WHERE p.user_id IN (SELECT user_id FROM registry.nickname_fold_conflicts WHERE cleared_at = now());
    UPDATE registry.user_profiles p
       SET attributes = p.attributes || jsonb_build_object('legacy_nickname', p.nickname), nickname = NULL,
           version = p.version + 1, updated_at = now()
     WHERE p.user_id IN (SELECT user_id FROM registry.nickname_fold_conflicts WHERE cleared_at = now());

    IF cleared > 0 THEN
        RAISE WARNING 'V14: % nicknames equal to an older claim once folded were cleared (moved to attributes.legacy_nickname); see registry.nickname_fold_conflicts', cleared;
    END IF;

    DROP INDEX IF EXISTS registry.user_profiles_nickname_fold_uq;
    CREATE UNIQUE INDEX user_profiles_nickname_fold_uq ON registry.user_profiles (registry.fold_text(nickname))
        WHERE nickname IS NOT NULL;
    DROP INDEX IF EXISTS registry.user_profiles_nickname_uq;
    ALTER INDEX registry.user_profiles_nickname_fold_uq RENAME TO user_profiles_nickname_uq;
END
$$;

-- 2. The new search_text column and its trigger, while search_text is still the generated one. A row's search_text
-- is computed when it is inserted, and on an update only when a name (or search_text itself) changes: most updates
-- (a returning user's sighting) skip the trigger. The triggers are named to fire after each table's erasure guard,
-- which may drop or blank the names first (triggers fire in name order).
DO $$
BEGIN
    IF (SELECT attgenerated FROM pg_attribute
         WHERE attrelid = 'registry.users'::regclass AND attname = 'search_text') <> 's' THEN
        RETURN;
    END IF;
    FOR attempt IN 1..600 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '1s', true);
            LOCK TABLE registry.users, registry.user_name_history IN ACCESS EXCLUSIVE MODE;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.2);
        END;
    END LOOP;
    ALTER TABLE registry.users ADD COLUMN IF NOT EXISTS search_text_v14 text;
    ALTER TABLE registry.user_name_history ADD COLUMN IF NOT EXISTS search_text_v14 text;
    DROP TRIGGER IF EXISTS users_search_text ON registry.users;
    CREATE TRIGGER users_search_text BEFORE INSERT ON registry.users
        FOR EACH ROW EXECUTE FUNCTION registry.set_search_text();
    DROP TRIGGER IF EXISTS users_search_text_update ON registry.users;
    CREATE TRIGGER users_search_text_update BEFORE UPDATE ON registry.users
        FOR EACH ROW WHEN (NEW.username IS DISTINCT FROM OLD.username OR NEW.first_name IS DISTINCT FROM OLD.first_name
                           OR NEW.last_name IS DISTINCT FROM OLD.last_name
                           OR NEW.search_text_v14 IS DISTINCT FROM OLD.search_text_v14)
        EXECUTE FUNCTION registry.set_search_text();
    DROP TRIGGER IF EXISTS user_name_history_search_text ON registry.user_name_history;
    CREATE TRIGGER user_name_history_search_text BEFORE INSERT ON registry.user_name_history
        FOR EACH ROW EXECUTE FUNCTION registry.set_search_text();
    DROP TRIGGER IF EXISTS user_name_history_search_text_update ON registry.user_name_history;
    CREATE TRIGGER user_name_history_search_text_update BEFORE UPDATE ON registry.user_name_history
        FOR EACH ROW WHEN (NEW.username IS DISTINCT FROM OLD.username OR NEW.first_name IS DISTINCT FROM OLD.first_name
                           OR NEW.last_name IS DISTINCT FROM OLD.last_name
                           OR NEW.search_text_v14 IS DISTINCT FROM OLD.search_text_v14)
        EXECUTE FUNCTION registry.set_search_text();
END
$$;

-- 3. Existing rows, 5,000 user ids per transaction (the row locks a sighting of one of them may wait for); rows written meanwhile already have it (the trigger).
CREATE OR REPLACE PROCEDURE registry.backfill_search_text_v14(batch INT DEFAULT 5000)
LANGUAGE plpgsql AS $pr$
DECLARE
    lo BIGINT := -9223372036854775808;
    hi BIGINT;
    tbl TEXT;
    filled BIGINT;
    total BIGINT;
    started TIMESTAMPTZ;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['users', 'user_name_history'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ('registry.' || tbl)::regclass
                                                    AND attname = 'search_text_v14' AND NOT attisdropped) THEN
            CONTINUE;
        END IF;
        lo := -9223372036854775808;
        total := 0;
        started := clock_timestamp();
        LOOP
            EXECUTE format('SELECT user_id FROM registry.%I WHERE user_id > $1 ORDER BY user_id OFFSET $2 LIMIT 1', tbl)
                INTO hi USING lo, batch;
            EXECUTE format($u$UPDATE registry.%I SET search_text_v14 = registry.search_fold(
                                  COALESCE(username, '') || E'\n' || COALESCE(first_name, '') || ' '
                                  || COALESCE(last_name, '') || E'\x1F' || COALESCE(last_name, ''))
                               WHERE user_id > $1 AND ($2::bigint IS NULL OR user_id <= $2) AND search_text_v14 IS NULL$u$, tbl)
                USING lo, hi;
            GET DIAGNOSTICS filled = ROW_COUNT;
            total := total + filled;
            COMMIT;
            EXIT WHEN hi IS NULL;
            lo := hi;
        END LOOP;
        RAISE NOTICE 'V14: search_text of % filled for % rows in % s', tbl, total,
            round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
    END LOOP;
END
$pr$;

CALL registry.backfill_search_text_v14();

-- 4. The new column's indexes, built without blocking writes; the same shapes as V5's and V11's. (An index left
-- invalid by a failed earlier attempt is dropped first, else IF NOT EXISTS would keep it.)
DO $$
DECLARE
    leftover TEXT;
BEGIN
    FOR leftover IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                     WHERE NOT i.indisvalid AND c.relname LIKE '%\_v14' AND c.relnamespace = 'registry'::regnamespace LOOP
        EXECUTE format('DROP INDEX registry.%I', leftover);
    END LOOP;
END
$$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_recent_idx_v14
    ON registry.users (last_seen_at DESC, user_id DESC) INCLUDE (search_text_v14);
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_search_prefix_idx_v14
    ON registry.users (search_text_v14 text_pattern_ops) INCLUDE (last_seen_at, user_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_search_name_prefix_idx_v14
    ON registry.users (split_part(search_text_v14, E'\n', 2) text_pattern_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_search_last_name_prefix_idx_v14
    ON registry.users (split_part(search_text_v14, E'\x1F', 2) text_pattern_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_search_trgm_idx_v14
    ON registry.users USING gin (search_text_v14 gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_name_history_search_prefix_idx_v14
    ON registry.user_name_history (search_text_v14 text_pattern_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_name_history_search_name_prefix_idx_v14
    ON registry.user_name_history (split_part(search_text_v14, E'\n', 2) text_pattern_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_name_history_search_last_name_prefix_idx_v14
    ON registry.user_name_history (split_part(search_text_v14, E'\x1F', 2) text_pattern_ops);
-- "who was @x" now reads the search_text prefix index (exact username range); the lower(username) index goes
DROP INDEX CONCURRENTLY IF EXISTS registry.user_name_history_username_idx;

-- 5. The swap, one short transaction (the only step after 2. that takes the tables' strongest lock, for a few
-- milliseconds once granted; each attempt waits at most a second, then lets the queued statements through): the
-- generated columns go with their indexes, the new columns and indexes take their names, the trigger writes
-- search_text. Last in this file but for the cleanup and statistics, so that nothing above ever runs again after it.
DO $$
DECLARE
    idx RECORD;
    started TIMESTAMPTZ;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'registry.users'::regclass
                                                AND attname = 'search_text_v14' AND NOT attisdropped) THEN
        RETURN;
    END IF;
    FOR attempt IN 1..600 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '1s', true);
            LOCK TABLE registry.users, registry.user_name_history IN ACCESS EXCLUSIVE MODE;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.2);
        END;
    END LOOP;
    started := clock_timestamp();
    ALTER TABLE registry.users DROP COLUMN search_text;
    ALTER TABLE registry.users RENAME COLUMN search_text_v14 TO search_text;
    ALTER TABLE registry.user_name_history DROP COLUMN search_text;
    ALTER TABLE registry.user_name_history RENAME COLUMN search_text_v14 TO search_text;
    FOR idx IN SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'registry'::regnamespace AND c.relkind = 'i' AND c.relname LIKE '%\_v14' LOOP
        EXECUTE format('ALTER INDEX registry.%I RENAME TO %I', idx.relname, left(idx.relname, -4));
    END LOOP;
    CREATE OR REPLACE FUNCTION registry.set_search_text() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
    DECLARE
        names text := COALESCE(NEW.username, '') || E'\n' || COALESCE(NEW.first_name, '') || ' '
                      || COALESCE(NEW.last_name, '') || E'\x1F' || COALESCE(NEW.last_name, '');
    BEGIN
        NEW.search_text := registry.search_fold(names);
        RETURN NEW;
    END
    $fn$;
    RAISE NOTICE 'V14: search_text swapped in % ms under the tables'' lock',
        round(extract(epoch FROM clock_timestamp() - started)::numeric * 1000, 1);
END
$$;

DROP PROCEDURE IF EXISTS registry.backfill_search_text_v14(INT);
ANALYZE registry.users;
ANALYZE registry.user_name_history;
