package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.match.testing.RawWebSocket;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.match.testing.TestRooms;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.ErrorReason;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.JoinRequest;
import dev.trespasser.proto.game.v1.Welcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real WebSocket clients misbehaving against a hosted match: each gets its documented close code
 * (4000 + ErrorReason) and the two honest players' match keeps ticking.
 */
class HostileClientTest {

    private static final String MATCH = "m-hostile";

    private final TestKeys keys = new TestKeys();
    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private final List<BotClient> clients = new ArrayList<>();
    private GameSocketServer server;
    private MatchRoom room;
    private ScheduledExecutorService driver;
    private BotClient alice;
    private BotClient bob;

    @BeforeEach
    void hostAMatchWithTwoHonestPlayers() throws Exception {
        server = new GameSocketServer(
                0, keys.verifier(), metrics, EdgeLimits.defaults().withJoinTimeout(Duration.ofMillis(500)));
        server.start();
        MatchSettings base = MatchSettings.defaults();
        MatchSettings.Flow f = base.flow();
        base = base.withFlow(new MatchSettings.Flow(
                4, 50, 600, false, 3, 1, f.endingMillis(), f.scoreboardSeconds(), f.reconnectSeconds(), 2, 2));
        room = MatchRoom.open(
                TestRooms.allocation(MATCH, "2v2", "alice", "bob", "mallory"),
                RoomConfig.defaults().withBaseSettings(base),
                TestRooms.ignoringListener(),
                metrics);
        server.host(room, TestKeys.SERVER);
        alice = client(1);
        bob = client(2);
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
        othersKeepPlaying();
    }

    @AfterEach
    void tearDown() throws Exception {
        driver.shutdownNow();
        for (BotClient c : clients) {
            c.closeBlocking();
        }
        room.close();
        server.close();
    }

    @Test
    void randomBytesAsFirstFrameAreMalformed() throws Exception {
        assertClosed(ErrorReason.ERROR_REASON_MALFORMED_FRAME, raw(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x7F, 0x01}));
    }

    @Test
    void randomBytesAfterJoiningAreMalformed() throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 5; i++) {
            BotClient mallory = joined();
            byte[] junk = new byte[40];
            random.nextBytes(junk);
            junk[0] = (byte) 0xFF;
            mallory.sendFrame(junk);
            assertEquals(4001, mallory.closeCode(5));
        }
        othersKeepPlaying();
    }

    @Test
    void truncatedProtobufIsMalformed() throws Exception {
        BotClient mallory = joined();
        byte[] input = ClientMessage.newBuilder()
                .setInput(InputCommand.newBuilder().setSequence(1000).setAim(999))
                .build()
                .toByteArray();
        mallory.sendFrame(Arrays.copyOf(input, input.length - 2));
        assertEquals(4001, mallory.closeCode(5));
        othersKeepPlaying();
    }

    @Test
    void oversizedFramesAreRefused() throws Exception {
        BotClient mallory = joined();
        mallory.sendFrame(new byte[2_000]);
        assertEquals(4001, mallory.closeCode(5), "above the decoder's bound");
        BotClient giant = client(9);
        giant.connectAndSend(new byte[100_000]);
        // The library closes with 1009 as soon as the header announces the size; the client is
        // still writing the rest, so it may see the reset (1006) before the close frame.
        int code = giant.closeCode(5);
        assertTrue(code == 1009 || code == 1006, "above the transport's bound: closed, got " + code);
        othersKeepPlaying();
    }

    @Test
    void textFramesAreRefused() throws Exception {
        BotClient mallory = client(3);
        mallory.connectBlocking(5, TimeUnit.SECONDS);
        mallory.send("{\"join\":{}}");
        assertEquals(4001, mallory.closeCode(5));
        othersKeepPlaying();
    }

    @Test
    void floodIsDroppedThenClosed() throws Exception {
        double before = rateLimited();
        BotClient mallory = joined();
        byte[] input = ClientMessage.newBuilder()
                .setInput(InputCommand.newBuilder().setSequence(1))
                .build()
                .toByteArray();
        try {
            for (int i = 0; i < 5_000; i++) {
                mallory.sendFrame(input);
            }
        } catch (WebsocketNotConnectedException closedMidFlood) {
            // the server closed it: what the test expects
        }
        // 4007 when the close frame got through; still writing when the server cut the socket,
        // the client may see the reset (1006) first.
        int code = mallory.closeCode(5);
        assertTrue(code == 4007 || code == 1006, "closed for flooding, got " + code);
        assertEquals(before + 1, rateLimited(), "counted as rate_limited");
        othersKeepPlaying();
    }

    @Test
    void badTokensAreRefusedWithTheirReason() throws Exception {
        assertClosed(ErrorReason.ERROR_REASON_BAD_TOKEN, join("not.a.jwt"));
        assertClosed(ErrorReason.ERROR_REASON_BAD_TOKEN, join(new TestKeys().token("mallory", MATCH)));
        assertClosed(
                ErrorReason.ERROR_REASON_TOKEN_EXPIRED,
                join(keys.token("mallory", MATCH, Instant.now().minusSeconds(60))));
        assertClosed(ErrorReason.ERROR_REASON_WRONG_MATCH, join(keys.token("mallory", "m-other")));
        assertClosed(ErrorReason.ERROR_REASON_NOT_ON_ROSTER, join(keys.token("eve", MATCH)));
        assertClosed(
                ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION,
                ClientMessage.newBuilder()
                        .setJoin(JoinRequest.newBuilder()
                                .setToken(keys.token("mallory", MATCH))
                                .setProtocolVersion(7))
                        .build()
                        .toByteArray());
        othersKeepPlaying();
    }

    @Test
    void firstFrameMustBeAJoin() throws Exception {
        assertClosed(
                ErrorReason.ERROR_REASON_JOIN_REQUIRED,
                ClientMessage.newBuilder()
                        .setInput(InputCommand.newBuilder().setSequence(1))
                        .build()
                        .toByteArray());
    }

    @Test
    void silentConnectionTimesOut() throws Exception {
        BotClient mallory = client(4);
        mallory.connectBlocking(5, TimeUnit.SECONDS);
        assertEquals(4008, mallory.closeCode(5));
        assertEquals(ErrorReason.ERROR_REASON_JOIN_TIMEOUT, mallory.error().getReason());
        othersKeepPlaying();
    }

    /**
     * Not hostile, but this is the set-up: a match in play, nothing waiting for a deadline. The
     * players' frames are read by the tick thread, so the edge thread sleeps; a newcomer's
     * deadline still wakes it in time.
     */
    @Test
    void aMatchInPlayLetsTheEdgeThreadSleepUntilSomethingHasADeadline() throws Exception {
        Thread.sleep(200);
        long before = server.edgeWakeups();
        int tickBefore = room.currentTick();
        Thread.sleep(3_000);
        long woken = server.edgeWakeups() - before;
        assertTrue(room.currentTick() - tickBefore > 60, "the match was in play");
        assertTrue(woken <= 5, "edge wake-ups in 3 s of play: " + woken + " (one per client frame would be hundreds)");
        silentConnectionTimesOut();
    }

    @Test
    void joinBetweenMatchesIsRefused() throws Exception {
        server.unhost();
        // After waiting the join timeout (500 ms here) for an allocation that never comes.
        assertClosed(ErrorReason.ERROR_REASON_NO_MATCH, join(keys.token("mallory", MATCH)));
        assertEquals(0, server.awaitingAllocationCount());
        server.host(room, TestKeys.SERVER);
    }

    @Test
    void aJoinThatArrivesBeforeItsAllocationWaitsForTheMatch() throws Exception {
        // The director publishes the assignment once the GameServer is Allocated; this process
        // hears of it through its SDK watch a moment later, so a quick player gets here first.
        server.unhost();
        BotClient mallory = client(7);
        CompletableFuture<Welcome> welcome = CompletableFuture.supplyAsync(() -> {
            try {
                return mallory.join(keys.token("mallory", MATCH));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (server.awaitingAllocationCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, server.awaitingAllocationCount(), "the join is held, not refused");
        server.host(room, TestKeys.SERVER);
        assertEquals("mallory", welcome.get(5, TimeUnit.SECONDS).getPlayerId());
        assertEquals(0, server.awaitingAllocationCount());
        othersKeepPlaying();
    }

    @Test
    void aSecondConnectionWithATokenInUseIsRefusedAndTheFirstKeepsItsSeat() throws Exception {
        String token = keys.token("mallory", MATCH);
        BotClient first = client(5);
        int slot = first.join(token).getSlot();
        BotClient sniffer = client(6);
        sniffer.connectAndSend(join(token));
        assertEquals(4016, sniffer.closeCode(5));
        assertEquals(ErrorReason.ERROR_REASON_TOKEN_IN_USE, sniffer.error().getReason());
        int before = first.snapshots();
        Thread.sleep(300);
        assertTrue(first.isOpen(), "the first connection keeps its seat");
        assertTrue(first.snapshots() > before, "and its snapshots");

        // A drop (the first socket closed) frees the token: the reconnect gets the same slot.
        first.closeBlocking();
        BotClient reconnect = client(7);
        assertEquals(slot, reconnect.join(token).getSlot());
        int after = reconnect.snapshots();
        Thread.sleep(300);
        assertTrue(reconnect.snapshots() > after, "the reconnected player gets snapshots");
        othersKeepPlaying();
    }

    @Test
    void aTokenForAnotherServerIsRefused() throws Exception {
        assertClosed(
                ErrorReason.ERROR_REASON_WRONG_SERVER,
                join(keys.token("mallory", MATCH, "gs-elsewhere", Instant.now().plusSeconds(600))));
        othersKeepPlaying();
    }

    @Test
    void pingFloodIsClosedLikeAnyFlood() throws Exception {
        double before = rateLimited();
        try (RawWebSocket mallory = RawWebSocket.connect(server.port())) {
            mallory.join(keys.token("mallory", MATCH));
            try {
                for (int i = 0; i < 5_000; i++) {
                    mallory.sendPing(new byte[125]);
                }
            } catch (java.io.IOException closedMidFlood) {
                // the server closed it: what the test expects
            }
            assertClosedForFlooding(mallory, before);
        }
        othersKeepPlaying();
    }

    @Test
    void pingFloodBeforeTheJoinIsClosedToo() throws Exception {
        double before = rateLimited();
        try (RawWebSocket mallory = RawWebSocket.connect(server.port())) {
            try {
                for (int i = 0; i < 5_000; i++) {
                    mallory.sendPing(new byte[125]);
                }
            } catch (java.io.IOException closedMidFlood) {
                // the server closed it: what the test expects
            }
            assertClosedForFlooding(mallory, before);
        }
        othersKeepPlaying();
    }

    /**
     * Closed as RATE_LIMITED (not left to the join timeout): 4007 when the close frame got through;
     * a flooder still writing when the server cuts its socket may see the reset first instead.
     */
    private void assertClosedForFlooding(RawWebSocket mallory, double rateLimitedBefore) throws Exception {
        int code = mallory.readUntilClose();
        assertTrue(code == 4007 || code == -1, "closed for flooding, got " + code);
        assertEquals(rateLimitedBefore + 1, rateLimited(), "counted as rate_limited");
    }

    private double rateLimited() {
        return MetricValues.counter(
                metrics.registry(), "trespasser_match_connections_refused", "reason", "rate_limited");
    }

    @Test
    void closingTheRoomTellsEveryoneTheServerIsShuttingDown() throws Exception {
        room.close();
        assertEquals(4011, alice.closeCode(5));
        assertEquals(4011, bob.closeCode(5));
    }

    private void othersKeepPlaying() throws Exception {
        int aliceBefore = alice.snapshots();
        int bobBefore = bob.snapshots();
        int tickBefore = room.currentTick();
        long hashBefore = room.sampledStateHash();
        Thread.sleep(1_100);
        assertTrue(alice.snapshots() > aliceBefore + 5, "alice keeps getting snapshots");
        assertTrue(bob.snapshots() > bobBefore + 5, "bob keeps getting snapshots");
        assertTrue(room.currentTick() > tickBefore + 30, "the match keeps ticking");
        assertNotEquals(hashBefore, room.sampledStateHash(), "the state moves on");
        assertTrue(alice.isOpen() && bob.isOpen());
    }

    private BotClient joined() throws Exception {
        BotClient c = client(7);
        c.join(keys.token("mallory", MATCH));
        return c;
    }

    private void assertClosed(ErrorReason reason, byte[] firstFrame) throws Exception {
        BotClient c = client(8);
        c.connectAndSend(firstFrame);
        assertEquals(4000 + reason.getNumber(), c.closeCode(5), "close code for " + reason);
        assertEquals(reason, c.error().getReason());
    }

    private static byte[] raw(byte[] bytes) {
        return bytes;
    }

    private static byte[] join(String token) {
        return ClientMessage.newBuilder()
                .setJoin(JoinRequest.newBuilder().setToken(token))
                .build()
                .toByteArray();
    }

    private BotClient client(long seed) {
        BotClient c = new BotClient(server.port(), seed);
        clients.add(c);
        return c;
    }
}
