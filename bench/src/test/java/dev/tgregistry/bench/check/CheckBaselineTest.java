package dev.tgregistry.bench.check;

import dev.tgregistry.bench.check.CheckBaseline.Better;
import dev.tgregistry.bench.check.CheckBaseline.Figure;
import dev.tgregistry.bench.check.CheckBaseline.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The regression check's comparison: ratios, bands both ways, the baseline file, a baseline made from several runs. */
class CheckBaselineTest {

    private static Figure base(String name, Better better, double value, double band) {
        return new Figure(name, "ingest", better, value, band);
    }

    private static Figure now(String name, Better better, double value) {
        return new Figure(name, "ingest", better, value, Double.NaN);
    }

    @Test
    void ratioIsNumeratorOverDenominatorAndMissingWithoutADenominator() {
        assertEquals(0.75, CheckBaseline.ratio("cold / ceiling", "ingest", Better.HIGHER, 7_500, 10_000).value(), 1e-12);
        assertTrue(Double.isNaN(CheckBaseline.ratio("x", "ingest", Better.HIGHER, 7_500, 0).value()));
        assertTrue(Double.isNaN(CheckBaseline.ratio("x", "ingest", Better.HIGHER, Double.NaN, 10).value()));
    }

    @Test
    void withinTheBandPassesBothWays() {
        List<Verdict> v = CheckBaseline.compare(
                List.of(base("cold / ceiling", Better.HIGHER, 0.60, 0.20), base("p99 / SQL: search", Better.LOWER, 2.0, 0.30)),
                List.of(now("cold / ceiling", Better.HIGHER, 0.49), now("p99 / SQL: search", Better.LOWER, 2.55)));
        assertEquals(2, v.size());
        assertFalse(v.get(0).regression(), v.get(0).message());
        assertFalse(v.get(1).regression(), v.get(1).message());
    }

    @Test
    void beyondTheBandFailsNamingTheFigure() {
        List<Verdict> v = CheckBaseline.compare(
                List.of(base("cold / ceiling", Better.HIGHER, 0.60, 0.20), base("p99 / SQL: search", Better.LOWER, 2.0, 0.30)),
                List.of(now("cold / ceiling", Better.HIGHER, 0.47), now("p99 / SQL: search", Better.LOWER, 2.7)));
        assertTrue(v.get(0).regression());
        assertTrue(v.get(0).message().startsWith("REGRESSION: cold / ceiling 0.470 vs baseline 0.600 (-22%"), v.get(0).message());
        assertTrue(v.get(1).regression());
        assertTrue(v.get(1).message().contains("p99 / SQL: search 2.700 vs baseline 2.000 (+35%, band ±30%"), v.get(1).message());
    }

    @Test
    void aMoveTheGoodWayBeyondTheBandIsNoRegression() {
        List<Verdict> v = CheckBaseline.compare(List.of(base("cold / ceiling", Better.HIGHER, 0.60, 0.10),
                base("p99 / SQL: search", Better.LOWER, 2.0, 0.10)),
                List.of(now("cold / ceiling", Better.HIGHER, 0.95), now("p99 / SQL: search", Better.LOWER, 1.0)));
        assertFalse(v.get(0).regression());
        assertFalse(v.get(1).regression());
    }

    @Test
    void aFigureTheRunDidNotMeasureFails() {
        List<Verdict> v = CheckBaseline.compare(List.of(base("steady / ceiling", Better.HIGHER, 1.0, 0.2)),
                List.of(now("steady / ceiling", Better.HIGHER, Double.NaN)));
        assertTrue(v.get(0).regression());
        assertTrue(v.get(0).message().contains("steady / ceiling was not measured"), v.get(0).message());
        assertTrue(CheckBaseline.compare(List.of(base("gone", Better.HIGHER, 1.0, 0.2)), List.of()).get(0).regression());
    }

    @Test
    void baselineFileIsWrittenAndReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("baselines/check.md");
        List<Figure> figures = List.of(base("cold end to end / cold ceiling", Better.HIGHER, 0.6123, 0.25),
                new Figure("p99 / SQL: search 3-char prefix", "query", Better.LOWER, 3.5, 0.5),
                new Figure("cold end to end, sightings/s", "info", Better.HIGHER, 6543.0, Double.NaN));
        CheckBaseline.write(file, "# Baseline\n\nsome words", figures);
        String text = Files.readString(file);
        assertTrue(text.startsWith("# Baseline"));
        assertTrue(text.contains("| cold end to end / cold ceiling | ingest | higher | 0.6123 | ±25% |"), text);
        List<Figure> back = CheckBaseline.read(file);
        assertEquals(3, back.size());
        assertEquals(figures.get(0), back.get(0));
        assertEquals(figures.get(1), back.get(1));
        assertEquals("info", back.get(2).group());
        assertTrue(Double.isNaN(back.get(2).band()));
    }

    @Test
    void aReportTableWithExtraColumnsParsesToo() {
        String report = "## Regression check\n\n- load 1.2\n\n"
                + CheckBaseline.table(List.of(now("cold / ceiling", Better.HIGHER, 0.5)), List.of("baseline", "verdict"),
                List.of(List.of("0.600", "ok"))) + "\n- after the table\n| other | table |\n";
        List<Figure> f = CheckBaseline.parse(report);
        assertEquals(1, f.size());
        assertEquals(0.5, f.get(0).value(), 1e-12);
    }

    @Test
    void baselineFromRunsTakesMediansAndABandFromTheSpread() {
        List<List<Figure>> runs = List.of(
                List.of(now("a", Better.HIGHER, 0.50), new Figure("q", "query", Better.LOWER, 2.0, Double.NaN)),
                List.of(now("a", Better.HIGHER, 0.60), new Figure("q", "query", Better.LOWER, 3.0, Double.NaN)),
                List.of(now("a", Better.HIGHER, 0.55), new Figure("q", "query", Better.LOWER, 2.5, Double.NaN)));
        List<Figure> b = CheckBaseline.fromRuns(runs, 1.5, 0.10);
        assertEquals(0.55, b.get(0).value(), 1e-12);
        // largest deviation 0.05 / 0.55 = 9.1%, × 1.5 = 13.6% → 15%
        assertEquals(0.15, b.get(0).band(), 1e-12);
        assertEquals(2.5, b.get(1).value(), 1e-12);
        // 0.5 / 2.5 = 20%, × 1.5 = 30%
        assertEquals(0.30, b.get(1).band(), 1e-12);
        Map<String, Double> spread = CheckBaseline.spreadByGroup(runs);
        assertEquals(0.05 / 0.55, spread.get("ingest"), 1e-12);
        assertEquals(0.2, spread.get("query"), 1e-12);
    }

    @Test
    void updateKeepsTheBandsAndSkipsUnmeasuredFigures() {
        List<Figure> r = CheckBaseline.rebase(List.of(now("a", Better.HIGHER, 0.7), now("new", Better.HIGHER, 1.1),
                now("unmeasured", Better.HIGHER, Double.NaN)), List.of(base("a", Better.HIGHER, 0.6, 0.2)), 0.25);
        assertEquals(2, r.size());
        assertEquals(0.7, r.get(0).value(), 1e-12);
        assertEquals(0.2, r.get(0).band(), 1e-12);
        assertEquals(0.2, r.get(1).band(), 1e-12); // same group's band
    }

    @Test
    void aFigureTheRunSkippedIsNotJudged() {
        List<Verdict> v = CheckBaseline.compare(List.of(new Figure("p99 / SQL: names", "query", Better.LOWER, 20, 0.5)),
                List.of(new Figure("p99 / SQL: names", CheckBaseline.SKIPPED, Better.LOWER, 400, Double.NaN)));
        assertFalse(v.get(0).regression());
        assertTrue(v.get(0).message().startsWith("skipped: p99 / SQL: names"), v.get(0).message());
    }

    @Test
    void aFigureMissingFromOneRunStaysOutOfTheBaseline() {
        List<List<Figure>> runs = List.of(
                List.of(now("a", Better.HIGHER, 0.5), now("sometimes", Better.HIGHER, 1.0)),
                List.of(now("a", Better.HIGHER, 0.5)),
                List.of(now("a", Better.HIGHER, 0.5), new Figure("sometimes", CheckBaseline.SKIPPED, Better.HIGHER, 1.0, Double.NaN)));
        List<Figure> b = CheckBaseline.fromRuns(runs, 1.5, 0.10);
        assertEquals(List.of("a"), b.stream().map(Figure::name).toList());
        assertEquals(0.10, b.get(0).band(), 1e-12); // no spread: the minimum band
    }
}
