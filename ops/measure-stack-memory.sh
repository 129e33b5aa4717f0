#!/usr/bin/env bash
# Measures the memory of the whole local stack (PostgreSQL, Kafka, user-service, bot-ingest) while ./run-local runs:
# idle, then the peak under a short bounded load (HTTP updates to bot-ingest on localhost, dashboard reads from
# user-service), sampled every second. Prints one table: RSS and PSS (proportional: PostgreSQL's processes share
# their buffers, so their RSS added up counts the shared memory several times; PSS counts it once).
#   ./run-local &   # wait until ready, then
#   ops/measure-stack-memory.sh [--seconds 60] [--data-dir DIR]
# Kafka runs inside ./run-local's launcher JVM, so its row is the launcher (broker + a few MB of launcher).
set -euo pipefail
seconds=60
data_dir=.local-data
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
data_dir=$(cd "$data_dir" && pwd)

curl -fsS localhost:9000/q/health/ready >/dev/null && curl -fsS localhost:9001/q/health/ready >/dev/null \
  || { echo "./run-local is not ready (user-service :9000, bot-ingest :9001)" >&2; exit 1; }

pid_of() { pgrep -f "$1" | head -1; }
user_service=$(pid_of 'user-service/target/quarkus-app/quarkus-run.jar')
bot_ingest=$(pid_of 'bot-ingest/target/quarkus-app/quarkus-run.jar')
# the launcher re-executes itself; the broker lives in the process whose parent is the first launcher
launchers=$(pgrep -f "local-run-runner.jar --data-dir $data_dir|local-run-runner.jar$" || true)
kafka=""
for pid in $launchers; do
  parent=$(ps -o ppid= -p "$pid" | tr -d ' ')
  if echo "$launchers" | grep -qx "$parent"; then kafka=$pid; fi
done
[ -n "$kafka" ] || kafka=$(echo "$launchers" | head -1)
postmaster=$(pgrep -f "postgres -D $data_dir/postgres" | head -1)
[ -n "$user_service" ] && [ -n "$bot_ingest" ] && [ -n "$kafka" ] && [ -n "$postmaster" ] \
  || { echo "processes not found (data dir $data_dir)" >&2; exit 1; }

# prints "rss pss" in kB of a list of pids
usage() {
  local rss=0 pss=0 r p
  for pid in "$@"; do
    [ -r "/proc/$pid/smaps_rollup" ] || continue
    r=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
    p=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
    rss=$((rss + ${r:-0})); pss=$((pss + ${p:-0}))
  done
  echo "$rss $pss"
}
postgres_pids() { echo "$postmaster"; pgrep -P "$postmaster"; }

declare -A peak_rss peak_pss idle_rss idle_pss
sample() {
  local name rss pss
  for name in postgres kafka user-service bot-ingest; do
    case $name in
      postgres) read -r rss pss < <(usage $(postgres_pids)) ;;
      kafka) read -r rss pss < <(usage "$kafka") ;;
      user-service) read -r rss pss < <(usage "$user_service") ;;
      bot-ingest) read -r rss pss < <(usage "$bot_ingest") ;;
    esac
    if [ "$1" = idle ]; then idle_rss[$name]=$rss; idle_pss[$name]=$pss; fi
    [ "$rss" -gt "${peak_rss[$name]:-0}" ] && peak_rss[$name]=$rss
    [ "$pss" -gt "${peak_pss[$name]:-0}" ] && peak_pss[$name]=$pss
  done
  local total=0
  for name in postgres kafka user-service bot-ingest; do
    case $name in
      postgres) read -r rss pss < <(usage $(postgres_pids)) ;;
      kafka) read -r rss pss < <(usage "$kafka") ;;
      user-service) read -r rss pss < <(usage "$user_service") ;;
      bot-ingest) read -r rss pss < <(usage "$bot_ingest") ;;
    esac
    total=$((total + pss))
  done
  [ "$total" -gt "${peak_pss[total]:-0}" ] && peak_pss[total]=$total
  return 0
}

sample idle
idle_total=$(( ${idle_pss[postgres]} + ${idle_pss[kafka]} + ${idle_pss[user-service]} + ${idle_pss[bot-ingest]} ))

# the load: 4 senders of 200-update batches (distinct users) and 2 dashboard readers, for $seconds seconds
python3 - "$seconds" <<'EOF' &
import json, sys, threading, time, urllib.request
end = time.time() + float(sys.argv[1])
def post(base):
    n = base
    while time.time() < end:
        batch = [{"update_id": n + i, "message": {"message_id": 1, "date": 1763634900, "text": "/start",
                  "from": {"id": 7_900_000_000 + n + i, "is_bot": False, "first_name": "Load"},
                  "chat": {"id": 7_900_000_000 + n + i, "type": "private"}}} for i in range(200)]
        n += 200
        request = urllib.request.Request("http://localhost:8081/telegram/updates", json.dumps(batch).encode(),
            {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "dev-ingest-secret"})
        try:
            urllib.request.urlopen(request, timeout=15).read()
        except Exception:
            time.sleep(0.5)
def read():
    paths = ["/api/stats", "/api/users?limit=200", "/api/events?type=daily&days=30", "/api/users/search?q=Lo&limit=50"]
    i = 0
    while time.time() < end:
        request = urllib.request.Request("http://localhost:8080" + paths[i % len(paths)],
                                         headers={"Authorization": "Bearer dev-api-key"})
        try:
            urllib.request.urlopen(request, timeout=15).read()
        except Exception:
            time.sleep(0.5)
        i += 1
threads = [threading.Thread(target=post, args=(k * 10_000_000,)) for k in range(4)]
threads += [threading.Thread(target=read) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
EOF
load=$!
while kill -0 "$load" 2>/dev/null; do sample load; sleep 1; done
wait "$load"
sleep 5; sample load   # the consumers finish the backlog

mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
echo "| process | idle RSS | idle PSS | peak RSS under load | peak PSS under load |"
echo "|---|---|---|---|---|"
for name in postgres kafka user-service bot-ingest; do
  echo "| $name | $(mib "${idle_rss[$name]}") MiB | $(mib "${idle_pss[$name]}") MiB | $(mib "${peak_rss[$name]}") MiB | $(mib "${peak_pss[$name]}") MiB |"
done
echo "| all four (PSS) | | $(mib "$idle_total") MiB | | $(mib "${peak_pss[total]}") MiB |"
echo "users seen: $(curl -fsS -H 'Authorization: Bearer dev-api-key' localhost:8080/api/stats)"
