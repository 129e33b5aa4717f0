package dev.tgregistry.bench.report;

import dev.tgregistry.bench.Bench;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's figures as Markdown, and the one place that prints them and writes them to files: every benchmark
 * builds its report and calls {@link #publish} once at its end.
 */
public final class Report {

    /** Where the working copy goes: {@code bench/target/bench-results/<kind>-yyyyMMdd-HHmmss.md}. */
    public static final String WORKING_DIR = "bench/target/bench-results";
    /** Where the current result to commit goes: {@code bench/results/<name>.md}, overwritten by each run (history in git). */
    static final String COMMITTED_DIR = "bench/results";

    private static final DateTimeFormatter WORKING_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final StringBuilder md = new StringBuilder();

    /** The heading and the lines every report starts with: the date, the machine, the code measured. */
    public Report header(String title, Path root) {
        return line("## " + title).line("")
                .line("- date: " + Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC")
                .line("- machine: " + Bench.machine())
                .line("- code: " + Bench.commit(root));
    }

    public Report line(String s) {
        md.append(s).append('\n');
        return this;
    }

    public Report table(String... header) {
        md.append("\n| ").append(String.join(" | ", header)).append(" |\n|");
        md.append("---|".repeat(header.length)).append('\n');
        return this;
    }

    public Report row(Object... cells) {
        md.append('|');
        for (Object c : cells) {
            md.append(' ').append(c).append(" |");
        }
        md.append('\n');
        return this;
    }

    public Report code(String text) {
        md.append("\n```\n").append(text.strip()).append("\n```\n");
        return this;
    }

    public String text() {
        return md.toString();
    }

    /** Whether a benchmark also writes the copy under {@link #COMMITTED_DIR}, and its file name (the kind's unless given). */
    public record Copy(boolean committed, String name) {
        public static final Copy WORKING_ONLY = new Copy(false, null);

        public static Copy toCommit(String name) {
            return new Copy(true, name);
        }
    }

    static String workingName(String kind, Instant at) {
        return kind + "-" + WORKING_STAMP.format(at) + ".md";
    }

    static String committedName(String kind, String name) {
        return (name == null || name.isBlank() ? kind : name) + ".md";
    }

    /**
     * Prints the report (after an empty line) to {@code out}, writes the working copy under {@code root} and, when
     * asked, the committed copy; logs where they went. Returns the files written, the working copy first.
     */
    public List<Path> publish(Path root, String kind, Copy copy, PrintStream out, Instant at) {
        String text = text();
        out.println();
        out.println(text);
        List<Path> files = new ArrayList<>();
        files.add(write(root.resolve(WORKING_DIR).resolve(workingName(kind, at)), text));
        if (copy.committed()) {
            files.add(write(root.resolve(COMMITTED_DIR).resolve(committedName(kind, copy.name())), text));
        }
        Bench.log("results written to " + String.join(" and ", files.stream().map(Path::toString).toList()));
        return files;
    }

    /** {@link #publish(Path, String, Copy, PrintStream, Instant)} to stdout, now. */
    public List<Path> publish(Path root, String kind, Copy copy) {
        return publish(root, kind, copy, System.out, Instant.now());
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
