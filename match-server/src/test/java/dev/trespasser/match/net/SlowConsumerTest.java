package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.match.testing.RawWebSocket;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.match.testing.TestRooms;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A player that joins and then stops reading (a raw socket: the server's send buffer fills) is
 * closed as a slow consumer within the documented bound, while the tick and the other players'
 * snapshots go on at their rate.
 */
class SlowConsumerTest {

    private static final String MATCH = "m-slow";
    /**
     * The defaults scaled down so the test takes seconds: with them (16 KiB kernel buffer, 16 KiB
     * queued, 3 s) a stalled player is closed about 30 s after it stops reading, as measured.
     */
    private static final EdgeLimits LIMITS =
            EdgeLimits.defaults().withBacklog(4 * 1024, 64 * 1024, Duration.ofSeconds(1), 4 * 1024);

    private final TestKeys keys = new TestKeys();
    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private GameSocketServer server;
    private MatchRoom room;
    private ScheduledExecutorService driver;
    private BotClient alice;
    private BotClient bob;

    @BeforeEach
    void hostAMatchWithTwoHonestPlayers() throws Exception {
        server = new GameSocketServer(0, keys.verifier(), metrics, LIMITS);
        server.start();
        room = MatchRoom.open(
                TestRooms.allocation(MATCH, "2v2", "alice", "bob", "mallory"),
                RoomConfig.defaults(),
                TestRooms.ignoringListener(),
                metrics);
        server.host(room, TestKeys.SERVER);
        alice = new BotClient(server.port(), 1);
        bob = new BotClient(server.port(), 2);
        alice.join(keys.token("alice", MATCH));
        bob.join(keys.token("bob", MATCH));
        driver = Executors.newSingleThreadScheduledExecutor();
        driver.scheduleAtFixedRate(
                () -> {
                    alice.play();
                    bob.play();
                },
                0,
                16,
                TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        driver.shutdownNow();
        alice.closeBlocking();
        bob.closeBlocking();
        room.close();
        server.close();
    }

    @Test
    void aPlayerWhoStopsReadingIsClosedAsASlowConsumerWithoutHoldingUpTheOthers() throws Exception {
        try (RawWebSocket mallory = RawWebSocket.connect(server.port())) {
            mallory.join(keys.token("mallory", MATCH));
            long stalledAt = System.nanoTime();
            int tickAtStall = room.currentTick();
            int aliceAtStall = alice.snapshots();
            int bobAtStall = bob.snapshots();

            // Mallory reads nothing from here on. Watch the others second by second meanwhile: a send
            // that blocked on mallory would stall the tick thread, and with it everyone's snapshots.
            // (The margins allow for a shared 2-core machine; a blocked tick would show ~0.)
            int lastTick = tickAtStall;
            int lastAlice = aliceAtStall;
            int lastBob = bobAtStall;
            while (slowConsumersClosed() == 0) {
                assertTrue(System.nanoTime() - stalledAt < TimeUnit.SECONDS.toNanos(60), "not closed within 60 s");
                Thread.sleep(1_000);
                int tick = room.currentTick();
                int a = alice.snapshots();
                int b = bob.snapshots();
                assertTrue(tick - lastTick >= 40, "the tick keeps its 60 Hz: " + (tick - lastTick) + " in a second");
                assertTrue(
                        a - lastAlice >= 15 && b - lastBob >= 15,
                        "the others keep their snapshots: " + (a - lastAlice) + ", " + (b - lastBob) + " in a second");
                lastTick = tick;
                lastAlice = a;
                lastBob = b;
            }
            long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);
            System.out.printf(
                    "slow consumer closed %d ms after it stopped reading; %d snapshots dropped%n",
                    closedAfterMillis,
                    (long) MetricValues.counter(metrics.registry(), "trespasser_match_snapshots_dropped"));
            assertTrue(
                    MetricValues.counter(metrics.registry(), "trespasser_match_snapshots_dropped") > 0,
                    "snapshots were dropped while it was backed up, before the close");
            assertTrue(
                    closedAfterMillis >= LIMITS.backlogGrace().toMillis(),
                    "not closed before the backlog outlasted the grace");
            int ticks = room.currentTick() - tickAtStall;
            assertTrue(
                    ticks >= closedAfterMillis * 60 / 1000 * 9 / 10,
                    ticks + " ticks in " + closedAfterMillis + " ms: the tick was held up");

            // Reading again, mallory finds what was queued, then the close frame with the reason.
            assertEquals(4009, mallory.readUntilClose());
        }
        assertTrue(alice.isOpen() && bob.isOpen());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connectionCount() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(2, server.connectionCount(), "the slow consumer's connection is released");
    }

    private double slowConsumersClosed() {
        return MetricValues.counter(
                metrics.registry(), "trespasser_match_connections_refused", "reason", "slow_consumer");
    }
}
