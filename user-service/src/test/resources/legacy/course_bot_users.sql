-- A course bot's users table: the profile lives on users itself; timestamps without time zone except last_seen_at,
-- is_active nullable (NULL meant active), nickname unique as written.
CREATE TABLE users (
    user_id              BIGINT PRIMARY KEY,
    username             TEXT,
    first_name           TEXT,
    last_name            TEXT,
    is_active            BOOLEAN,
    created_at           TIMESTAMP DEFAULT now(),
    updated_at           TIMESTAMP DEFAULT now(),
    last_seen_at         TIMESTAMPTZ,
    onboarding_completed BOOLEAN DEFAULT false,
    real_name            TEXT,
    nickname             TEXT UNIQUE,
    study_track          TEXT,
    grade_band           TEXT,
    grade_year           INTEGER,
    phone                TEXT,
    last_activity        TIMESTAMP
);
INSERT INTO users VALUES
    (3001, 'sara_a', 'سارا', 'احمدی', true, '2025-03-01 08:00:00', '2025-03-02 08:00:00', '2025-03-05 10:00:00+00',
     true, 'سارا احمدی', 'Sara', 'ریاضی فیزیک', '۱۰-۱۲', 11, '+98 912 123 4567', '2025-03-05 09:30:00'),
    (3002, NULL, 'Иван', NULL, NULL, '2025-04-01 12:00:00', NULL, NULL,
     false, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3003, 'reza_k', 'رضا', NULL, false, '2025-04-02 12:00:00', '2025-04-03 12:00:00', '2025-04-03 12:00:00+00',
     true, 'رضا کریمی', 'sara', 'تجربی', NULL, 12, '09121112233', NULL),
    (3004, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3005, 'olga', 'Ольга', 'Смирнова', true, '2025-05-01 00:00:00', '2025-05-01 00:00:00', '2025-05-02 00:00:00+00',
     true, 'Ольга Смирнова', 'Оля', NULL, NULL, NULL, 'not given', '2025-05-02 00:00:00');
