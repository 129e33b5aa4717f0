-- Production's events table also has these columns; they are always NULL.
ALTER TABLE events ADD COLUMN username text, ADD COLUMN first_name text;
