package dev.tgregistry.localstack;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opt-in security of a {@link LocalKafka} (tests only; ./run-local stays plain): the client listener is
 * {@code SASL_SSL} with SCRAM-SHA-512 and a server certificate from a {@link ThrowAwayCa}, and it is the broker's only
 * client listener (no PLAINTEXT one; the KRaft controller listener stays plaintext on 127.0.0.1 and serves no produce
 * or fetch). The SCRAM users are created when the log directory is formatted, as {@code kafka-storage format
 * --add-scram} does; the broker itself talks to its own listener as the user {@value #BROKER_USER}.
 */
public final class KafkaSaslSsl {
    public static final String LISTENER = "SASL_SSL";
    public static final String MECHANISM = "SCRAM-SHA-512";
    static final String BROKER_USER = "broker";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private final Path keystore;
    private final String keystorePassword;
    private final Path caCertificate;
    private final Map<String, String> users;

    private KafkaSaslSsl(Path keystore, String keystorePassword, Path caCertificate, Map<String, String> users) {
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
        this.caCertificate = caCertificate;
        this.users = users;
    }

    /**
     * Issues the broker's certificate (for {@value LocalKafka#HOST}, the address it advertises, and localhost) and
     * writes its keystore and the CA certificate under {@code dir}. {@code users}: SCRAM user name to password (letters
     * and digits), besides the broker's own.
     */
    public static KafkaSaslSsl create(ThrowAwayCa ca, Path dir, Map<String, String> users) {
        Path absolute = dir.toAbsolutePath().normalize();
        String password = ThrowAwayCa.randomPassword();
        Path keystore = ca.issue("kafka", List.of("localhost"), List.of(LocalKafka.HOST))
                .writePkcs12(absolute.resolve("kafka-broker.p12"), password);
        Path caFile = ca.writeCertificate(absolute.resolve("kafka-ca.crt"));
        Map<String, String> all = new LinkedHashMap<>(users);
        all.put(BROKER_USER, ThrowAwayCa.randomPassword());
        return new KafkaSaslSsl(keystore, password, caFile, all);
    }

    /** The CA certificate (PEM) a client trusts. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** {@code sasl.jaas.config} of a SCRAM client: the one value that carries the user's password. */
    public static String jaasConfig(String user, String password) {
        return SCRAM_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** Client settings (bootstrap servers and security) for {@code user} with {@code password}. */
    public Map<String, Object> clientConfig(String bootstrapServers, String user, String password) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, LISTENER);
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password));
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate.toString());
        return config;
    }

    /** The broker's own client settings (local-stack's admin client uses them too). */
    Map<String, Object> brokerClientConfig(String bootstrapServers) {
        return clientConfig(bootstrapServers, BROKER_USER, users.get(BROKER_USER));
    }

    /** Listener and security settings of the node. */
    Map<String, Object> brokerSettings(int port, int controllerPort) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("listeners", LISTENER + "://" + LocalKafka.HOST + ":" + port + ","
                + LocalKafka.CONTROLLER_LISTENER + "://" + LocalKafka.HOST + ":" + controllerPort);
        props.put("advertised.listeners", LISTENER + "://" + LocalKafka.HOST + ":" + port);
        props.put("listener.security.protocol.map", LISTENER + ":SASL_SSL," + LocalKafka.CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", LISTENER);
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaasConfig(BROKER_USER, users.get(BROKER_USER)));
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", keystore.toString());
        props.put("ssl.keystore.password", keystorePassword);
        props.put("ssl.key.password", keystorePassword);
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", caCertificate.toString());
        props.put("ssl.client.auth", "none");
        return props;
    }

    /** {@code kafka-storage format --add-scram} arguments: every user's credentials, in the metadata from the start. */
    List<String> scramArguments() {
        List<String> arguments = new ArrayList<>();
        users.forEach((user, password) -> arguments.add(MECHANISM + "=[name=" + user + ",password=" + password + "]"));
        return arguments;
    }
}
