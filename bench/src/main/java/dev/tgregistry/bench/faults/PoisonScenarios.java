package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.ingest.IngestClient;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.localstack.PackagedService;
import dev.tgregistry.model.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite's {@code poison} scenario: each kind of {@link Poisons} (over HTTP or straight into the topic),
 * then a canary behind it; one row per kind with where every record went. A topic that stopped behind a poison
 * record is moved past it by the harness so the next kinds meet a flowing topic.
 */
final class PoisonScenarios {

    private static final long POISON_BASE = 9_300_000_000L;

    /** user-service's consumer group per topic (its application.properties), for the harness's "skip the wedge". */
    private static final Map<String, String> GROUPS = Map.of(
            Topics.USER_SEEN, "user-service.user-seen",
            Topics.BOT_EVENTS, "user-service.bot-events",
            Topics.BOOKINGS, "user-service.bookings",
            Topics.FREE_LESSONS, "user-service.free-lessons");

    private final FaultRig rig;

    PoisonScenarios(FaultRig rig) {
        this.rig = rig;
    }

    void run() throws Exception {
        Poisons kinds = new Poisons(POISON_BASE, FaultRig.PARTITIONS, Instant.now());
        for (Poisons.Case c : kinds.all()) {
            rig.ensureServicesUp();
            poison(c);
        }
    }

    private void poison(Poisons.Case c) throws Exception {
        Bench.log("poison: " + c.name() + " (" + c.topic() + " partition " + c.partition() + ")");
        List<String> notes = new ArrayList<>();
        Map<Poisons.Step, Boolean> acked = new LinkedHashMap<>();
        long sent = sendSteps(c, acked, notes) + c.canary().records();
        IngestClient.Answer canaryAnswer = rig.postRetryingUnavailable(c.canary().path(), c.canary().body());
        double canarySeconds = canarySeconds(c, canaryAnswer, notes);
        // give the poison records a moment to reach the DLQ (they precede the canary, so this is usually instant)
        long outcomeDeadline = System.currentTimeMillis() + (Double.isInfinite(canarySeconds) ? 0 : 5000);
        Outcome outcome;
        do {
            outcome = outcome(c, acked);
            if (outcome.stuck == 0 && outcome.lost == 0) {
                break;
            }
            Bench.sleep(200);
        } while (System.currentTimeMillis() < outcomeDeadline);
        notes.addAll(outcome.notes);
        long badTimes = rig.db.run(conn -> outOfRangeTimes(conn, c.keys()));
        if (badTimes > 0) {
            notes.add(badTimes + " row(s) of these users stored with a time outside 2013 .. now + 5 min");
        }
        if (Double.isInfinite(canarySeconds)) {
            notes.add(unwedge(c.topic()));
            outcome = outcome(c, acked); // after the skip, for the record
        }
        long ackedRecords = acked.entrySet().stream().filter(Map.Entry::getValue).mapToLong(e -> e.getKey().records()).sum()
                + (canaryAnswer.accepted() ? 1 : 0);
        rig.table.add(new FaultTable.Row(FaultTable.Kind.POISON, c.name(), sent, ackedRecords, outcome.visible
                + (Double.isInfinite(canarySeconds) ? 0 : 1), outcome.lost + (canaryAnswer.accepted() && Double.isInfinite(canarySeconds) ? 1 : 0),
                0, outcome.poisonRecords, outcome.deadLettered, outcome.withReason, outcome.stuck, badTimes, canarySeconds,
                String.join("; ", notes)));
    }

    /** Sends the case's steps in order, noting which got a 202; returns how many records they hold. */
    private long sendSteps(Poisons.Case c, Map<Poisons.Step, Boolean> acked, List<String> notes) throws Exception {
        long sent = 0;
        for (Poisons.Step step : c.steps()) {
            sent += step.records();
            if (step instanceof Poisons.Http h) {
                IngestClient.Answer a = rig.postRetryingUnavailable(h.path(), h.body());
                acked.put(step, a.accepted());
                if (!h.poison() && a.accepted() && !rig.awaitVisible(h.effect(), rig.canaryWaitMs)) {
                    // a set-up or follow-up record: applied before the next step, so the poison meets it in the table
                    notes.add(h.label() + ": not visible within " + rig.canaryWaitMs / 1000 + " s");
                }
                if (h.poison()) {
                    notes.add("edge " + a.status() + (a.accepted() ? "" : " " + problemDetail(a.body())));
                    if (a.accepted()) {
                        awaitHandled(step, c.topic());
                    }
                } else if (!a.accepted()) {
                    notes.add(h.label() + ": " + a.status());
                }
            } else if (step instanceof Poisons.Direct d) {
                List<RecordMetadata> written = rig.produce(c.topic(), d.key(), d.values());
                acked.put(step, false);
                for (RecordMetadata m : written) {
                    if (m.partition() != c.partition()) {
                        notes.add("direct record landed on partition " + m.partition() + ", not " + c.partition());
                    }
                }
                awaitHandled(step, c.topic());
            }
        }
        return sent;
    }

    /** Seconds from the canary's 202 to its row, infinite when refused or not visible within the canary wait. */
    private double canarySeconds(Poisons.Case c, IngestClient.Answer canaryAnswer, List<String> notes) {
        long canarySent = System.nanoTime();
        if (!canaryAnswer.accepted()) {
            notes.add("canary answered " + canaryAnswer.status());
            return Double.POSITIVE_INFINITY;
        }
        return rig.awaitVisible(c.canary().effect(), rig.canaryWaitMs) ? (System.nanoTime() - canarySent) / 1e9 : Double.POSITIVE_INFINITY;
    }

    /**
     * Lets one poison step reach the consumer on its own: waits (at most 5 s) until its effect is visible or a dead
     * letter with its key arrived, so the next step lands in a later batch.
     */
    private void awaitHandled(Poisons.Step step, String topic) {
        String dlq = Topics.deadLetterOf(topic);
        Bench.await(() -> rig.deadLetters.withKeys(List.of(step.key())).stream().anyMatch(d -> d.dlqTopic().equals(dlq))
                || (step.effect() != null && rig.isVisible(step.effect())), 5000, 100);
    }

    /** Rows of these users with a time PostgreSQL took but the registry should not (before 2013, or in the future). */
    private static long outOfRangeTimes(Connection c, List<String> keys) throws SQLException {
        String range = " NOT BETWEEN '2013-01-01' AND now() + interval '5 minutes'";
        String sql = "SELECT (SELECT count(*) FROM users WHERE user_id = ANY(?) AND (last_seen_at" + range
                + " OR first_seen_at" + range + "))"
                + " + (SELECT count(*) FROM events WHERE user_id = ANY(?) AND created_at" + range + ")"
                + " + (SELECT count(*) FROM free_lesson_registrations WHERE user_id = ANY(?) AND registered_at" + range + ")";
        Long[] ids = keys.stream().map(Long::valueOf).toArray(Long[]::new);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= 3; i++) {
                ps.setArray(i, c.createArrayOf("bigint", ids));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private record Outcome(long visible, long lost, int poisonRecords, int deadLettered, int withReason, int stuck,
                           List<String> notes) {
    }

    /**
     * Per step: visible (its effect is in the database), dead-lettered (a dead letter with its key that no other
     * step of that key accounts for), else lost (it had a 202) or stuck (written straight into the topic).
     */
    private Outcome outcome(Poisons.Case c, Map<Poisons.Step, Boolean> acked) {
        List<DeadLetterWatch.DeadLetter> letters = rig.deadLetters.withKeys(c.keys()).stream()
                .filter(d -> d.dlqTopic().equals(Topics.deadLetterOf(c.topic()))).toList();
        Map<String, Integer> unclaimed = new HashMap<>();
        letters.forEach(d -> unclaimed.merge(d.key(), 1, Integer::sum));
        long visible = 0;
        long lost = 0;
        int poisonRecords = 0;
        int stuck = 0;
        List<String> notes = new ArrayList<>();
        for (Poisons.Step step : c.steps()) {
            boolean wasAcked = acked.getOrDefault(step, false);
            boolean direct = step instanceof Poisons.Direct;
            if (!wasAcked && !direct) {
                continue; // refused at the edge: nothing to look for
            }
            if (step.poison()) {
                poisonRecords += step.records();
            }
            if (step.effect() != null && rig.isVisible(step.effect())) {
                if (wasAcked) {
                    visible += step.records();
                }
                if (step.poison()) {
                    notes.add((direct ? "topic" : "HTTP") + " poison stored");
                }
                continue;
            }
            int claimed = Math.min(step.records(), unclaimed.getOrDefault(step.key(), 0));
            unclaimed.merge(step.key(), -claimed, Integer::sum);
            int missing = step.records() - claimed;
            if (claimed > 0 && step.poison()) {
                notes.add((direct ? "topic" : "HTTP") + " poison dead-lettered");
            }
            if (missing > 0) {
                if (direct) {
                    stuck += missing;
                } else {
                    lost += missing;
                    notes.add(step.label() + ": acknowledged, not visible");
                }
            }
        }
        notes.addAll(reasons(letters));
        int withReason = (int) letters.stream().filter(DeadLetterWatch.DeadLetter::hasReason).count();
        return new Outcome(visible, lost, poisonRecords, letters.size(), withReason, stuck, notes);
    }

    private static List<String> reasons(List<DeadLetterWatch.DeadLetter> letters) {
        List<String> notes = new ArrayList<>();
        for (DeadLetterWatch.DeadLetter d : letters) {
            String reason = d.reason() == null ? "no reason header" : d.reason();
            notes.add("reason" + (d.sqlstate() == null ? "" : " [" + d.sqlstate() + "]") + ": "
                    + (reason.length() > 70 ? reason.substring(0, 70) + "…" : reason));
        }
        return notes;
    }

    /**
     * The topic stopped behind a poison record: stop user-service (SIGTERM, timed), move its group past the end
     * of the topic, start it again, so that the next kinds are measured on a flowing topic.
     */
    private String unwedge(String topic) throws Exception {
        Bench.log("  canary not visible within " + rig.canaryWaitMs / 1000 + " s: " + topic + " stopped; skipping the group past it");
        PackagedService.StopResult stop = Stack.stop(rig.userService, 30);
        String group = GROUPS.get(topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, rig.stack.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < FaultRig.PARTITIONS; p++) {
                ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).entrySet()) {
                offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue().offset()));
            }
            admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
        }
        rig.userService = rig.stack.startUserService();
        rig.stack.awaitReady(rig.userService, Duration.ofSeconds(180));
        return String.format(Locale.ROOT, "TOPIC STOPPED: canary not visible in %d s; user-service %s after SIGTERM in %.1f s;"
                        + " harness moved group %s to the end and restarted it", rig.canaryWaitMs / 1000,
                stop.exitedOnItsOwn() ? "exited" : "had to be killed", stop.seconds(), group);
    }

    private static String problemDetail(String body) {
        if (body == null) {
            return "";
        }
        int i = body.indexOf("\"detail\":\"");
        if (i < 0) {
            return "";
        }
        int end = body.indexOf('"', i + 10);
        String detail = body.substring(i + 10, end < 0 ? body.length() : end);
        return "(" + (detail.length() > 60 ? detail.substring(0, 60) + "…" : detail) + ")";
    }
}
