#!/usr/bin/env bash
# End-to-end check of the README's backup and restore runbook: a registry database (schema migrated by the packaged
# user-service itself, then filled with users in Persian and Cyrillic, NULL names, events, bookings, registrations)
# is dumped with `pg_dump -Fc`, restored with `pg_restore` into a fresh database, and compared table by table
# (row counts and every row), sequences, the kept user counts and a sample of users; then user-service is started on
# the restored database (its schema check must pass) and asked for a user and the stats.
#
# PostgreSQL binaries: one installation for server, pg_dump and pg_restore (a dump is restored with the same
# binaries), from $PG_BIN or the newest /usr/lib/postgresql/*/bin (Debian's postgresql package). The embedded
# PostgreSQL of local-stack ships no pg_dump/pg_restore, so it is not used here.
# Needs: user-service packaged (./mvnw -B -q -pl user-service -am package -DskipTests). Runs in ~30-60 s.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
for tool in initdb pg_ctl postgres pg_dump pg_restore psql; do
  [ -x "$PG_BIN/$tool" ] || { echo "no $tool in '$PG_BIN' (install PostgreSQL, e.g. apt-get install postgresql, or set PG_BIN)"; exit 1; }
done
SERVICE=user-service/target/quarkus-app/quarkus-run.jar
[ -f "$SERVICE" ] || { echo "missing $SERVICE: run ./mvnw -B -q -pl user-service -am package -DskipTests"; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
# PostgreSQL refuses to run as root: as root, run it in a user namespace (an unprivileged uid there), as local-stack does
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(unshare -U); fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# health is on the management port
management_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
service_pid=""
cleanup() {
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

export PGHOST=localhost PGPORT=$port PGUSER=postgres
# the registry's tables live in schema registry (docs/DESIGN.md "Adoption")
export PGOPTIONS="-c search_path=registry,public"
psql_q() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') from $PG_BIN on :$port"
"${as_pg[@]}" "$PG_BIN/initdb" -D "$work/data" -U postgres -A trust --encoding=UTF8 --locale=C >"$work/initdb.log"
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=localhost -c fsync=off" start >/dev/null
psql_q -d postgres -c "CREATE DATABASE users"

# starts user-service on database $1 (it migrates before it opens its port); Kafka is not needed for this check
start_service() {
  DB_JDBC_URL="jdbc:postgresql://localhost:$port/$1" DB_REACTIVE_URL="postgresql://localhost:$port/$1" \
  DB_USER=postgres DB_PASSWORD=unused APP_API_KEYS=check-key:read \
  APP_CURSOR_KEYS=check-cursor-key-0123456789abcdefghijk KAFKA_BOOTSTRAP_SERVERS=localhost:1 \
  QUARKUS_HTTP_PORT=$http_port QUARKUS_MANAGEMENT_PORT=$management_port java -Xmx160m -jar "$SERVICE" >"$work/service-$1.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 360); do
    if curl -fsS "localhost:$management_port/q/health/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$service_pid" 2>/dev/null; then echo "user-service stopped:"; tail -30 "$work/service-$1.log"; exit 1; fi
    sleep 0.5
  done
  echo "user-service did not start"; tail -30 "$work/service-$1.log"; exit 1
}
stop_service() { kill "$service_pid"; wait "$service_pid" 2>/dev/null || true; service_pid=""; }
api() { curl -fsS -H 'Authorization: Bearer check-key' "localhost:$http_port$1"; }

echo "== migrate with user-service, fill"
start_service users
stop_service
psql_q -d users <<'SQL'
INSERT INTO users (user_id, username, first_name, last_name, language_code, first_seen_at, last_seen_at, is_active)
SELECT 9100000 + i,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'user_' || i END,
       CASE i % 3 WHEN 0 THEN 'مریم' WHEN 1 THEN 'Сергей' ELSE NULL END,
       CASE WHEN i % 4 = 0 THEN 'Иванов ' || i ELSE NULL END,
       CASE WHEN i % 2 = 0 THEN 'fa' ELSE 'ru' END,
       timestamptz '2026-01-01 00:00+00' + i * interval '1 minute',
       timestamptz '2026-02-01 00:00+00' + i * interval '1 minute',
       i % 10 <> 0
FROM generate_series(1, 5000) AS i;
INSERT INTO events (user_id, event_type, details, created_at)
SELECT 9100000 + (i % 5000) + 1, (ARRAY['start_command', 'view_program', 'lesson_link_clicked'])[i % 3 + 1],
       jsonb_build_object('n', i, 'note', 'یادداشت ' || i), timestamptz '2026-02-01 00:00+00' + i * interval '10 seconds'
FROM generate_series(1, 20000) AS i;
INSERT INTO bookings (id, user_id, username, first_name, course_id, course_stream, confirmed, created_at)
SELECT i, 9100000 + i, 'user_' || i, 'Сергей', 1, '5th_stream', i % 4 - 1, timestamptz '2026-02-01 00:00+00'
FROM generate_series(1, 500) AS i;
INSERT INTO free_lesson_registrations (id, user_id, email, lesson_type, lesson_date, registered_at)
SELECT i, 9100000 + i, 'u' || i || '@example.com', 'intro_to_python', date '2026-03-01', timestamptz '2026-02-01 00:00+00'
FROM generate_series(1, 800) AS i;
INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at)
SELECT user_id, username, first_name, last_name, first_seen_at FROM users;
SQL

echo "== backup: pg_dump -Fc"
"$PG_BIN/pg_dump" -Fc -d users -f "$work/users.dump"
echo "   $(du -h "$work/users.dump" | cut -f1) dump"
echo "== restore: pg_restore into a fresh database"
psql_q -d postgres -c "CREATE DATABASE users_restored TEMPLATE template0"
"$PG_BIN/pg_restore" --exit-on-error --no-owner -d users_restored "$work/users.dump"

# every table's row count and a digest of all its rows; sequences; then a sample of users in full
fingerprint() {
  local tables
  # the registry's schema and the bot's (public; empty here)
  tables=$(psql_q -d "$1" -c "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname IN ('registry', 'public') ORDER BY 1")
  for table in $tables; do
    psql_q -d "$1" -c "SELECT '$table', count(*), md5(COALESCE(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM $table t"
  done
  psql_q -d "$1" -c "SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname IN ('registry', 'public') ORDER BY 1, 2"
  psql_q -d "$1" -c "SELECT * FROM users WHERE user_id IN (9100001, 9100003, 9100005, 9100010, 9104999) ORDER BY user_id"
}
fingerprint users >"$work/before.txt"
fingerprint users_restored >"$work/after.txt"
if ! diff -u "$work/before.txt" "$work/after.txt"; then echo "FAIL: the restored database differs"; exit 1; fi
grep -E '^registry\.(users|events|bookings|free_lesson_registrations|user_name_history|user_counts)\|' "$work/after.txt" | sed 's/^/   /'
[ "$(grep -c . "$work/after.txt")" -gt 8 ] || { echo "FAIL: nothing compared"; exit 1; }
grep -q '^registry\.users|5000|' "$work/after.txt" || { echo "FAIL: users not restored"; exit 1; }

echo "== the restored database works: triggers, and user-service accepts its schema"
psql_q -d users_restored -c "INSERT INTO users (user_id, first_name) VALUES (9199999, 'Новый')"
[ "$(psql_q -d users_restored -c "SELECT total FROM user_counts")" = 5001 ] || { echo "FAIL: user_counts trigger"; exit 1; }
start_service users_restored
user=$(api /api/users/9100003)
echo "$user" | grep -q '"first_name":"مریم"' || { echo "FAIL: GET /api/users/9100003: $user"; exit 1; }
stats=$(api /api/stats)
echo "   stats: $stats"
echo "$stats" | grep -q '"totalUsers":5001' || { echo "FAIL: stats"; exit 1; }
echo "$stats" | grep -q '"blockedUsers":500' || { echo "FAIL: blocked count"; exit 1; }
stop_service
echo "backup/restore check OK"
