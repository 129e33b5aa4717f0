package dev.tgregistry.localrun;

import dev.tgregistry.localstack.LocalPostgres;
import dev.tgregistry.localstack.LocalKafka;
import dev.tgregistry.localstack.StackStarter;
import java.io.PrintStream;
import java.nio.file.Path;

/** What {@link LocalRun} prints once everything is up: where each part listens, its credentials, the data dir. */
final class LocalRunSummary {
    private LocalRunSummary() {
    }

    static void print(PrintStream out, LocalPostgres postgres, LocalKafka kafka, boolean noServices, Path dataDir,
                      String apiKeys, String ingestSecret) {
        String nl = System.lineSeparator();
        String line = "=".repeat(78);
        StringBuilder sb = new StringBuilder();
        sb.append(nl).append(line).append(nl);
        sb.append(" Local stack is up").append(nl);
        sb.append("   PostgreSQL   ").append(postgres.jdbcUrl())
                .append("   user ").append(postgres.username()).append(" / password ").append(postgres.password())
                .append(" (trust auth)").append(nl);
        sb.append("                psql -h localhost -p ").append(postgres.port()).append(" -U ")
                .append(postgres.username()).append(' ').append(StackStarter.DATABASE).append(nl);
        sb.append("   Kafka        ").append(kafka.bootstrapServers()).append(nl);
        if (noServices) {
            sb.append("   services     not started (--no-services)").append(nl);
        } else {
            sb.append("   user-service http://localhost:").append(StackStarter.USER_SERVICE_PORT)
                    .append("   APP_API_KEYS=").append(apiKeys).append(secretSource("APP_API_KEYS")).append(nl);
            sb.append("                health, metrics http://localhost:").append(StackStarter.USER_SERVICE_MANAGEMENT_PORT)
                    .append("/q/health, /q/metrics; Swagger UI http://localhost:").append(StackStarter.USER_SERVICE_PORT)
                    .append("/q/swagger-ui").append(nl);
            sb.append("   bot-ingest   http://localhost:").append(StackStarter.BOT_INGEST_PORT)
                    .append("   APP_INGEST_SECRET=").append(ingestSecret).append(secretSource("APP_INGEST_SECRET"))
                    .append(nl);
            sb.append("                health, metrics, Swagger UI http://localhost:").append(StackStarter.BOT_INGEST_MANAGEMENT_PORT)
                    .append("/q/health, /q/metrics, /q/swagger-ui").append(nl);
        }
        sb.append("   data dir     ").append(dataDir).append("  (postgres/, postgres.log, kafka/)").append(nl);
        sb.append(" Ctrl-C to stop").append(nl);
        sb.append(line);
        synchronized (out) {
            out.println(sb);
        }
    }

    private static String secretSource(String var) {
        String v = System.getenv(var);
        return v == null || v.isBlank() ? " (default)" : " (from environment)";
    }
}
