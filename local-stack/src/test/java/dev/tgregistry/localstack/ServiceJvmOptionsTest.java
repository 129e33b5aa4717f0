package dev.tgregistry.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The services' JVM options come from the parent pom's service.java-options, and the Dockerfiles' copies match it. */
class ServiceJvmOptionsTest {
    private static final Pattern DOCKER_OPTIONS = Pattern.compile("(?m)^ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"");

    @Test
    void launcherOptionsAreFilteredFromThePom() {
        assertFalse(StackStarter.SERVICE_JVM_OPTS.contains("${"), StackStarter.SERVICE_JVM_OPTS);
        assertTrue(StackStarter.SERVICE_JVM_OPTS.contains("-Xmx96m"), StackStarter.SERVICE_JVM_OPTS);
        assertTrue(StackStarter.SERVICE_JVM_OPTS.contains("-XX:+UseSerialGC"), StackStarter.SERVICE_JVM_OPTS);
        assertTrue(StackStarter.SERVICE_JVM_OPTS.contains("-XX:-TieredCompilation"), StackStarter.SERVICE_JVM_OPTS);
    }

    @Test
    void dockerfilesUseTheImageOptions() throws IOException {
        for (String module : new String[] {"user-service", "bot-ingest"}) {
            String dockerfile = Files.readString(Path.of("..", module, "src", "main", "docker", "Dockerfile.jvm"));
            Matcher m = DOCKER_OPTIONS.matcher(dockerfile);
            assertTrue(m.find(), module + ": no JDK_JAVA_OPTIONS");
            assertEquals(StackStarter.SERVICE_JVM_OPTS + " -XX:+ExitOnOutOfMemoryError", m.group(1), module);
        }
    }
}
