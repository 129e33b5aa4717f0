package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts prepared request bodies to bot-ingest with {@code senders} concurrent senders, each taking the next body
 * as soon as its previous one was answered; a body not answered 202 is retried (up to 5 attempts, 200 ms × attempt
 * apart). Runs in the background; {@link #done()} says when every body was answered.
 */
final class BodySender {
    /** One body and the route it goes to. */
    record Request(String path, byte[] body) {
    }

    private final ExecutorService pool;
    private final List<Future<?>> futures = new java.util.ArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final long startNanos;
    private volatile long finishedNanos = -1;

    private BodySender(IngestClient ingest, List<Request> requests, int senders) {
        pool = Executors.newFixedThreadPool(senders);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger running = new AtomicInteger(senders);
        startNanos = System.nanoTime();
        for (int i = 0; i < senders; i++) {
            futures.add(pool.submit(() -> {
                int k;
                while ((k = next.getAndIncrement()) < requests.size()) {
                    Request r = requests.get(k);
                    for (int attempt = 1; ; attempt++) {
                        if (ingest.status(r.path(), r.body()) == 202) {
                            break;
                        }
                        if (attempt == 5) {
                            failures.incrementAndGet();
                            break;
                        }
                        retries.incrementAndGet();
                        Bench.sleep(200L * attempt);
                    }
                }
                if (running.decrementAndGet() == 0) {
                    finishedNanos = System.nanoTime();
                }
                return null;
            }));
        }
        pool.shutdown();
    }

    static BodySender start(IngestClient ingest, List<Request> requests, int senders) {
        return new BodySender(ingest, requests, senders);
    }

    boolean done() {
        return finishedNanos > 0;
    }

    void await() throws Exception {
        for (Future<?> f : futures) {
            f.get();
        }
    }

    long startNanos() {
        return startNanos;
    }

    long finishedNanos() {
        return finishedNanos;
    }

    long failures() {
        return failures.get();
    }

    long retries() {
        return retries.get();
    }
}
