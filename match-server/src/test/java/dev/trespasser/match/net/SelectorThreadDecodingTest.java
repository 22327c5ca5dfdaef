package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.match.testing.TestRooms;
import dev.trespasser.proto.MetricNames;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/**
 * The edge reads, decodes and writes on one thread: no decoder thread runs, and many more reads
 * than the library's one pooled read buffer go through (the buffer goes back to the pool after
 * each, or the selector would block waiting for one).
 */
class SelectorThreadDecodingTest {

    @Test
    void framesAreDecodedOnTheSelectorThreadAndNoDecoderThreadRuns() throws Exception {
        TestKeys keys = new TestKeys();
        MatchServerMetrics metrics = new MatchServerMetrics();
        GameSocketServer server = new GameSocketServer(0, keys.verifier(), metrics, EdgeLimits.defaults());
        server.start();
        MatchRoom room = MatchRoom.open(
                TestRooms.allocation("m-one-thread", "1v1", "alice", "bob"),
                RoomConfig.defaults(),
                TestRooms.ignoringListener(),
                metrics);
        server.host(room, TestKeys.SERVER);
        BotClient alice = new BotClient(server.port(), 1);
        BotClient bob = new BotClient(server.port(), 2);
        try {
            alice.join(keys.token("alice", "m-one-thread"));
            bob.join(keys.token("bob", "m-one-thread"));
            double before = MetricValues.counter(metrics.registry(), MetricNames.MATCH_BYTES_RECEIVED);
            int snapshotsBefore = alice.snapshots();
            for (int i = 0; i < 150; i++) {
                alice.play();
                bob.play();
                Thread.sleep(16);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (MetricValues.counter(metrics.registry(), MetricNames.MATCH_BYTES_RECEIVED) - before < 250 * 4
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(
                    MetricValues.counter(metrics.registry(), MetricNames.MATCH_BYTES_RECEIVED) - before >= 250 * 4,
                    "the inputs of both players were read and decoded");
            assertTrue(alice.snapshots() > snapshotsBefore + 10, "snapshots kept coming");
            assertTrue(alice.lastException() == null && !alice.closed() && !bob.closed());
            assertTrue(
                    Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().startsWith("WebSocketWorker")),
                    "a decoder thread runs");
        } finally {
            alice.closeBlocking();
            bob.closeBlocking();
            room.close();
            server.close();
        }
    }

    @Test
    void theLibrarysReadBufferPoolIsWhereTheEdgeExpectsIt() {
        WebSocketServer library = new WebSocketServer() {
            @Override
            public void onOpen(
                    org.java_websocket.WebSocket conn, org.java_websocket.handshake.ClientHandshake handshake) {}

            @Override
            public void onClose(org.java_websocket.WebSocket conn, int code, String reason, boolean remote) {}

            @Override
            public void onMessage(org.java_websocket.WebSocket conn, String message) {}

            @Override
            public void onError(org.java_websocket.WebSocket conn, Exception ex) {}

            @Override
            public void onStart() {}
        };
        assertNotNull(GameSocketServer.libraryBufferPool(library));
    }
}
