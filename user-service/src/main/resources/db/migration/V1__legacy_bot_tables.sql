-- The original bot's own tables, exactly as it created them. On a database the bot already
-- wrote (adopted with baseline-on-migrate, baseline version 0) they exist and nothing changes;
-- on an empty database they are created, so every later migration sees the same starting point.
CREATE TABLE IF NOT EXISTS bookings (
    id               SERIAL PRIMARY KEY,
    user_id          BIGINT NOT NULL,
    username         TEXT,
    first_name       TEXT,
    course_id        INT,
    confirmed        INT DEFAULT 0,
    created_at       TIMESTAMPTZ DEFAULT now(),
    referral_code    TEXT,
    discount_percent INT DEFAULT 0,
    course_stream    VARCHAR(50) DEFAULT '4th_stream'
);

CREATE TABLE IF NOT EXISTS events (
    id         SERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    event_type VARCHAR(50) NOT NULL,
    details    JSONB,
    created_at TIMESTAMPTZ DEFAULT now()
);

CREATE TABLE IF NOT EXISTS free_lesson_registrations (
    id                SERIAL PRIMARY KEY,
    user_id           BIGINT NOT NULL,
    username          TEXT,
    first_name        TEXT,
    email             TEXT NOT NULL,
    registered_at     TIMESTAMPTZ DEFAULT now(),
    notification_sent BOOLEAN DEFAULT false,
    lesson_type       VARCHAR(50) DEFAULT 'cursor_lesson',
    lesson_date       DATE,
    UNIQUE (user_id, lesson_type, lesson_date)
);
