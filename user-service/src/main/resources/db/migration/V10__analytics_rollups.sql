-- Rollups behind the dashboard's analytics (daily stats, user growth, top events, courses, course streams, lesson
-- conversion), so each reads a few thousand small rows instead of 10M events.
--
-- Kept by statement-level triggers with transition tables (one grouped upsert per statement and rollup, not one per
-- row), so they are right for every writer: the service's consumers, the bot still writing these tables itself,
-- the stream change, erasure, test fixtures. Nothing runs on a schedule; nothing can lag.
--
-- Time series use 15-minute buckets in absolute time (UTC instants): a day of any zone whose UTC offset is a whole
-- number of quarter hours (every zone in use today: +03:30 Tehran, +05:45 Kathmandu, +08:45 Eucla included) is an
-- exact union of buckets. The service adds the base-table rows of a partial bucket at a day edge for any other
-- offset (AnalyticsRepository), so every zone is exact.
--
-- Counters live in one row per key. Concurrent writers of the same key (the current quarter, an event type)
-- queue on that row until they commit; every upsert takes its rows in key order, so they never deadlock.

-- The 15-minute bucket an instant falls in (buckets start at whole quarters since the Unix epoch).
CREATE FUNCTION registry_quarter(at timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT timestamptz 'epoch' + floor(extract(epoch FROM at) / 900) * interval '900 seconds'
$$;

-- events per quarter (events.created_at)
CREATE TABLE rollup_event_quarters (
    bucket timestamptz PRIMARY KEY,
    events bigint      NOT NULL
);
-- events per type, all time (top events)
CREATE TABLE rollup_event_types (
    event_type text PRIMARY KEY,
    events     bigint NOT NULL
);
-- who clicked a lesson link, per lesson type (details.lesson_type of lesson_link_clicked): distinct users, not clicks
CREATE TABLE rollup_lesson_clickers (
    lesson_type text   NOT NULL,
    user_id     bigint NOT NULL,
    PRIMARY KEY (lesson_type, user_id)
);
-- users by the quarter of their first sighting (users.first_seen_at): new users per day, users up to a day
CREATE TABLE rollup_new_user_quarters (
    bucket timestamptz PRIMARY KEY,
    users  bigint      NOT NULL
);
-- bookings per quarter of bookings.created_at
CREATE TABLE rollup_booking_quarters (
    bucket   timestamptz PRIMARY KEY,
    bookings bigint      NOT NULL
);
-- bookings per course, stream and status (course_id, course_stream and confirmed may each be NULL)
CREATE TABLE rollup_booking_statuses (
    course_id     int,
    course_stream text,
    confirmed     int,
    bookings      bigint NOT NULL
);
CREATE UNIQUE INDEX rollup_booking_statuses_key ON rollup_booking_statuses
    ((COALESCE(course_id, -2147483648)), (COALESCE(course_stream, E'\x01')), (COALESCE(confirmed, -2147483648)));

-- Day edges that are not on a quarter (zones with odd offsets) and lesson conversion read base tables:
CREATE INDEX IF NOT EXISTS bookings_created_idx ON bookings (created_at);
CREATE INDEX IF NOT EXISTS free_lesson_registrations_type_user_idx ON free_lesson_registrations (lesson_type, user_id);

-- ---- events ----
CREATE FUNCTION registry_rollup_events() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    -- the statement's rows with +1 (new version) / -1 (old version); an UPDATE counts only rows whose counted
    -- columns changed (the lead-activity flag updates of V5 change none)
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT user_id, event_type, details, created_at, 1 AS sign FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT user_id, event_type, details, created_at, -1 AS sign FROM old_rows'
        ELSE 'SELECT n.user_id, n.event_type, n.details, n.created_at, 1 AS sign FROM new_rows n JOIN old_rows o ON o.id = n.id
               WHERE (o.user_id, o.event_type, o.details, o.created_at) IS DISTINCT FROM (n.user_id, n.event_type, n.details, n.created_at)
              UNION ALL
              SELECT o.user_id, o.event_type, o.details, o.created_at, -1 FROM old_rows o LEFT JOIN new_rows n ON n.id = o.id
               WHERE n.id IS NULL
                  OR (o.user_id, o.event_type, o.details, o.created_at) IS DISTINCT FROM (n.user_id, n.event_type, n.details, n.created_at)
              UNION ALL
              SELECT n.user_id, n.event_type, n.details, n.created_at, 1 FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
               WHERE o.id IS NULL' END;
BEGIN
    EXECUTE format($q$
        WITH changed AS (%s)
        INSERT INTO rollup_event_quarters AS r (bucket, events)
        SELECT registry_quarter(created_at), sum(sign) FROM changed WHERE isfinite(created_at)
        GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET events = r.events + excluded.events $q$, changed);
    EXECUTE format($q$
        WITH changed AS (%s)
        INSERT INTO rollup_event_types AS r (event_type, events)
        SELECT event_type, sum(sign) FROM changed
        GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1
        ON CONFLICT (event_type) DO UPDATE SET events = r.events + excluded.events $q$, changed);
    IF TG_OP <> 'INSERT' THEN
        -- a clicker stays while any of their clicks of that lesson type is left
        EXECUTE format($q$
            WITH changed AS (%s)
            DELETE FROM rollup_lesson_clickers c
             USING (SELECT DISTINCT details ->> 'lesson_type' AS lesson_type, user_id FROM changed
                     WHERE sign < 0 AND event_type = 'lesson_link_clicked' AND details ->> 'lesson_type' IS NOT NULL) gone
             WHERE c.lesson_type = gone.lesson_type AND c.user_id = gone.user_id
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = gone.user_id AND e.event_type = 'lesson_link_clicked'
                                  AND e.details ->> 'lesson_type' = gone.lesson_type) $q$, changed);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format($q$
            WITH changed AS (%s)
            INSERT INTO rollup_lesson_clickers (lesson_type, user_id)
            SELECT DISTINCT details ->> 'lesson_type', user_id FROM changed
             WHERE sign > 0 AND event_type = 'lesson_link_clicked' AND details ->> 'lesson_type' IS NOT NULL
             ORDER BY 1, 2
            ON CONFLICT DO NOTHING $q$, changed);
    END IF;
    RETURN NULL;
END
$$;

-- ---- users: the quarter of first_seen_at (set on insert; moves only when an earlier sighting arrives) ----
CREATE FUNCTION registry_rollup_users() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rollup_new_user_quarters AS r (bucket, users)
        SELECT registry_quarter(first_seen_at), count(*) FROM new_rows WHERE isfinite(first_seen_at)
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET users = r.users + excluded.users;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO rollup_new_user_quarters AS r (bucket, users)
        SELECT registry_quarter(first_seen_at), -count(*) FROM old_rows WHERE isfinite(first_seen_at)
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET users = r.users + excluded.users;
    ELSE
        INSERT INTO rollup_new_user_quarters AS r (bucket, users)
        SELECT bucket, sum(sign) FROM (
            SELECT registry_quarter(n.first_seen_at) AS bucket, 1 AS sign
              FROM new_rows n JOIN old_rows o ON o.user_id = n.user_id
             WHERE n.first_seen_at IS DISTINCT FROM o.first_seen_at AND isfinite(n.first_seen_at)
            UNION ALL
            SELECT registry_quarter(o.first_seen_at), -1
              FROM new_rows n JOIN old_rows o ON o.user_id = n.user_id
             WHERE n.first_seen_at IS DISTINCT FROM o.first_seen_at AND isfinite(o.first_seen_at)
        ) moved
        GROUP BY bucket HAVING sum(sign) <> 0 ORDER BY bucket
        ON CONFLICT (bucket) DO UPDATE SET users = r.users + excluded.users;
    END IF;
    RETURN NULL;
END
$$;

-- ---- bookings: per quarter of created_at, and per course, stream and status ----
CREATE FUNCTION registry_rollup_bookings() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT course_id, course_stream, confirmed, created_at, 1 AS sign FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT course_id, course_stream, confirmed, created_at, -1 AS sign FROM old_rows'
        ELSE 'SELECT course_id, course_stream, confirmed, created_at, 1 AS sign FROM new_rows
              UNION ALL SELECT course_id, course_stream, confirmed, created_at, -1 FROM old_rows' END;
BEGIN
    EXECUTE format($q$
        WITH changed AS (%s)
        INSERT INTO rollup_booking_quarters AS r (bucket, bookings)
        SELECT registry_quarter(created_at), sum(sign) FROM changed WHERE isfinite(created_at)
        GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET bookings = r.bookings + excluded.bookings $q$, changed);
    EXECUTE format($q$
        WITH changed AS (%s)
        INSERT INTO rollup_booking_statuses AS r (course_id, course_stream, confirmed, bookings)
        SELECT course_id, course_stream, confirmed, sum(sign) FROM changed
        GROUP BY 1, 2, 3 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT ((COALESCE(course_id, -2147483648)), (COALESCE(course_stream, E'\x01')), (COALESCE(confirmed, -2147483648)))
        DO UPDATE SET bookings = r.bookings + excluded.bookings $q$, changed);
    RETURN NULL;
END
$$;

-- Writers wait while the rollups are filled (so none is missed or counted twice); the triggers exist from the
-- same commit on.
LOCK TABLE events, users, bookings IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER events_rollup_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_events();
CREATE TRIGGER events_rollup_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_events();
CREATE TRIGGER events_rollup_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_events();

CREATE TRIGGER users_rollup_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_users();
CREATE TRIGGER users_rollup_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_users();
CREATE TRIGGER users_rollup_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_users();

CREATE TRIGGER bookings_rollup_insert AFTER INSERT ON bookings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_bookings();
CREATE TRIGGER bookings_rollup_update AFTER UPDATE ON bookings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_bookings();
CREATE TRIGGER bookings_rollup_delete AFTER DELETE ON bookings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_bookings();

-- Backfill from the rows already there (an adopted database; empty on a new one).
INSERT INTO rollup_event_quarters (bucket, events)
SELECT registry_quarter(created_at), count(*) FROM events WHERE isfinite(created_at) GROUP BY 1;
INSERT INTO rollup_event_types (event_type, events)
SELECT event_type, count(*) FROM events GROUP BY 1;
INSERT INTO rollup_lesson_clickers (lesson_type, user_id)
SELECT DISTINCT details ->> 'lesson_type', user_id FROM events
 WHERE event_type = 'lesson_link_clicked' AND details ->> 'lesson_type' IS NOT NULL;
INSERT INTO rollup_new_user_quarters (bucket, users)
SELECT registry_quarter(first_seen_at), count(*) FROM users WHERE isfinite(first_seen_at) GROUP BY 1;
INSERT INTO rollup_booking_quarters (bucket, bookings)
SELECT registry_quarter(created_at), count(*) FROM bookings WHERE isfinite(created_at) GROUP BY 1;
INSERT INTO rollup_booking_statuses (course_id, course_stream, confirmed, bookings)
SELECT course_id, course_stream, confirmed, count(*) FROM bookings GROUP BY 1, 2, 3;
