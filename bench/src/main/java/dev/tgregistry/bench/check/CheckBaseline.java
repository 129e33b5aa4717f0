package dev.tgregistry.bench.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The regression check's figures (ratios), its committed baseline and the comparison. Baseline file and the check's
 * report share one Markdown table whose first columns are {@code figure | group | better | value | band}; the same
 * parser reads both, so a baseline can be made from the reports of several runs ({@link #fromRuns}).
 */
final class CheckBaseline {

    /** Which direction is good. */
    enum Better { HIGHER, LOWER }

    /** One figure: a ratio of this run, or a baseline value with its noise band (a fraction, e.g. 0.25). */
    record Figure(String name, String group, Better better, double value, double band) {
        Figure withBand(double b) {
            return new Figure(name, group, better, value, b);
        }
    }

    /** The outcome of one figure. */
    record Verdict(String name, double baseline, double current, double band, boolean regression, String message) {
    }

    static final String[] HEADER = {"figure", "group", "better", "value", "band"};
    /** Group of a figure a run measured but left out of the gate (e.g. too small a denominator this time). */
    static final String SKIPPED = "skipped";

    private CheckBaseline() {
    }

    /** {@code numerator / denominator}, NaN when either is missing or the denominator is not positive. */
    static Figure ratio(String name, String group, Better better, double numerator, double denominator) {
        double v = Double.isNaN(numerator) || Double.isNaN(denominator) || denominator <= 0 ? Double.NaN : numerator / denominator;
        return new Figure(name, group, better, v, Double.NaN);
    }

    /**
     * Each baseline figure against this run's figure of the same name. A regression: the figure moved the bad way by
     * more than its band, or it was not measured. Figures of this run that the baseline lacks are not judged.
     */
    static List<Verdict> compare(List<Figure> baseline, List<Figure> current) {
        Map<String, Figure> now = byName(current);
        List<Verdict> out = new ArrayList<>();
        for (Figure b : baseline) {
            Figure c = now.get(b.name());
            if (c != null && c.group().equals(SKIPPED)) {
                out.add(new Verdict(b.name(), b.value(), c.value(), b.band(), false,
                        "skipped: " + b.name() + " (this run left it out of the gate: " + fmt(c.value()) + ")"));
                continue;
            }
            double v = c == null ? Double.NaN : c.value();
            if (Double.isNaN(v)) {
                out.add(new Verdict(b.name(), b.value(), v, b.band(), true,
                        "REGRESSION: " + b.name() + " was not measured in this run (baseline " + fmt(b.value()) + ")"));
                continue;
            }
            double change = v / b.value() - 1;
            boolean worse = b.better() == Better.HIGHER ? change < -b.band() : change > b.band();
            String text = String.format(Locale.ROOT, "%s %s vs baseline %s (%+.0f%%, band ±%.0f%%, %s is better)", b.name(), fmt(v),
                    fmt(b.value()), 100 * change, 100 * b.band(), b.better() == Better.HIGHER ? "higher" : "lower");
            out.add(new Verdict(b.name(), b.value(), v, b.band(), worse, (worse ? "REGRESSION: " : "ok: ") + text));
        }
        return out;
    }

    /**
     * A baseline from several runs: per figure the median of the runs; per group the band = {@code margin} × the
     * largest relative deviation from the median of any figure of the group in any run, rounded up to whole 5
     * points, at least {@code minBand}. Only figures every run measured (and did not skip) are kept: one that comes
     * and goes would fail later runs that leave it out.
     */
    static List<Figure> fromRuns(List<List<Figure>> runs, double margin, double minBand) {
        Map<String, List<Figure>> seen = new LinkedHashMap<>();
        for (List<Figure> run : runs) {
            for (Figure f : run) {
                if (!Double.isNaN(f.value()) && !f.group().equals(SKIPPED)) {
                    seen.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f);
                }
            }
        }
        seen.values().removeIf(fs -> fs.size() < runs.size());
        List<Figure> medians = new ArrayList<>();
        Map<String, Double> spread = new LinkedHashMap<>();
        for (List<Figure> fs : seen.values()) {
            double[] v = fs.stream().mapToDouble(Figure::value).sorted().toArray();
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            Figure first = fs.get(0);
            medians.add(new Figure(first.name(), first.group(), first.better(), median, Double.NaN));
            double dev = Arrays.stream(v).map(x -> Math.abs(x / median - 1)).max().orElse(0);
            spread.merge(first.group(), dev, Math::max);
        }
        List<Figure> out = new ArrayList<>();
        for (Figure f : medians) {
            double band = Math.max(minBand, Math.ceil(margin * spread.get(f.group()) * 20 - 1e-9) / 20);
            out.add(f.withBand(band));
        }
        return out;
    }

    /** Per group: the largest relative deviation from the median over the runs (what {@link #fromRuns} widens). */
    static Map<String, Double> spreadByGroup(List<List<Figure>> runs) {
        List<Figure> medians = fromRuns(runs, 0, 0);
        Map<String, Figure> m = byName(medians);
        Map<String, Double> out = new LinkedHashMap<>();
        for (List<Figure> run : runs) {
            for (Figure f : run) {
                Figure med = m.get(f.name());
                if (med != null && !Double.isNaN(f.value())) {
                    out.merge(f.group(), Math.abs(f.value() / med.value() - 1), Math::max);
                }
            }
        }
        return out;
    }

    /** Figures of the first table in {@code markdown} whose header starts with {@link #HEADER}. */
    static List<Figure> parse(String markdown) {
        List<Figure> out = new ArrayList<>();
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            List<String> cells = cells(t);
            if (!inTable) {
                inTable = cells.size() >= HEADER.length && cells.subList(0, HEADER.length).equals(List.of(HEADER));
                continue;
            }
            if (cells.get(0).startsWith("---")) {
                continue;
            }
            out.add(new Figure(cells.get(0), cells.get(1), Better.valueOf(cells.get(2).toUpperCase(Locale.ROOT)),
                    number(cells.get(3)), cells.get(4).isEmpty() || cells.get(4).equals("-") ? Double.NaN
                    : Double.parseDouble(cells.get(4).replace("%", "").replace("±", "").trim()) / 100));
        }
        return out;
    }

    /** The table {@link #parse} reads, with {@code extraHeader} columns and their cells per figure appended. */
    static String table(List<Figure> figures, List<String> extraHeader, List<List<String>> extraCells) {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of(HEADER));
        header.addAll(extraHeader);
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|").append("---|".repeat(header.size())).append('\n');
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            sb.append("| ").append(f.name()).append(" | ").append(f.group()).append(" | ").append(f.better().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(Double.isNaN(f.value()) ? "-" : String.format(Locale.ROOT, "%.4f", f.value()))
                    .append(" | ").append(Double.isNaN(f.band()) ? "-" : String.format(Locale.ROOT, "±%.0f%%", 100 * f.band()));
            if (!extraHeader.isEmpty()) {
                for (String c : extraCells.get(i)) {
                    sb.append(" | ").append(c);
                }
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    static List<Figure> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Writes the baseline file: {@code preamble} (Markdown), then the table. */
    static void write(Path file, String preamble, List<Figure> figures) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, preamble.strip() + "\n\n" + table(figures, List.of(), List.of()), StandardCharsets.UTF_8);
    }

    /** This run's values with the baseline's bands (for --update-baseline); figures new to the baseline get {@code defaultBand}. */
    static List<Figure> rebase(List<Figure> current, List<Figure> baseline, double defaultBand) {
        Map<String, Figure> old = byName(baseline);
        Map<String, Double> groupBand = new LinkedHashMap<>();
        baseline.forEach(f -> groupBand.merge(f.group(), f.band(), Math::max));
        List<Figure> out = new ArrayList<>();
        for (Figure f : current) {
            if (Double.isNaN(f.value())) {
                continue;
            }
            Figure o = old.get(f.name());
            out.add(f.withBand(o != null ? o.band() : groupBand.getOrDefault(f.group(), defaultBand)));
        }
        return out;
    }

    private static Map<String, Figure> byName(List<Figure> figures) {
        Map<String, Figure> m = new LinkedHashMap<>();
        figures.forEach(f -> m.put(f.name(), f));
        return m;
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
        List<String> out = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            out.add(c.trim());
        }
        return out;
    }

    private static double number(String s) {
        return s.equals("-") || s.isEmpty() ? Double.NaN : Double.parseDouble(s.replace(",", ""));
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
