package dev.tgregistry.users.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document is a contract a client generator gets right: TypeScript types generated from the committed
 * {@code docs/openapi/user-service.yaml} by {@code openapi-typescript}, and {@code src/test/dashboard-client/src/dashboard.ts}
 * (the original dashboard's calls: list, detail, search and its statistics, recipients, an audience walk following
 * {@code X-Next-Cursor}, the CSV export, stream change, bookings PATCH, profile PATCH with If-Match, leads, events,
 * analytics) compiled against them with {@code tsc --strict}. {@link OpenApiDriftTest} proves the committed document is
 * what the service serves. Two regressed copies of the document (every {@code limit} typed as a string; the
 * {@code X-Next-Cursor} header undocumented) must make the same module fail to compile, so the check is known to bite.
 *
 * <p>Needs {@code node} on PATH and the pinned packages of {@code src/test/dashboard-client/package-lock.json}
 * ({@code npm ci --prefix user-service/src/test/dashboard-client}; {@code .ci/run} does it). In CI ({@code CI=true})
 * either missing fails the test; on a developer machine without them it is skipped, saying what to install.
 */
class DashboardClientTypesTest {
    private static final Path CLIENT = Path.of("src/test/dashboard-client");
    private static final Path SPEC = Path.of("..", "docs", "openapi", "user-service.yaml");
    private static final Path WORK = Path.of("target/dashboard-client");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Path node;

    @BeforeAll
    static void tools() {
        node = nodeOnPath().orElse(null);
        List<String> missing = new ArrayList<>();
        if (node == null) {
            missing.add("node is not on PATH (Debian: apt-get install nodejs npm)");
        }
        for (Path tool : List.of(openapiTypescript(), tsc())) {
            if (!Files.isRegularFile(tool)) {
                missing.add(tool + " is missing: npm ci --prefix user-service/src/test/dashboard-client");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "the dashboard client cannot be compiled: " + String.join("; ", missing);
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI must run this test; see .ci/run)");
        }
        Assumptions.abort(message);
    }

    @Test
    void theDashboardModuleCompilesAgainstTheCommittedDocument() throws Exception {
        Result result = compileAgainst("committed", Files.readString(SPEC));
        assertEquals(0, result.exit(), "tsc --strict refused the dashboard module against " + SPEC + ":\n" + result.output());
    }

    @Test
    void aLimitTypedAsStringBreaksTheBuild() throws Exception {
        Result result = compileAgainst("limit-as-string", regressed(operation -> {
            for (JsonNode parameter : operation.path("parameters")) {
                if (parameter.path("name").asText().equals("limit")) {
                    ((ObjectNode) parameter).putObject("schema").put("type", "string");
                }
            }
        }));
        assertNotEquals(0, result.exit(), "the module compiled although every limit was typed as a string");
        assertTrue(errorOnALineWith("limit: ", result), result.output());
    }

    @Test
    void anUndocumentedCursorHeaderBreaksTheBuild() throws Exception {
        Result result = compileAgainst("no-cursor-header", regressed(operation -> {
            JsonNode headers = operation.path("responses").path("200").path("headers");
            if (headers instanceof ObjectNode object) {
                object.remove("X-Next-Cursor");
            }
        }));
        assertNotEquals(0, result.exit(), "the module compiled although X-Next-Cursor was not documented");
        assertTrue(errorOnALineWith("nextCursorDocumented: DocumentsHeader", result), result.output());
    }

    /** tsc reported an error ({@code src/dashboard.ts(LINE,COLUMN): error}) on a line of the module holding {@code text}. */
    private static boolean errorOnALineWith(String text, Result result) throws IOException {
        List<String> lines = Files.readAllLines(CLIENT.resolve("src/dashboard.ts"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && result.output().contains("src/dashboard.ts(" + (i + 1) + ",")) {
                return true;
            }
        }
        return false;
    }

    /** The committed document with {@code change} applied to every operation. */
    private static String regressed(Consumer<JsonNode> change) throws IOException {
        JsonNode doc = YAML.readTree(Files.readString(SPEC));
        doc.path("paths").forEach(item -> item.forEach(change));
        return YAML.writeValueAsString(doc);
    }

    private record Result(int exit, String output) {
    }

    /** Generates the types from {@code spec} into a copy of the client and runs tsc --strict over it. */
    private static Result compileAgainst(String name, String spec) throws Exception {
        Path dir = WORK.resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir.resolve("src/generated"));
        Files.copy(CLIENT.resolve("tsconfig.json"), dir.resolve("tsconfig.json"));
        Files.copy(CLIENT.resolve("src/dashboard.ts"), dir.resolve("src/dashboard.ts"));
        Path specFile = dir.resolve("user-service.yaml");
        Files.writeString(specFile, spec);
        Result generated = run(dir, openapiTypescript().toAbsolutePath().toString(), specFile.getFileName().toString(),
                "--output", "src/generated/user-service.d.ts");
        assertEquals(0, generated.exit(), "openapi-typescript failed on " + name + ":\n" + generated.output());
        return run(dir, tsc().toAbsolutePath().toString(), "--strict", "-p", "tsconfig.json");
    }

    private static Result run(Path dir, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(node.toString(), script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path openapiTypescript() {
        return CLIENT.resolve("node_modules/openapi-typescript/bin/cli.js");
    }

    private static Path tsc() {
        return CLIENT.resolve("node_modules/typescript/bin/tsc");
    }

    private static Optional<Path> nodeOnPath() {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> Stream.of(path.split(File.pathSeparator)))
                .map(dir -> Path.of(dir, "node"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }
}
