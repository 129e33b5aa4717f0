-- Segments (issue 23): partial indexes that let a count of one member (or of profile members only) read a small
-- index instead of every user (SegmentSql.count; docs/DESIGN.md "Segment counts of one member"). Each is partial, so
-- a row without the value costs it nothing on write, and built CONCURRENTLY, so the table keeps taking writes
-- meanwhile (this migration runs outside a transaction: V17__segment_count_indexes.sql.conf).

-- is_premium=true, and is_premium=false as all users less these: counted from this index alone.
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_premium_idx ON registry.users (user_id) WHERE is_premium IS TRUE;

-- reachable_by_dm counted alone: all users less the blocked ones (user_counts) less the active users never seen in a
-- private chat, which this index holds (with is_active, so it is read alone).
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_no_private_chat_idx ON registry.users (is_active) WHERE private_chat_since IS NULL;

-- Profile values counted alone (study_track=..., onboarding_completed=true) and their negations (lacks=study_track,
-- onboarding_completed=false) as all users less these: written only by a bot's profile writes (never by ingest).
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_onboarded_idx ON registry.user_profiles (user_id)
    WHERE onboarding_completed IS TRUE;
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_study_track_idx ON registry.user_profiles (study_track)
    WHERE study_track IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_grade_band_idx ON registry.user_profiles (grade_band)
    WHERE grade_band IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_profiles_grade_year_idx ON registry.user_profiles (grade_year)
    WHERE grade_year IS NOT NULL;
