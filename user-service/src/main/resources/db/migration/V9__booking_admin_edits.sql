-- Admin edits of bookings (PATCH /api/users/{id}/stream and /bookings): an audit row per changed field, which is
-- also the transactional outbox of topic registry.admin-edits.v1 and the registry's claim on that field.
-- While an edit is pending (settled_at IS NULL) the consumer of bot.bookings.v1 keeps the admin's value over any
-- snapshot that does not carry it; the first snapshot that does carry it settles the edit (docs/DESIGN.md).
CREATE TABLE IF NOT EXISTS booking_admin_edits (
    id             BIGSERIAL PRIMARY KEY,
    booking_id     BIGINT      NOT NULL,
    user_id        BIGINT      NOT NULL,
    field          TEXT        NOT NULL
        CHECK (field IN ('course_stream', 'confirmed', 'referral_code', 'discount_percent')),
    -- the admin's value as text (confirmed and discount_percent as decimal digits); NULL = cleared
    value          TEXT,
    previous_value TEXT,
    edited_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- non-secret id of the API key (ApiKeys.Caller.keyId)
    key_id         TEXT        NOT NULL,
    -- when a bot snapshot carried the value, or a newer edit of the same field replaced this one
    settled_at     TIMESTAMPTZ,
    settled_by     TEXT CHECK (settled_by IN ('snapshot', 'superseded')),
    -- when Kafka acknowledged the record on registry.admin-edits.v1 (NULL: not yet; the relay retries)
    published_at   TIMESTAMPTZ
);

-- at most one pending edit per booking and field: what the bookings consumer re-applies
CREATE UNIQUE INDEX IF NOT EXISTS booking_admin_edits_pending_uq
    ON booking_admin_edits (booking_id, field) WHERE settled_at IS NULL;
CREATE INDEX IF NOT EXISTS booking_admin_edits_unpublished_idx
    ON booking_admin_edits (id) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS booking_admin_edits_user_idx ON booking_admin_edits (user_id, edited_at DESC);

-- GET /api/bookings and GET /api/free-lessons: the newest rows first
CREATE INDEX IF NOT EXISTS bookings_created_idx ON bookings (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS free_lesson_registrations_registered_idx ON free_lesson_registrations (registered_at DESC, id DESC);
