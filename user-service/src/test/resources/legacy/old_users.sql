-- An earlier attempt's users table: timestamps WITHOUT time zone.
CREATE TABLE users (user_id bigint primary key, username text, first_name text, last_name text, language_code text,
    first_seen_at timestamp, updated_at timestamp);
INSERT INTO users VALUES (1006, 'old_timer', 'Old', 'Timer', 'en', '2025-01-01 12:00:00', '2025-02-01 12:00:00'),
                         (1001, 'alex_old', 'Alexander', NULL, 'ru', '2025-10-01 00:00:00', '2025-10-02 00:00:00');
