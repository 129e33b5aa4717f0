#!/usr/bin/env python3
"""A stand-in, for ops/dashboard-screenshot.sh only, for what a cluster's cAdvisor and kube-state-metrics export about
the services' containers, which a machine without Kubernetes does not have: for each service that ./run-local started
from the repository ROOT, container_memory_working_set_bytes is the process's resident set (VmRSS; cAdvisor's working
set is the container's cgroup usage minus inactive file pages, close to it for a lone JVM),
kube_pod_container_resource_limits{resource="memory"} is the memory limit k8s/base gives the container, and
kube_pod_container_status_restarts_total is 0 (./run-local does not restart services).

  cluster-metrics.py ROOT PORT NAMESPACE
"""
import http.server, os, re, sys

SERVICES = ("user-service", "bot-ingest")
UNITS = {"Ki": 1024, "Mi": 1024 ** 2, "Gi": 1024 ** 3}


def memory_limit(root, service):
    with open(os.path.join(root, "k8s", "base", service + ".yaml"), encoding="utf-8") as f:
        number, unit = re.search(r"limits:\s*\{memory:\s*(\d+)(Ki|Mi|Gi)}", f.read()).groups()
    return int(number) * UNITS[unit]


def resident_bytes(root, service):
    jar = f"{service}/target/quarkus-app/quarkus-run.jar"
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().decode(errors="replace").split("\0")
            if not any(a.endswith(jar) for a in args):
                continue
            if not any(a.startswith(root) for a in args) and os.path.realpath(f"/proc/{pid}/cwd") != root:
                continue
            with open(f"/proc/{pid}/status") as f:
                return int(re.search(r"VmRSS:\s*(\d+) kB", f.read()).group(1)) * 1024
        except (OSError, AttributeError):
            continue
    return None


def exposition(root, namespace):
    lines = []
    for service in SERVICES:
        labels = f'namespace="{namespace}",pod="{service}-local",container="{service}"'
        rss = resident_bytes(root, service)
        if rss is not None:
            lines.append(f"container_memory_working_set_bytes{{{labels}}} {rss}")
        lines.append(f'kube_pod_container_resource_limits{{{labels},resource="memory",unit="byte"}} {memory_limit(root, service)}')
        lines.append(f"kube_pod_container_status_restarts_total{{{labels}}} 0")
    return "\n".join(lines) + "\n"


def main(root, port, namespace):
    root = os.path.realpath(root)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = exposition(root, namespace).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.HTTPServer(("127.0.0.1", int(port)), Handler).serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
