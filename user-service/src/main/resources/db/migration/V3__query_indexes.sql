-- Indexes behind the dashboard API (search, by-stream, lead scoring, recent events, keyset listing).

UPDATE users SET first_seen_at = COALESCE(first_seen_at, last_seen_at, updated_at, now()),
                 last_seen_at  = COALESCE(last_seen_at, first_seen_at, updated_at, now())
 WHERE first_seen_at IS NULL OR last_seen_at IS NULL;
ALTER TABLE users ALTER COLUMN first_seen_at SET DEFAULT now(),
                  ALTER COLUMN first_seen_at SET NOT NULL,
                  ALTER COLUMN last_seen_at SET DEFAULT now(),
                  ALTER COLUMN last_seen_at SET NOT NULL;

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- search: exact and prefix matches through btree pattern indexes (fast even for 1-2 characters),
-- substring matches through one trigram index over all name fields ("first last" prefixes use the
-- first_name index: every such match starts with the query's first word)
CREATE INDEX IF NOT EXISTS users_username_prefix_idx   ON users (lower(username) text_pattern_ops);
CREATE INDEX IF NOT EXISTS users_first_name_prefix_idx ON users (lower(first_name) text_pattern_ops);
CREATE INDEX IF NOT EXISTS users_last_name_prefix_idx  ON users (lower(last_name) text_pattern_ops);
CREATE INDEX IF NOT EXISTS users_names_trgm_idx ON users
    USING gin (lower(COALESCE(username, '') || ' ' || COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) gin_trgm_ops);

-- GET /api/users (newest activity first, keyset pagination) and search's first look at the most recently
-- seen users: covering, so that look reads the index only
CREATE INDEX IF NOT EXISTS users_last_seen_idx ON users (last_seen_at DESC, user_id DESC)
    INCLUDE (username, first_name, last_name, is_active);

-- lead scoring and a user's latest events: index-only per user and window
CREATE INDEX IF NOT EXISTS events_user_created_idx ON events (user_id, created_at) INCLUDE (event_type);
-- recent events, and lead scoring's window (user_id and event_type included: read without the table)
CREATE INDEX IF NOT EXISTS events_created_idx ON events (created_at DESC) INCLUDE (user_id, event_type);

CREATE INDEX IF NOT EXISTS bookings_stream_confirmed_idx ON bookings (course_stream, confirmed);
CREATE INDEX IF NOT EXISTS bookings_user_idx ON bookings (user_id);
CREATE INDEX IF NOT EXISTS free_lesson_registrations_user_idx
    ON free_lesson_registrations (user_id, registered_at DESC, id DESC) INCLUDE (email);
