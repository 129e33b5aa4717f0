-- Direct-message reachability of a user, and what GET /api/stats counts without scanning users.

-- private_chat_since: when the user was first seen acting in their private chat with the bot (a sighting with
-- seen_via = private_chat). NULL: never seen there (only in groups, channels, inline mode, or named inside someone
-- else's update), so the bot cannot start a conversation with them. reachable_by_dm = private_chat_since IS NOT
-- NULL AND is_active.
-- Users already here were recorded before sightings said how; the bots this registry adopts talk to their users in
-- private chats, so they count as reachable: they read '-infinity' ("since before the registry knew"). Added as a
-- column default and then dropped, so existing rows get it without rewriting the table and new rows get NULL.
ALTER TABLE users ADD COLUMN IF NOT EXISTS private_chat_since TIMESTAMPTZ DEFAULT '-infinity';
ALTER TABLE users ALTER COLUMN private_chat_since DROP DEFAULT;

-- newUsersToday / newUsersLast7Days: a range of this index. (usersSeenToday is a range of users_recent_idx, V5.)
CREATE INDEX IF NOT EXISTS users_first_seen_idx ON users (first_seen_at);

-- totalUsers, blockedUsers (and activeUsers = total - blocked) are kept in one row by statement-level triggers, so
-- the stats read one row instead of counting a million. Statement-level: each writing statement adds its deltas
-- once, after it has locked all its users rows, so two concurrent batches cannot deadlock over the counter row; an
-- UPDATE that changes no is_active (nearly every sighting) does not touch it at all. Blocked = is_active IS FALSE
-- (an adopted table may allow NULL there, which reads as active).
CREATE TABLE user_counts (
    only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    total    BIGINT NOT NULL,
    blocked  BIGINT NOT NULL
);

-- no writer may slip in between the first count and the triggers (a bot still writing users itself)
LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION registry_count_users() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    total_delta   bigint := 0;
    blocked_delta bigint := 0;
    rows_counted  bigint;
    blocked_rows  bigint;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*), count(*) FILTER (WHERE is_active IS FALSE) INTO rows_counted, blocked_rows FROM new_rows;
        total_delta := total_delta + rows_counted;
        blocked_delta := blocked_delta + blocked_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT count(*), count(*) FILTER (WHERE is_active IS FALSE) INTO rows_counted, blocked_rows FROM old_rows;
        total_delta := total_delta - rows_counted;
        blocked_delta := blocked_delta - blocked_rows;
    END IF;
    IF total_delta <> 0 OR blocked_delta <> 0 THEN
        UPDATE user_counts SET total = total + total_delta, blocked = blocked + blocked_delta;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION registry_users_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE user_counts SET total = 0, blocked = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER users_count_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_count_users();
CREATE TRIGGER users_count_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_count_users();
CREATE TRIGGER users_count_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_count_users();
CREATE TRIGGER users_count_truncate AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION registry_users_truncated();

INSERT INTO user_counts (total, blocked)
SELECT count(*), count(*) FILTER (WHERE is_active IS FALSE) FROM users;
