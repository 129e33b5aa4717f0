package dev.tgregistry.users.search;

import dev.tgregistry.users.RegistryConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where search's first look starts: the last_seen_at of the {@code app.search.recent-window}-th most recently
 * seen user. Any older start is just as correct (the window only gets larger), so the value is re-read at most
 * once a second, in the background, and a search never waits for it except the very first.
 */
@ApplicationScoped
public class RecentWindow {
    private static final Logger LOG = Logger.getLogger(RecentWindow.class);
    static final String START = "SELECT last_seen_at FROM users ORDER BY last_seen_at DESC, user_id DESC OFFSET $1 LIMIT 1";
    private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

    private record Start(OffsetDateTime lastSeenAt, long readAtNanos) {
    }

    private final Pool pool;
    private final int size;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Start current;

    public RecentWindow(Pool pool, RegistryConfig config) {
        this.pool = pool;
        this.size = config.search().recentWindow();
    }

    /** The window's first last_seen_at; null when it holds everyone. */
    public Uni<OffsetDateTime> start() {
        Start known = current;
        if (known == null) {
            return read();
        }
        if (System.nanoTime() - known.readAtNanos() > REFRESH_NANOS && refreshing.compareAndSet(false, true)) {
            read().onTermination().invoke(() -> refreshing.set(false))
                    .subscribe().with(ignored -> { }, failure -> LOG.debugf(failure, "search window start not refreshed"));
        }
        return Uni.createFrom().item(known.lastSeenAt());
    }

    private Uni<OffsetDateTime> read() {
        long readAt = System.nanoTime();
        return pool.preparedQuery(START).execute(Tuple.of(size - 1)).map(rows -> {
            OffsetDateTime start = rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime(0);
            current = new Start(start, readAt);
            return start;
        });
    }
}
