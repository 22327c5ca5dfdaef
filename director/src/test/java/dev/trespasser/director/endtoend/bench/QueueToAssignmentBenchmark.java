package dev.trespasser.director.endtoend.bench;

import dev.trespasser.director.endtoend.MatchmakingStack;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.PoolProbe;
import dev.trespasser.peers.OmCore;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.frontend.v1.WatchAssignmentRequest;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.CreateTicketRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 4 §5: queue → assignment latency through the whole matchmaking path (see
 * {@link MatchmakingStack}: real frontend, om-core, MMF, director with AgonesAllocator against
 * the allocation API stub). New guest players arrive at a fixed rate; each logs in, calls
 * FindMatch (4v4, eu or us) and watches its assignment. Latency is FindMatch sent → Assignment
 * received on WatchAssignment. Then, separately, om-core's own floor: CreateTicket +
 * ActivateTickets → the ticket first seen by an MMF invocation (a probe MMF invoked back to back).
 *
 * <p>System properties: {@code bench.rate} (players/s, 200), {@code bench.seconds} (60),
 * {@code bench.cycleMs} (the director's DIRECTOR_CYCLE_MS, 250 as its default), {@code bench.omCache}
 * ({@code tuned}: the documented recommendation, {@code fast}: peers' FAST_REPLICATION,
 * {@code default}: om-core's own values),
 * {@code bench.deactivationWait} (OM_MATCH_TICKET_DEACTIVATION_WAIT, false),
 * {@code bench.floorTickets} (300; 0 skips the floor), {@code bench.full} (true; false skips the full path);
 * {@code -Dom.OM_<NAME>=value} overrides one om-core setting.
 */
public final class QueueToAssignmentBenchmark {

    /** om-core v2.0.2's defaults, for comparison with peers.OmCore.FAST_REPLICATION. */
    static final Map<String, String> OM_CORE_DEFAULT_REPLICATION = Map.of(
            "OM_CACHE_OUT_WAIT_TIMEOUT_MS", "500",
            "OM_CACHE_IN_WAIT_TIMEOUT_MS", "1500",
            "OM_CACHE_IN_SLEEP_BETWEEN_APPLYING_UPDATES_MS", "500");

    /** The values docs/configuration.md recommends for matchmaking latency (see there for why). */
    static final Map<String, String> OM_CORE_TUNED_REPLICATION = Map.of(
            "OM_CACHE_OUT_WAIT_TIMEOUT_MS", "20",
            "OM_CACHE_IN_WAIT_TIMEOUT_MS", "50",
            "OM_CACHE_IN_SLEEP_BETWEEN_APPLYING_UPDATES_MS", "20");

    private QueueToAssignmentBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("bench.rate", 200);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int cycleMs = Integer.getInteger("bench.cycleMs", 250);
        int floorTickets = Integer.getInteger("bench.floorTickets", 300);
        boolean full = Boolean.parseBoolean(System.getProperty("bench.full", "true"));
        Map<String, String> omCore = new HashMap<>(
                switch (System.getProperty("bench.omCache", "tuned")) {
                    case "default" -> OM_CORE_DEFAULT_REPLICATION;
                    case "fast" -> OmCore.FAST_REPLICATION;
                    case "tuned" -> OM_CORE_TUNED_REPLICATION;
                    default -> throw new IllegalArgumentException("bench.omCache: tuned, fast or default");
                });
        // Any -Dom.OM_...=value overrides one om-core setting (tuning runs).
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("om.OM_"))
                .forEach(name -> omCore.put(name.substring(3), System.getProperty(name)));
        if (Boolean.getBoolean("bench.deactivationWait")) {
            omCore.put("OM_MATCH_TICKET_DEACTIVATION_WAIT", "true");
        }
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, %s %s, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                loadAverage());
        System.out.println("om-core settings: " + new java.util.TreeMap<>(omCore));
        if (full) {
            fullPath(rate, seconds, cycleMs, omCore);
        }
        if (floorTickets > 0) {
            omCoreFloor(floorTickets, omCore);
        }
        System.out.printf(Locale.ROOT, "load average at the end: %.2f%n", loadAverage());
        System.exit(0);
    }

    private static void fullPath(int rate, int seconds, int cycleMs, Map<String, String> omCore) throws Exception {
        Path keys = Files.createTempDirectory("bench-keys");
        try (MatchmakingStack stack = MatchmakingStack.start(keys, omCore, Map.of())) {
            stack.allocationApi().addReadyServers(rate * seconds / 8 + 100);
            var director = stack.startDirector(
                    Map.of("DIRECTOR_PROFILES", "4v4:eu,4v4:us", "DIRECTOR_CYCLE_MS", Integer.toString(cycleMs)));
            FrontendHarness frontend = stack.frontend();

            List<Long> queueToAssignment = new ArrayList<>();
            List<Long> steadyQueueToAssignment = new ArrayList<>();
            ConcurrentLinkedQueue<long[]> samples =
                    new ConcurrentLinkedQueue<>(); // {findMatchSentNanos, assignedNanos}
            ConcurrentLinkedQueue<Long> findMatchMicros = new ConcurrentLinkedQueue<>();
            Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
            AtomicInteger queued = new AtomicInteger();
            AtomicInteger assigned = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(128);
            ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor();
            AtomicBoolean arriving = new AtomicBoolean(true);
            long begin = System.nanoTime();
            long cpuBefore = ProcessHandle.current()
                    .info()
                    .totalCpuDuration()
                    .map(d -> d.toMillis())
                    .orElse(0L);
            ProcessHandle omCoreProcess =
                    ProcessHandle.of(stack.omCore().process().pid()).orElseThrow();
            long omCoreCpuBefore = omCoreProcess
                    .info()
                    .totalCpuDuration()
                    .map(d -> d.toMillis())
                    .orElse(0L);

            arrivals.scheduleAtFixedRate(
                    () -> {
                        if (!arriving.get()) {
                            return;
                        }
                        int n = started.getAndIncrement();
                        clients.execute(() -> {
                            try {
                                Session session = frontend.guest();
                                long sent = System.nanoTime();
                                frontend.as(session)
                                        .findMatch(FindMatchRequest.newBuilder()
                                                .setRegion(n % 2 == 0 ? "eu" : "us")
                                                .build());
                                findMatchMicros.add((System.nanoTime() - sent) / 1_000);
                                queued.incrementAndGet();
                                frontend.asyncAs(session)
                                        .watchAssignment(
                                                WatchAssignmentRequest.getDefaultInstance(), new StreamObserver<>() {
                                                    @Override
                                                    public void onNext(WatchAssignmentResponse response) {
                                                        if (response.hasAssignment()) {
                                                            samples.add(new long[] {sent, System.nanoTime()});
                                                            assigned.incrementAndGet();
                                                        }
                                                    }

                                                    @Override
                                                    public void onError(Throwable t) {
                                                        errors.computeIfAbsent(
                                                                        "watch "
                                                                                + Status.fromThrowable(t)
                                                                                        .getCode(),
                                                                        k -> new AtomicInteger())
                                                                .incrementAndGet();
                                                    }

                                                    @Override
                                                    public void onCompleted() {
                                                        // the assignment was the last message
                                                    }
                                                });
                            } catch (RuntimeException e) {
                                errors.computeIfAbsent(
                                                "queue "
                                                        + Status.fromThrowable(e)
                                                                .getCode(),
                                                k -> new AtomicInteger())
                                        .incrementAndGet();
                            }
                        });
                    },
                    0,
                    1_000_000_000L / rate,
                    TimeUnit.NANOSECONDS);

            long end = begin + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(10_000, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 1));
                System.out.printf(
                        Locale.ROOT,
                        "  t=%3ds started %6d queued %6d assigned %6d load %.2f%n",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin),
                        started.get(),
                        queued.get(),
                        assigned.get(),
                        loadAverage());
            }
            arriving.set(false);
            int queuedInWindow = queued.get();
            arrivals.shutdown();
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
            // Whatever cannot fill a match (up to 7 per region) stays queued; wait for the rest.
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (queued.get() - assigned.get() > 14 && System.nanoTime() < drainDeadline) {
                Thread.sleep(200);
            }
            long cpuMillis = ProcessHandle.current()
                            .info()
                            .totalCpuDuration()
                            .map(d -> d.toMillis())
                            .orElse(0L)
                    - cpuBefore;
            long omCoreCpuMillis = omCoreProcess
                            .info()
                            .totalCpuDuration()
                            .map(d -> d.toMillis())
                            .orElse(0L)
                    - omCoreCpuBefore;
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

            long steadyFrom = begin + TimeUnit.SECONDS.toNanos(Math.min(10, seconds / 3));
            for (long[] sample : samples) {
                long latencyMicros = (sample[1] - sample[0]) / 1_000;
                queueToAssignment.add(latencyMicros);
                if (sample[0] >= steadyFrom) {
                    steadyQueueToAssignment.add(latencyMicros);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nfull path: %d players/s offered for %d s, director cycle %d ms%n",
                    rate,
                    seconds,
                    cycleMs);
            System.out.printf(
                    Locale.ROOT,
                    "  players started %d, queued %d, assigned %d, still queued %d, errors %s%n",
                    started.get(),
                    queued.get(),
                    assigned.get(),
                    queued.get() - assigned.get(),
                    errors);
            System.out.printf(
                    Locale.ROOT,
                    "  queued within the %d s window %d (%.1f/s); matches placed %d, allocation requests %d%n",
                    seconds,
                    queuedInWindow,
                    queuedInWindow / (double) seconds,
                    stack.allocationApi().granted.size(),
                    stack.allocationApi().requests.size());
            System.out.println("  FindMatch call            " + percentiles(new ArrayList<>(findMatchMicros)));
            System.out.println("  queue -> assignment, all  " + percentiles(queueToAssignment));
            System.out.println("  queue -> assignment, after the first " + Math.min(10, seconds / 3) + " s  "
                    + percentiles(steadyQueueToAssignment));
            System.out.printf(
                    Locale.ROOT,
                    "  this JVM (frontend, director, MMF, clients) used %.1f CPU-seconds in %.1f s%n",
                    cpuMillis / 1000.0,
                    elapsedMs / 1000.0);
            System.out.printf(Locale.ROOT, "  om-core used %.1f CPU-seconds%n", omCoreCpuMillis / 1000.0);
            printDirectorStages(director.metricsPort());
        }
    }

    /** CreateTicket + ActivateTickets → first seen by an MMF invocation, with a probe MMF invoked back to back. */
    private static void omCoreFloor(int tickets, Map<String, String> settings) throws Exception {
        try (OmCore omCore = OmCore.start(MatchmakingStack.LOGS, settings);
                PoolProbe probe = new PoolProbe(omCore)) {
            Map<String, Long> firstSeen = new ConcurrentHashMap<>();
            probe.onSighting(seen -> {
                long now = System.nanoTime();
                for (Ticket ticket : seen) {
                    firstSeen.putIfAbsent(ticket.getId(), now);
                }
            });
            AtomicBoolean invoking = new AtomicBoolean(true);
            List<Thread> invokers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Thread invoker = new Thread(
                        () -> {
                            while (invoking.get()) {
                                probe.pool(GameMode.FOUR_V_FOUR, "floor");
                            }
                        },
                        "floor-invoker-" + i);
                invoker.start();
                invokers.add(invoker);
            }
            ManagedChannel channel = omCore.newChannel();
            var openMatch = OpenMatchServiceGrpc.newBlockingStub(channel);
            Map<String, Long> createdAt = new HashMap<>();
            for (int i = 0; i < tickets; i++) {
                long start = System.nanoTime();
                String id = openMatch
                        .createTicket(CreateTicketRequest.newBuilder()
                                .setTicket(TicketAttributes.newTicket(
                                        GameMode.FOUR_V_FOUR, "floor", 1500, List.of("floor-" + i)))
                                .build())
                        .getTicketId();
                openMatch.activateTickets(
                        ActivateTicketsRequest.newBuilder().addTicketIds(id).build());
                createdAt.put(id, start);
                Thread.sleep(50); // 20 tickets/s: the floor, not a load test
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (firstSeen.keySet().containsAll(createdAt.keySet()) == false && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            invoking.set(false);
            for (Thread invoker : invokers) {
                invoker.join(10_000);
            }
            channel.shutdownNow();
            List<Long> floor = new ArrayList<>();
            createdAt.forEach((id, start) -> {
                Long seen = firstSeen.get(id);
                if (seen != null) {
                    floor.add((seen - start) / 1_000);
                }
            });
            System.out.printf(
                    Locale.ROOT,
                    "%nom-core floor (CreateTicket+ActivateTickets -> first seen by an MMF), %d tickets at 20/s, %d seen%n",
                    tickets,
                    floor.size());
            System.out.println("  " + percentiles(floor));
        }
    }

    /** Mean cycle and allocation times from the director's own /metrics, to see where the wait goes. */
    private static void printDirectorStages(int metricsPort) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        for (String metric : List.of("trespasser_director_cycle_seconds", "trespasser_director_allocation_seconds")) {
            double sum = 0;
            double count = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(metric + "_sum")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith(metric + "_count")) {
                    count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "  director %s: %.0f observations, mean %.0f ms%n",
                    metric,
                    count,
                    count == 0 ? 0 : sum / count * 1000);
        }
    }

    private static String percentiles(List<Long> micros) {
        if (micros.isEmpty()) {
            return "n=0";
        }
        List<Long> sorted = new ArrayList<>(micros);
        sorted.sort(null);
        return String.format(
                Locale.ROOT,
                "n=%d  p50 %s  p95 %s  p99 %s  max %s",
                sorted.size(),
                ms(rank(sorted, 0.50)),
                ms(rank(sorted, 0.95)),
                ms(rank(sorted, 0.99)),
                ms(sorted.get(sorted.size() - 1)));
    }

    /** Nearest-rank percentile. */
    private static long rank(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.0f ms", micros / 1000.0);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
