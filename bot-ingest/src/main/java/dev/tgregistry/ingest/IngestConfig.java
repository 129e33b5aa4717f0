package dev.tgregistry.ingest;

import dev.tgregistry.ingest.relay.RelayConfig;
import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/**
 * bot-ingest's own settings, {@code app.*}: each is set, with its default and the reason for it, in
 * application.properties (and read from the environment as README "Configuration" says, e.g. {@code APP_INGEST_SECRET}).
 * service-web's {@code app.http.*} and {@code app.problem.*} are its {@code EdgeConfig}.
 */
@ConfigMapping(prefix = "app")
public interface IngestConfig {
    /** The shared secret(s) of the ingest endpoints, comma-separated. */
    String ingestSecret();

    /** How long a request waits for Kafka's acknowledgement before answering 503. */
    Duration kafkaAckTimeout();

    RelayConfig relay();
}
