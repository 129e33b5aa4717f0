package dev.tgregistry.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The one report writer: file names, Markdown tables, and that every copy holds the printed text. */
class ReportTest {

    private static final Instant AT = Instant.parse("2026-11-30T17:29:05Z");

    @Test
    void workingNameCarriesTheUtcTimeAndCommittedNameIsStable() {
        assertEquals("ingest-20261130-172905.md", Report.workingName("ingest", AT));
        assertEquals("faults.md", Report.committedName("faults", null));
        assertEquals("faults.md", Report.committedName("faults", " "));
        assertEquals("segments.md", Report.committedName("query", "segments"));
    }

    @Test
    void tableIsMarkdownWithHeaderSeparatorAndRows() {
        String text = new Report().line("## Title").table("a", "b").row("1", 2.5).row("x", "y").text();
        assertEquals("## Title\n\n| a | b |\n|---|---|\n| 1 | 2.5 |\n| x | y |\n", text);
    }

    @Test
    void codeBlockIsFencedAndStripped() {
        assertEquals("\n```\nplan line\n```\n", new Report().code("  plan line\n\n").text());
    }

    @Test
    void committedCopyHasTheTextThatWasPrinted(@TempDir Path root) throws Exception {
        Report report = new Report().line("## Faults").table("scenario", "verdict").row("pg-30s", "PASS");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<Path> files = report.publish(root, "faults", Report.Copy.toCommit(null),
                new PrintStream(printed, true, StandardCharsets.UTF_8), AT);

        assertEquals(List.of(root.resolve("bench/target/bench-results/faults-20261130-172905.md"),
                root.resolve("bench/results/faults.md")), files);
        assertEquals("\n" + report.text() + "\n", printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        for (Path f : files) {
            assertEquals(report.text(), Files.readString(f));
        }
    }

    @Test
    void workingOnlyWritesNothingToCommit(@TempDir Path root) {
        List<Path> files = new Report().line("x").publish(root, "query", Report.Copy.WORKING_ONLY,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), AT);

        assertEquals(List.of(root.resolve("bench/target/bench-results/query-20261130-172905.md")), files);
        assertFalse(Files.exists(root.resolve("bench/results")));
    }
}
