#!/usr/bin/env bash
# Regenerates docs/images/dashboard.png, a picture of k8s/monitoring/grafana-dashboard.json's queries over live data.
# NOT Grafana (which is not installable here) and not run by CI: it starts ./run-local, has Debian's Prometheus
# (package prometheus, taken out of the package as .ci/run takes promtool) scrape both services' /q/metrics with the
# labels the ServiceMonitor gives them (service, namespace, pod), plus ops/dashboard-screenshot/cluster-metrics.py, a
# stand-in for cAdvisor and kube-state-metrics (process RSS as the working set, k8s/base's memory limits, 0 restarts);
# sends ingest traffic and API queries for a few minutes; then headless chromium loads ops/dashboard-screenshot/
# index.html, which evaluates every panel's PromQL through Prometheus' HTTP API and draws it (uPlot, pinned in
# package-lock.json), laid out by the panels' gridPos, and saves the screenshot. docs/OPERATIONS.md "Dashboard" says
# what the picture is.
#   ops/dashboard-screenshot.sh [--minutes N] [--out FILE]
# RUN_LOCAL_ARGS adds options of ./run-local, e.g. RUN_LOCAL_ARGS="--pg-port 55433 --kafka-port 9093" when another
# local stack holds PostgreSQL's or Kafka's default port.
# Needs: the services packaged (./mvnw -B -q package -DskipTests), node/npm, chromium, apt-get (for prometheus),
# the ports of ./run-local (8080, 8081, 9000, 9001, 55432, 9092) free, and 19090/19091/18090 for Prometheus, the
# stand-in and the page.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
minutes=5
out=docs/images/dashboard.png
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
for jar in user-service/target/quarkus-app/quarkus-run.jar bot-ingest/target/quarkus-app/quarkus-run.jar local-run/target/local-run-runner.jar; do
  [ -f "$jar" ] || { echo "missing $jar: ./mvnw -B -q package -DskipTests first"; exit 1; }
done
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium missing (Debian: apt-get install chromium)"; exit 1; }

tools=$root/target/dashboard-screenshot
mkdir -p "$tools"
if [ ! -x "$tools/prometheus" ]; then
  (cd "$tools" && { apt-get download -qq prometheus 2>/dev/null || { apt-get update -qq && apt-get download -qq prometheus; }; } \
    && dpkg-deb -x prometheus_*.deb pkg && cp pkg/usr/bin/prometheus . && rm -rf pkg prometheus_*.deb) >/dev/null
fi
npm ci --prefix ops/dashboard-screenshot --ignore-scripts --no-audit --no-fund --loglevel=error

work=$(mktemp -d)
pids=()
launcher=""
stop() {
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$launcher" ]; then
    kill -INT -- "-$launcher" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$launcher" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$launcher" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

namespace=local
scrape=5
setsid ./run-local --data-dir "$work/data" ${RUN_LOCAL_ARGS:-} >"$work/run-local.log" 2>&1 &
launcher=$!
for url in http://localhost:9000/q/health/ready http://localhost:9001/q/health/ready; do
  for i in $(seq 1 180); do
    curl -fsS "$url" >/dev/null 2>&1 && break
    kill -0 "$launcher" 2>/dev/null || { cat "$work/run-local.log"; exit 1; }
    [ "$i" -lt 180 ] || { echo "not ready: $url"; cat "$work/run-local.log"; exit 1; }
    sleep 1
  done
done

python3 ops/dashboard-screenshot/cluster-metrics.py "$root" 19091 "$namespace" &
pids+=($!)
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: ${scrape}s, evaluation_interval: ${scrape}s}
scrape_configs:
  - job_name: user-service
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:9000"], labels: {service: user-service, namespace: $namespace, pod: user-service-local}}]
  - job_name: bot-ingest
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:9001"], labels: {service: bot-ingest, namespace: $namespace, pod: bot-ingest-local}}]
  - job_name: cluster-stand-in
    static_configs: [{targets: ["127.0.0.1:19091"]}]
YAML
"$tools/prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address=127.0.0.1:19090 --web.cors.origin='http://127\.0\.0\.1:18090' >"$work/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do curl -fsS http://127.0.0.1:19090/-/ready >/dev/null 2>&1 && break; sleep 0.2; done
start=$(date +%s)

# traffic: Telegram updates (new users and returning ones) and the bot's own records into bot-ingest, API reads of
# user-service, for the given minutes
python3 - "$minutes" <<'PY'
import json, random, sys, time, urllib.request
end = time.time() + 60 * float(sys.argv[1])
ingest = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "dev-ingest-secret"}
api = {"Authorization": "Bearer dev-api-key"}
def call(url, body=None, headers=None):
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers or {}), timeout=15).read()
    except Exception:
        pass
n = 0
while time.time() < end:
    n += 1
    user = 96_000_000 + random.randint(1, 2000)
    update = {"update_id": n, "message": {"message_id": n, "date": int(time.time()), "text": "/start",
              "from": {"id": user, "is_bot": False, "first_name": "Load", "username": f"load_{user}"},
              "chat": {"id": user, "type": "private"}}}
    call("http://127.0.0.1:8081/telegram/updates", json.dumps(update).encode(), ingest)
    if n % 5 == 0:
        event = {"user_id": user, "event_type": "lesson_opened"}
        call("http://127.0.0.1:8081/bot/events", json.dumps(event).encode(), ingest)
    if n % 3 == 0:
        call(f"http://127.0.0.1:8080/api/users/{user}", headers=api)
        call("http://127.0.0.1:8080/api/users?limit=50", headers=api)
        call("http://127.0.0.1:8080/api/users/search?q=load&limit=20", headers=api)
    time.sleep(0.05)
PY
end=$(date +%s)
load=$(cut -d' ' -f1-3 /proc/loadavg)
sleep $((scrape * 2))

cp ops/dashboard-screenshot/index.html "$work/"
cp ops/dashboard-screenshot/node_modules/uplot/dist/uPlot.iife.min.js ops/dashboard-screenshot/node_modules/uplot/dist/uPlot.min.css "$work/"
cp k8s/monitoring/grafana-dashboard.json "$work/dashboard.json"
python3 -m http.server 18090 --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do curl -fsS -o /dev/null http://127.0.0.1:18090/index.html 2>/dev/null && break; sleep 0.2; done
prom_version=$("$tools/prometheus" --version 2>&1 | head -1 | awk '{print $3}')
caption="Not Grafana: every panel's PromQL from k8s/monitoring/grafana-dashboard.json evaluated by Prometheus $prom_version \
scraping ./run-local ($(date -u +%F), ${minutes} min of synthetic traffic, namespace=\"$namespace\", times UTC, \
machine load average $load), drawn by ops/dashboard-screenshot.sh. Memory and restarts come from a stand-in for cAdvisor/kube-state-metrics (process RSS, \
k8s/base limits, 0 restarts)."
query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
  prometheus http://127.0.0.1:19090 namespace "$namespace" start "$start" end "$end" scrape "$scrape" caption "$caption")
mkdir -p "$(dirname "$out")"
"$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1600,1780 --virtual-time-budget=30000 --screenshot="$root/$out" "http://127.0.0.1:18090/index.html?$query" \
  2>"$work/chromium.log" || { cat "$work/chromium.log"; exit 1; }
# what the page said (every panel drawn, or the errors), from the same page's DOM
"$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile2" \
  --virtual-time-budget=30000 --dump-dom "http://127.0.0.1:18090/index.html?$query" 2>/dev/null \
  | python3 -c 'import html, re, sys; d = sys.stdin.read(); print("page:", re.search(r"<pre id=\"status\">(.*?)</pre>", d, re.S).group(1)); [print("panel note:", html.unescape(n)) for n in re.findall(r"<p class=\"note\">(.*?)</p>", d)]'
echo "wrote $out"
