package dev.trespasser.match.agones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.match.testing.TestRooms;
import dev.trespasser.peers.doubles.AgonesSdkDouble;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agones player tracking against the SDK test double's alpha service over real gRPC, with real
 * WebSocket players: joins and leaves reach the GameServer, and a failing or slow sidecar costs
 * the players nothing.
 */
class PlayerTrackingTest {

    private static final String MATCH = "m-tracking";

    private final TestKeys keys = new TestKeys();
    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private final List<BotClient> clients = new ArrayList<>();
    private AgonesSdkDouble sidecar;
    private AgonesSdk sdk;
    private PlayerTracker tracker;
    private GameSocketServer server;
    private MatchRoom room;

    @BeforeEach
    void start() throws Exception {
        sidecar = new AgonesSdkDouble().start();
        sdk = AgonesSdk.connect("127.0.0.1", sidecar.httpPort());
        tracker = new PlayerTracker(sdk, metrics);
        server = new GameSocketServer(0, keys.verifier(), metrics, EdgeLimits.defaults());
        server.start();
        room = MatchRoom.open(
                TestRooms.allocation(MATCH, "1v1", "alice", "bob"),
                RoomConfig.defaults(),
                new RoomListener() {
                    @Override
                    public void onRoundEnded(RoundResult result) {}

                    @Override
                    public void onPlayerConnected(String playerId) {
                        tracker.connected(playerId);
                    }

                    @Override
                    public void onPlayerDisconnected(String playerId) {
                        tracker.disconnected(playerId);
                    }

                    @Override
                    public void onRoomFinished() {}
                },
                metrics);
        server.host(room, TestKeys.SERVER);
    }

    @AfterEach
    void stop() throws Exception {
        for (BotClient c : clients) {
            c.closeBlocking();
        }
        room.close();
        server.close();
        tracker.close();
        sdk.close();
        sidecar.close();
    }

    @Test
    void joinsAndLeavesReachTheGameServer() throws Exception {
        BotClient alice = client(1);
        alice.join(keys.token("alice", MATCH));
        await(() -> sidecar.players.connected().equals(Set.of("alice")));
        client(2).join(keys.token("bob", MATCH));
        await(() -> sidecar.players.connected().equals(Set.of("alice", "bob")));

        // A reconnect takes over the slot: alice never left, so nothing is reported.
        BotClient aliceAgain = client(3);
        aliceAgain.join(keys.token("alice", MATCH));
        assertEquals(4013, alice.closeCode(5));
        aliceAgain.closeBlocking();
        await(() -> sidecar.players.connected().equals(Set.of("bob")));
        assertEquals(List.of("connect alice", "connect bob", "disconnect alice"), sidecar.players.calls);

        room.close();
        await(() -> sidecar.players.connected().isEmpty());
        assertEquals(
                0.0,
                MetricValues.counter(
                        metrics.registry(), "trespasser_match_player_tracking_failures", "call", "connect"));
    }

    @Test
    void aFailingSlowSidecarNeitherRefusesNorHoldsUpThePlayers() throws Exception {
        sidecar.players.delayMillis(1_500);
        sidecar.players.failWith(Status.UNAVAILABLE.withDescription("PlayerTracking feature gate is off"));
        BotClient alice = client(1);
        BotClient bob = client(2);
        long start = System.nanoTime();
        alice.join(keys.token("alice", MATCH));
        bob.join(keys.token("bob", MATCH));
        assertTrue(
                System.nanoTime() - start < Duration.ofMillis(1_500).toNanos(),
                "the joins did not wait for the sidecar");
        int tick = room.currentTick();
        int snapshots = alice.snapshots();
        for (int i = 0; i < 60; i++) {
            alice.play();
            bob.play();
            Thread.sleep(16);
        }
        assertTrue(room.currentTick() - tick >= 40, "the tick went on while the calls hung");
        assertTrue(alice.snapshots() - snapshots >= 15, "snapshots went on while the calls hung");
        await(() ->
                MetricValues.counter(metrics.registry(), "trespasser_match_player_tracking_failures", "call", "connect")
                        == 2.0);
        assertTrue(alice.isOpen() && bob.isOpen());
        assertTrue(sidecar.players.connected().isEmpty());
    }

    private BotClient client(long seed) {
        BotClient c = new BotClient(server.port(), seed);
        clients.add(c);
        return c;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(20);
        }
    }
}
