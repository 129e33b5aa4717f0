-- Search reads one stored, lower-cased text per user instead of lower() over four expressions per row, and
-- lead scoring reads only the events that can count for it.

-- search_text = username, a newline, "first last", a unit separator (U+001F), the last name again; lower-cased.
-- So: exact username = it starts with "q\n"; username prefix = it starts with q; first-name or "first last"
-- prefix = it contains "\nq"; last-name prefix = it contains "\x1Fq"; substring = it contains q (no query
-- holds a control character, so no match spans two parts, except first and last name joined by the space).
-- '_' is stored as 'ǂ' (U+01C2, a letter to pg_trgm): pg_trgm builds trigrams from letters and digits only, so
-- with a plain '_' a query such as "anna_m" or "n_s" could not use the trigram index at all. The service maps
-- a query the same way (SearchQuery), so the mapping is invisible to callers.
ALTER TABLE users ADD COLUMN search_text text GENERATED ALWAYS AS (
    translate(lower(COALESCE(username, '') || E'\n' || COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')
                    || E'\x1F' || COALESCE(last_name, '')), '_', 'ǂ')) STORED;

DROP INDEX IF EXISTS users_username_prefix_idx;
DROP INDEX IF EXISTS users_first_name_prefix_idx;
DROP INDEX IF EXISTS users_last_name_prefix_idx;
DROP INDEX IF EXISTS users_names_trgm_idx;
DROP INDEX IF EXISTS users_last_seen_idx;

-- newest activity first (GET /api/users, and search's walk over the most recently seen users, which reads
-- this index only)
CREATE INDEX users_recent_idx ON users (last_seen_at DESC, user_id DESC) INCLUDE (search_text);
-- exact username and username prefix: a range of this index, read without the table
CREATE INDEX users_search_prefix_idx ON users (search_text text_pattern_ops) INCLUDE (last_seen_at, user_id);
-- first-name / "first last" prefix, and last-name prefix: ranges of these
CREATE INDEX users_search_name_prefix_idx ON users (split_part(search_text, E'\n', 2) text_pattern_ops);
CREATE INDEX users_search_last_name_prefix_idx ON users (split_part(search_text, E'\x1F', 2) text_pattern_ops);
-- substrings
CREATE INDEX users_search_trgm_idx ON users USING gin (search_text gin_trgm_ops);

-- events.lead_activity: the event is the own action (not a system event type) of a user who has a free-lesson
-- registration now, i.e. it counts for lead scoring, whose window then reads just these events (a partial
-- index). Kept by triggers, so every writer (the service, a bot still writing these tables itself, test
-- fixtures) keeps it right: an event gets it on insert; a user's events get it when the user registers and lose
-- it when the user's last registration is deleted or moved to another user.
CREATE FUNCTION registry_is_own_activity(event_type text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    -- event types the system emits about a user, not the user's own activity
    SELECT COALESCE(event_type NOT IN ('free_lesson_reminder_sent', 'booking_status_changed', 'payment_approved'), false)
$$;

ALTER TABLE events ADD COLUMN lead_activity boolean NOT NULL DEFAULT false;
UPDATE events SET lead_activity = true
 WHERE registry_is_own_activity(event_type) AND user_id IN (SELECT user_id FROM free_lesson_registrations);
CREATE INDEX events_lead_activity_idx ON events (created_at) INCLUDE (user_id) WHERE lead_activity;

-- An event and a change of its user's registrations written at the same moment must not miss each other
-- (neither transaction sees the other's row), so both kinds of trigger take one advisory lock first: event
-- inserts share it, a registration change takes it alone; whichever commits second then sees the other's
-- rows. (Two-int key, so it cannot collide with Flyway's single-bigint lock.)
CREATE FUNCTION registry_event_lead_activity() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.lead_activity := false;
    IF registry_is_own_activity(NEW.event_type) THEN
        PERFORM pg_advisory_xact_lock_shared(20250, 1);
        NEW.lead_activity := EXISTS (SELECT 1 FROM free_lesson_registrations f WHERE f.user_id = NEW.user_id);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER events_lead_activity BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION registry_event_lead_activity();

CREATE FUNCTION registry_registration_lead_activity() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(20250, 1);
    IF TG_OP IN ('UPDATE', 'DELETE')
       AND NOT EXISTS (SELECT 1 FROM free_lesson_registrations f WHERE f.user_id = OLD.user_id) THEN
        UPDATE events SET lead_activity = false WHERE user_id = OLD.user_id AND lead_activity;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE events SET lead_activity = true
         WHERE user_id = NEW.user_id AND NOT lead_activity AND registry_is_own_activity(event_type);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER free_lesson_registrations_lead_activity AFTER INSERT OR DELETE ON free_lesson_registrations
    FOR EACH ROW EXECUTE FUNCTION registry_registration_lead_activity();
CREATE TRIGGER free_lesson_registrations_user_change_lead_activity AFTER UPDATE OF user_id ON free_lesson_registrations
    FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION registry_registration_lead_activity();
