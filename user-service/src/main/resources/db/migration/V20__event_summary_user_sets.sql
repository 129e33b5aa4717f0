-- Segments (issue 23): did / did_not joined with other members read the event summary as a set of users per event
-- type (SegmentSql, EventSummarySql.condition): this index holds each type's users in user_id order, with the columns
-- the tests read, so a semi- or anti-join (and a count of did=a + did_not=b as a merge of two such ranges) reads the
-- index alone, and a page probes (event_type, user_id) per user it walks. Written only by the event summary job's
-- folds (never on the ingest path); built CONCURRENTLY, so folds and readers go on meanwhile (this migration runs
-- outside a transaction: V20__event_summary_user_sets.sql.conf).
CREATE INDEX CONCURRENTLY IF NOT EXISTS user_event_summary_type_user_idx
    ON registry.user_event_summary (event_type, user_id) INCLUDE (last_at, events);
