package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.match.testing.TestRooms;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw TCP clients that never finish the WebSocket upgrade (silent, half a request, a byte at a
 * time, an endless request) are closed by the server within the handshake bound, while real
 * players join and play next to them.
 */
class HandshakeTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static final String MATCH = "m-handshake";
    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private final TestKeys keys = new TestKeys();
    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private final List<Socket> sockets = new ArrayList<>();
    private GameSocketServer server;
    private MatchRoom room;

    @BeforeEach
    void startServer() throws Exception {
        server = new GameSocketServer(
                0, keys.verifier(), metrics, EdgeLimits.defaults().withHandshakeTimeout(TIMEOUT));
        server.start();
        room = MatchRoom.open(
                TestRooms.allocation(MATCH, "1v1", "alice", "bob"),
                RoomConfig.defaults(),
                TestRooms.ignoringListener(),
                metrics);
        server.host(room, TestKeys.SERVER);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        room.close();
        server.close();
    }

    @Test
    void connectionsThatNeverUpgradeAreClosedInTimeWhilePlayersJoinAndPlay() throws Exception {
        long start = System.nanoTime();
        Socket silent = connect();
        Socket partial = connect();
        partial.getOutputStream().write(UPGRADE.substring(0, 40).getBytes(StandardCharsets.US_ASCII));
        Socket trickling = connect();
        // One byte every 100 ms: the full request would take over 15 s, far past the bound.
        CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> trickle(trickling, UPGRADE));

        BotClient alice = new BotClient(server.port(), 1);
        BotClient bob = new BotClient(server.port(), 2);
        try {
            alice.join(keys.token("alice", MATCH));
            bob.join(keys.token("bob", MATCH));
            for (Socket s : List.of(silent, partial, trickling)) {
                long closedAfter = awaitServerClose(s, start);
                assertTrue(
                        closedAfter >= TIMEOUT.toMillis() - 50, "not closed before the bound: " + closedAfter + " ms");
                assertTrue(closedAfter < TIMEOUT.toMillis() + 1_500, "closed within the bound: " + closedAfter + " ms");
            }
            trickle.get(5, TimeUnit.SECONDS);
            assertEquals(
                    3.0,
                    MetricValues.counter(
                            metrics.registry(), "trespasser_match_connections_refused", "reason", "handshake_timeout"));
            assertEquals(0, server.pendingHandshakeCount(), "nothing left waiting");

            // The players who joined alongside (and stayed past the bound) play on.
            int before = alice.snapshots();
            for (int i = 0; i < 60; i++) {
                alice.play();
                bob.play();
                Thread.sleep(16);
            }
            assertTrue(alice.snapshots() > before + 20, "alice still gets snapshots: " + (alice.snapshots() - before));
            assertTrue(alice.isOpen() && bob.isOpen(), "the upgraded connections are not touched by the bound");
            assertTrue(room.currentTick() > 60);
        } finally {
            alice.closeBlocking();
            bob.closeBlocking();
        }
    }

    @Test
    void anEndlessUpgradeRequestIsCutOffBeforeTheTimeout() throws Exception {
        Socket hoarder = connect();
        long start = System.nanoTime();
        OutputStream out = hoarder.getOutputStream();
        byte[] header = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try {
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 2_000; i++) {
                out.write(header);
            }
        } catch (SocketException closedWhileSending) {
            // The server hung up mid-request: expected.
        }
        long closedAfter = awaitServerClose(hoarder, start);
        assertTrue(closedAfter < TIMEOUT.toMillis(), "cut off by size, not by time: " + closedAfter + " ms");
        assertEquals(
                1.0,
                MetricValues.counter(
                        metrics.registry(), "trespasser_match_connections_refused", "reason", "handshake_too_large"));

        BotClient alice = new BotClient(server.port(), 1);
        try {
            assertEquals(0, alice.join(keys.token("alice", MATCH)).getSlot(), "a real player still joins");
        } finally {
            alice.closeBlocking();
        }
    }

    @Test
    void aNormalUpgradeIsNotAffectedByTheBound() throws Exception {
        Socket raw = connect();
        raw.getOutputStream().write(UPGRADE.getBytes(StandardCharsets.US_ASCII));
        String response = readHeaders(raw.getInputStream());
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        Thread.sleep(TIMEOUT.toMillis() + 300);
        assertEquals(0, server.pendingHandshakeCount());
        assertEquals(
                0.0,
                MetricValues.counter(
                        metrics.registry(), "trespasser_match_connections_refused", "reason", "handshake_timeout"));
        // Upgraded but never joined: the join timeout (5 s by default) applies, not the handshake bound.
        raw.setSoTimeout(200);
        assertThrowsTimeout(raw.getInputStream());
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        sockets.add(s);
        return s;
    }

    private static void trickle(Socket socket, String request) {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : request.getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException closedByServer) {
            // Expected once the bound passes.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Milliseconds from {@code start} until the server closed the socket (EOF or reset). */
    private static long awaitServerClose(Socket socket, long start) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // Nothing is expected before the close; skip whatever comes.
            }
        } catch (SocketException reset) {
            // A reset is a close too.
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the socket within 10 s", e);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static void assertThrowsTimeout(InputStream in) throws IOException {
        try {
            int b = in.read();
            throw new AssertionError("the upgraded connection was closed or sent data: " + b);
        } catch (SocketTimeoutException stillOpen) {
            // Open and quiet: as expected.
        }
    }
}
