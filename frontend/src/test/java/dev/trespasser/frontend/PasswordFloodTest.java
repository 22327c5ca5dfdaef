package dev.trespasser.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.frontend.v1.CancelMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchResponse;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.LoginResponse;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A login flood meets the bounded hashing pool: what does not fit in the pool and its queue is
 * refused at once, a logged-in player's FindMatch (real Redis, real om-core) keeps its latency,
 * and the heap stays bounded.
 */
class PasswordFloodTest {

    private static final int FLOOD = 50;
    /** Idle and flooded phases alternate, so drift on a shared machine hits both alike. */
    private static final int ROUNDS = 3;

    private static final int CALLS_PER_PHASE = 25;
    /** Each flooder sends a login every this many ms: 50 x 10/s = 500/s, ~15x what one hashing thread checks. */
    private static final long FLOOD_PAUSE_MILLIS = 100;

    private static final long MIB = 1024 * 1024;

    @Test
    void loginFloodBeyondTheQueueIsRefusedAtOnceAndFindMatchStillWorks() throws Exception {
        // One hashing thread, two queued; the costliest hash allowed (64 MiB, 10 passes, ~0.5 s) so
        // all 50 calls arrive before the first hash ends and the flood is still in progress while
        // the player queues.
        try (QueueStack stack = QueueStack.start(
                Map.of(),
                Map.of(
                        "FRONTEND_PASSWORD_HASH_THREADS", "1",
                        "FRONTEND_PASSWORD_HASH_QUEUE", "2",
                        "FRONTEND_ARGON2_MEMORY_KIB", "65536",
                        "FRONTEND_ARGON2_ITERATIONS", "10"))) {
            FrontendHarness frontend = stack.frontend();
            Session player = frontend.registerFresh();

            List<Status.Code> answers = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(FLOOD);
            FrontendServiceGrpc.FrontendServiceStub async =
                    FrontendServiceGrpc.newStub(frontend.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
            for (int i = 0; i < FLOOD; i++) {
                async.login(
                        LoginRequest.newBuilder()
                                .setUsername(
                                        "flood" + UUID.randomUUID().toString().substring(0, 8))
                                .setPassword("guess-" + i)
                                .build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(LoginResponse value) {}

                            @Override
                            public void onError(Throwable t) {
                                answers.add(Status.fromThrowable(t).getCode());
                                done.countDown();
                            }

                            @Override
                            public void onCompleted() {
                                answers.add(Status.Code.OK);
                                done.countDown();
                            }
                        });
            }

            FindMatchResponse queued = frontend.as(player)
                    .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build());
            assertFalse(queued.getTicketId().isEmpty());
            assertTrue(done.getCount() > 0, "the flood is still being hashed while FindMatch answers");

            assertTrue(done.await(60, TimeUnit.SECONDS), "every flooded call is answered");
            long refused = answers.stream()
                    .filter(c -> c == Status.Code.RESOURCE_EXHAUSTED)
                    .count();
            long checked = answers.stream()
                    .filter(c -> c == Status.Code.UNAUTHENTICATED)
                    .count();
            assertEquals(FLOOD, refused + checked, "only refusals and real checks: " + answers);
            assertEquals(3, checked, "the pool (1) and its queue (2) hashed, the rest was refused: " + answers);
            // Refused at once: every refusal arrived before the first hash finished.
            assertTrue(
                    answers.lastIndexOf(Status.Code.RESOURCE_EXHAUSTED) < answers.indexOf(Status.Code.UNAUTHENTICATED),
                    "refusals do not wait for the hashes: " + answers);
        }
    }

    /**
     * Issue 13 item 3's bar: 50 concurrent login floods (real Argon2id at the production cost and
     * pool, unknown names so every accepted call spends a real hash, real Redis) do not delay a
     * logged-in player's FindMatch (real om-core) beyond 2x its idle latency, median against
     * median over 75 calls each in alternating phases; and the heap after a full GC, during and
     * after the flood, stays within a generous margin of the one before (one running hash holds
     * 19 MiB; an unbounded pool would hold one per flooder). The flooders are paced (each 10
     * logins/s) so the test's own client threads do not take the cores the server is measured on.
     */
    @Test
    void fiftyLoginFloodsKeepFindMatchWithinTwiceItsIdleLatencyAndTheHeapBounded() throws Exception {
        // The per-address limit would stop each flooder at 2 logins/s; it is lifted (harness) so the
        // pool itself is what is tested. om-core replicates as open-match/om-core.yaml sets it, so
        // FindMatch waits on om-core no longer than in production.
        try (QueueStack stack = QueueStack.start(
                Map.of(
                        "OM_CACHE_OUT_WAIT_TIMEOUT_MS", "20",
                        "OM_CACHE_IN_WAIT_TIMEOUT_MS", "50",
                        "OM_CACHE_IN_SLEEP_BETWEEN_APPLYING_UPDATES_MS", "20"),
                Map.of(
                        "FRONTEND_PASSWORD_HASH_THREADS", "1",
                        "FRONTEND_PASSWORD_HASH_QUEUE", "8"))) {
            FrontendHarness frontend = stack.frontend();
            Session player = frontend.registerFresh();
            // A stub's deadline is absolute: each call takes a fresh one.
            Supplier<FrontendServiceGrpc.FrontendServiceBlockingStub> client = () -> frontend.as(player);
            for (int i = 0; i < 20; i++) {
                timedFindMatch(client);
            }
            long heapBefore = heapAfterGc();

            List<Long> idle = new ArrayList<>();
            List<Long> flooded = new ArrayList<>();
            long heapDuringFlood = 0;
            long refused = 0;
            double hashesBefore = hashes(frontend, "done");
            ManagedChannel floodChannel = NettyChannelBuilder.forAddress(
                            "127.0.0.1", frontend.server().port())
                    .usePlaintext()
                    .build();
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < CALLS_PER_PHASE; i++) {
                        idle.add(timedFindMatch(client));
                    }
                    try (LoginFlood flood = new LoginFlood(floodChannel)) {
                        flood.awaitSaturation();
                        for (int i = 0; i < CALLS_PER_PHASE; i++) {
                            flooded.add(timedFindMatch(client));
                        }
                        heapDuringFlood = Math.max(heapDuringFlood, heapAfterGc());
                        refused += flood.refused.get();
                        assertEquals(
                                0,
                                flood.unexpected.get(),
                                "flooded logins answer UNAUTHENTICATED or RESOURCE_EXHAUSTED only");
                    }
                }
            } finally {
                floodChannel.shutdownNow();
            }
            long heapAfter = heapAfterGc();
            double hashed = hashes(frontend, "done") - hashesBefore;

            double idleMedian = median(idle);
            double floodMedian = median(flooded);
            System.out.printf(
                    Locale.ROOT,
                    "FindMatch idle: median %.2f ms, p90 %.2f ms (%d calls); under %d login floods: "
                            + "median %.2f ms, p90 %.2f ms (%d calls); ratio %.2f; hashed %.0f, refused %d; "
                            + "heap after GC before %d MiB, during flood (max) %d MiB, after %d MiB%n",
                    idleMedian,
                    percentile(idle, 0.9),
                    idle.size(),
                    FLOOD,
                    floodMedian,
                    percentile(flooded, 0.9),
                    flooded.size(),
                    floodMedian / idleMedian,
                    hashed,
                    refused,
                    heapBefore / MIB,
                    heapDuringFlood / MIB,
                    heapAfter / MIB);

            assertTrue(
                    refused > 0 && hashed > 0,
                    "the flood saturated the pool: hashed " + hashed + ", refused " + refused);
            assertTrue(
                    floodMedian <= 2 * idleMedian,
                    String.format(
                            Locale.ROOT,
                            "FindMatch median under the flood %.2f ms exceeds 2x the idle median %.2f ms",
                            floodMedian,
                            idleMedian));
            assertTrue(
                    heapDuringFlood - heapBefore < 128 * MIB,
                    "heap during the flood grew from " + heapBefore / MIB + " MiB to " + heapDuringFlood / MIB
                            + " MiB");
            assertTrue(
                    heapAfter - heapBefore < 32 * MIB,
                    "heap after the flood grew from " + heapBefore / MIB + " MiB to " + heapAfter / MIB + " MiB");
        }
    }

    /** One FindMatch that creates and activates a real ticket, in ms; the cancel after it is not timed. */
    private static long timedFindMatch(Supplier<FrontendServiceGrpc.FrontendServiceBlockingStub> client) {
        FrontendServiceGrpc.FrontendServiceBlockingStub stub = client.get();
        long start = System.nanoTime();
        FindMatchResponse queued =
                stub.findMatch(FindMatchRequest.newBuilder().setRegion("eu").build());
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        assertFalse(queued.getAlreadyQueued(), "each timed call queues anew");
        client.get().cancelMatch(CancelMatchRequest.getDefaultInstance());
        return micros;
    }

    /** {@code FLOOD} threads, each sending a login for an unknown name every {@code FLOOD_PAUSE_MILLIS}. */
    private static final class LoginFlood implements AutoCloseable {
        final AtomicLong refused = new AtomicLong();
        final AtomicLong checked = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        LoginFlood(ManagedChannel channel) {
            for (int i = 0; i < FLOOD; i++) {
                Thread t = new Thread(() -> flood(channel), "login-flood-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void flood(ManagedChannel channel) {
            FrontendServiceGrpc.FrontendServiceBlockingStub stub = FrontendServiceGrpc.newBlockingStub(channel);
            while (running.get()) {
                try {
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                            .login(LoginRequest.newBuilder()
                                    .setUsername("flood"
                                            + UUID.randomUUID().toString().substring(0, 8))
                                    .setPassword("guess-password")
                                    .build());
                    unexpected.incrementAndGet();
                } catch (StatusRuntimeException e) {
                    switch (e.getStatus().getCode()) {
                        case RESOURCE_EXHAUSTED -> refused.incrementAndGet();
                        case UNAUTHENTICATED -> checked.incrementAndGet();
                        default -> unexpected.incrementAndGet();
                    }
                }
                try {
                    Thread.sleep(FLOOD_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The flood is on: the pool has checked logins and turned others away. */
        void awaitSaturation() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((refused.get() == 0 || checked.get() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(refused.get() > 0 && checked.get() > 0, "flood never saturated the pool");
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(40));
            }
        }
    }

    /** Heap in use right after a full collection: what the process really holds. */
    private static long heapAfterGc() {
        System.gc();
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static double hashes(FrontendHarness frontend, String result) {
        return frontend.registry().scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("trespasser_frontend_password_hashes"))
                .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
                .filter(p -> result.equals(p.getLabels().get("result")))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }

    private static double median(List<Long> micros) {
        return percentile(micros, 0.5);
    }

    /** In ms, nearest rank. */
    private static double percentile(List<Long> micros, double q) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, rank)) / 1000.0;
    }
}
