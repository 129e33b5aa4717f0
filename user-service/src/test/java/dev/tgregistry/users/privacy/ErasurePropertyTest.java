package dev.tgregistry.users.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.ContractViolation;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RecordTimes;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.engine.SourceOfRandomness;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.TestSupport.db;
import static dev.tgregistry.users.TestSupport.sql;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 27, item 1, as a property: <em>erasure is final for every record type and every combination of dates</em>.
 * Whatever a person's records were before {@code DELETE /api/users/{id}}, and whatever records dated at or before the
 * erasure arrive after it (late arrivals with missing date fields, Kafka redeliveries and replays of the earlier
 * ones), nothing of the person is readable afterwards: not through any route, export, list, audience or CSV, and not
 * in PostgreSQL (bookings and registrations stay, anonymised: {@code user_id = -id}, no names, no email); and no list
 * or audience shows an anonymised row. User ids, booking and registration ids 9_640_000_000..9_640_999_999
 * ({@link TestUserIds#ERASURE_PROPERTY}), one block of {@value #BLOCK} per case.
 *
 * <h2>A generated case</h2>
 * A fresh user id; a random sequence of 1..10 records of every kind (Telegram sightings, bot events with and
 * without a user snapshot and with names in their details, booking snapshots, free-lesson registrations, profile
 * writes through {@code PATCH /api/users/{id}/profile}) with generated, distinctive usernames, first and last names
 * (some with Cyrillic, Persian or emoji), emails, nicknames, real names and phones, each date an independent random
 * distance (0, microseconds, seconds, hours, up to 120 days) before the moment it is published, or missing, or (for
 * Telegram) implausible; published to the Kafka topics in that order, so the dates are shuffled against the order
 * of arrival. Once all of them are stored, the erasure; then 0..10 records dated at or before the erasure
 * (a distance of 0 is exactly the erasure's microsecond), again with random missing date fields, mixed with
 * redeliveries of the earlier records and, in one case in four, a replay of all of them.
 *
 * <h2>The pipeline, and the date rule</h2>
 * Records go through the real consumers into PostgreSQL: they are built as a bot sends them (date fields
 * null when missing), completed exactly as bot-ingest does at receipt — the common-model records' own
 * {@code withDefaults(receivedAt)} ({@link BookingChanged#withDefaults}, {@link FreeLessonRegistered#withDefaults},
 * {@link BotEvent#withDefaults} with bot-ingest's derived event id, mirrored in {@link #derivedEventId}), a bot event's
 * user snapshot published as a {@code bot_record} sighting; a Telegram sighting's {@code seen_at} is Telegram's date
 * (whole seconds) or, when missing or implausible, the receive time to the whole second — then validated and
 * published, keyed by the user id, as bot-ingest publishes them. {@code receivedAt} is the moment of publishing.
 * A record's date, by the rule of issue 27: a sighting's {@code seen_at}; an event's {@code occurred_at}, else the
 * receive time; a booking's {@code changed_at}, else {@code created_at}, else the receive time; a registration's
 * {@code registered_at}, else the receive time; a profile write's time of writing. After the erasure the generator
 * sends only records whose date by that rule is at or before the erasure (records dated after it legitimately start
 * a new record of the person): no profile writes, bookings with at least one of {@code created_at}/{@code changed_at},
 * events and registrations with their date; a sighting without a usable Telegram date only when the receive time's
 * whole second is not after the erasure (otherwise it is left out, and the story says so). Generated bookings never
 * have {@code changed_at} before {@code created_at} (such a record is refused).
 * <p>
 * "Stored" is known without guessing what the consumers write: after each phase one record of another user (a
 * sentinel) is published per topic with the person's id as key, so on the same partition, after the case's records;
 * once the sentinels are stored, everything before them has been consumed.
 *
 * <h2>Why a JUnit {@code @QuarkusTest} that samples jqwik generators</h2>
 * jqwik's own engine runs {@code @Property} methods but not JUnit Jupiter extensions, so it cannot start the
 * application under test (Quarkus' {@code @QuarkusTest} is a Jupiter extension). So the test is a Jupiter test that
 * uses jqwik only for what it is needed for, the generators: {@link #cases()} is a jqwik {@link Arbitrary}, and each
 * case is drawn with {@link Arbitrary#sample()} after seeding jqwik's source of randomness with the case's seed
 * ({@link SourceOfRandomness#create}, what a {@code @Property(seed = ...)} does), so a seed always gives the same case
 * ({@link #aSeedAlwaysGivesTheSameCase}); only what comes from the clock (receive times, hence the filled-in dates, and
 * whether a dateless sighting falls in the erasure's second) can differ between two runs of a seed. jqwik's edge cases
 * are off at the top ({@link Arbitrary#withoutEdgeCases}): mixed in, they made a quarter of the cases the same
 * two-record case; the boundaries that matter (a date exactly at the erasure, microseconds before it, in its second)
 * are generated on purpose. There is no shrinking (each try costs seconds against the real pipeline); instead, when the
 * property fails, the report lists every distinct failure (a route or table and what it showed), in how many cases it
 * showed, and the smallest such case: its seed and its whole story (every record sent, its date fields relative to
 * the erasure E, which of them were missing and filled in, its date by the rule); times in what was found are shown
 * relative to E too, so the record that brought something back can be told by its time.
 * <p>
 * Run: {@code ./mvnw -B -pl user-service test -Dtest=ErasurePropertyTest -Dsurefire.failIfNoSpecifiedTests=false}.
 * {@code -Derasure.cases=<n>} (default {@value #DEFAULT_CASES}) sets the number of cases; {@code -Derasure.seed=<run
 * seed>} repeats a whole run, {@code -Derasure.case-seed=<case seed>} runs one case (both seeds are in the report and
 * in the log, one line per case with the time of each stage); {@code -Derasure.verbose=true} logs every finding.
 *
 * <h2>What "nothing of the person is readable" checks, per case</h2>
 * <ul>
 *   <li>{@code GET /api/users/{id}}, {@code /names}, {@code /profile}, {@code /api/users/by-nickname}: 404 (a 404's
 *       body echoes the request, so it is not searched);</li>
 *   <li>{@code /api/users/{id}/export}: 404, or only the tombstone and audit rows, none with a generated name;</li>
 *   <li>every other answer below holds neither the person's id (as a number, not part of a longer one) nor any
 *       generated name, username, email, nickname, real name or phone (case-insensitively), nor an anonymised row of
 *       the case ({@code -<booking or registration id>}): {@code /profile/history}, {@code /api/users/{id}/bookings},
 *       {@code /api/users/search?q=} (each generated username, first and last name, "first last", the id),
 *       {@code /api/users/lookup?username=}, {@code /api/users/by-phone}, {@code /api/users/list?search=} (each name),
 *       {@code /api/users} (every page), {@code /api/users/list} (also per stream), {@code /api/users/non-course},
 *       {@code /api/users/by-stream} and {@code /api/stream-students} (the streams of the case's bookings and the
 *       stream whose roster lists program viewers),
 *       {@code /api/user-activity?days=90} (the four audiences also as {@code format=csv}, the whole list),
 *       {@code /api/bookings}, {@code /api/free-lessons}, {@code /api/events?type=recent}, {@code /api/users/hackathon};
 *       {@code POST /api/users/validate} (the id only in {@code invalid_user_ids} and as the key of its {@code unknown}
 *       status);</li>
 *   <li>PostgreSQL: no row of any table with a {@code user_id} column (users, events, user_name_history,
 *       user_profiles, ...) but {@code erased_users} and {@code audit_log} has the id; every booking and registration
 *       of the case is there with {@code user_id = -id} and no username, first name or email; no row of any table
 *       holds a generated name or the id as text.</li>
 * </ul>
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class ErasurePropertyTest {
    static final long FROM = TestUserIds.ERASURE_PROPERTY.from();
    static final long TO = TestUserIds.ERASURE_PROPERTY.to();
    /** Ids of a case: the person {@code base}, sentinels {@code base + 1, + 2}, bookings {@code + 100..}, registrations {@code + 200..}. */
    static final long BLOCK = 10_000;
    static final int DEFAULT_CASES = 20;

    private static final List<String> STREAMS = List.of("3rd_stream", "4th_stream", "5th_stream", "6th_stream",
            "7th_stream", "8th_stream", "mentoring");
    private static final List<String> EVENT_TYPES = List.of("start_command", "view_program", "lesson_link_clicked",
            "booking_status_changed", "open_menu");
    private static final List<String> SEEN_VIA = List.of(UserSeen.VIA_PRIVATE_CHAT, UserSeen.VIA_PRIVATE_CHAT,
            UserSeen.VIA_GROUP, UserSeen.VIA_MENTIONED, UserSeen.VIA_INLINE, UserSeen.VIA_OTHER);
    private static final Duration CONSUMED_WITHIN = Duration.ofSeconds(30);
    private static final String MERGE_PATCH = "application/merge-patch+json; charset=UTF-8";
    private static final String PHONE_PREFIX = "+98912";
    /** app.stream-viewers.stream: its roster also lists program viewers. */
    private static final String VIEWER_STREAM = "8th_stream";
    /** Tables that keep the id of an erased person to honour and prove the erasure. */
    private static final Set<String> ERASURE_RECORDS = Set.of("erased_users", "audit_log");

    private static KafkaProducer<String, String> producer;
    private static Connection connection;
    private static List<String> tablesWithUserId;
    private static List<String> allTables;
    private static ExecutorService http;
    private static long updateIds = 1;

    // ---------------------------------------------------------------------------------------------------------------
    // the generated model: what a bot sends, without ids (they come from the case's block) and with dates as
    // distances before an anchor (the receive time before the erasure, the erasure after it); null = the field is missing

    sealed interface Spec permits Sighting, Event, Booking, Registration, ProfileWrite, Redelivery {
    }

    /** Names a bot record may carry (any may be missing); a Telegram snapshot always has a first name. */
    record Names(String username, String firstName, String lastName) {
        Names drop(int mask) {
            return new Names((mask & 1) != 0 ? null : username, (mask & 2) != 0 ? null : firstName, null);
        }
    }

    enum TelegramDate { GIVEN, MISSING, IMPLAUSIBLE }

    record Sighting(Names names, TelegramDate date, long ago, String via, String language, Boolean premium, boolean blocks)
            implements Spec {
    }

    record Event(boolean withEventId, String type, Names names, boolean namesInDetails, boolean withSnapshot, Long ago)
            implements Spec {
    }

    record Price(String referralCode, Integer discountPercent) {
    }

    /** {@code created_at} lies {@code createdExtra} before {@code changed_at} (before the anchor when that is missing). */
    record Booking(int slot, Names names, int courseId, String stream, Integer confirmed, Long changedAgo, Long createdExtra,
                   Price price) implements Spec {
    }

    record Registration(int slot, Names names, String emailToken, String lessonType, LocalDate lessonDate, Long ago,
                        Boolean notificationSent) implements Spec {
    }

    record ProfileWrite(String nickname, String phoneDigits, String realName, Integer gradeYear, String attribute)
            implements Spec {
    }

    /** After the erasure: the {@code index}-th earlier record again, exactly as it was published (a Kafka redelivery). */
    record Redelivery(int index) implements Spec {
    }

    record Case(List<Spec> before, List<Spec> after, boolean replayAll) {
        int size() {
            return before.size() + after.size() + (replayAll ? before.size() : 0);
        }
    }

    static Arbitrary<Case> cases() {
        return names().list().ofMinSize(1).ofMaxSize(3).flatMap(pool -> {
            Arbitrary<Names> someNames = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(pool)), Tuple.of(1, names()));
            Arbitrary<Spec> earlier = Arbitraries.frequencyOf(
                    Tuple.of(3, sightings(someNames)),
                    Tuple.of(3, events(someNames, true)),
                    Tuple.of(2, bookings(someNames, true)),
                    Tuple.of(2, registrations(someNames, true)),
                    Tuple.of(1, profileWrites()));
            return earlier.list().ofMinSize(1).ofMaxSize(10).flatMap(before -> {
                Arbitrary<Spec> later = Arbitraries.frequencyOf(
                        Tuple.of(3, sightings(someNames)),
                        Tuple.of(3, events(someNames, false)),
                        Tuple.of(3, bookings(someNames, false)),
                        Tuple.of(2, registrations(someNames, false)),
                        Tuple.of(3, Arbitraries.integers().between(0, before.size() - 1).map(Redelivery::new)));
                return Combinators.combine(later.list().ofMaxSize(10), Arbitraries.integers().between(0, 3))
                        .as((after, replay) -> new Case(before, after, replay == 0));
            });
        }).withoutEdgeCases();
    }

    /** Distinctive: 10 random letters, found in an answer only if it came from this person's records. */
    static Arbitrary<String> token() {
        return Arbitraries.strings().withCharRange('a', 'z').ofLength(10).withoutEdgeCases();
    }

    /** A distance before the anchor, in microseconds: exactly 0, under a second, up to an hour, up to 120 days. */
    static Arbitrary<Long> ago() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0L)),
                Tuple.of(2, Arbitraries.longs().between(1, 999_999)),
                Tuple.of(3, Arbitraries.longs().between(1_000_000L, 3_600_000_000L)),
                Tuple.of(3, Arbitraries.longs().between(3_600_000_000L, 120L * 86_400_000_000L)));
    }

    static Arbitrary<Names> names() {
        return Combinators.combine(token().injectNull(0.25), token(), Arbitraries.of("", "ё", " Ёжик", "ا", "🙂"),
                        token().injectNull(0.5))
                .as((username, first, suffix, last) -> new Names(username, capitalized(first) + suffix,
                        last == null ? null : capitalized(last)));
    }

    static Arbitrary<Names> botNames(Arbitrary<Names> names) {
        return Combinators.combine(names, Arbitraries.integers().between(0, 3)).as(Names::drop);
    }

    static Arbitrary<Spec> sightings(Arbitrary<Names> names) {
        Arbitrary<TelegramDate> date = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(TelegramDate.GIVEN)),
                Tuple.of(2, Arbitraries.just(TelegramDate.MISSING)), Tuple.of(1, Arbitraries.just(TelegramDate.IMPLAUSIBLE)));
        return Combinators.combine(names, date, ago(), Arbitraries.of(SEEN_VIA), Arbitraries.of("en", "ru", "fa").injectNull(0.3),
                        Arbitraries.of(true, false).injectNull(0.5), Arbitraries.integers().between(0, 9))
                .as((n, d, ago, via, language, premium, block) -> new Sighting(n, d, ago, via, language, premium, block == 0));
    }

    static Arbitrary<Spec> events(Arbitrary<Names> names, boolean beforeErasure) {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(EVENT_TYPES), names, Arbitraries.of(true, false),
                        Arbitraries.of(true, false), beforeErasure ? ago().injectNull(0.3) : ago())
                .as(Event::new);
    }

    static Arbitrary<Spec> bookings(Arbitrary<Names> names, boolean beforeErasure) {
        Arbitrary<Integer> confirmed = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(2)),
                Tuple.of(2, Arbitraries.integers().between(-1, 1)), Tuple.of(1, Arbitraries.just((Integer) null)));
        Arbitrary<Price> price = Combinators.combine(Arbitraries.of("FRIEND10", "SPRING", "REF7").injectNull(0.5),
                Arbitraries.integers().between(0, 100).injectNull(0.3)).as(Price::new);
        Arbitrary<Booking> booking = Combinators.combine(Arbitraries.integers().between(0, 2), botNames(names),
                        Arbitraries.integers().between(1, 3), Arbitraries.of(STREAMS).injectNull(0.15), confirmed,
                        ago().injectNull(0.35), ago().injectNull(0.35), price)
                .as(Booking::new);
        // after the erasure a booking is dated by changed_at or created_at: one of them is there
        return (beforeErasure ? booking : booking.filter(b -> b.changedAgo() != null || b.createdExtra() != null))
                .map(b -> (Spec) b);
    }

    static Arbitrary<Spec> registrations(Arbitrary<Names> names, boolean beforeErasure) {
        return Combinators.combine(Arbitraries.integers().between(0, 2), botNames(names), token(),
                        Arbitraries.of("cursor_lesson", "intro_to_python").injectNull(0.3),
                        Arbitraries.integers().between(-60, 90).map(days -> LocalDate.now().plusDays(days)).injectNull(0.3),
                        beforeErasure ? ago().injectNull(0.3) : ago(), Arbitraries.of(true, false).injectNull(0.3))
                .as(Registration::new);
    }

    static Arbitrary<Spec> profileWrites() {
        return Combinators.combine(token().injectNull(0.3), Arbitraries.strings().numeric().ofLength(7).injectNull(0.3),
                        token().injectNull(0.3), Arbitraries.integers().between(1, 12).injectNull(0.5), token().injectNull(0.5))
                .as(ProfileWrite::new)
                .filter(p -> p.nickname() != null || p.phoneDigits() != null || p.realName() != null || p.attribute() != null)
                .map(p -> (Spec) p);
    }

    /** The case a seed gives, always the same: jqwik's randomness seeded as {@code @Property(seed = ...)} does. */
    static Case generate(long seed) {
        SourceOfRandomness.create(Long.toString(seed));
        return cases().sample();
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void nothingOfAnErasedPersonIsReadableWhateverRecordsDatedAtOrBeforeTheErasureArrive() {
        Long caseSeed = Long.getLong("erasure.case-seed");
        long runSeed = Long.getLong("erasure.seed", new SecureRandom().nextLong());
        int cases = caseSeed != null ? 1 : Integer.getInteger("erasure.cases", DEFAULT_CASES);
        if (cases > (TO - FROM + 1) / BLOCK) {
            throw new IllegalArgumentException("at most " + (TO - FROM + 1) / BLOCK + " cases fit the id range");
        }
        System.out.printf("erasure property: %d cases, run seed %d%s%n", cases, runSeed,
                caseSeed != null ? ", case seed " + caseSeed : "");
        clean(FROM, TO);
        SplittableRandom seeds = new SplittableRandom(runSeed);
        List<CaseRun> runs = new ArrayList<>();
        long started = System.nanoTime();
        for (int index = 0; index < cases; index++) {
            long seed = caseSeed != null ? caseSeed : seeds.nextLong();
            CaseRun run = new CaseRun(index, seed, generate(seed), FROM + index * BLOCK);
            long caseStarted = System.nanoTime();
            try {
                execute(run);
            } catch (RuntimeException | AssertionError e) {
                throw new IllegalStateException("case " + index + " (seed " + seed + ", -Derasure.case-seed=" + seed
                        + " repeats it) could not be run: " + e.getMessage(), e);
            }
            run.millis = (System.nanoTime() - caseStarted) / 1_000_000;
            runs.add(run);
            System.out.printf("erasure case %d (seed %d): %d before, %d after%s, %d not sent: %s, %d ms %s, %d HTTP checks%n",
                    index, seed, run.spec.before().size(), run.spec.after().size(), run.spec.replayAll() ? " + replay of all" : "",
                    run.skipped, run.findings.isEmpty() ? "ok" : run.findings.size() + " findings", run.millis, run.stages,
                    run.requests);
            if (Boolean.getBoolean("erasure.verbose")) {
                run.findings.forEach(finding -> System.out.println("   " + finding.kind() + ": " + finding.detail()));
            }
        }
        System.out.printf("erasure property: %d cases in %d ms%n", cases, (System.nanoTime() - started) / 1_000_000);
        String report = report(runSeed, runs);
        if (!report.isEmpty()) {
            fail(report);
        }
    }

    /** The reproduction the report promises: a case seed always gives the same case. */
    @Test
    void aSeedAlwaysGivesTheSameCase() {
        SplittableRandom seeds = new SplittableRandom(27);
        for (int i = 0; i < 20; i++) {
            long seed = seeds.nextLong();
            Case first = generate(seed);
            generate(seeds.nextLong()); // whatever was drawn in between
            assertEquals(first, generate(seed), "seed " + seed);
        }
    }

    private void execute(CaseRun run) {
        clean(run.base, run.base + BLOCK - 1);
        try {
            List<List<Message>> published = new ArrayList<>();
            for (int i = 0; i < run.spec.before().size(); i++) {
                published.add(publish(run, "before#" + i, run.spec.before().get(i), null));
            }
            run.stage("publish before");
            awaitConsumed(run.person, run.base + 1, "sentinel-" + run.index + "-before");
            run.stage("consumed before");
            checkStoredBeforeErasure(run);

            Response erasure = api().delete("/api/users/" + run.person);
            if (erasure.statusCode() != 200) {
                run.finding("DELETE /api/users/{id}: answers " + erasure.statusCode(), snippet(erasure.asString(), 0));
                return;
            }
            run.erasedAt = erasedAt(run.person);
            run.stage("erase");

            if (run.spec.replayAll()) {
                for (int i = 0; i < published.size(); i++) {
                    resend(run, "replay of before#" + i, published.get(i));
                }
            }
            for (int j = 0; j < run.spec.after().size(); j++) {
                Spec spec = run.spec.after().get(j);
                if (spec instanceof Redelivery redelivery) {
                    resend(run, "after#" + j + " redelivery of before#" + redelivery.index(), published.get(redelivery.index()));
                } else {
                    publish(run, "after#" + j, spec, run.erasedAt);
                }
            }
            run.stage("publish after");
            awaitConsumed(run.person, run.base + 2, "sentinel-" + run.index + "-after");
            run.stage("consumed after");
            checkDatabase(run);
            run.stage("db");
            checkRoutes(run);
            run.stage("http");
        } finally {
            clean(run.base, run.base + BLOCK - 1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // publishing as bot-ingest does

    /** One Kafka record as published: redelivered byte for byte. */
    record Message(String topic, String json) {
    }

    /** A line of a case's story: what was sent, its date fields, its date by the rule. */
    record Item(String label, String text, List<Map.Entry<String, Instant>> times, Instant dated, String note) {
    }

    private List<Message> publish(CaseRun run, String label, Spec spec, Instant erasedAt) {
        Instant receivedAt = Instant.now();
        Instant anchor = erasedAt != null ? erasedAt : receivedAt;
        List<Message> messages = new ArrayList<>();
        List<Map.Entry<String, Instant>> times = new ArrayList<>();
        Instant dated;
        String text;
        String refusal = null;
        if (spec instanceof Sighting s) {
            Instant telegramDate = switch (s.date()) {
                case GIVEN -> anchor.minus(s.ago(), ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS);
                case MISSING -> null;
                case IMPLAUSIBLE -> s.ago() % 2 == 0 ? Instant.parse("2009-06-01T00:00:00Z") : receivedAt.plus(Duration.ofDays(400));
            };
            Instant seenAt = telegramDate != null && RecordTimes.isPlausible(telegramDate, receivedAt)
                    ? telegramDate : receivedAt.truncatedTo(ChronoUnit.SECONDS);
            text = "Telegram sighting " + names(s.names()) + " via " + (s.blocks() ? "private_chat (blocks the bot)" : s.via())
                    + ", Telegram's date " + switch (s.date()) {
                        case GIVEN -> "given";
                        case MISSING -> "missing";
                        case IMPLAUSIBLE -> "implausible (" + telegramDate + ")";
                    };
            times.add(Map.entry("seen_at", seenAt));
            dated = seenAt;
            if (erasedAt != null && seenAt.isAfter(erasedAt)) {
                // the receive time's second is after the erasure: a sighting dated after it, not what this property sends
                run.skipped++;
                run.items.add(new Item(label, text, times, dated, "not sent: dated after the erasure"));
                return messages;
            }
            TelegramUser user = new TelegramUser(run.person, false, s.names().username(), s.names().firstName(),
                    s.names().lastName(), s.language(), s.premium()).normalised();
            UserSeen seen = UserSeen.of(user, seenAt, new UserSeen.Source(updateIds++, s.blocks() ? "my_chat_member" : "message"),
                    s.blocks() ? UserSeen.KICKED : null, s.blocks() ? UserSeen.VIA_PRIVATE_CHAT : s.via());
            refusal = refusal(seen);
            messages.add(message(Topics.USER_SEEN, seen));
        } else if (spec instanceof Event e) {
            ObjectNode details = details(e);
            TelegramUser snapshot = e.withSnapshot()
                    ? new TelegramUser(null, false, e.names().username(), e.names().firstName(), e.names().lastName(), "en", null) : null;
            BotEvent raw = new BotEvent(null, e.withEventId() ? "case-" + run.index + "-" + label : null, run.person, e.type(),
                    details, at(e.ago(), anchor), snapshot);
            BotEvent event = raw.withDefaults(derivedEventId(raw, receivedAt), receivedAt);
            dated = raw.occurredAt() != null ? raw.occurredAt() : receivedAt;
            text = "bot event " + e.type() + (e.withEventId() ? " " + event.eventId() : " (event_id missing: " + event.eventId() + ")")
                    + (details == null ? "" : " details " + details) + (snapshot == null ? "" : " with user snapshot " + names(e.names()));
            times.add(timeField("occurred_at", raw.occurredAt(), event.occurredAt()));
            refusal = refusal(event);
            messages.add(message(Topics.BOT_EVENTS, event));
            if (event.user() != null) {
                messages.add(message(Topics.USER_SEEN, UserSeen.of(event.user(), event.occurredAt(),
                        new UserSeen.Source(null, "bot_event"), null, UserSeen.VIA_BOT_RECORD)));
            }
            if (refusal == null) {
                run.eventIds.add(event.eventId());
            }
        } else if (spec instanceof Booking b) {
            long id = run.base + 100 + b.slot();
            Instant changed = at(b.changedAgo(), anchor);
            Instant created = b.createdExtra() == null ? null
                    : anchor.minus((b.changedAgo() == null ? 0 : b.changedAgo()) + b.createdExtra(), ChronoUnit.MICROS);
            BookingChanged raw = new BookingChanged(null, id, run.person, b.names().username(), b.names().firstName(),
                    b.courseId(), b.stream(), b.confirmed(), created, b.price().referralCode(), b.price().discountPercent(), changed);
            BookingChanged booking = raw.withDefaults(receivedAt);
            dated = changed != null ? changed : created != null ? created : receivedAt;
            text = "booking " + id + " " + names(b.names()) + " course " + b.courseId() + " " + b.stream() + " confirmed "
                    + b.confirmed();
            times.add(timeField("created_at", created, booking.createdAt()));
            times.add(timeField("changed_at", changed, booking.changedAt()));
            refusal = refusal(booking);
            if (refusal == null) {
                run.bookingIds.add(id);
            }
            messages.add(message(Topics.BOOKINGS, booking));
        } else if (spec instanceof Registration r) {
            long id = run.base + 200 + r.slot();
            FreeLessonRegistered raw = new FreeLessonRegistered(null, id, run.person, r.names().username(), r.names().firstName(),
                    r.emailToken() + "@example.com", r.lessonType(), r.lessonDate(), at(r.ago(), anchor), r.notificationSent());
            FreeLessonRegistered registration = raw.withDefaults(receivedAt);
            dated = raw.registeredAt() != null ? raw.registeredAt() : receivedAt;
            text = "free-lesson registration " + id + " " + names(r.names()) + " " + registration.email() + " "
                    + r.lessonType() + " " + r.lessonDate();
            times.add(timeField("registered_at", raw.registeredAt(), registration.registeredAt()));
            refusal = refusal(registration);
            if (refusal == null) {
                run.registrationIds.add(id);
            }
            messages.add(message(Topics.FREE_LESSONS, registration));
        } else if (spec instanceof ProfileWrite p) {
            ObjectNode patch = RecordJson.MAPPER.createObjectNode();
            if (p.nickname() != null) {
                patch.put("nickname", p.nickname());
            }
            if (p.phoneDigits() != null) {
                patch.put("phone", PHONE_PREFIX + p.phoneDigits());
            }
            if (p.realName() != null) {
                patch.put("real_name", capitalized(p.realName()) + " Ёжиков");
            }
            if (p.gradeYear() != null) {
                patch.put("grade_year", p.gradeYear());
            }
            if (p.attribute() != null) {
                patch.putObject("attributes").put("telegram_name", p.attribute());
            }
            Response written = api().contentType(MERGE_PATCH).body(patch.toString()).patch("/api/users/" + run.person + "/profile");
            if (written.statusCode() != 200) {
                throw new IllegalStateException(label + ": the profile write " + patch + " answered " + written.statusCode()
                        + " " + written.asString());
            }
            dated = Instant.now();
            text = "PATCH /api/users/{id}/profile " + patch;
            run.profileWritten = true;
        } else {
            throw new IllegalStateException("not a record: " + spec);
        }
        if (erasedAt != null && dated.isAfter(erasedAt)) {
            throw new IllegalStateException("the generator made a record dated after the erasure: " + text);
        }
        if (refusal != null) {
            // bot-ingest answers 400 and publishes nothing of the request
            run.items.add(new Item(label, text, times, dated, "refused by the record's checks, not published: " + refusal));
            return List.of();
        }
        run.items.add(new Item(label, text, times, dated, null));
        for (Message message : messages) {
            send(message.topic(), run.person, message.json());
        }
        return messages;
    }

    private void resend(CaseRun run, String label, List<Message> messages) {
        if (messages.isEmpty()) {
            run.items.add(new Item(label, "nothing: a profile write or a record that was not sent", List.of(), null, null));
            return;
        }
        for (Message message : messages) {
            send(message.topic(), run.person, message.json());
        }
        run.items.add(new Item(label, messages.stream().map(Message::topic).collect(Collectors.joining(", ")), List.of(), null, null));
    }

    private static Message message(String topic, RegistryRecord record) {
        return new Message(topic, RecordJson.write(record));
    }

    /** The record's checks, which bot-ingest applies before publishing: null when it passes, else why it is refused. */
    private static String refusal(RegistryRecord record) {
        try {
            record.validate();
            return null;
        } catch (ContractViolation violation) {
            return violation.getMessage();
        }
    }

    private static Map.Entry<String, Instant> timeField(String field, Instant sent, Instant published) {
        return Map.entry(sent == null ? field + " (missing, filled in)" : field, published);
    }

    private static ObjectNode details(Event e) {
        ObjectNode details = RecordJson.MAPPER.createObjectNode();
        if (e.type().equals("view_program")) {
            details.put("course_id", 1);
        } else if (e.type().equals("lesson_link_clicked")) {
            details.put("lesson_type", "cursor_lesson");
        }
        if (e.namesInDetails()) {
            if (e.names().username() != null) {
                details.put("username", e.names().username());
            }
            details.put("first_name", e.names().firstName());
        }
        return details.isEmpty() ? null : details;
    }

    /** bot-ingest's {@code BotEventIds.derive}: the event id of an event the bot sent without one. */
    static String derivedEventId(BotEvent event, Instant receivedAt) {
        Instant when = event.occurredAt() != null ? event.occurredAt() : receivedAt.truncatedTo(ChronoUnit.MINUTES);
        String identity = event.userId() + "|" + event.eventType() + "|" + when + "|"
                + (event.details() == null ? "" : RecordJson.write(event.details()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "d-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant at(Long ago, Instant anchor) {
        return ago == null ? null : anchor.minus(ago, ChronoUnit.MICROS);
    }

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @AfterAll
    static void close() throws SQLException {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (http != null) {
            http.shutdownNow();
            http = null;
        }
    }

    private static final List<Future<RecordMetadata>> SENDING = new ArrayList<>();

    /**
     * Publishes keyed by {@code key}: the partition, and so the order among that key's records (the producer is
     * idempotent: it keeps the order of a partition's records). {@link #acknowledged()} waits for the broker.
     */
    private static void send(String topic, long key, String json) {
        SENDING.add(producer().send(new ProducerRecord<>(topic, Long.toString(key), json)));
    }

    private static void acknowledged() {
        try {
            for (Future<RecordMetadata> sent : SENDING) {
                sent.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing failed", e.getCause());
        } finally {
            SENDING.clear();
        }
    }

    /**
     * One record of another user per topic, keyed by {@code key} (so on the same partitions, after everything sent so
     * far), then waits until all four are stored: then every earlier record of the key has been consumed.
     */
    private static void awaitConsumed(long key, long sentinel, String eventId) {
        Instant now = Instant.now();
        send(Topics.USER_SEEN, key, RecordJson.write(UserSeen.of(new TelegramUser(sentinel, false, "sentinel_" + sentinel,
                "Sentinel", null, null, null), now.truncatedTo(ChronoUnit.SECONDS), new UserSeen.Source(null, "message"), null,
                UserSeen.VIA_PRIVATE_CHAT)));
        send(Topics.BOT_EVENTS, key, RecordJson.write(new BotEvent(RegistryRecord.SCHEMA_VERSION, eventId, sentinel,
                "start_command", null, now, null)));
        send(Topics.BOOKINGS, key, RecordJson.write(new BookingChanged(RegistryRecord.SCHEMA_VERSION, sentinel, sentinel,
                null, null, 1, null, 0, now, null, 0, now)));
        send(Topics.FREE_LESSONS, key, RecordJson.write(new FreeLessonRegistered(RegistryRecord.SCHEMA_VERSION, sentinel,
                sentinel, null, null, "sentinel@example.com", "cursor_lesson", null, now, false)));
        acknowledged();
        await().atMost(CONSUMED_WITHIN).pollInterval(Duration.ofMillis(100)).until(() ->
                count("users WHERE user_id = " + sentinel + " AND username IS NOT NULL") > 0
                        && count("events WHERE event_id = '" + eventId + "'") == 1
                        && count("bookings WHERE id = " + sentinel) == 1
                        && count("free_lesson_registrations WHERE id = " + sentinel) == 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // checks

    /** Not the property: that the case's records reached the registry before the erasure (else the case proves little). */
    private static void checkStoredBeforeErasure(CaseRun run) {
        List<String> missing = new ArrayList<>();
        if (count("users WHERE user_id = " + run.person) != 1) {
            missing.add("the users row");
        }
        for (long id : run.bookingIds) {
            if (count("bookings WHERE id = " + id + " AND user_id = " + run.person) != 1) {
                missing.add("booking " + id);
            }
        }
        for (long id : run.registrationIds) {
            if (count("free_lesson_registrations WHERE id = " + id + " AND user_id = " + run.person) != 1) {
                missing.add("registration " + id);
            }
        }
        for (String eventId : run.eventIds) {
            if (count("events WHERE event_id = '" + eventId + "' AND user_id = " + run.person) != 1) {
                missing.add("event " + eventId);
            }
        }
        if (run.profileWritten && count("user_profiles WHERE user_id = " + run.person) != 1) {
            missing.add("the profile");
        }
        if (!missing.isEmpty()) {
            run.finding("before the erasure: records not stored", String.join(", ", missing));
        }
    }

    private static void checkDatabase(CaseRun run) {
        String holders = tablesWithUserId().stream().filter(table -> !ERASURE_RECORDS.contains(table))
                .map(table -> "(SELECT '" + table + "', row_to_json(t)::text FROM " + table + " t WHERE user_id = " + run.person + " LIMIT 3)")
                .collect(Collectors.joining(" UNION ALL "));
        Map<String, List<String>> held = new TreeMap<>();
        for (String row : rowsAsText("SELECT concat_ws(': ', table_name, row) FROM (" + holders + ") AS held (table_name, row)")) {
            held.computeIfAbsent(row.substring(0, row.indexOf(':')), table -> new ArrayList<>()).add(row);
        }
        held.forEach((table, rows) -> run.finding("PostgreSQL " + table + ": rows with the person's user_id", String.join(" // ", rows)));
        for (long id : run.bookingIds) {
            List<String> row = rowsAsText("SELECT CASE WHEN user_id = -id AND username IS NULL AND first_name IS NULL THEN 'anonymised' "
                    + "ELSE row_to_json(b)::text END FROM bookings b WHERE id = " + id);
            if (row.isEmpty()) {
                run.finding("PostgreSQL bookings: a booking of the case is not kept", "booking " + id + " is gone");
            } else if (!row.get(0).equals("anonymised")) {
                run.finding("PostgreSQL bookings: a booking of the case is not anonymised", row.get(0));
            }
        }
        for (long id : run.registrationIds) {
            List<String> row = rowsAsText("SELECT CASE WHEN user_id = -id AND username IS NULL AND first_name IS NULL AND email IS NULL "
                    + "THEN 'anonymised' ELSE row_to_json(f)::text END FROM free_lesson_registrations f WHERE id = " + id);
            if (row.isEmpty()) {
                run.finding("PostgreSQL free_lesson_registrations: a registration of the case is not kept", "registration " + id + " is gone");
            } else if (!row.get(0).equals("anonymised")) {
                run.finding("PostgreSQL free_lesson_registrations: a registration of the case is not anonymised", row.get(0));
            }
        }
        // generated strings are letters and digits: no quoting needed in a PostgreSQL regular expression
        String personal = run.personal.isEmpty() ? "false" : "t::text ~* '" + String.join("|", run.personal.keySet()) + "'";
        String id = "t::text ~ '(^|[^0-9])" + run.person + "([^0-9]|$)'";
        String everyRow = allTables().stream()
                .map(table -> "(SELECT '" + table + "', row_to_json(t)::text FROM " + table + " t WHERE " + personal
                        + (ERASURE_RECORDS.contains(table) ? "" : " OR " + id) + " LIMIT 3)")
                .collect(Collectors.joining(" UNION ALL "));
        Map<String, List<String>> found = new TreeMap<>();
        for (String row : rowsAsText("SELECT concat_ws(': ', table_name, row) FROM (" + everyRow + ") AS found (table_name, row)")) {
            found.computeIfAbsent(row.substring(0, row.indexOf(':')), table -> new ArrayList<>()).add(row);
        }
        found.forEach((table, rows) -> {
            if (!held.containsKey(table)) {
                run.finding("PostgreSQL " + table + ": a row holds the person's id or data", String.join(" // ", rows));
            }
        });
    }

    /** Every route, list and CSV, a few requests at a time (they only read). */
    private void checkRoutes(CaseRun run) {
        String id = Long.toString(run.person);
        List<Runnable> checks = new ArrayList<>();
        checks.add(() -> expectGone(run, "GET /api/users/{id}", "", get("/api/users/" + id)));
        checks.add(() -> expectGone(run, "GET /api/users/{id}/names", "", get("/api/users/" + id + "/names")));
        checks.add(() -> expectGone(run, "GET /api/users/{id}/profile", "", get("/api/users/" + id + "/profile")));
        checks.add(() -> inspect(run, "GET /api/users/{id}/profile/history", "", get("/api/users/" + id + "/profile/history"), 200, 404));
        checks.add(() -> inspect(run, "GET /api/users/{id}/bookings", "", get("/api/users/" + id + "/bookings"), 200, 404));
        checks.add(() -> checkExport(run));
        checks.add(() -> checkValidate(run));

        checks.add(() -> inspect(run, "GET /api/users/search?q=<id>", "", get("/api/users/search", "q", id), 200));
        for (String phrase : run.searchPhrases) {
            checks.add(() -> inspect(run, "GET /api/users/search?q=<name>", "q=" + phrase + ": ", get("/api/users/search", "q", phrase), 200));
        }
        for (String name : run.listedNames) {
            checks.add(() -> inspect(run, "GET /api/users/list?search=<name>", "search=" + name + ": ",
                    get("/api/users/list", "search", name, "limit", "1000"), 200));
        }
        for (String username : run.usernames) {
            checks.add(() -> inspect(run, "GET /api/users/lookup?username=", "username=" + username + ": ",
                    get("/api/users/lookup", "username", username), 200));
        }
        for (String nickname : run.nicknames) {
            checks.add(() -> expectGone(run, "GET /api/users/by-nickname", "nickname=" + nickname + ": ",
                    get("/api/users/by-nickname", "nickname", nickname)));
        }
        for (String phone : run.phones) {
            checks.add(() -> inspect(run, "GET /api/users/by-phone", "phone=" + phone + ": ", get("/api/users/by-phone", "phone", phone), 200));
        }

        checks.add(() -> {
            String cursor = null;
            for (int page = 0; page < 200; page++) {
                Response users = cursor == null ? get("/api/users", "limit", "1000") : get("/api/users", "limit", "1000", "cursor", cursor);
                inspect(run, "GET /api/users", "page " + page + ": ", users, 200);
                cursor = users.statusCode() == 200 ? users.jsonPath().getString("next_cursor") : null;
                if (cursor == null) {
                    break;
                }
            }
        });
        checks.add(() -> inspect(run, "GET /api/users/list", "", get("/api/users/list", "limit", "1000"), 200));
        checks.add(() -> inspect(run, "GET /api/users/non-course", "", get("/api/users/non-course", "limit", "10000"), 200));
        checks.add(() -> inspect(run, "GET /api/users/non-course?format=csv", "", get("/api/users/non-course", "format", "csv"), 200));
        for (String stream : run.streams) {
            String context = "stream=" + stream + ": ";
            checks.add(() -> inspect(run, "GET /api/users/by-stream", context, get("/api/users/by-stream", "stream", stream), 200));
            checks.add(() -> inspect(run, "GET /api/users/by-stream?format=csv", context,
                    get("/api/users/by-stream", "stream", stream, "format", "csv"), 200));
            checks.add(() -> inspect(run, "GET /api/stream-students", context, get("/api/stream-students", "stream", stream), 200));
            checks.add(() -> inspect(run, "GET /api/stream-students?format=csv", context,
                    get("/api/stream-students", "stream", stream, "format", "csv"), 200));
            checks.add(() -> inspect(run, "GET /api/users/list?stream=", context,
                    get("/api/users/list", "stream", stream, "limit", "1000"), 200));
        }
        checks.add(() -> inspect(run, "GET /api/user-activity", "", get("/api/user-activity", "days", "90", "limit", "1000"), 200));
        checks.add(() -> inspect(run, "GET /api/user-activity?format=csv", "", get("/api/user-activity", "days", "90", "format", "csv"), 200));
        checks.add(() -> inspect(run, "GET /api/bookings", "", get("/api/bookings", "limit", "200"), 200));
        checks.add(() -> inspect(run, "GET /api/free-lessons", "", get("/api/free-lessons", "limit", "500"), 200));
        checks.add(() -> inspect(run, "GET /api/events?type=recent", "", get("/api/events", "type", "recent", "limit", "200"), 200));
        checks.add(() -> inspect(run, "GET /api/users/hackathon", "", get("/api/users/hackathon"), 200));

        List<CompletableFuture<Void>> running = checks.stream().map(check -> CompletableFuture.runAsync(check, http())).toList();
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        run.requests = checks.size();
    }

    /** 404, or what the export may still hold of an erased person: the tombstone and the audit rows, without names. */
    private static void checkExport(CaseRun run) {
        String route = "GET /api/users/{id}/export";
        Response export = get("/api/users/" + run.person + "/export");
        if (export.statusCode() == 404) {
            return;
        }
        if (export.statusCode() != 200) {
            run.finding(route + ": answers " + export.statusCode(), snippet(export.asString(), 0));
            return;
        }
        JsonNode tables = readJson(export.asString()).path("tables");
        for (Map.Entry<String, JsonNode> table : tables.properties()) {
            if (!ERASURE_RECORDS.contains(table.getKey()) && !table.getValue().isEmpty()) {
                run.finding(route + ": still holds rows of the person", table.getKey() + ": " + snippet(table.getValue().toString(), 0));
            }
        }
        scan(run, route, "", export.asString(), false);
    }

    /** The person is not a valid recipient; the answer names the id only as an invalid, unknown one (it echoes the request). */
    private static void checkValidate(CaseRun run) {
        String route = "POST /api/users/validate";
        Response validate = api().contentType("application/json").body("{\"user_ids\": [\"" + run.person + "\"]}")
                .post("/api/users/validate");
        if (validate.statusCode() != 200) {
            run.finding(route + ": answers " + validate.statusCode(), snippet(validate.asString(), 0));
            return;
        }
        ObjectNode answer = (ObjectNode) readJson(validate.asString());
        boolean invalid = false;
        for (JsonNode id : answer.path("invalid_user_ids")) {
            invalid |= id.asText().equals(Long.toString(run.person));
        }
        if (!invalid) {
            run.finding(route + ": does not report the person as unknown", snippet(validate.asString(), 0));
        }
        if (!"unknown".equals(answer.path("statuses").path(Long.toString(run.person)).asText())) {
            run.finding(route + ": does not answer the person's id unknown", snippet(validate.asString(), 0));
        }
        answer.remove("invalid_user_ids");
        answer.remove("statuses"); // keyed by the requested ids: the echo, checked just above
        scan(run, route, "", answer.toString(), true);
    }

    private static void expectGone(CaseRun run, String route, String context, Response response) {
        if (response.statusCode() != 404) {
            run.finding(route + ": answers " + response.statusCode() + " instead of 404", context + snippet(response.asString(), 0));
        }
    }

    /** Expects one of {@code statuses}; searches the body unless it is a 404 (whose message echoes the request). */
    private static void inspect(CaseRun run, String route, String context, Response response, int... statuses) {
        int status = response.statusCode();
        boolean expected = false;
        for (int ok : statuses) {
            expected |= status == ok;
        }
        if (!expected) {
            run.finding(route + ": answers " + status, context + snippet(response.asString(), 0));
        }
        if (status != 404 && status < 500) {
            scan(run, route, context, response.asString(), true);
        }
    }

    /** The person's id (not as part of a longer number), any generated personal string, an anonymised row of the case. */
    private static void scan(CaseRun run, String route, String context, String body, boolean idIsPersonal) {
        List<String> shown = new ArrayList<>();
        int first = -1;
        if (idIsPersonal) {
            Matcher id = run.idPattern.matcher(body);
            if (id.find()) {
                shown.add("the id");
                first = id.start();
            }
        }
        String lower = body.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> personal : run.personal.entrySet()) {
            int at = lower.indexOf(personal.getKey());
            if (at >= 0) {
                shown.add(personal.getValue() + " " + personal.getKey());
                first = first < 0 ? at : first;
            }
        }
        if (!shown.isEmpty()) {
            run.finding(route + ": shows the person", context + String.join(", ", shown) + ": " + snippet(body, first));
        }
        if (run.anonymisedPattern != null) {
            Matcher anonymised = run.anonymisedPattern.matcher(body);
            if (anonymised.find()) {
                run.finding(route + ": lists an anonymised row", context + snippet(body, anonymised.start()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // one case: its ids, its personal strings, what was sent, what was found

    record Finding(String kind, String detail) {
    }

    static final class CaseRun {
        final int index;
        final long seed;
        final Case spec;
        final long base;
        final long person;
        /** Lower-case generated strings → what they are. */
        final Map<String, String> personal = new LinkedHashMap<>();
        /** Usernames, first and last names, "first last": what search matches (exact, prefix, substring, former names). */
        final Set<String> searchPhrases = new LinkedHashSet<>();
        /** Usernames and first names: what the original dashboard's list searches (substrings). */
        final Set<String> listedNames = new LinkedHashSet<>();
        final Set<String> usernames = new LinkedHashSet<>();
        final Set<String> nicknames = new LinkedHashSet<>();
        final Set<String> phones = new LinkedHashSet<>();
        /** The streams where the person could show: their bookings' and the viewer campaign's (view_program events). */
        final Set<String> streams = new TreeSet<>(Set.of(VIEWER_STREAM));
        final Map<String, Long> stages = new LinkedHashMap<>();
        private long stageStarted = System.nanoTime();
        final Set<Long> bookingIds = new TreeSet<>();
        final Set<Long> registrationIds = new TreeSet<>();
        final Set<String> eventIds = new TreeSet<>();
        final Pattern idPattern;
        final Pattern anonymisedPattern;
        final List<Item> items = new ArrayList<>();
        final List<Finding> findings = new ArrayList<>();
        boolean profileWritten;
        Instant erasedAt;
        int skipped;
        long millis;
        int requests;

        CaseRun(int index, long seed, Case spec, long base) {
            this.index = index;
            this.seed = seed;
            this.spec = spec;
            this.base = base;
            this.person = base;
            List<Spec> all = new ArrayList<>(spec.before());
            all.addAll(spec.after());
            Set<Long> anonymisable = new TreeSet<>();
            for (Spec s : all) {
                if (s instanceof Sighting sighting) {
                    addNames(sighting.names());
                } else if (s instanceof Event event) {
                    addNames(event.names());
                } else if (s instanceof Booking booking) {
                    addNames(booking.names());
                    if (booking.stream() != null) {
                        streams.add(booking.stream());
                    }
                    anonymisable.add(base + 100 + booking.slot());
                } else if (s instanceof Registration registration) {
                    addNames(registration.names());
                    personal.put(registration.emailToken(), "email");
                    anonymisable.add(base + 200 + registration.slot());
                } else if (s instanceof ProfileWrite profile) {
                    if (profile.nickname() != null) {
                        personal.put(profile.nickname(), "nickname");
                        nicknames.add(profile.nickname());
                    }
                    if (profile.phoneDigits() != null) {
                        personal.put((PHONE_PREFIX + profile.phoneDigits()).substring(1), "phone");
                        phones.add(PHONE_PREFIX + profile.phoneDigits());
                    }
                    if (profile.realName() != null) {
                        personal.put(profile.realName(), "real name");
                    }
                    if (profile.attribute() != null) {
                        personal.put(profile.attribute(), "profile attribute");
                    }
                }
            }
            idPattern = Pattern.compile("(?<![0-9])" + person + "(?![0-9])");
            anonymisedPattern = anonymisable.isEmpty() ? null : Pattern.compile(
                    "-(" + anonymisable.stream().map(Object::toString).collect(Collectors.joining("|")) + ")(?![0-9])");
        }

        private void addNames(Names names) {
            if (names.username() != null) {
                personal.put(names.username(), "username");
                usernames.add(names.username());
                listedNames.add(names.username());
                searchPhrases.add(names.username());
            }
            if (names.firstName() != null) {
                personal.put(names.firstName().substring(0, 10).toLowerCase(Locale.ROOT), "first name");
                listedNames.add(names.firstName().substring(0, 10));
                searchPhrases.add(names.firstName().substring(0, 10).toLowerCase(Locale.ROOT));
                if (names.lastName() != null) {
                    searchPhrases.add(names.firstName() + " " + names.lastName());
                }
            }
            if (names.lastName() != null) {
                personal.put(names.lastName().toLowerCase(Locale.ROOT), "last name");
                searchPhrases.add(names.lastName());
            }
        }

        void stage(String name) {
            long now = System.nanoTime();
            stages.put(name, (now - stageStarted) / 1_000_000);
            stageStarted = now;
        }

        synchronized void finding(String kind, String detail) {
            findings.add(new Finding(kind, relativeTimes(detail, erasedAt)));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the report: each distinct failure with the smallest case that showed it

    private static String report(long runSeed, List<CaseRun> runs) {
        Map<String, List<CaseRun>> byKind = new TreeMap<>();
        for (CaseRun run : runs) {
            run.findings.stream().map(Finding::kind).distinct()
                    .forEach(kind -> byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(run));
        }
        if (byKind.isEmpty()) {
            return "";
        }
        long failed = runs.stream().filter(run -> !run.findings.isEmpty()).count();
        StringBuilder out = new StringBuilder();
        out.append(String.format("Erasure is not final: %d of %d generated cases left something of the person readable; "
                        + "%d distinct failures. Run seed %d (-Derasure.seed=%d repeats the run; -Derasure.case-seed=<seed> one case).%n",
                failed, runs.size(), byKind.size(), runSeed, runSeed));
        Set<CaseRun> told = new LinkedHashSet<>();
        int n = 1;
        for (Map.Entry<String, List<CaseRun>> kind : byKind.entrySet()) {
            CaseRun smallest = kind.getValue().stream().min(Comparator.comparingInt((CaseRun run) -> run.spec.size())
                    .thenComparingInt(run -> run.index)).orElseThrow();
            told.add(smallest);
            out.append(String.format("%n%d. %s%n   in %d of %d cases; smallest: case %d (seed %d, %d records)%n", n++, kind.getKey(),
                    kind.getValue().size(), runs.size(), smallest.index, smallest.seed, smallest.spec.size()));
            smallest.findings.stream().filter(f -> f.kind().equals(kind.getKey())).limit(1)
                    .forEach(f -> out.append("   - ").append(f.detail()).append(System.lineSeparator()));
        }
        for (CaseRun run : told) {
            out.append(String.format("%nCase %d (seed %d): person %d, erased at E = %s%n", run.index, run.seed, run.person, run.erasedAt));
            for (Item item : run.items) {
                out.append("   ").append(item.label()).append(": ").append(item.text());
                for (Map.Entry<String, Instant> time : item.times()) {
                    out.append(", ").append(time.getKey()).append(' ').append(relative(time.getValue(), run.erasedAt));
                }
                if (item.dated() != null) {
                    out.append(" → dated ").append(relative(item.dated(), run.erasedAt));
                }
                if (item.note() != null) {
                    out.append(" (").append(item.note()).append(')');
                }
                out.append(System.lineSeparator());
            }
            out.append("   found:").append(System.lineSeparator());
            run.findings.stream().map(Finding::kind).distinct().sorted()
                    .forEach(kind -> out.append("   - ").append(kind).append(System.lineSeparator()));
        }
        return out.toString();
    }

    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|\\+00:00|\\+00(?![0-9:]))");

    /** Times in a text (ISO or PostgreSQL's, UTC) shown relative to the erasure, so one can see which record set them. */
    static String relativeTimes(String text, Instant erasedAt) {
        if (erasedAt == null) {
            return text;
        }
        return TIMESTAMP.matcher(text).replaceAll(match -> {
            String iso = match.group().replace(' ', 'T').replaceFirst("\\+00(:00)?$", "Z");
            return Matcher.quoteReplacement(relative(Instant.parse(iso), erasedAt));
        });
    }

    /** A time as E±d hh:mm:ss.micros from the erasure E (as it is when the erasure did not happen). */
    static String relative(Instant time, Instant erasedAt) {
        if (erasedAt == null) {
            return time.toString();
        }
        long micros = ChronoUnit.MICROS.between(erasedAt, time);
        if (micros == 0) {
            return "E (exactly)";
        }
        String sign = micros < 0 ? "-" : "+";
        micros = Math.abs(micros);
        long days = micros / 86_400_000_000L;
        long rest = micros % 86_400_000_000L;
        return String.format("E%s%s%02d:%02d:%02d.%06d", sign, days > 0 ? days + "d " : "", rest / 3_600_000_000L,
                rest / 60_000_000L % 60, rest / 1_000_000L % 60, rest % 1_000_000L);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private static Response get(String path, String... parameters) {
        RequestSpecification request = api();
        for (int i = 0; i < parameters.length; i += 2) {
            request = request.queryParam(parameters[i], parameters[i + 1]);
        }
        return request.get(path);
    }

    private static synchronized ExecutorService http() {
        if (http == null) {
            http = Executors.newFixedThreadPool(3);
        }
        return http;
    }

    private static JsonNode readJson(String json) {
        try {
            return RecordJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static String snippet(String body, int at) {
        int from = Math.max(0, at - 120);
        int to = Math.min(body.length(), at + 180);
        return (from > 0 ? "…" : "") + body.substring(from, to).replace("\r", "").replace("\n", "⏎") + (to < body.length() ? "…" : "");
    }

    private static String names(Names names) {
        return "username " + names.username() + ", first_name " + names.firstName()
                + (names.lastName() == null ? "" : ", last_name " + names.lastName());
    }

    private static String capitalized(String token) {
        return Character.toUpperCase(token.charAt(0)) + token.substring(1);
    }

    private static long count(String fromWhere) {
        return Long.parseLong(rowsAsText("SELECT count(*) FROM " + fromWhere).get(0));
    }

    /** The first column of each row, as text; on one connection kept for the whole run (a new one per query is slow). */
    private static synchronized List<String> rowsAsText(String query) {
        List<String> rows = new ArrayList<>();
        try {
            if (connection == null || connection.isClosed()) {
                connection = db();
            }
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
        return rows;
    }

    private static synchronized Instant erasedAt(long person) {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT erased_at FROM erased_users WHERE user_id = " + person)) {
            return result.next() ? result.getTimestamp(1).toInstant() : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tablesWithUserId() {
        if (tablesWithUserId == null) {
            tablesWithUserId = rowsAsText("SELECT table_name FROM information_schema.columns c WHERE table_schema = current_schema() "
                    + "AND column_name = 'user_id' AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = c.table_schema "
                    + "AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE') ORDER BY 1");
        }
        return tablesWithUserId;
    }

    private static List<String> allTables() {
        if (allTables == null) {
            allTables = rowsAsText("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = current_schema() "
                    + "AND table_type = 'BASE TABLE' ORDER BY 1");
        }
        return allTables;
    }

    /** Removes every row of the id range: the person's and the sentinels' rows, anonymised rows, tombstones, audit rows. */
    private static void clean(long from, long to) {
        String users = " WHERE user_id BETWEEN " + from + " AND " + to;
        String anonymised = " WHERE user_id BETWEEN " + (-to) + " AND " + (-from);
        String rows = " WHERE id BETWEEN " + from + " AND " + to;
        sql("DELETE FROM events" + users, "DELETE FROM user_name_history" + users,
                "DELETE FROM bookings" + rows, "DELETE FROM bookings" + users, "DELETE FROM bookings" + anonymised,
                "DELETE FROM free_lesson_registrations" + rows, "DELETE FROM free_lesson_registrations" + users,
                "DELETE FROM free_lesson_registrations" + anonymised,
                "DELETE FROM user_profile_changes" + users, "DELETE FROM user_profiles" + users, "DELETE FROM users" + users,
                "DELETE FROM erased_users" + users, "DELETE FROM audit_log" + users);
    }
}
