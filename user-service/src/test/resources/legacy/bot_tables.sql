-- The original bot's tables, as it created them, with rows like production's.
CREATE TABLE bookings (id serial primary key, user_id bigint not null, username text, first_name text, course_id int,
    confirmed int default 0, created_at timestamptz default now(), referral_code text, discount_percent int default 0,
    course_stream varchar(50) default '4th_stream');
CREATE TABLE events (id serial primary key, user_id bigint not null, event_type varchar(50) not null, details jsonb,
    created_at timestamptz default now());
CREATE TABLE free_lesson_registrations (id serial primary key, user_id bigint not null, username text, first_name text,
    email text not null, registered_at timestamptz default now(), notification_sent boolean default false,
    lesson_type varchar(50) default 'cursor_lesson', lesson_date date, unique(user_id, lesson_type, lesson_date));

-- 1001 booked, and clicked earlier than the booking
INSERT INTO bookings (user_id, username, first_name, course_id, confirmed, created_at, referral_code, discount_percent, course_stream)
VALUES (1001, 'alex_smith', 'Alex', 1, 2, '2025-09-01 10:30:00+00', 'FRIEND20', 20, '4th_stream'),
       (1003, '', 'Dana', 1, 0, '2025-08-01 10:00:00+00', NULL, 0, '5th_stream'),
       (1007, 'mentee', 'Kim', 2, -1, '2025-05-05 08:00:00+00', NULL, 0, 'mentoring');
-- 1002 only registered for free lessons, twice; 1003 has a real username only here
INSERT INTO free_lesson_registrations (user_id, username, first_name, email, registered_at, notification_sent, lesson_type, lesson_date)
VALUES (1002, 'maria_jones', 'Maria', 'maria@example.com', '2025-06-01 09:00:00+00', true, 'cursor_lesson', '2025-06-05'),
       (1002, 'maria_jones', 'Maria', 'maria@work.example', '2025-07-01 09:00:00+00', false, 'intro_to_python', '2025-07-05'),
       (1003, 'dana_real', 'Dana', 'dana@example.com', '2025-07-15 12:00:00+00', true, 'cursor_lesson', '2025-07-20');
-- 1004 only ever clicked, and the bot copied the names into details (since mid-2025); 1005 clicked, no names anywhere
INSERT INTO events (user_id, event_type, details, created_at)
VALUES (1004, 'start_command', '{"username": "event_only", "first_name": "Ева"}', '2025-08-10 10:00:00+00'),
       (1004, 'view_program', '{"course_id": 1}', '2025-08-11 10:00:00+00'),
       (1005, 'start_command', NULL, '2025-08-12 10:00:00+00'),
       (1005, 'lesson_link_clicked', '{"lesson": 3}', '2025-08-13 10:00:00+00'),
       (1001, 'view_program', '{"course_id": 1}', '2025-08-20 10:00:00+00'),
       (1001, 'payment_approved', '{"booking_id": 1}', '2025-09-02 10:00:00+00');
-- volume: 40 more users with 25 events each, names in some details
INSERT INTO events (user_id, event_type, details, created_at)
SELECT 2000 + u, (ARRAY['start_command', 'view_program', 'lesson_link_clicked'])[1 + (n % 3)],
       CASE WHEN n % 5 = 0 THEN jsonb_build_object('username', 'user_' || u, 'first_name', 'Имя' || u) ELSE '{}'::jsonb END,
       timestamptz '2025-07-01 00:00:00+00' + (u * interval '1 day') + (n * interval '1 hour')
FROM generate_series(1, 40) AS u, generate_series(1, 25) AS n;
