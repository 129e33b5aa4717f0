package dev.tgregistry.ingest.publish;

/** Kafka did not store the records in time; the sender should retry (HTTP 503). */
public class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message) {
        super(message);
    }
}
