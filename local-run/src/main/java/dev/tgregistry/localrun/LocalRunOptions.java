package dev.tgregistry.localrun;

import dev.tgregistry.localstack.StackStarter;
import java.nio.file.Path;

/** {@link LocalRun}'s command line. */
final class LocalRunOptions {
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar local-run/target/local-run-runner.jar [options]",
            "  --root DIR        repository root; working directory of the services (default .)",
            "  --data-dir DIR    persistent data: DIR/postgres, DIR/kafka (default $LOCAL_DATA_DIR or ./.local-data)",
            "  --no-services     start only PostgreSQL and Kafka",
            "  --pg-port N       PostgreSQL port (default " + StackStarter.DEFAULT_PG_PORT + ")",
            "  --kafka-port N    Kafka port (default " + StackStarter.DEFAULT_KAFKA_PORT + ")",
            "  -h, --help        this text",
            "system properties: -Dlocal-stack.user-service.jar=PATH -Dlocal-stack.bot-ingest.jar=PATH",
            "                   -Dlocal-stack.child-jvm-opts=\"-Xmx512m ...\"");

    String root = ".";
    String dataDir;
    boolean noServices;
    boolean help;
    int pgPort = StackStarter.DEFAULT_PG_PORT;
    int kafkaPort = StackStarter.DEFAULT_KAFKA_PORT;

    static LocalRunOptions parse(String[] args) {
        LocalRunOptions o = new LocalRunOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--root" -> o.root = value != null ? value : next(args, ++i, a);
                case "--data-dir" -> o.dataDir = value != null ? value : next(args, ++i, a);
                case "--no-services" -> o.noServices = true;
                case "--pg-port" -> o.pgPort = port(value != null ? value : next(args, ++i, a), a);
                case "--kafka-port" -> o.kafkaPort = port(value != null ? value : next(args, ++i, a), a);
                case "-h", "--help" -> o.help = true;
                default -> throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        return o;
    }

    Path root() {
        return Path.of(root).toAbsolutePath().normalize();
    }

    Path dataDir() {
        String d = dataDir;
        if (d == null || d.isBlank()) {
            d = System.getenv("LOCAL_DATA_DIR");
        }
        if (d == null || d.isBlank()) {
            d = ".local-data";
        }
        return Path.of(d).toAbsolutePath().normalize();
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String v, String option) {
        try {
            int p = Integer.parseInt(v);
            if (p <= 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a port: " + v);
        }
    }
}
