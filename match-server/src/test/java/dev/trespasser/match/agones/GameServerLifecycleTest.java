package dev.trespasser.match.agones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.match.testing.TestRooms;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.doubles.AgonesSdkDouble;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle's decisions, driven by the SDK test double (peers' AgonesSdkDouble). */
class GameServerLifecycleTest {
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<MatchAllocation> hosted = new CopyOnWriteArrayList<>();
    private final List<Runnable> matchOverCallbacks = new CopyOnWriteArrayList<>();
    private final GameServerLifecycle.MatchHosting hosting = (serverName, allocation, matchOver) -> {
        hosted.add(allocation);
        matchOverCallbacks.add(matchOver);
        return () -> {};
    };
    private final HeldResults results = new HeldResults();

    /** Results the test publishes (completes) or leaves held. */
    private static final class HeldResults implements GameServerLifecycle.ResultDelivery {
        volatile CompletableFuture<Void> delivered = CompletableFuture.completedFuture(null);
        final AtomicInteger givenUp = new AtomicInteger();

        @Override
        public CompletableFuture<Void> delivered() {
            return delivered;
        }

        @Override
        public void giveUp() {
            givenUp.incrementAndGet();
            delivered.complete(null);
        }
    }

    private AgonesSdkDouble sidecar;
    private AgonesSdk sdk;
    private GameServerLifecycle lifecycle;

    /** A lifecycle on a fresh SDK test double, started (connected, Ready). */
    private void start(int maxMatches) throws Exception {
        sidecar = new AgonesSdkDouble().start();
        sdk = AgonesSdk.connect("127.0.0.1", sidecar.httpPort());
        lifecycle = new GameServerLifecycle(sdk, hosting, results, settings(maxMatches), scheduler);
        lifecycle.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (lifecycle != null) {
            lifecycle.close();
        }
        if (sdk != null) {
            sdk.close();
        }
        if (sidecar != null) {
            sidecar.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void becomesReadyAndPingsHealthWithinThePeriod() throws Exception {
        start(0);
        assertEquals("Ready", sidecar.state());
        awaitTrue(() -> sidecar.healthPings.get() >= 3, "three health pings at a 50 ms period");
    }

    @Test
    void readsTheRulesFromTheAnnotationInEitherJsonSpelling() throws Exception {
        start(0);
        // As protobuf JSON prints it (lowerCamelCase) and as proto field names (snake_case).
        sidecar.allocate(Map.of(
                GameServerMetadata.MATCH_ANNOTATION,
                "{\"matchId\":\"m-rules\",\"mapName\":\"depot\","
                        + "\"rules\":{\"kill_limit\":5,\"timeLimitSeconds\":90,\"friendlyFire\":true},"
                        + "\"roster\":[{\"playerId\":\"a\",\"team\":\"ROSTER_TEAM_RED\"}],\"fromANewerDirector\":1}"));
        awaitTrue(() -> hosted.size() == 1, "match m-rules hosted");
        var rules = hosted.get(0).getRules();
        assertEquals(5, rules.getKillLimit());
        assertEquals(90, rules.getTimeLimitSeconds());
        assertTrue(rules.getFriendlyFire());
    }

    @Test
    void refusesAnUnreadableAnnotationByGivingTheServerBackThenHostsTheNextAllocation() throws Exception {
        start(0);
        // An unknown team: a roster the match could not seat.
        sidecar.allocate(Map.of(
                GameServerMetadata.MATCH_ANNOTATION,
                "{\"matchId\":\"m-bad\",\"roster\":[{\"playerId\":\"a\",\"team\":\"ROSTER_TEAM_GREEN\"}]}"));
        awaitTrue(
                () -> lifecycle.matchesServed() == 1 && sidecar.state().equals("Ready"),
                "the server given back to the fleet");
        assertTrue(hosted.isEmpty(), "nothing hosted from an unreadable annotation");

        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "the next, readable allocation is hosted");
        assertEquals("m-1", hosted.get(0).getMatchId());
    }

    @Test
    void hostsTheAllocatedMatchThenReturnsToTheFleetForTheNextOne() throws Exception {
        start(0);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "match m-1 hosted");
        assertEquals("m-1", hosted.get(0).getMatchId());
        assertEquals(2, hosted.get(0).getRosterCount());

        matchOverCallbacks.get(0).run();
        awaitTrue(
                () -> lifecycle.matchesServed() == 1 && sidecar.state().equals("Ready"), "Ready again after the match");

        sidecar.allocate(annotations(allocation("m-2")));
        awaitTrue(() -> hosted.size() == 2, "the next allocation is hosted");
        assertEquals("m-2", hosted.get(1).getMatchId());
    }

    @Test
    void staleAllocationMetadataDoesNotRestartTheLastMatch() throws Exception {
        start(0);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "hosted");
        matchOverCallbacks.get(0).run();
        awaitTrue(() -> sidecar.state().equals("Ready"), "Ready again");
        // Allocated again without new metadata (annotations survive Ready()).
        sidecar.allocate(Map.of());
        Thread.sleep(200);
        assertEquals(1, hosted.size(), "the old match must not be hosted twice");
    }

    @Test
    void shutsDownAfterTheConfiguredNumberOfMatches() throws Exception {
        start(1);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "hosted");
        matchOverCallbacks.get(0).run();
        lifecycle.shutDown().get(5, TimeUnit.SECONDS);
        assertEquals("Shutdown", sidecar.state());
    }

    @Test
    void drainAbandonsTheCurrentMatchAndShutsDown() throws Exception {
        start(0);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "hosted");
        lifecycle.drain(false, Duration.ZERO, Duration.ofSeconds(1));
        assertTrue(lifecycle.shutDown().isDone());
        assertEquals("Shutdown", sidecar.state());
        assertEquals(0, results.givenUp.get(), "nothing was held");
    }

    @Test
    void staysOutOfTheFleetUntilTheMatchResultsArePublished() throws Exception {
        start(0);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "hosted");
        results.delivered = new CompletableFuture<>();
        matchOverCallbacks.get(0).run();
        awaitTrue(() -> lifecycle.matchesServed() == 1, "match over");
        Thread.sleep(300);
        assertEquals(
                "Allocated",
                sidecar.state(),
                "Ready before the results are out would let Agones stop the pod with them");
        results.delivered.complete(null);
        awaitTrue(() -> sidecar.state().equals("Ready"), "Ready once the results are published");
    }

    @Test
    void retiringWaitsForTheResultsToo() throws Exception {
        start(1);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "hosted");
        results.delivered = new CompletableFuture<>();
        matchOverCallbacks.get(0).run();
        Thread.sleep(300);
        assertEquals("Allocated", sidecar.state());
        results.delivered.complete(null);
        lifecycle.shutDown().get(5, TimeUnit.SECONDS);
        assertEquals("Shutdown", sidecar.state());
    }

    @Test
    void drainWaitsForHeldResultsWithinItsBoundThenGivesThemUpAndShutsDown() throws Exception {
        start(0);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "hosted");
        results.delivered = new CompletableFuture<>();
        matchOverCallbacks.get(0).run();
        awaitTrue(() -> lifecycle.matchesServed() == 1, "match over, results held");
        long started = System.nanoTime();
        lifecycle.drain(true, Duration.ofSeconds(5), Duration.ofMillis(400));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(
                tookMillis >= 350 && tookMillis < 3_000,
                "waited for the results within the bound: " + tookMillis + " ms");
        assertEquals(1, results.givenUp.get(), "what was never delivered is reported");
        assertTrue(lifecycle.shutDown().isDone());
        assertEquals("Shutdown", sidecar.state());
    }

    @Test
    void drainShutsDownAsSoonAsHeldResultsArePublished() throws Exception {
        start(0);
        sidecar.allocate(annotations(allocation("m-1")));
        awaitTrue(() -> hosted.size() == 1, "hosted");
        CompletableFuture<Void> held = new CompletableFuture<>();
        results.delivered = held;
        matchOverCallbacks.get(0).run();
        scheduler.schedule(() -> held.complete(null), 200, TimeUnit.MILLISECONDS);
        lifecycle.drain(true, Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertEquals(0, results.givenUp.get());
        assertEquals("Shutdown", sidecar.state());
    }

    @Test
    void unreachableSidecarFailsAfterTheConnectTimeout() {
        try (AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", FreePort.pick());
                GameServerLifecycle lifecycle = new GameServerLifecycle(
                        sdk,
                        hosting,
                        results,
                        new GameServerLifecycle.Settings(
                                Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(1), 0),
                        scheduler)) {
            assertThrows(GameServerLifecycle.SidecarUnreachableException.class, lifecycle::start);
            assertTrue(hosted.isEmpty());
        }
    }

    private static GameServerLifecycle.Settings settings(int maxMatches) {
        return new GameServerLifecycle.Settings(
                Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(5), maxMatches);
    }

    private static MatchAllocation allocation(String matchId) {
        return TestRooms.allocation(matchId, "1v1", "p1", "p2");
    }

    private static Map<String, String> annotations(MatchAllocation allocation) throws Exception {
        return Map.of(
                GameServerMetadata.MATCH_ANNOTATION,
                JsonFormat.printer().print(allocation),
                GameServerMetadata.MATCH_ID_ANNOTATION,
                allocation.getMatchId());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
