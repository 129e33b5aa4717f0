package dev.tgregistry.bench.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documents cite only result files that exist, and every committed result file is cited by BENCHMARKS.md. */
class ResultFilesTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern CITED = Pattern.compile("bench/results/([\\w.-]+\\.md)");

    @Test
    void everyCitedResultFileExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = CITED.matcher(Files.readString(doc));
            while (m.find()) {
                if (!Files.exists(ROOT.resolve("bench/results").resolve(m.group(1)))) {
                    missing.add(ROOT.relativize(doc) + " → " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyResultFileIsCitedByBenchmarksMd() throws IOException {
        Set<String> cited = new TreeSet<>();
        Matcher m = CITED.matcher(Files.readString(ROOT.resolve("BENCHMARKS.md")));
        while (m.find()) {
            cited.add(m.group(1));
        }
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(ROOT.resolve("bench/results"))) {
            s.forEach(f -> files.add(f.getFileName().toString()));
        }
        assertTrue(!files.isEmpty());
        assertEquals(files, cited);
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("BENCHMARKS.md"),
                ROOT.resolve("bench/README.md"), ROOT.resolve("bench/baselines/check.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        return docs;
    }
}
