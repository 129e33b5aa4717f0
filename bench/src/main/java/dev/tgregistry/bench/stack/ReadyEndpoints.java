package dev.tgregistry.bench.stack;

import java.util.List;
import java.util.Optional;

/**
 * The instances behind one Kubernetes Service as kube-proxy follows them: requests go round-robin to the instances
 * whose readiness is UP; a retry avoids the instance that just failed while another one is ready. Readiness comes
 * from outside (a poller of each instance's {@code /q/health/ready}) with Kubernetes' probe semantics: one success
 * puts an instance in rotation, {@code failureThreshold} failures in a row take it out (one slow answer on a busy
 * machine does not). The time of the last change is kept so that a rollout can tell how soon after SIGTERM an
 * instance left the rotation. Thread-safe.
 */
public final class ReadyEndpoints<E> {

    private final List<E> endpoints;
    private final boolean[] ready;
    private final long[] changedAtNanos;
    private final int[] failures;
    private final int failureThreshold;
    private int next;

    public ReadyEndpoints(List<E> endpoints, int failureThreshold) {
        if (endpoints.isEmpty() || failureThreshold < 1) {
            throw new IllegalArgumentException("no endpoints, or a failure threshold below 1");
        }
        this.endpoints = List.copyOf(endpoints);
        this.failureThreshold = failureThreshold;
        this.failures = new int[endpoints.size()];
        this.ready = new boolean[endpoints.size()];
        this.changedAtNanos = new long[endpoints.size()];
    }

    /**
     * Records one probe: {@code up} = it answered 200; {@code nanoTime} is when it was seen. Returns true when the
     * endpoint's readiness changed.
     */
    public synchronized boolean probed(E endpoint, boolean up, long nanoTime) {
        int i = indexOf(endpoint);
        failures[i] = up ? 0 : failures[i] + 1;
        boolean nowReady = up || (ready[i] && failures[i] < failureThreshold);
        if (ready[i] == nowReady) {
            return false;
        }
        ready[i] = nowReady;
        changedAtNanos[i] = nanoTime;
        return true;
    }

    public synchronized boolean isReady(E endpoint) {
        return ready[indexOf(endpoint)];
    }

    /** {@link System#nanoTime()} of the endpoint's last readiness change (0 = never changed). */
    public synchronized long changedAtNanos(E endpoint) {
        return changedAtNanos[indexOf(endpoint)];
    }

    /**
     * The next ready endpoint in turn, other than {@code avoid} when another is ready; {@code avoid} itself when it
     * is the only ready one (the Service would route there too); empty when none is ready.
     */
    public synchronized Optional<E> pick(E avoid) {
        int n = endpoints.size();
        for (int k = 0; k < n; k++) {
            int i = (next + k) % n;
            E candidate = endpoints.get(i);
            if (ready[i] && !candidate.equals(avoid)) {
                next = (i + 1) % n;
                return Optional.of(candidate);
            }
        }
        if (avoid != null && ready[indexOf(avoid)]) {
            return Optional.of(avoid);
        }
        return Optional.empty();
    }

    private int indexOf(E endpoint) {
        int i = endpoints.indexOf(endpoint);
        if (i < 0) {
            throw new IllegalArgumentException("unknown endpoint " + endpoint);
        }
        return i;
    }
}
