package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.DataSchema;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An emulation of the Quarkus Kafka + Hibernate Panache quickstart pattern, one transaction and one entity write per
 * record: (h) of bench/README.md's "bench/run ingest".
 */
final class PerRecordConsumer {
    static final String TABLE = "bench_per_record_users";

    private PerRecordConsumer() {
    }

    /** Creates the scratch table as a copy of {@code users} (indexes built after the copy); returns seconds. */
    static double prepare(Connection c) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE);
            st.execute("CREATE TABLE " + TABLE + " (LIKE users INCLUDING ALL)");
            List<String> ddl = DataSchema.dropSecondaryIndexes(c, TABLE);
            String columns;
            try (ResultSet rs = st.executeQuery("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                    + " WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")) {
                rs.next();
                columns = rs.getString(1); // generated columns are computed, not copied
            }
            st.execute("INSERT INTO " + TABLE + " (" + columns + ") SELECT " + columns + " FROM users");
            // LIKE copies no triggers: search_text is kept by users' (migration V14), so the copy gets the same ones
            st.execute("CREATE TRIGGER " + TABLE + "_search_text BEFORE INSERT ON " + TABLE
                    + " FOR EACH ROW EXECUTE FUNCTION registry.set_search_text()");
            st.execute("CREATE TRIGGER " + TABLE + "_search_text_update BEFORE UPDATE ON " + TABLE
                    + " FOR EACH ROW WHEN (NEW.username IS DISTINCT FROM OLD.username OR NEW.first_name IS DISTINCT FROM OLD.first_name"
                    + " OR NEW.last_name IS DISTINCT FROM OLD.last_name OR NEW.search_text IS DISTINCT FROM OLD.search_text)"
                    + " EXECUTE FUNCTION registry.set_search_text()");
            for (String d : ddl) {
                st.execute(d);
            }
            st.execute("VACUUM ANALYZE " + TABLE);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Consumes {@code n} records from {@code start}; returns records/s. */
    static double run(String bootstrapServers, Connection c, Map<TopicPartition, Long> start, int n) throws SQLException {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cfg.put(ConsumerConfig.GROUP_ID_CONFIG, "bench.per-record");
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        c.setAutoCommit(false);
        int done = 0;
        long t0 = System.nanoTime();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer());
             PreparedStatement find = c.prepareStatement("SELECT user_id, snapshot_at, first_seen_at, last_seen_at FROM "
                     + TABLE + " WHERE user_id = ?");
             PreparedStatement update = c.prepareStatement("UPDATE " + TABLE + " SET username = ?, first_name = ?, last_name = ?,"
                     + " is_bot = ?, is_premium = ?, snapshot_at = ?, language_code = ?, language_at = ?, first_seen_at = ?,"
                     + " last_seen_at = ?, private_chat_since = COALESCE(private_chat_since, ?), updated_at = now() WHERE user_id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " (user_id, username, first_name, last_name,"
                     + " is_bot, is_premium, snapshot_at, language_code, language_at, first_seen_at, last_seen_at,"
                     + " private_chat_since, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())")) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            t0 = System.nanoTime();
            while (done < n) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && System.nanoTime() - t0 > 600_000_000_000L) {
                    break;
                }
                for (ConsumerRecord<String, String> r : records) {
                    if (done >= n) {
                        break;
                    }
                    apply(c, find, update, insert, RecordJson.read(r.value(), UserSeen.class));
                    done++;
                }
                consumer.commitSync();
            }
        }
        c.setAutoCommit(true);
        double secs = (System.nanoTime() - t0) / 1e9;
        Bench.log(String.format(Locale.ROOT, "  per-record consumer: %,d records in %.1f s = %,.0f /s", done, secs, done / secs));
        return done < n ? Double.NaN : done / secs;
    }

    private static void apply(Connection c, PreparedStatement find, PreparedStatement update, PreparedStatement insert,
                              UserSeen seen) throws SQLException {
        TelegramUser u = seen.user();
        Timestamp at = Timestamp.from(seen.seenAt());
        find.setLong(1, u.id());
        Timestamp snapshot = null;
        Timestamp first = null;
        Timestamp last = null;
        boolean found;
        try (ResultSet rs = find.executeQuery()) {
            found = rs.next();
            if (found) {
                snapshot = rs.getTimestamp(2);
                first = rs.getTimestamp(3);
                last = rs.getTimestamp(4);
            }
        }
        PreparedStatement ps = found ? update : insert;
        boolean newer = snapshot == null || !at.before(snapshot);
        int i = 1;
        if (!found) {
            ps.setLong(i++, u.id());
        }
        ps.setString(i++, u.username());
        ps.setString(i++, u.firstName());
        ps.setString(i++, u.lastName());
        ps.setObject(i++, u.isBot());
        ps.setObject(i++, u.isPremium());
        ps.setTimestamp(i++, newer ? at : snapshot);
        ps.setString(i++, u.languageCode());
        ps.setTimestamp(i++, at);
        ps.setTimestamp(i++, first == null || at.before(first) ? at : first);
        ps.setTimestamp(i++, last == null || at.after(last) ? at : last);
        ps.setTimestamp(i++, at);
        if (found) {
            ps.setLong(i, u.id());
        }
        ps.executeUpdate();
        c.commit();
    }
}
