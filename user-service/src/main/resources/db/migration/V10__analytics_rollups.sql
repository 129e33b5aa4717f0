-- Rollups behind the dashboard's analytics (daily stats, user growth, top events, courses, course streams, lesson
-- conversion), so each reads a few thousand small rows instead of 10M events.
--
-- Kept by triggers: inserts and deletes by statement-level triggers with transition tables (one grouped upsert per
-- statement and rollup, not one per row); updates of a counted column by row triggers whose WHEN skips every other
-- update (the hot users upsert and V5's lead-activity flag updates pay nothing). So they are right for every writer: the service's consumers, the bot still writing these tables itself,
-- the stream change, erasure, test fixtures. Nothing runs on a schedule; nothing can lag.
--
-- Time series use 15-minute buckets in absolute time (UTC instants): a day of any zone whose UTC offset is a whole
-- number of quarter hours (every zone in use today: +03:30 Tehran, +05:45 Kathmandu, +08:45 Eucla included) is an
-- exact union of buckets. The service adds the base-table rows of a partial bucket at a day edge for any other
-- offset (AnalyticsRepository), so every zone is exact.
--
-- Counters live in one row per key. Concurrent writers of the same key (the current quarter, an event type)
-- queue on that row until they commit; every upsert takes its rows in key order, so they never deadlock.

-- The 15-minute bucket an instant falls in (buckets start at whole quarters since the Unix epoch); NULL for NULL
-- and +-infinity, which no day holds.
CREATE FUNCTION registry_quarter(at timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN isfinite(at) THEN timestamptz 'epoch' + floor(extract(epoch FROM at) / 900) * interval '900 seconds' END
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
-- Inserts and deletes: one grouped upsert per rollup and statement, from the statement's transition table.
CREATE FUNCTION registry_rollup_events() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    -- the statement's rows, +1 for an insert, -1 for a delete
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT user_id, event_type, details, created_at, 1 AS sign FROM new_rows'
        ELSE 'SELECT user_id, event_type, details, created_at, -1 AS sign FROM old_rows' END;
BEGIN
    EXECUTE format($q$
        WITH changed AS (%s)
        INSERT INTO rollup_event_quarters AS r (bucket, events)
        SELECT registry_quarter(created_at), sum(sign) FROM changed WHERE registry_quarter(created_at) IS NOT NULL
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET events = r.events + excluded.events $q$, changed);
    EXECUTE format($q$
        WITH changed AS (%s)
        INSERT INTO rollup_event_types AS r (event_type, events)
        SELECT event_type, sum(sign) FROM changed
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (event_type) DO UPDATE SET events = r.events + excluded.events $q$, changed);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rollup_lesson_clickers (lesson_type, user_id)
        SELECT DISTINCT details ->> 'lesson_type', user_id FROM new_rows
         WHERE event_type = 'lesson_link_clicked' AND details ->> 'lesson_type' IS NOT NULL
         ORDER BY 1, 2
        ON CONFLICT DO NOTHING;
    ELSE
        -- a clicker stays while any of their clicks of that lesson type is left
        DELETE FROM rollup_lesson_clickers c
         USING (SELECT DISTINCT details ->> 'lesson_type' AS lesson_type, user_id FROM old_rows
                 WHERE event_type = 'lesson_link_clicked' AND details ->> 'lesson_type' IS NOT NULL) gone
         WHERE c.lesson_type = gone.lesson_type AND c.user_id = gone.user_id
           AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = gone.user_id AND e.event_type = 'lesson_link_clicked'
                              AND e.details ->> 'lesson_type' = gone.lesson_type);
    END IF;
    RETURN NULL;
END
$$;

-- Updates of a counted column (rare: a correction, a test fixture; V5's lead_activity updates change none and do
-- not fire it): per row, so an update that changes nothing counted costs no transition tables.
CREATE FUNCTION registry_rollup_event_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_event_quarters AS r (bucket, events)
    SELECT bucket, sum(n) FROM (VALUES (registry_quarter(OLD.created_at), -1), (registry_quarter(NEW.created_at), 1)) v (bucket, n)
     WHERE bucket IS NOT NULL GROUP BY bucket HAVING sum(n) <> 0 ORDER BY bucket
    ON CONFLICT (bucket) DO UPDATE SET events = r.events + excluded.events;
    INSERT INTO rollup_event_types AS r (event_type, events)
    SELECT event_type, sum(n) FROM (VALUES (OLD.event_type, -1), (NEW.event_type, 1)) v (event_type, n)
     GROUP BY event_type HAVING sum(n) <> 0 ORDER BY event_type
    ON CONFLICT (event_type) DO UPDATE SET events = r.events + excluded.events;
    IF OLD.event_type = 'lesson_link_clicked' AND OLD.details ->> 'lesson_type' IS NOT NULL THEN
        DELETE FROM rollup_lesson_clickers c
         WHERE c.lesson_type = OLD.details ->> 'lesson_type' AND c.user_id = OLD.user_id
           AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = OLD.user_id AND e.event_type = 'lesson_link_clicked'
                              AND e.details ->> 'lesson_type' = OLD.details ->> 'lesson_type');
    END IF;
    IF NEW.event_type = 'lesson_link_clicked' AND NEW.details ->> 'lesson_type' IS NOT NULL THEN
        INSERT INTO rollup_lesson_clickers (lesson_type, user_id) VALUES (NEW.details ->> 'lesson_type', NEW.user_id)
        ON CONFLICT DO NOTHING;
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
        SELECT registry_quarter(first_seen_at), count(*) FROM new_rows WHERE registry_quarter(first_seen_at) IS NOT NULL
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET users = r.users + excluded.users;
    ELSE
        INSERT INTO rollup_new_user_quarters AS r (bucket, users)
        SELECT registry_quarter(first_seen_at), -count(*) FROM old_rows WHERE registry_quarter(first_seen_at) IS NOT NULL
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET users = r.users + excluded.users;
    END IF;
    RETURN NULL;
END
$$;

-- Every sighting updates users (the hottest write path), almost never first_seen_at: a row trigger whose WHEN skips
-- the others costs them nothing (a statement trigger would copy every updated row into transition tables).
CREATE FUNCTION registry_rollup_user_first_seen_moved() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_new_user_quarters AS r (bucket, users)
    SELECT bucket, sum(n) FROM (VALUES (registry_quarter(OLD.first_seen_at), -1), (registry_quarter(NEW.first_seen_at), 1)) v (bucket, n)
     WHERE bucket IS NOT NULL GROUP BY bucket HAVING sum(n) <> 0 ORDER BY bucket
    ON CONFLICT (bucket) DO UPDATE SET users = r.users + excluded.users;
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
        SELECT registry_quarter(created_at), sum(sign) FROM changed WHERE registry_quarter(created_at) IS NOT NULL
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
CREATE TRIGGER events_rollup_update AFTER UPDATE OF user_id, event_type, details, created_at ON events
    FOR EACH ROW WHEN ((OLD.user_id, OLD.event_type, OLD.details, OLD.created_at) IS DISTINCT FROM
                       (NEW.user_id, NEW.event_type, NEW.details, NEW.created_at))
    EXECUTE FUNCTION registry_rollup_event_changed();
CREATE TRIGGER events_rollup_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_events();

CREATE TRIGGER users_rollup_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_rollup_users();
CREATE TRIGGER users_rollup_update AFTER UPDATE OF first_seen_at ON users
    FOR EACH ROW WHEN (registry_quarter(OLD.first_seen_at) IS DISTINCT FROM registry_quarter(NEW.first_seen_at))
    EXECUTE FUNCTION registry_rollup_user_first_seen_moved();
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
SELECT registry_quarter(created_at), count(*) FROM events WHERE registry_quarter(created_at) IS NOT NULL GROUP BY 1;
INSERT INTO rollup_event_types (event_type, events)
SELECT event_type, count(*) FROM events GROUP BY 1;
INSERT INTO rollup_lesson_clickers (lesson_type, user_id)
SELECT DISTINCT details ->> 'lesson_type', user_id FROM events
 WHERE event_type = 'lesson_link_clicked' AND details ->> 'lesson_type' IS NOT NULL;
INSERT INTO rollup_new_user_quarters (bucket, users)
SELECT registry_quarter(first_seen_at), count(*) FROM users WHERE registry_quarter(first_seen_at) IS NOT NULL GROUP BY 1;
INSERT INTO rollup_booking_quarters (bucket, bookings)
SELECT registry_quarter(created_at), count(*) FROM bookings WHERE registry_quarter(created_at) IS NOT NULL GROUP BY 1;
INSERT INTO rollup_booking_statuses (course_id, course_stream, confirmed, bookings)
SELECT course_id, course_stream, confirmed, count(*) FROM bookings GROUP BY 1, 2, 3;
