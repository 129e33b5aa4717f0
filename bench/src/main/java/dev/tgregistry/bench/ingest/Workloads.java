package dev.tgregistry.bench.ingest;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which of the ingest benchmark's workloads run: {@code --only a,b} or {@code --skip a,b}. */
final class Workloads {
    static final List<String> ALL = List.of("cold", "latency", "steady", "steady-latency", "mixed", "consumer",
            "per-record", "ceiling", "scale-out", "baseline");
    /** Off unless asked for (--scale-out or --only): it restarts the services and adds minutes. */
    private static final Set<String> OPT_IN = Set.of("scale-out");
    /** Workloads that need the returning users of the preload. */
    private static final Set<String> ON_PRELOAD = Set.of("steady", "steady-latency", "mixed", "consumer", "per-record", "ceiling",
            "scale-out");

    private final Set<String> selected;

    private Workloads(Set<String> selected) {
        this.selected = selected;
    }

    static Workloads parse(String only, String skip, boolean scaleOut) {
        Set<String> s = new LinkedHashSet<>(only.isBlank() ? ALL : names(only));
        if (only.isBlank() && !scaleOut) {
            s.removeAll(OPT_IN);
        }
        s.removeAll(names(skip));
        return new Workloads(s);
    }

    private static List<String> names(String list) {
        if (list.isBlank()) {
            return List.of();
        }
        List<String> n = Arrays.stream(list.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        for (String x : n) {
            if (!ALL.contains(x)) {
                throw new IllegalArgumentException("unknown workload " + x + "; known: " + String.join(",", ALL));
            }
        }
        return n;
    }

    boolean has(String name) {
        return selected.contains(name);
    }

    boolean needsPreload() {
        return selected.stream().anyMatch(ON_PRELOAD::contains);
    }

    @Override
    public String toString() {
        return String.join(", ", selected);
    }
}
