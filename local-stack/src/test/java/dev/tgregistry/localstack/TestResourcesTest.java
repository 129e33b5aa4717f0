package dev.tgregistry.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Quarkus test resources outside Quarkus: config keys, and one shared server per JVM. */
class TestResourcesTest {

    @Test
    void postgresResourceReturnsDatasourceConfigAndIsShared() throws Exception {
        PostgresResource first = new PostgresResource();
        Map<String, String> config = first.start();
        int port = PostgresResource.port();
        assertEquals("jdbc:postgresql://localhost:" + port + "/users", config.get("quarkus.datasource.jdbc.url"));
        assertEquals("postgresql://localhost:" + port + "/users", config.get("quarkus.datasource.reactive.url"));
        assertEquals("postgres", config.get("quarkus.datasource.username"));
        assertEquals("postgres", config.get("quarkus.datasource.password"));
        assertEquals(PostgresResource.jdbcUrl(), config.get("quarkus.datasource.jdbc.url"));
        first.stop();

        Map<String, String> again = new PostgresResource().start();
        assertEquals(config, again, "second start reuses the JVM-wide server");
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl(), PostgresResource.username(),
                PostgresResource.password()); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
            assertTrue(rs.next());
        }
    }

    @Test
    void kafkaResourceReturnsBootstrapServersAndIsShared() throws Exception {
        KafkaResource first = new KafkaResource();
        Map<String, String> config = first.start();
        String bootstrap = config.get("kafka.bootstrap.servers");
        assertEquals(KafkaResource.bootstrapServers(), bootstrap);
        first.stop();
        assertEquals(config, new KafkaResource().start(), "second start reuses the JVM-wide broker");

        KafkaResource.createTopics("resource.topic");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            assertTrue(admin.listTopics().names().get(10, TimeUnit.SECONDS).contains("resource.topic"));
        }
    }
}
