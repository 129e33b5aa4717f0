package dev.tgregistry.localstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every user of the one start sequence gets: the services' environment and JVM options, and a quiet close. */
class StackStarterTest {

    @Test
    void userServiceEnvironmentHasTheDatabaseTheBrokerAndTheKeys() {
        Map<String, String> env = StackStarter.userServiceEnv(ServiceEnv.database(55432, "users", "postgres", "pw"),
                "127.0.0.1:9092", "k:read", StackStarter.DEFAULT_CURSOR_KEYS);

        assertEquals("jdbc:postgresql://localhost:55432/users", env.get(ServiceEnv.DB_JDBC_URL).split("\\?")[0]);
        assertEquals("postgres", env.get(ServiceEnv.DB_USER));
        assertEquals("127.0.0.1:9092", env.get(ServiceEnv.KAFKA_BOOTSTRAP_SERVERS));
        assertEquals("k:read", env.get(ServiceEnv.APP_API_KEYS));
        assertEquals(StackStarter.DEFAULT_CURSOR_KEYS, env.get(ServiceEnv.APP_CURSOR_KEYS));
    }

    @Test
    void botIngestEnvironmentHasTheBrokerAndTheSecret() {
        StackStarter starter = new StackStarter(Path.of("."), "", message -> { });
        starter.useKafka("127.0.0.1:19092");

        assertEquals(Map.of(ServiceEnv.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:19092", ServiceEnv.APP_INGEST_SECRET, "s"),
                starter.botIngestEnv("s"));
    }

    @Test
    void servicesRunWithTheGivenJvmOptions() {
        StackStarter starter = new StackStarter(Path.of("."), "-Xmx96m -XX:+UseSerialGC", message -> { });

        String command = starter.service("user-service", Path.of("app.jar")).commandLine();

        assertTrue(command.endsWith(" -Xmx96m -XX:+UseSerialGC -jar app.jar"), command);
    }

    @Test
    void closeWithNothingStartedStopsNothing() {
        List<String> log = new ArrayList<>();
        StackStarter starter = new StackStarter(Path.of("."), "", log::add);

        starter.close();

        assertEquals(List.of(), log);
    }
}
