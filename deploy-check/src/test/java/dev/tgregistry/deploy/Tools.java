package dev.tgregistry.deploy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool found on PATH. Missing, it skips the test on a developer's machine and fails it in CI
 * ({@code CI=true}), where .ci/run installs it.
 */
final class Tools {
    private Tools() {
    }

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
    }

    static Path require(String name, String why) {
        Optional<Path> found = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> List.of(path.split(File.pathSeparator)).stream())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(name + " is not on PATH: CI must " + why);
            }
            Assumptions.abort(name + " is not on PATH: not checked: " + why);
        }
        return found.get();
    }

    static Result run(Path directory, Path tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
