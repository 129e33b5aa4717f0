#!/usr/bin/env bash
# A container registry on this machine, for a release without Docker or a reachable public registry
# (docs/RELEASING.md "A rehearsal on one machine"): the registry of Debian's package docker-registry (the CNCF
# Distribution registry), taken out of the package like .ci/run takes promtool (installing it would start a service),
# listening on 127.0.0.1 only, plain HTTP, no authentication, its storage under target/local-registry/.
#   ops/local-registry.sh start [PORT]   (default 5055) prints the address, e.g. 127.0.0.1:5055
#   ops/local-registry.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$PWD/target/local-registry
port=${2:-5055}

case "${1:-}" in
  start)
    mkdir -p "$dir/storage"
    if [ ! -x "$dir/docker-registry" ]; then
      (cd "$dir" && { apt-get download -qq docker-registry 2>/dev/null || { apt-get update -qq && apt-get download -qq docker-registry; }; } \
        && dpkg-deb -x docker-registry_*.deb pkg && cp pkg/usr/bin/docker-registry . && rm -rf pkg docker-registry_*.deb) >/dev/null
    fi
    cat > "$dir/config.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $dir/storage}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
YAML
    if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then echo "already running (pid $(cat "$dir/pid"))"; exit 1; fi
    setsid nohup "$dir/docker-registry" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 50); do
      if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then echo "127.0.0.1:$port"; exit 0; fi
      sleep 0.2
    done
    echo "the registry did not answer on 127.0.0.1:$port:"; cat "$dir/registry.log"; exit 1
    ;;
  stop)
    [ -f "$dir/pid" ] || { echo "not running"; exit 0; }
    kill "$(cat "$dir/pid")" 2>/dev/null || true
    rm -f "$dir/pid"
    ;;
  *)
    echo "usage: ops/local-registry.sh start [PORT] | stop"; exit 2 ;;
esac
