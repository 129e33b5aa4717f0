package dev.tgregistry.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.localstack.RawHttp;
import dev.tgregistry.localstack.hostile.HostileCases.Base;
import dev.tgregistry.localstack.hostile.HostileCases.Case;
import dev.tgregistry.localstack.hostile.OpenApiDocument.Operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends every case of an OpenAPI document to a running service and checks each answer:
 * <ul>
 *   <li>never a 5xx (nor no answer at all);</li>
 *   <li>every 4xx is {@code application/problem+json} with {@code status} (the response's), {@code title} and
 *       {@code detail};</li>
 *   <li>without credentials: 401, unless the HTTP edge refused the request first, as documented, before it looks
 *       at credentials (a path that is not exact: 400 naming the path segment; 411, 413, 414, 431);</li>
 *   <li>with credentials, a 4xx caused by the hostile value of parameter or field F has a {@code detail} that names F
 *       (as a word: {@code user_ids[0]} names {@code user_ids}, {@code user.id} names {@code id}; header names in any
 *       case). Not caused by the value: the valid sample, sent right after, gets the very same answer (e.g. the
 *       valid sample already erased that user). Not a rejection of the value: a positive integer the service took
 *       as an id and quotes in its answer ({@code user 9223372036854775807 not found}: a valid id of nobody), and
 *       the state answers 409, 412, and the size answers 413, 414, 431; a path parameter refused before routing is
 *       named by quoting its segment ({@code path segment "..."});</li>
 *   <li>the valid sample of each operation gets a 2xx;</li>
 *   <li>no new {@code http_server_requests} series has a {@code uri} label that is neither one of the document's path
 *       templates nor a fixed bucket ({@value #FIXED_URIS}, or the name of an HTTP status such as {@code UNAUTHORIZED}:
 *       the services label a request no route matched by its status), read from the metrics before and after each
 *       operation's cases.</li>
 * </ul>
 * Every failure is collected; {@link Report#failureText()} lists them all, grouped by cause.
 */
public final class HostileSuite {
    /** Micrometer's buckets for unmatched requests, and Vert.x's uri of a request its codec refused. */
    static final String FIXED_URIS = "NOT_FOUND, REDIRECTION, UNKNOWN, root, /bad-request";
    private static final Set<String> FIXED = Set.of("NOT_FOUND", "REDIRECTION", "UNKNOWN", "root", "/bad-request");
    private static final Pattern STATUS_NAME = Pattern.compile("[A-Z][A-Z_]+[A-Z]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MILLIS = 60_000;

    private final String service;
    private final OpenApiDocument doc;
    private final Samples samples;
    private final String host;
    private final int port;
    private final RequestSeries series;
    private final RawHttp.Header credentials;

    /**
     * {@code api}: the service's base URL; {@code metrics}: its Prometheus endpoint; {@code credentials}: the header
     * with valid credentials that have every right.
     */
    public HostileSuite(String service, OpenApiDocument doc, Samples samples, URL api, URL metrics, RawHttp.Header credentials) {
        this.service = service;
        this.doc = doc;
        this.samples = samples;
        this.host = api.getHost();
        this.port = api.getPort();
        this.series = new RequestSeries(metrics, TIMEOUT_MILLIS);
        this.credentials = credentials;
    }

    /** One failing case (or metric series): what was sent, what came back, and why it fails. */
    public record Failure(String cause, String operation, String what, String status, String excerpt) {
        String line() {
            return what + " → " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
        }
    }

    public record OperationSize(String operation, int targets, int cases, long millis) {
    }

    /** {@code results}: every case and its answer, one line each. */
    public record Report(String service, List<OperationSize> operations, int cases, int withCredentials, int withoutCredentials,
                         Set<String> kinds, long millis, List<Failure> failures, List<String> results) {
        public String summary() {
            StringBuilder out = new StringBuilder();
            int targets = operations.stream().mapToInt(OperationSize::targets).sum();
            out.append(String.format(Locale.ROOT, "%s hostile input: %d operations (variants included) × their %d parameters/fields"
                            + " × up to %d value kinds = %d requests (%d with credentials, %d without) in %.1f s; %d failures%n",
                    service, operations.size(), targets, kinds.size(), cases, withCredentials, withoutCredentials, millis / 1000.0, failures.size()));
            for (OperationSize op : operations) {
                out.append(String.format(Locale.ROOT, "  %-62s %3d targets %5d requests %6.1f s%n", op.operation(), op.targets(), op.cases(), op.millis() / 1000.0));
            }
            return out.toString();
        }

        /** Every failure, grouped by cause, one line each. */
        public String failureText() {
            Map<String, List<Failure>> byCause = new TreeMap<>();
            for (Failure failure : failures) {
                byCause.computeIfAbsent(failure.cause(), c -> new ArrayList<>()).add(failure);
            }
            StringBuilder out = new StringBuilder();
            out.append(failures.size()).append(" failing cases of ").append(service).append('\n');
            byCause.forEach((cause, list) -> {
                out.append("\n== ").append(cause).append(" (").append(list.size()).append(")\n");
                list.forEach(f -> out.append("  ").append(f.line()).append('\n'));
            });
            return out.toString();
        }

        /** Writes the summary and every failure to {@code file}, and every case with its answer next to it ({@code -cases}). */
        public void write(Path file) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, summary() + "\n" + failureText());
                String name = file.getFileName().toString();
                Files.write(file.resolveSibling(name.replaceFirst("(\\.txt)?$", "-cases.txt")), results);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Report run() {
        long start = System.nanoTime();
        HostileCases generator = new HostileCases(doc, samples);
        Set<String> allowedUris = new HashSet<>(doc.pathTemplates());
        allowedUris.addAll(FIXED);
        List<Failure> failures = new ArrayList<>();
        List<OperationSize> sizes = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        int total = 0;
        int withCredentials = 0;
        List<String> results = new ArrayList<>();

        List<Base> bases = new ArrayList<>();
        for (Operation operation : doc.operations()) {
            bases.addAll(generator.bases(operation));
        }
        Map<String, String> cursors = liveCursors(bases, failures);

        for (Base base : bases) {
            long opStart = System.nanoTime();
            String label = base.operation().key() + (base.variant().isEmpty() ? "" : " [" + base.variant() + "]");
            List<Case> cases = generator.cases(base, cursors);
            Set<String> targets = new LinkedHashSet<>();
            Set<String> before = series.read();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                String target = c.location() + " " + c.name();
                if (!c.name().isEmpty()) {
                    targets.add(target);
                }
                kinds.add(c.kind().replaceAll("\\s*\\([^)]*\\d[^)]*\\)$", ""));
                total++;
                withCredentials += c.authorised() ? 1 : 0;
                results.add(check(c, failures));
                if (c.kind().equals("valid sample")) {
                    checkSample(c, failures);
                }
                boolean lastOfTarget = i == cases.size() - 1 || !(cases.get(i + 1).location() + " " + cases.get(i + 1).name()).equals(target);
                if (lastOfTarget) {
                    // metrics per parameter/field, so that a bad series points at what made it
                    Set<String> after = series.read();
                    Set<String> added = new LinkedHashSet<>(after);
                    added.removeAll(before);
                    for (String labels : added) {
                        String value = RequestSeries.uri(labels);
                        if (!allowedUris.contains(value) && !STATUS_NAME.matcher(value).matches()) {
                            failures.add(new Failure("new http_server_requests series whose uri is no path template of the document",
                                    base.operation().key(), "series {" + labels + "}, made by the cases of "
                                    + (c.name().isEmpty() ? "the valid sample" : c.location() + " " + c.name()) + " of " + label, "-", ""));
                        }
                    }
                    before = after;
                }
            }
            sizes.add(new OperationSize(label, targets.size(), cases.size(), (System.nanoTime() - opStart) / 1_000_000));
        }
        return new Report(service, sizes, total, withCredentials, total - withCredentials, kinds,
                (System.nanoTime() - start) / 1_000_000, failures, results);
    }

    /** A real next cursor of every list with a cursor parameter (the sample with limit=1, when there is a limit). */
    private Map<String, String> liveCursors(List<Base> bases, List<Failure> failures) {
        Map<String, String> cursors = new LinkedHashMap<>();
        for (Base base : bases) {
            if (base.cursorParameters().isEmpty() || cursors.containsKey(base.operation().key())) {
                continue;
            }
            RawHttp.Request first = (base.has("limit") ? base.sampleWith("limit", "1") : base.sample()).with(credentials);
            String cursor = null;
            String status = "-";
            try {
                RawHttp.Response response = RawHttp.send(host, port, first, TIMEOUT_MILLIS);
                status = Integer.toString(response.status());
                cursor = response.header("X-Next-Cursor");
                if (cursor == null && response.header("Link") != null) {
                    Matcher next = Pattern.compile("[?&]cursor=([^&>]*)[^>]*>\\s*;\\s*rel=\"?next").matcher(response.header("Link"));
                    cursor = next.find() ? java.net.URLDecoder.decode(next.group(1), java.nio.charset.StandardCharsets.UTF_8) : null;
                }
                if (cursor == null && response.header("Content-Type") != null && response.header("Content-Type").contains("json")) {
                    JsonNode body = JSON.readTree(response.body());
                    cursor = body.path("next_cursor").isTextual() ? body.path("next_cursor").asText() : null;
                }
            } catch (IOException e) {
                status = "no answer (" + e + ")";
            }
            if (cursor == null || cursor.isEmpty()) {
                failures.add(new Failure("no real next cursor to tamper with (the sample data needs a second page)",
                        base.operation().key(), "first page of " + base.operation().key() + " with limit=1", status, ""));
            } else {
                cursors.put(base.operation().key(), cursor);
            }
        }
        return cursors;
    }

    private void checkSample(Case c, List<Failure> failures) {
        try {
            RawHttp.Response response = RawHttp.send(host, port, c.request().with(credentials), TIMEOUT_MILLIS);
            if (response.status() < 200 || response.status() > 299) {
                failures.add(new Failure("the valid sample is not answered 2xx (fix the sample or the service)", c.operation(),
                        "valid sample of " + c.operation() + (c.variant().isEmpty() ? "" : " [" + c.variant() + "]") + " with credentials",
                        Integer.toString(response.status()), AnswerText.excerpt(response.body())));
            }
        } catch (IOException e) {
            failures.add(new Failure("no answer", c.operation(), "valid sample of " + c.operation(), e.toString(), ""));
        }
    }

    /** Sends a case, adds its failures; returns a line saying what was sent and what came back. */
    private String check(Case c, List<Failure> failures) {
        RawHttp.Request request = c.authorised() ? c.request().with(credentials) : c.request();
        String what = c.describe() + (c.authorised() ? "" : ", without credentials");
        RawHttp.Response response;
        try {
            response = RawHttp.send(host, port, request, TIMEOUT_MILLIS);
        } catch (IOException e) {
            failures.add(new Failure("no answer (connection closed, reset or timed out)", c.operation(), what, e.toString(), ""));
            return what + " → " + e;
        }
        int status = response.status();
        String statusText = Integer.toString(status);
        String body = response.body();
        String result = what + " → " + status + " " + AnswerText.excerpt(body);
        if (status >= 500) {
            failures.add(new Failure("5xx server error", c.operation(), what, statusText, AnswerText.serverError(body)));
            return result;
        }
        String type = response.header("Content-Type");
        // A target that is no URI (%zz) is refused by Quarkus' root handler before any route or key check can
        // answer, a bare 400 (VertxHttpRecorder.uriValid; docs/API.md "Sizes"): a known limit of the framework,
        // still never a 5xx
        if (status == 400 && type == null && c.kind().startsWith("malformed %-escape")) {
            return result;
        }
        if (!c.authorised() && status != 401 && !AnswerText.refusedByTheEdge(status, body)) {
            failures.add(new Failure("without credentials not answered 401", c.operation(), what, statusText, AnswerText.excerpt(body)));
        }
        if (status < 400) {
            return result;
        }
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            failures.add(new Failure("4xx that is not application/problem+json", c.operation(), what,
                    statusText + " (Content-Type: " + type + ")", AnswerText.excerpt(body)));
            return result;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (IOException e) {
            failures.add(new Failure("problem+json body that is not JSON", c.operation(), what, statusText, AnswerText.excerpt(body)));
            return result;
        }
        List<String> missing = new ArrayList<>();
        if (problem.path("status").asInt(-1) != status) {
            missing.add("status " + problem.path("status"));
        }
        if (!problem.path("title").isTextual() || problem.path("title").asText().isBlank()) {
            missing.add("title");
        }
        if (!problem.path("detail").isTextual() || problem.path("detail").asText().isBlank()) {
            missing.add("detail");
        }
        if (!missing.isEmpty()) {
            failures.add(new Failure("problem+json without a right status, a title or a detail", c.operation(), what,
                    statusText + " (missing/wrong: " + String.join(", ", missing) + ")", AnswerText.excerpt(body)));
            return result;
        }
        String detail = problem.path("detail").asText();
        // 409 (conflict with the resource's current state), 412 (a precondition evaluated false), 413, 414 and 431 (the
        // body, request line or header block is too large as a whole) are not answers about one value's form, so they
        // need not name it
        boolean aboutTheValue = status != 409 && status != 412 && status != 413 && status != 414 && status != 431;
        // a path parameter is refused before routing, where segments have no names yet: the detail quotes the segment
        boolean namesPathSegment = c.location().equals("path") && detail.startsWith("path segment ");
        if (c.authorised() && c.namedAs() != null && aboutTheValue && !namesPathSegment
                && !AnswerText.names(detail, c.namedAs(), c.location().equals("header"))
                && !AnswerText.quotesAnId(detail, c.value()) && !sameAnswerForTheSample(c, status, detail)) {
            failures.add(new Failure("4xx whose detail does not name the parameter/field with the hostile value", c.operation(),
                    what + " (detail should name " + c.namedAs() + ")", statusText, AnswerText.excerpt(detail)));
        }
        return result;
    }

    /** Whether the valid sample, sent now, gets the same status and detail: then the value did not cause the answer. */
    private boolean sameAnswerForTheSample(Case c, int status, String detail) {
        try {
            RawHttp.Response response = RawHttp.send(host, port, c.sample().with(credentials), TIMEOUT_MILLIS);
            if (response.status() != status) {
                return false;
            }
            return detail.equals(JSON.readTree(response.body()).path("detail").asText(null));
        } catch (IOException e) {
            return false;
        }
    }
}
