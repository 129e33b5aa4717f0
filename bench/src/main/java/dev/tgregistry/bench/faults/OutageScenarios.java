package dev.tgregistry.bench.faults;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The fault suite's infrastructure scenarios under a steady stream: SIGKILLs of either service, a rebalance to a
 * surviving instance, a Kafka outage and PostgreSQL outages. Each adds one row ({@link FaultRun}).
 */
final class OutageScenarios {

    static final int SECOND_USER_SERVICE_PORT = 8082;

    private final FaultRig rig;
    private final boolean quick;
    private final int rate;

    OutageScenarios(FaultRig rig, boolean quick, int rate) {
        this.rig = rig;
        this.quick = quick;
        this.rate = rate;
    }

    private FaultRun steadyRun(String name) {
        return new FaultRun(rig, name, 1, rate / 10, Math.max(1, rate / 50), 100);
    }

    private long beforeAndAfterMs() {
        return quick ? 5000 : 10_000;
    }

    void killUserService(int kills) throws Exception {
        try (FaultRun run = steadyRun("SIGKILL user-service mid-stream ×" + kills)) {
            for (int k = 1; k <= kills; k++) {
                Bench.sleep(beforeAndAfterMs());
                Stack.kill(rig.userService);
                rig.userService = rig.stack.startUserService();
                run.faultEnded(1);
                rig.stack.awaitReady(rig.userService, Duration.ofSeconds(300));
                run.notes.add(String.format(Locale.ROOT, "restart %d ready after %.1f s", k, (System.nanoTime() - run.faultEnd) / 1e9));
            }
            Bench.sleep(beforeAndAfterMs());
            run.finish();
        }
    }

    void killBotIngest() throws Exception {
        try (FaultRun run = new FaultRun(rig, "SIGKILL bot-ingest mid-request", 4, 200, 20, 50)) {
            Bench.sleep(quick ? 4000 : 8000);
            int inFlight = run.stream.inFlight();
            Stack.kill(rig.botIngest);
            rig.botIngest = rig.stack.startBotIngest();
            run.faultEnded(1);
            rig.stack.awaitReady(rig.botIngest, Duration.ofSeconds(300));
            run.notes.add(String.format(Locale.ROOT, "restart ready after %.1f s", (System.nanoTime() - run.faultEnd) / 1e9));
            run.notes.add(inFlight + " requests in flight at the kill, repeated by the senders");
            Bench.sleep(quick ? 4000 : 8000);
            run.finish();
        }
    }

    void rebalance() throws Exception {
        Stack.Service second = rig.stack.startUserService("user-service-2", SECOND_USER_SERVICE_PORT);
        rig.stack.awaitReady(second, Duration.ofSeconds(180));
        Bench.sleep(5000); // let the groups settle on two members
        try (FaultRun run = steadyRun("2 user-service instances, one SIGKILLed (rebalance)")) {
            Bench.sleep(beforeAndAfterMs());
            Stack.kill(second);
            run.faultEnded(FaultRig.PARTITIONS);
            run.notes.add("probes on all " + FaultRig.PARTITIONS + " partitions; the survivor is not restarted");
            Bench.sleep(quick ? 10_000 : 20_000);
            run.finish();
        }
    }

    void kafkaOutage(int seconds) throws Exception {
        try (FaultRun run = steadyRun("Kafka broker stopped " + seconds + " s")) {
            Bench.sleep(beforeAndAfterMs());
            rig.stack.stopKafkaProcess(false);
            String watched = watchFor(seconds, 2000);
            rig.stack.startKafkaProcess(rig.kafkaDir, rig.kafkaSettings);
            run.faultEnded(1);
            run.notes.add(watched);
            Bench.sleep(beforeAndAfterMs());
            run.finish();
        }
    }

    void postgresOutage(String name, long seconds) throws Exception {
        try (FaultRun run = steadyRun(name)) {
            Bench.sleep(beforeAndAfterMs());
            rig.stack.stopPostgres();
            String watched = watchFor(seconds, seconds > 60 ? 10_000 : 2000);
            rig.stack.startPostgres(rig.pgDir, Map.of());
            run.faultEnded(1);
            run.notes.add(watched);
            Bench.sleep(beforeAndAfterMs());
            run.finish();
        }
    }

    /** Samples the services every {@code everyMs} for {@code seconds} (the outage) and sums up what it saw. */
    private String watchFor(long seconds, long everyMs) {
        long stopped = System.nanoTime();
        ServiceWatch watch = new ServiceWatch();
        while (System.nanoTime() - stopped < seconds * 1_000_000_000L) {
            watch.sample();
            Bench.sleep(everyMs);
        }
        return watch.summary();
    }

    /** During an outage: user-service's liveness and its read API, and whether the processes are alive. */
    private final class ServiceWatch {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private int samples;
        private int liveDown;
        private int readFailed;
        private boolean died;

        void sample() {
            samples++;
            if (status(rig.userService.managementUrl() + "/q/health/live", false) != 200) {
                liveDown++;
            }
            if (status(rig.userService.baseUrl() + "/api/users?limit=1", true) != 200) {
                readFailed++;
            }
            died |= !rig.userService.process.isAlive() || !rig.botIngest.process.isAlive();
        }

        private int status(String url, boolean key) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (key) {
                b.header("Authorization", "Bearer " + Stack.API_KEY);
            }
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                return -1;
            }
        }

        String summary() {
            return String.format(Locale.ROOT, "during the outage user-service liveness not UP in %d of %d samples,"
                    + " GET /api/users failed in %d%s", liveDown, samples, readFailed, died ? "; a service process DIED" : "");
        }
    }
}
