package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.ingest.Updates;
import dev.tgregistry.bench.stack.Partitions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.Topics;
import dev.tgregistry.model.UserSeen;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The poison kinds of the fault suite. Each {@link Case} posts the poison to bot-ingest (to record what the edge
 * does: 400, or 202 as-is / normalised), writes a poison record of another user straight into the topic (so that
 * the consumer's isolation is tested even where the edge now refuses or cleans it up), and then a canary: a plain
 * record of a third user whose key lands on the same partition, so it queues behind the poison.
 *
 * <p>Users of case {@code i}: {@code base + 1000 i + 1} (HTTP poison), the first id from {@code + 100} on the
 * same partition (direct poison), the first from {@code + 200} (canary). Free-lesson ids (an int column):
 * {@code 910000 + 100 i + k}.
 */
final class Poisons {

    /** {@code SELECT EXISTS(sql)} with positional parameters: is an effect visible in the database? */
    record Check(String sql, List<Object> params) {
        static Check of(String sql, Object... params) {
            return new Check(sql, List.of(params));
        }
    }

    sealed interface Step permits Http, Direct {
        String label();

        String key();

        /** Records in the step. */
        int records();

        /** A poison must end up stored or dead-lettered; a plain record (set-up, follow-up) must be visible. */
        boolean poison();

        /** Its effect; null = it can never be stored (only dead-lettered). */
        Check effect();
    }

    /** A request to bot-ingest. */
    record Http(String label, String key, String path, byte[] body, int records, boolean poison, Check effect) implements Step {
    }

    /** Records written straight into the case's topic with {@code key}, in one producer batch. */
    record Direct(String label, String key, List<byte[]> values, boolean poison, Check effect) implements Step {
        @Override
        public int records() {
            return values.size();
        }
    }

    record Case(String name, String topic, int partition, List<Step> steps, Http canary) {
        List<String> keys() {
            List<String> keys = new ArrayList<>();
            steps.forEach(s -> keys.add(s.key()));
            keys.add(canary.key());
            return keys.stream().distinct().toList();
        }
    }

    static final String TELEGRAM = "/telegram/updates";
    static final String EVENTS = "/bot/events";
    static final String FREE_LESSONS = "/bot/free-lessons";

    static final String SURROGATE_MARK = "@LONE-SURROGATE@";

    private final long base;
    private final int partitions;
    private final Instant now;
    private final long nowSeconds;
    private long updateIds = 9_000_000;

    Poisons(long base, int partitions, Instant now) {
        this.base = base;
        this.partitions = partitions;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
        this.nowSeconds = this.now.getEpochSecond();
    }

    /** Every kind, in the order the suite runs them. */
    List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(nameCase(cases.size(), "NUL in a name", "Ann\u0000a", null, null));
        cases.add(detailsCase(cases.size(), "NUL in details", details("text", "a\u0000b"), now));
        cases.add(nameCase(cases.size(), "lone surrogate in a name", "X" + SURROGATE_MARK + "Y", null, null));
        cases.add(nameCase(cases.size(), "10,000-character name", "Я".repeat(10_000), null, null));
        String cjk = "漢".repeat(256);
        cases.add(nameCase(cases.size(), "256 CJK characters in each name field", cjk, cjk, cjk));
        cases.add(emptyVersusAbsentLastName(cases.size()));
        cases.add(collidingFreeLesson(cases.size()));
        cases.add(freeLessonCase(cases.size(), "lesson_date out of range", LocalDate.of(-5000, 1, 1)));
        cases.add(seenInYear9999(cases.size()));
        cases.add(detailsCase(cases.size(), "occurred_at before 1970", details("text", "old"), Instant.parse("1965-03-01T10:00:00Z")));
        cases.add(detailsCase(cases.size(), "record of ~1 MB", details("blob", "x".repeat(1_000_000)), now));
        cases.add(notJson(cases.size()));
        cases.add(wrongRecordType(cases.size()));
        return cases;
    }

    // ------------------------------------------------------------------------------------------ users

    private long httpUser(int i) {
        return base + 1000L * i + 1;
    }

    private int partition(int i) {
        return Partitions.of(Long.toString(httpUser(i)), partitions);
    }

    private long directUser(int i) {
        return Partitions.userOn(partition(i), partitions, base + 1000L * i + 100);
    }

    private long canaryUser(int i) {
        return Partitions.userOn(partition(i), partitions, base + 1000L * i + 200);
    }

    static Check user(long id) {
        return Check.of("SELECT 1 FROM users WHERE user_id = ?", id);
    }

    private static Check event(String eventId) {
        return Check.of("SELECT 1 FROM events WHERE event_id = ?", eventId);
    }

    private static Check freeLesson(long id) {
        return Check.of("SELECT 1 FROM free_lesson_registrations WHERE id = ?", id);
    }

    // ------------------------------------------------------------------------------------------ kinds

    private Case nameCase(int i, String name, String first, String last, String username) {
        long p1 = httpUser(i);
        long p2 = directUser(i);
        List<Step> steps = List.of(
                new Http("poison via HTTP", key(p1), TELEGRAM, telegram(p1, new Names.Person(username, first, last, "en"), nowSeconds), 1, true, user(p1)),
                new Direct("poison into the topic", key(p2), List.of(userSeen(p2, username, first, last, now)), true, user(p2)));
        return new Case(name, Topics.USER_SEEN, partition(i), steps, telegramCanary(i));
    }

    private Case emptyVersusAbsentLastName(int i) {
        long p1 = httpUser(i);
        long p2 = directUser(i);
        byte[] body = ("[" + update(p1, new Names.Person(null, "Eve", "", "en"), nowSeconds) + ","
                + update(p1, new Names.Person(null, "Eve", null, "en"), nowSeconds) + "]").getBytes(StandardCharsets.UTF_8);
        List<Step> steps = List.of(
                new Http("both in one request", key(p1), TELEGRAM, body, 2, true, user(p1)),
                new Direct("both into the topic in one batch", key(p2),
                        List.of(userSeen(p2, null, "Eve", "", now), userSeen(p2, null, "Eve", null, now)), true, user(p2)));
        return new Case("\"\" vs absent last_name in one batch", Topics.USER_SEEN, partition(i), steps, telegramCanary(i));
    }

    private Case collidingFreeLesson(int i) {
        long p1 = httpUser(i);
        long p2 = directUser(i);
        long id = 910_000L + 100L * i;
        LocalDate d1 = LocalDate.of(2026, 3, 10);
        LocalDate d2 = LocalDate.of(2026, 3, 17);
        Check slotTaken = Check.of("SELECT 1 FROM free_lesson_registrations WHERE user_id = ? AND lesson_type = 'cursor_lesson'"
                + " AND lesson_date = ?", p1, d1);
        List<Step> steps = List.of(
                new Http("set-up: two registrations, two dates", key(p1), FREE_LESSONS,
                        json(List.of(freeLessonRecord(id + 1, p1, d1), freeLessonRecord(id + 2, p1, d2))), 2, false,
                        Check.of("SELECT count(*) = 2 FROM free_lesson_registrations WHERE id IN (?, ?)", id + 1, id + 2)),
                new Http("poison via HTTP: the second moves onto the first's date", key(p1), FREE_LESSONS,
                        json(freeLessonRecord(id + 2, p1, d1)), 1, true,
                        Check.of("SELECT 1 FROM free_lesson_registrations WHERE id = ? AND lesson_date = ?", id + 2, d1)),
                new Http("a new id for a taken (user, type, date)", key(p1), FREE_LESSONS,
                        json(freeLessonRecord(id + 3, p1, d1)), 1, true, slotTaken),
                new Http("set-up for the direct poison", key(p2), FREE_LESSONS,
                        json(List.of(freeLessonRecord(id + 4, p2, d1), freeLessonRecord(id + 5, p2, d2))), 2, false,
                        Check.of("SELECT count(*) = 2 FROM free_lesson_registrations WHERE id IN (?, ?)", id + 4, id + 5)),
                new Direct("poison into the topic: the second moves onto the first's date", key(p2),
                        List.of(bytes(RecordJson.write(freeLessonRecord(id + 5, p2, d1)))), true,
                        Check.of("SELECT 1 FROM free_lesson_registrations WHERE id = ? AND lesson_date = ?", id + 5, d1)));
        return new Case("colliding free-lesson registration", Topics.FREE_LESSONS, partition(i), steps, freeLessonCanary(i));
    }

    private Case freeLessonCase(int i, String name, LocalDate date) {
        long p1 = httpUser(i);
        long p2 = directUser(i);
        long id = 910_000L + 100L * i;
        List<Step> steps = List.of(
                new Http("poison via HTTP", key(p1), FREE_LESSONS, json(freeLessonRecord(id + 1, p1, date)), 1, true, freeLesson(id + 1)),
                new Direct("poison into the topic", key(p2), List.of(bytes(RecordJson.write(freeLessonRecord(id + 2, p2, date)))), true,
                        freeLesson(id + 2)));
        return new Case(name, Topics.FREE_LESSONS, partition(i), steps, freeLessonCanary(i));
    }

    private Case seenInYear9999(int i) {
        long p1 = httpUser(i);
        long p2 = directUser(i);
        Instant y9999 = Instant.parse("9999-12-31T23:59:59Z");
        Check p1Renamed = Check.of("SELECT 1 FROM users WHERE user_id = ? AND first_name = 'Fresh'", p1);
        Check p2Renamed = Check.of("SELECT 1 FROM users WHERE user_id = ? AND first_name = 'Fresh'", p2);
        Names.Person fresh = new Names.Person(null, "Fresh", null, "en");
        List<Step> steps = List.of(
                new Http("poison via HTTP (message.date 9999-12-31)", key(p1), TELEGRAM,
                        telegram(p1, new Names.Person(null, "Frozen", null, "en"), y9999.getEpochSecond()), 1, true, user(p1)),
                new Direct("poison into the topic (seen_at 9999-12-31)", key(p2), List.of(userSeen(p2, null, "Frozen", null, y9999)), true, user(p2)),
                new Http("follow-up: the same users renamed now", key(p1), TELEGRAM,
                        bytes("[" + update(p1, fresh, nowSeconds + 1) + "," + update(p2, fresh, nowSeconds + 1) + "]"), 2, false,
                        Check.of("SELECT count(*) = 2 FROM users WHERE user_id IN (?, ?) AND first_name = 'Fresh'", p1, p2)));
        return new Case("timestamp in year 9999", Topics.USER_SEEN, partition(i), steps, telegramCanary(i));
    }

    private Case detailsCase(int i, String name, ObjectNode details, Instant occurredAt) {
        long p1 = httpUser(i);
        long p2 = directUser(i);
        String e1 = "fault-poison-" + i + "-http";
        String e2 = "fault-poison-" + i + "-direct";
        List<Step> steps = List.of(
                new Http("poison via HTTP", key(p1), EVENTS, json(botEvent(e1, p1, details, occurredAt)), 1, true, event(e1)),
                new Direct("poison into the topic", key(p2), List.of(bytes(RecordJson.write(botEvent(e2, p2, details, occurredAt)))), true,
                        event(e2)));
        return new Case(name, Topics.BOT_EVENTS, partition(i), steps, eventCanary(i));
    }

    private Case notJson(int i) {
        long p2 = directUser(i);
        byte[] garbage = {(byte) 0xC3, (byte) 0x28, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n', 0, (byte) 0xFF, '{'};
        List<Step> steps = List.of(new Direct("bytes into the topic", key(p2), List.of(garbage), true, null));
        return new Case("bytes that are not JSON", Topics.USER_SEEN, partition(i), steps, telegramCanary(i));
    }

    private Case wrongRecordType(int i) {
        long p2 = directUser(i);
        BookingChanged booking = new BookingChanged(1, 920_000L + i, p2, null, "Wrong", 1, "3rd_stream", 0, now, null, 0, now);
        List<Step> steps = List.of(new Direct("a booking into the user-seen topic", key(p2), List.of(bytes(RecordJson.write(booking))), true, null));
        return new Case("valid JSON of the wrong record type", Topics.USER_SEEN, partition(i), steps, telegramCanary(i));
    }

    // ------------------------------------------------------------------------------------------ canaries

    private Http telegramCanary(int i) {
        long c = canaryUser(i);
        return new Http("canary", key(c), TELEGRAM, telegram(c, new Names.Person(null, "Canary", null, "en"), nowSeconds), 1, false, user(c));
    }

    private Http eventCanary(int i) {
        long c = canaryUser(i);
        String id = "fault-canary-" + i;
        return new Http("canary", key(c), EVENTS, json(botEvent(id, c, details("text", "canary"), now)), 1, false, event(id));
    }

    private Http freeLessonCanary(int i) {
        long c = canaryUser(i);
        long id = 910_000L + 100L * i + 99;
        return new Http("canary", key(c), FREE_LESSONS, json(freeLessonRecord(id, c, LocalDate.of(2026, 4, 1))), 1, false, freeLesson(id));
    }

    // ------------------------------------------------------------------------------------------ records

    private static String key(long userId) {
        return Long.toString(userId);
    }

    private static byte[] bytes(String s) {
        return s.replace(SURROGATE_MARK, "\\ud800").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Object recordOrList) {
        return bytes(RecordJson.write(recordOrList));
    }

    /** One Telegram {@code message} update; a lone surrogate mark becomes the JSON escape {@code \ud800}. */
    private String update(long userId, Names.Person person, long date) {
        StringBuilder sb = new StringBuilder();
        Updates.message(sb, updateIds++, userId, person, date, "hello");
        return sb.toString();
    }

    private byte[] telegram(long userId, Names.Person person, long date) {
        return bytes(update(userId, person, date));
    }

    /** The record bot-ingest would publish for a message update. */
    private byte[] userSeen(long userId, String username, String first, String last, Instant seenAt) {
        TelegramUser user = new TelegramUser(userId, false, username, first, last, "en", null);
        return bytes(RecordJson.write(UserSeen.of(user, seenAt, new UserSeen.Source(updateIds++, "message"), null)));
    }

    private static ObjectNode details(String field, String value) {
        return RecordJson.MAPPER.createObjectNode().put(field, value);
    }

    private static BotEvent botEvent(String eventId, long userId, ObjectNode details, Instant occurredAt) {
        return new BotEvent(1, eventId, userId, "button_click", details, occurredAt, null);
    }

    private FreeLessonRegistered freeLessonRecord(long id, long userId, LocalDate date) {
        return new FreeLessonRegistered(1, id, userId, null, "Lea", "lea" + userId + "@example.com", "cursor_lesson", date, now, false);
    }
}
