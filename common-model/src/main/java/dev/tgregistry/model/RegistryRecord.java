package dev.tgregistry.model;

/** What every record on the registry's topics has in common. */
public sealed interface RegistryRecord permits UserSeen, BotEvent, BookingChanged, FreeLessonRegistered, BookingAdminEdit {
    int SCHEMA_VERSION = 1;

    /** The Kafka key: the Telegram user id as a string of digits. */
    String key();

    /** Throws {@link ContractViolation} naming the first field that breaks the contract. */
    void validate();
}
