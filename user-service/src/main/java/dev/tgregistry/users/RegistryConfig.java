package dev.tgregistry.users;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * user-service's own settings, {@code app.*}: each is set, with its default and the reason for it, in
 * application.properties (and read from the environment as README "Configuration" says, e.g. {@code APP_API_KEYS}).
 * service-web's {@code app.http.*} and {@code app.problem.*} are its {@code EdgeConfig}.
 */
@ConfigMapping(prefix = "app")
public interface RegistryConfig {
    /** {@code key} or {@code key:right+right}, see {@code ApiKeys}. */
    List<String> apiKeys();

    Cursor cursor();

    /** Wall-clock zone of an adopted bot table's timestamps without time zone. */
    ZoneId legacyTimeZone();

    Profile profile();

    Duration writeRetryMaxBackoff();

    Duration writeAttemptTimeout();

    /** Course streams accepted besides those present in bookings. */
    List<String> streams();

    StreamViewers streamViewers();

    Search search();

    Audience audience();

    Adoption adoption();

    Kafka kafka();

    AdminEdits adminEdits();

    EventSummary eventSummary();

    interface Cursor {
        /** HMAC keys of pagination cursors: the first signs, each verifies. */
        List<String> keys();
    }

    interface Profile {
        /** Region assumed for a phone written without country code; empty: stored as written. */
        Optional<String> phoneRegion();
    }

    /**
     * The stream whose roster also lists people who viewed the course's program ({@code view_program} with
     * {@code details.course_id}) since a day (UTC) without booking that stream.
     */
    interface StreamViewers {
        String stream();

        int courseId();

        LocalDate since();
    }

    interface Search {
        int recentWindow();
    }

    interface Audience {
        int csvPageSize();
    }

    interface Adoption {
        String botSchema();

        /** Read by {@code AdoptionSync}'s {@code @Scheduled} expression. */
        Duration syncInterval();

        int batchSize();

        Duration quietPeriod();
    }

    interface Kafka {
        boolean createTopics();

        int topicPartitions();
    }

    interface AdminEdits {
        /** An edit still unpublished this long after it was made is re-sent. */
        Duration relayAfter();

        /** Read by {@code AdminEditRelay}'s {@code @Scheduled} expression. */
        Duration relayInterval();
    }

    interface EventSummary {
        /** Read by {@code EventSummaryJob}'s {@code @Scheduled} expression ({@code off}: never, as in tests). */
        String interval();

        /** Event ids folded per transaction. */
        long chunk();
    }
}
