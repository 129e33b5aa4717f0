-- Segments (issue 23): a count of `language=...` alone from the number of users per language code instead of
-- reading every user (users has no language index: a new user's cost, issue 25). Kept by statement-level triggers
-- from the transition tables the count triggers (V8) already receive: an INSERT or DELETE adds or takes its rows per
-- language; an UPDATE writes only the languages whose count it changed (a sighting that keeps the language nets to
-- zero and locks nothing). Like the seen-users histogram (V22), each language has 8 rows, a writer's slot being its
-- backend's pid modulo 8, so concurrent writers do not queue on one language's row; readers sum them.
CREATE TABLE IF NOT EXISTS rollup_language_users (
    language_code text     NOT NULL,
    slot          smallint NOT NULL,
    users         bigint   NOT NULL,
    PRIMARY KEY (language_code, slot)
);

CREATE OR REPLACE FUNCTION registry_count_languages() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    writer_slot smallint := pg_backend_pid() % 8;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registry.rollup_language_users AS l (language_code, slot, users)
        SELECT language_code, writer_slot, count(*) FROM new_rows WHERE language_code IS NOT NULL
         GROUP BY 1 ORDER BY 1
        ON CONFLICT (language_code, slot) DO UPDATE SET users = l.users + excluded.users;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO registry.rollup_language_users AS l (language_code, slot, users)
        SELECT language_code, writer_slot, sum(n)
          FROM (SELECT language_code, 1 AS n FROM new_rows UNION ALL SELECT language_code, -1 FROM old_rows) changed
         WHERE language_code IS NOT NULL
         GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1
        ON CONFLICT (language_code, slot) DO UPDATE SET users = l.users + excluded.users;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO registry.rollup_language_users AS l (language_code, slot, users)
        SELECT language_code, writer_slot, -count(*) FROM old_rows WHERE language_code IS NOT NULL
         GROUP BY 1 ORDER BY 1
        ON CONFLICT (language_code, slot) DO UPDATE SET users = l.users + excluded.users;
    ELSE
        DELETE FROM registry.rollup_language_users;
    END IF;
    RETURN NULL;
END $$;

-- no writer may slip in between the count below and the triggers (a bot still writing users itself)
LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;

DROP TRIGGER IF EXISTS users_languages_insert ON users;
CREATE TRIGGER users_languages_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_count_languages();
DROP TRIGGER IF EXISTS users_languages_update ON users;
CREATE TRIGGER users_languages_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_count_languages();
DROP TRIGGER IF EXISTS users_languages_delete ON users;
CREATE TRIGGER users_languages_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_count_languages();
DROP TRIGGER IF EXISTS users_languages_truncate ON users;
CREATE TRIGGER users_languages_truncate AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION registry_count_languages();

-- Idempotent: a re-run counts again from the table.
DELETE FROM rollup_language_users;
INSERT INTO rollup_language_users (language_code, slot, users)
SELECT language_code, 0, count(*) FROM users WHERE language_code IS NOT NULL GROUP BY 1;
