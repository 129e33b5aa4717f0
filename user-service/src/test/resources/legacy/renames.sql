-- 3001 renamed before the registry existed: old_handle in a booking and a registration, new_handle in later events.
INSERT INTO bookings (user_id, username, first_name, course_id, confirmed, created_at, course_stream)
VALUES (3001, 'old_handle', 'Ivan', 1, 2, '2025-01-10 10:00:00+00', '5th_stream');
INSERT INTO free_lesson_registrations (user_id, username, first_name, email, registered_at, lesson_type, lesson_date)
VALUES (3001, 'old_handle', 'Ivan', 'ivan@example.com', '2025-02-01 10:00:00+00', 'cursor_lesson', '2025-02-05');
INSERT INTO events (user_id, event_type, details, created_at)
VALUES (3001, 'start_command', '{"username": "new_handle", "first_name": "Ivan"}', '2025-03-01 10:00:00+00'),
       (3001, 'view_program', '{"username": "new_handle", "first_name": "Ivan"}', '2025-03-05 10:00:00+00'),
       (3001, 'view_program', '{"course_id": 1}', '2025-03-06 10:00:00+00');
