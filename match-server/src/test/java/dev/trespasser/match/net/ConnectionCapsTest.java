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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle TCP connections against a hosted match: past the cap per address (before the join) or in
 * total, a connection is reset at once and counted; the players' sockets are not touched, and a
 * joined player stops counting against their address.
 */
class ConnectionCapsTest {

    private static final String MATCH = "m-caps";
    private static final int PER_ADDRESS = 4;
    private static final int TOTAL = 8;

    private final TestKeys keys = new TestKeys();
    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<BotClient> players = new ArrayList<>();
    private GameSocketServer server;
    private MatchRoom room;

    @BeforeEach
    void startServer() throws Exception {
        server = new GameSocketServer(
                0, keys.verifier(), metrics, EdgeLimits.defaults().withConnectionCaps(PER_ADDRESS, TOTAL));
        server.start();
        room = MatchRoom.open(
                TestRooms.allocation(MATCH, "1v1", "alice", "bob"),
                RoomConfig.defaults(),
                TestRooms.ignoringListener(),
                metrics);
        server.host(room, TestKeys.SERVER);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (BotClient p : players) {
            p.closeBlocking();
        }
        room.close();
        server.close();
    }

    @Test
    void connectionsPastThePerAddressCapAreResetAndCounted() throws Exception {
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertHeldOpen(connect("127.0.0.1"));
        }
        assertRefused("127.0.0.1");
        assertEquals(1.0, refused("too_many_from_address"));
        Socket fromElsewhere = connect("127.0.0.2");
        assertHeldOpen(fromElsewhere);

        sockets.get(0).close();
        await(() -> server.openSocketCount() == PER_ADDRESS);
        assertHeldOpen(connect("127.0.0.1"));
    }

    @Test
    void aJoinedPlayerNoLongerCountsAgainstTheirAddress() throws Exception {
        BotClient alice = player(1);
        alice.join(keys.token("alice", MATCH));
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertHeldOpen(connect("127.0.0.1"));
        }
        assertRefused("127.0.0.1");
        assertTrue(alice.isOpen(), "the cap never touches a joined player");

        // One idle socket gone, bob (from the same address) gets in, and the match starts for both.
        sockets.get(0).close();
        await(() -> server.openSocketCount() == PER_ADDRESS);
        BotClient bob = player(2);
        bob.join(keys.token("bob", MATCH));
        await(() -> {
            alice.play();
            bob.play();
            return alice.snapshots() > 5 && bob.snapshots() > 5;
        });
    }

    @Test
    void theTotalCapCountsEveryAddressAndJoinedPlayers() throws Exception {
        BotClient alice = player(1);
        alice.join(keys.token("alice", MATCH));
        // Alice's socket counts: TOTAL - 1 more fit, one from each address.
        for (int i = 0; i < TOTAL - 1; i++) {
            assertHeldOpen(connect("127.0.0." + (10 + i)));
        }
        assertRefused("127.0.0.100");
        assertEquals(1.0, refused("too_many_connections"));
        assertEquals(TOTAL, server.openSocketCount());
        assertTrue(alice.isOpen());
    }

    @Test
    void refusedAndClosedConnectionsLeaveNothingBehind() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<Socket> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                try {
                    batch.add(connect("127.0.0.1"));
                } catch (SocketException resetWhileConnecting) {
                    // over the cap: reset before the connect returned
                }
            }
            for (Socket s : batch) {
                s.close();
            }
        }
        await(() -> server.openSocketCount() == 0 && server.pendingHandshakeCount() == 0);
        BotClient bob = player(2);
        assertEquals("bob", bob.join(keys.token("bob", MATCH)).getPlayerId());
    }

    private double refused(String reason) {
        return MetricValues.counter(metrics.registry(), "trespasser_match_connections_refused", "reason", reason);
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
        return socket;
    }

    /** Accepted: the server waits for the upgrade (5 s by default) and sends nothing meanwhile. */
    private static void assertHeldOpen(Socket socket) throws IOException {
        socket.setSoTimeout(300);
        try {
            int read = socket.getInputStream().read();
            throw new AssertionError("an accepted connection got " + read + " from the server");
        } catch (SocketTimeoutException expected) {
            // still open
        }
    }

    /** Refused: reset by the server right after the accept, which may already fail the connect. */
    private void assertRefused(String from) throws IOException {
        Socket socket;
        try {
            socket = connect(from);
        } catch (SocketException resetWhileConnecting) {
            return;
        }
        assertReset(socket);
    }

    /** Reset (or at least closed) by the server. */
    private static void assertReset(Socket socket) throws IOException {
        socket.setSoTimeout(2_000);
        try {
            assertEquals(-1, socket.getInputStream().read(), "closed by the server");
        } catch (SocketException reset) {
            // reset: what SO_LINGER 0 sends
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("a connection over the cap was left open");
        }
    }

    private BotClient player(long seed) {
        BotClient p = new BotClient(server.port(), seed);
        players.add(p);
        return p;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 5 s");
            Thread.sleep(10);
        }
    }
}
