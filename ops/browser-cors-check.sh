#!/usr/bin/env bash
# The dashboard's browser-direct switch-over (docs/ORIGINAL-DASHBOARD.md, 9.2) in a real browser: headless Chromium
# (Debian package chromium) loads ops/browser-cors-check/index.html from a listed origin and from one that is not,
# and the page calls user-service with fetch(): preflighted requests with Authorization, Content-Type and If-Match,
# reading X-Next-Cursor and ETag. From the listed origin every call must succeed and the headers be readable; from
# the other, the browser must refuse every call.
#
#   ops/browser-cors-check.sh --api http://127.0.0.1:8080 --key dev-api-key --user 95450323
#
# user-service must run with APP_CORS_ORIGINS=http://127.0.0.1:18765 (the listed origin; --allowed-port to change)
# and hold at least two users; the key needs read and write. The check writes the user's profile (study_track).
set -euo pipefail
cd "$(dirname "$0")"

api="" key="" user="" allowed_port=18765 other_port=18766
while [ $# -gt 0 ]; do
  case "$1" in
    --api) api=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    --allowed-port) allowed_port=$2; shift 2 ;;
    --other-port) other_port=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$api" ] && [ -n "$key" ] && [ -n "$user" ] || { echo "usage: $0 --api URL --key KEY --user ID" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium missing (Debian: apt-get install chromium)" >&2; exit 1; }

work=$(mktemp -d)
servers=()
cleanup() {
  for pid in ${servers[@]+"${servers[@]}"}; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for port in "$allowed_port" "$other_port"; do
  python3 -m http.server "$port" --bind 127.0.0.1 --directory browser-cors-check >/dev/null 2>&1 &
  servers+=($!)
done
for port in "$allowed_port" "$other_port"; do
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/index.html" 2>/dev/null && break; sleep 0.2; done
done

# the page's findings, as the browser rendered them into #result
visit() {
  local query="api=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$api")&key=$key&user=$user"
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile-$1" \
    --virtual-time-budget=30000 --dump-dom "http://127.0.0.1:$1/index.html?$query" 2>"$work/chromium-$1.log" \
    | python3 -c 'import html, re, sys; m = re.search(r"<pre id=\"result\">(.*?)</pre>", sys.stdin.read(), re.S); print(html.unescape(m.group(1)) if m else "no result")'
}

listed=$(visit "$allowed_port")
other=$(visit "$other_port")
echo "from http://127.0.0.1:$allowed_port (listed): $listed"
echo "from http://127.0.0.1:$other_port (not listed): $other"
python3 - "$listed" "$other" <<'PY'
import json, sys
try:
    listed, other = json.loads(sys.argv[1]), json.loads(sys.argv[2])
except ValueError:
    sys.exit("the page did not finish: see the output above")
failures = []
def expect(ok, what):
    if not ok:
        failures.append(what)
expect(listed["list"].get("status") == 200 and listed["list"].get("next_cursor") and listed["list"].get("link"),
       "audience page: 200, X-Next-Cursor and Link readable")
expect(listed["write"].get("status") == 200 and listed["write"].get("etag"), "profile PATCH: 200 and ETag readable")
expect(listed["write_if_match"].get("status") == 200 and listed["write_if_match"].get("etag") not in (None, listed["write"].get("etag")),
       "profile PATCH with If-Match: 200 and a new ETag")
expect(listed["stale_if_match"].get("status") == 412, "profile PATCH with a stale If-Match: 412 readable")
expect(listed["read"].get("status") == 200 and listed["read"].get("etag") == listed["write_if_match"].get("etag")
       and listed["read"].get("study_track") == "browser-2", "profile GET: the last write and its ETag")
for step in ("list", "write", "write_if_match", "stale_if_match", "read"):
    expect("error" in other[step], f"{step} from the origin not listed: refused by the browser")
if failures:
    sys.exit("browser CORS check FAILED: " + "; ".join(failures))
print("browser CORS check OK")
PY
