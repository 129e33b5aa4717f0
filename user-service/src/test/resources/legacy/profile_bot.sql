-- The profile bot's users table (SEED-BOTS.md §2), with rows as its onboarding leaves them.
CREATE TABLE users (
    user_id bigint PRIMARY KEY, username varchar, first_name varchar, last_name text, language_code text,
    onboarding_completed boolean, real_name text, nickname varchar, study_track text, grade_band text,
    grade_year text, phone text, is_active boolean, created_at timestamp, last_seen_at timestamptz,
    updated_at timestamp, last_activity timestamptz);
CREATE UNIQUE INDEX users_nickname_key ON users (nickname);
CREATE INDEX users_onboarding_idx ON users (onboarding_completed);
CREATE INDEX users_study_track_idx ON users (study_track);
CREATE INDEX users_grade_year_idx ON users (grade_year);
INSERT INTO users VALUES
    (5001, 'sara_a', 'سارا', 'احمدی', 'fa', true, 'سارا احمدی', 'Sara', 'ریاضی فیزیک', '۱۰-۱۲', 'دهم', '09121234567',
     true, '2025-01-05 10:00:00', '2025-03-05 09:30:00+00', '2025-03-05 09:30:00', '2025-03-05 09:30:00+00'),
    (5002, 'reza', 'رضا', NULL, 'fa', true, 'رضا کریمی', 'Reza', 'تجربی', '۱۰-۱۲', '11', NULL,
     true, '2025-02-01 08:00:00', NULL, '2025-02-02 08:00:00', NULL),
    (5003, NULL, 'Ivan', NULL, 'ru', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     false, '2025-02-10 08:00:00', NULL, '2025-02-10 08:00:00', NULL);
