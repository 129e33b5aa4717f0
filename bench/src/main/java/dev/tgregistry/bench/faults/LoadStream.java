package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.ingest.IngestClient;
import dev.tgregistry.bench.ingest.Updates;
import dev.tgregistry.bench.report.Ledger;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.RecordJson;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of Telegram updates and bot events for a fault scenario, sent the way a bot does: each request
 * is repeated until it gets a 202 (after {@code Retry-After} when bot-ingest sends one, else 0.5 s), for at most
 * {@link #GIVE_UP_MS}; what gets a 202 goes into the {@link Ledger}. Users {@code base .. base + pool - 1} are
 * seen again and again under constant names; every event has its own {@code event_id}.
 */
final class LoadStream implements AutoCloseable {

    static final long GIVE_UP_MS = 180_000;

    private final IngestClient ingest;
    private final Ledger ledger;
    private final Names names;
    private final long base;
    private final int pool;
    private final int updatesPerRequest;
    private final int eventsPerRequest;
    private final long pauseMs;
    private final String eventPrefix;
    private final List<Thread> senders = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong serviceUnavailable = new AtomicLong();
    private final AtomicLong withRetryAfter = new AtomicLong();
    private final AtomicLong noAnswer = new AtomicLong();
    private final AtomicLong otherStatus = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;

    /**
     * @param senders          concurrent senders, each sending a Telegram batch then an event batch, then pausing
     * @param pauseMs          pause of each sender after its two requests
     */
    LoadStream(IngestClient ingest, Ledger ledger, long base, int pool, int senders, int updatesPerRequest,
               int eventsPerRequest, long pauseMs, String eventPrefix) {
        this.ingest = ingest;
        this.ledger = ledger;
        this.names = new Names(base);
        this.base = base;
        this.pool = pool;
        this.updatesPerRequest = updatesPerRequest;
        this.eventsPerRequest = eventsPerRequest;
        this.pauseMs = pauseMs;
        this.eventPrefix = eventPrefix;
        List<Names.Person> people = new ArrayList<>(pool);
        for (int i = 0; i < pool; i++) {
            people.add(names.telegramUser());
        }
        for (int s = 0; s < senders; s++) {
            this.senders.add(Bench.daemons("bench-stream-" + s).newThread(() -> run(people)));
        }
    }

    void start() {
        senders.forEach(Thread::start);
    }

    private void run(List<Names.Person> people) {
        while (running) {
            long first = seq.getAndAdd(updatesPerRequest);
            long date = Instant.now().getEpochSecond();
            List<Long> users = new ArrayList<>(updatesPerRequest);
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < updatesPerRequest; i++) {
                int slot = (int) ((first + i) % pool);
                long user = base + slot;
                users.add(user);
                if (i > 0) {
                    sb.append(',');
                }
                Updates.message(sb, first + i + 1, user, people.get(slot), date, "/start");
            }
            sb.append(']');
            if (send(Poisons.TELEGRAM, sb.toString().getBytes(StandardCharsets.UTF_8), users.size())) {
                ledger.sightings(users, date);
            }
            if (eventsPerRequest > 0) {
                List<BotEvent> events = new ArrayList<>(eventsPerRequest);
                List<String> ids = new ArrayList<>(eventsPerRequest);
                for (int i = 0; i < eventsPerRequest; i++) {
                    String id = eventPrefix + "-" + (first + i);
                    ids.add(id);
                    events.add(new BotEvent(1, id, base + (first + i) % pool, "button_click",
                            RecordJson.MAPPER.createObjectNode().put("button", "price"), Instant.now(), null));
                }
                if (send(Poisons.EVENTS, RecordJson.write(events).getBytes(StandardCharsets.UTF_8), ids.size())) {
                    ledger.events(ids);
                }
            }
            if (pauseMs > 0) {
                Bench.sleep(pauseMs);
            }
        }
    }

    /** One request, repeated until 202 or {@link #GIVE_UP_MS}; a request that was started is finished even after stop. */
    private boolean send(String path, byte[] body, int records) {
        sent.addAndGet(records);
        long giveUp = System.currentTimeMillis() + GIVE_UP_MS;
        while (true) {
            inFlight.incrementAndGet();
            IngestClient.Answer a;
            try {
                a = ingest.post(path, body);
            } finally {
                inFlight.decrementAndGet();
            }
            if (a.accepted()) {
                return true;
            }
            long wait = 500;
            if (a.status() == 503) {
                serviceUnavailable.incrementAndGet();
                if (a.retryAfter() != null) {
                    withRetryAfter.incrementAndGet();
                    try {
                        wait = Math.min(5000, Math.max(100, Long.parseLong(a.retryAfter().trim()) * 1000));
                    } catch (NumberFormatException ignored) {
                        // an HTTP date: keep the default
                    }
                }
            } else if (a.status() < 0) {
                noAnswer.incrementAndGet();
            } else {
                otherStatus.incrementAndGet();
            }
            if (System.currentTimeMillis() + wait > giveUp) {
                gaveUp.addAndGet(records);
                return false;
            }
            retries.incrementAndGet();
            Bench.sleep(wait);
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    long sent() {
        return sent.get();
    }

    /** One line for the report's notes. */
    String summary() {
        return String.format("%d retried requests (503: %d, of which with Retry-After: %d; no answer: %d; other status: %d)%s",
                retries.get(), serviceUnavailable.get(), withRetryAfter.get(), noAnswer.get(), otherStatus.get(),
                gaveUp.get() > 0 ? "; " + gaveUp.get() + " records given up after " + GIVE_UP_MS / 1000 + " s" : "");
    }

    /** Stops sending new requests and waits for the requests under way (they keep retrying up to their limit). */
    @Override
    public void close() {
        running = false;
        senders.forEach(t -> Bench.join(t, GIVE_UP_MS + 30_000));
    }
}
