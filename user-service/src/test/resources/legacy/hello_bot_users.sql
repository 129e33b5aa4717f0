-- A "hello" bot's users table: its own serial key, the Telegram id in telegram_id, timestamps without time zone.
CREATE TABLE users (
    id            SERIAL PRIMARY KEY,
    telegram_id   BIGINT UNIQUE,
    username      VARCHAR(255),
    first_name    VARCHAR(255),
    last_name     VARCHAR(255),
    is_active     BOOLEAN DEFAULT true,
    language_code VARCHAR(10),
    created_at    TIMESTAMP DEFAULT now(),
    updated_at    TIMESTAMP DEFAULT now()
);
INSERT INTO users (telegram_id, username, first_name, last_name, is_active, language_code, created_at, updated_at) VALUES
    (4001, 'hello_user', 'Алиса', 'Иванова', true, 'ru', '2024-12-01 10:00:00', '2025-01-10 10:00:00'),
    (4002, NULL, 'مریم', 'رحیمی', false, 'fa', '2024-12-02 10:00:00', '2024-12-03 10:00:00'),
    (4003, NULL, NULL, NULL, NULL, NULL, '2024-11-01 00:00:00', NULL),
    (NULL, 'ghost', 'No', 'Id', true, 'en', '2024-10-01 00:00:00', NULL);
