package dev.tgregistry.contract;

import org.junit.jupiter.api.Test;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.model.ChangedOperation;
import org.openapitools.openapidiff.core.model.ChangedParameter;
import org.openapitools.openapidiff.core.model.Endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The breaking-change gate of the HTTP API (policy: docs/API.md, "Compatibility"). openapi-diff compares each committed
 * document ({@code docs/openapi/<service>.yaml}) with the previous release's copy ({@code docs/openapi/released/}); every
 * operation it finds changed incompatibly (or removed) must be declared in CHANGELOG.md's {@code [Unreleased]} section
 * by an entry (a list item, continuation lines included) holding {@code BREAKING} and the operation as
 * {@code `METHOD /path`}. The report of every run (breaking and
 * declared) is written to {@code target/breaking-changes.txt}.
 */
class BreakingChangeGateTest {
    private static final Path ROOT = Path.of("..");
    private static final Path CHANGELOG = ROOT.resolve("CHANGELOG.md");
    private static final Path REPORT = Path.of("target/breaking-changes.txt");
    private static final Pattern OPERATION = Pattern.compile("`((?:GET|POST|PUT|PATCH|DELETE) /[^`\\s]*)`");

    /** One incompatible change: {@code GET /api/users} and what changed. */
    record Breaking(String operation, String what) {
    }

    @Test
    void everyBreakingChangeSinceTheLastReleaseIsDeclared() throws IOException {
        Set<String> declared = declaredInUnreleased(Files.readString(CHANGELOG));
        StringBuilder report = new StringBuilder();
        List<String> undeclared = new ArrayList<>();
        for (String service : List.of("user-service", "bot-ingest")) {
            List<Breaking> breaking = breakingChanges(ROOT.resolve("docs/openapi/released/" + service + ".yaml"),
                    ROOT.resolve("docs/openapi/" + service + ".yaml"));
            report.append(service).append(": ").append(breaking.size()).append(" breaking change(s) since the last release\n");
            for (Breaking change : breaking) {
                boolean ok = declared.contains(change.operation());
                report.append(ok ? "  declared    " : "  UNDECLARED  ").append(change.operation()).append(": ").append(change.what()).append('\n');
                if (!ok) {
                    undeclared.add(service + " " + change.operation() + " (" + change.what() + ")");
                }
            }
        }
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report);
        System.out.print(report);
        assertTrue(undeclared.isEmpty(), "breaking API changes not declared in CHANGELOG.md's [Unreleased] section (an entry with "
                + "BREAKING and `METHOD /path`; policy: docs/API.md \"Compatibility\"):\n  " + String.join("\n  ", undeclared)
                + "\nfull report: " + REPORT.toAbsolutePath());
    }

    @Test
    void theGateSeesABreakingChange() {
        String released = """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths:
                  /api/users:
                    get:
                      operationId: listUsers
                      parameters:
                      - {name: limit, in: query, schema: {type: integer}}
                      responses:
                        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
                  /api/stats:
                    get:
                      operationId: getStats
                      responses:
                        "200": {description: ok}
                """;
        String limitRequired = released.replace("schema: {type: integer}}", "required: true, schema: {type: integer}}");
        String limitRequiredAndStatsGone = limitRequired.substring(0, limitRequired.indexOf("  /api/stats:"));
        List<Breaking> breaking = breakingChanges(released, limitRequiredAndStatsGone);
        assertEquals(List.of("GET /api/users", "GET /api/stats"), breaking.stream().map(Breaking::operation).toList(), breaking.toString());
        assertFalse(breakingChanges(released, released).iterator().hasNext(), "no change, nothing breaks");
    }

    @Test
    void declarationsAreReadFromTheUnreleasedSectionOnly() {
        String changelog = """
                # Changelog
                ## [Unreleased]
                ### Changed
                - **BREAKING** `GET /api/users` and
                  `PATCH /api/users/{id}/profile`: typed
                - `GET /api/stats`: not breaking
                ## [1.0.0] - 2026-01-01
                - **BREAKING** `DELETE /api/users/{id}`: an old one
                """;
        assertEquals(Set.of("GET /api/users", "PATCH /api/users/{id}/profile"), declaredInUnreleased(changelog));
    }

    static List<Breaking> breakingChanges(Path released, Path current) throws IOException {
        return breakingChanges(Files.readString(released), Files.readString(current));
    }

    static List<Breaking> breakingChanges(String released, String current) {
        ChangedOpenApi diff = OpenApiCompare.fromContents(released, current);
        List<Breaking> breaking = new ArrayList<>();
        for (ChangedOperation operation : diff.getChangedOperations()) {
            if (operation.isIncompatible()) {
                breaking.add(new Breaking(operation.getHttpMethod() + " " + operation.getPathUrl(), what(operation)));
            }
        }
        for (Endpoint removed : diff.getMissingEndpoints()) {
            breaking.add(new Breaking(removed.getMethod() + " " + removed.getPathUrl(), "removed"));
        }
        return breaking;
    }

    private static String what(ChangedOperation operation) {
        List<String> parts = new ArrayList<>();
        if (operation.getParameters() != null && operation.getParameters().isIncompatible()) {
            Set<String> names = new LinkedHashSet<>();
            operation.getParameters().getChanged().stream().filter(ChangedParameter::isIncompatible)
                    .forEach(parameter -> names.add(parameter.getName()));
            operation.getParameters().getMissing().forEach(parameter -> names.add(parameter.getName() + " removed"));
            operation.getParameters().getIncreased().stream().filter(parameter -> Boolean.TRUE.equals(parameter.getRequired()))
                    .forEach(parameter -> names.add(parameter.getName() + " added, required"));
            parts.add("parameters " + names);
        }
        if (operation.getRequestBody() != null && operation.getRequestBody().isIncompatible()) {
            parts.add("request body");
        }
        if (operation.getApiResponses() != null && operation.getApiResponses().isIncompatible()) {
            Set<String> codes = new LinkedHashSet<>(operation.getApiResponses().getMissing().keySet());
            operation.getApiResponses().getChanged().forEach((code, response) -> {
                if (response.isIncompatible()) {
                    codes.add(code);
                }
            });
            parts.add("responses " + codes);
        }
        if (operation.getSecurityRequirements() != null && operation.getSecurityRequirements().isIncompatible()) {
            parts.add("security");
        }
        return parts.isEmpty() ? "changed" : String.join(", ", parts);
    }

    /**
     * The operations named in an entry holding BREAKING in the {@code ## [Unreleased]} section; an entry is a list item
     * ({@code - ...}) with its indented continuation lines.
     */
    static Set<String> declaredInUnreleased(String changelog) {
        List<String> entries = new ArrayList<>();
        boolean unreleased = false;
        for (String line : changelog.split("\n")) {
            if (line.startsWith("## ")) {
                unreleased = line.toLowerCase(java.util.Locale.ROOT).startsWith("## [unreleased]");
                continue;
            }
            if (!unreleased) {
                continue;
            }
            if (line.startsWith("- ")) {
                entries.add(line);
            } else if (line.startsWith(" ") && !line.isBlank() && !entries.isEmpty()) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            } else if (!line.isBlank()) {
                entries.add(""); // a heading or paragraph ends the entry before it
            }
        }
        Set<String> declared = new LinkedHashSet<>();
        for (String entry : entries) {
            if (entry.contains("BREAKING")) {
                Matcher operation = OPERATION.matcher(entry);
                while (operation.find()) {
                    declared.add(operation.group(1));
                }
            }
        }
        return declared;
    }
}
