package dev.trespasser.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.bots.account.FrontendClient;
import dev.trespasser.bots.stats.RunStats;
import dev.trespasser.match.protocol.ClientMessageDecoder;
import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.game.v1.ChargeState;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.EventBatch;
import dev.trespasser.proto.game.v1.MapGeometry;
import dev.trespasser.proto.game.v1.MatchEnd;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.PlayerScore;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.RosterEntry;
import dev.trespasser.proto.game.v1.Scoreboard;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Snapshot;
import dev.trespasser.proto.game.v1.Team;
import dev.trespasser.proto.game.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scripted, misbehaving match server: garbage frames, text frames, snapshots against unknown
 * baselines, absurd positions and sequences, sound floods, an oversized frame. The bot must skip
 * what it cannot read, never send a frame the real edge would refuse, and still finish its match.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileServerTest {

    private final RunStats stats = new RunStats();
    private final RecordingListener listener = new RecordingListener();
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1);
    private final ManagedChannel unusedFrontend =
            NettyChannelBuilder.forTarget("127.0.0.1:1").usePlaintext().build();
    private final List<String> refusedClientFrames = new CopyOnWriteArrayList<>();
    private final AtomicInteger inputs = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private ScriptedServer server;

    @AfterEach
    void stop() throws Exception {
        ticker.shutdownNow();
        unusedFrontend.shutdownNow();
        if (server != null) {
            server.stop(1000);
        }
    }

    private Bot bot() {
        LoadConfig config = LoadConfig.defaults()
                .withMatchesPerBot(1)
                .withBehaviour(BotBehaviour.defaults()
                        .withDropAndReconnectChance(0)
                        .withReconnectAttempts(1)
                        .withReconnectDelay(Duration.ofMillis(100)));
        return new Bot(
                0,
                config,
                listener,
                stats,
                new FrontendClient(unusedFrontend, Clock.systemUTC(), () -> true),
                ticker,
                System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    }

    @Test
    void garbageFromTheServerIsSkippedAndTheMatchStillEnds() throws Exception {
        server = new ScriptedServer(false);
        server.start();
        assertTrue(server.started.await(5, TimeUnit.SECONDS));
        bot().play(assignment());

        assertEquals(
                List.of("welcome m-hostile red", "ended m-hostile"),
                listener.events("bot-0").stream()
                        .filter(e -> !e.startsWith("disconnected"))
                        .toList());
        MatchOutcome outcome = listener.outcomes.get("bot-0").get(0);
        assertEquals("red", outcome.winner().orElseThrow());
        assertEquals(7, outcome.kills());
        // Random bytes, a text frame, an empty frame, a snapshot against a baseline never sent.
        assertEquals(4, stats.malformedFrames.sum(), "skipped: " + stats.malformedFrames.sum());
        assertTrue(listener.errors.isEmpty(), listener.errors.toString());
        assertTrue(inputs.get() > 5, "kept playing through the garbage: " + inputs.get() + " inputs");
        assertEquals(List.of(), refusedClientFrames, "every frame the bot sent passes the real edge's decoder");
        assertEquals(0, stats.inputRoundTrip.count(), "a sequence the bot never sent gives no round trip");
    }

    @Test
    void anOversizedFrameClosesTheConnectionAndTheBotRejoins() throws Exception {
        server = new ScriptedServer(true);
        server.start();
        assertTrue(server.started.await(5, TimeUnit.SECONDS));
        bot().play(assignment());

        List<String> events = listener.events("bot-0");
        assertEquals("disconnected 1009", listener.of("bot-0", "disconnected").get(0), events.toString());
        assertEquals(List.of("reconnected same-slot"), listener.of("bot-0", "reconnected"), events.toString());
        assertEquals(1, listener.of("bot-0", "ended").size(), events.toString());
        assertEquals(2, connections.get());
    }

    private Assignment assignment() {
        return Assignment.newBuilder()
                .setHost("127.0.0.1")
                .setPort(server.getPort())
                .setToken("not-checked-here")
                .setMatchId("m-hostile")
                .build();
    }

    private final class ScriptedServer extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        private final boolean oversizedFirst;

        ScriptedServer(boolean oversizedFirst) {
            super(new InetSocketAddress("127.0.0.1", 0));
            this.oversizedFirst = oversizedFirst;
            setReuseAddr(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            connections.incrementAndGet();
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            refusedClientFrames.add("text: " + message);
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            ClientMessage m;
            try {
                ClientMessageDecoder.decode(message.duplicate());
                m = ClientMessage.parseFrom(message);
            } catch (FrameRejectedException | com.google.protobuf.InvalidProtocolBufferException e) {
                refusedClientFrames.add(e.toString());
                return;
            }
            if (m.hasInput()) {
                inputs.incrementAndGet();
            }
            if (m.hasJoin()) {
                new Thread(() -> script(conn), "hostile-script").start();
            }
        }

        private void script(WebSocket conn) {
            try {
                if (oversizedFirst && connections.get() == 1) {
                    send(conn, ServerMessage.newBuilder().setWelcome(welcome()));
                    Thread.sleep(200);
                    conn.send(new byte[300 * 1024]);
                    return;
                }
                SplittableRandom random = new SplittableRandom(3);
                byte[] junk = new byte[64];
                random.nextBytes(junk);
                junk[0] = (byte) 0xFF;
                conn.send(junk);
                conn.send("{\"welcome\": {}}");
                conn.send(new byte[0]);
                send(
                        conn,
                        ServerMessage.newBuilder()
                                .setSnapshot(Snapshot.newBuilder().setTick(50).setBaselineAge(7)));
                send(conn, ServerMessage.newBuilder().setWelcome(welcome()));
                for (int tick = 100; tick < 130; tick++) {
                    Snapshot.Builder s = Snapshot.newBuilder()
                            .setTick(tick)
                            .setBaselineAge(0)
                            .setPhase(MatchPhase.MATCH_PHASE_ACTIVE)
                            .setLastInputSequence(-5)
                            .addPlayers(PlayerState.newBuilder()
                                    .setSlot(3)
                                    .setX(Integer.MAX_VALUE)
                                    .setY(Integer.MIN_VALUE)
                                    .setFlags(-1)
                                    .setAim(Integer.MAX_VALUE))
                            .addPlayers(PlayerState.newBuilder()
                                    .setSlot(4)
                                    .setX(Integer.MIN_VALUE)
                                    .setY(7)
                                    .setFlags(1))
                            .addCharges(ChargeState.newBuilder()
                                    .setId(1)
                                    .setX(Integer.MAX_VALUE)
                                    .setY(0))
                            .addSlices(dev.trespasser.proto.game.v1.SliceState.newBuilder()
                                    .setIndex(-1)
                                    .setHp(-1));
                    send(conn, ServerMessage.newBuilder().setSnapshot(s));
                    EventBatch.Builder events = EventBatch.newBuilder().setTick(tick);
                    for (int i = 0; i < 2_000; i++) {
                        events.addSounds(random.nextInt());
                    }
                    send(conn, ServerMessage.newBuilder().setEvents(events));
                    Thread.sleep(30);
                }
                send(
                        conn,
                        ServerMessage.newBuilder()
                                .setScoreboard(Scoreboard.newBuilder()
                                        .addPlayers(PlayerScore.newBuilder()
                                                .setSlot(3)
                                                .setKills(7)
                                                .setDeaths(2))
                                        .setRedKills(7)
                                        .setBlueKills(1)));
                send(
                        conn,
                        ServerMessage.newBuilder()
                                .setMatchEnd(MatchEnd.newBuilder()
                                        .setWinner(Team.TEAM_RED)
                                        .setRedKills(7)
                                        .setBlueKills(1)));
                conn.close(4010, "match over");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The bot closed first: the test's assertions tell.
            }
        }

        private Welcome welcome() {
            return Welcome.newBuilder()
                    .setPlayerId("p")
                    .setSlot(3)
                    .setTeam(Team.TEAM_RED)
                    .setMapName("../../etc/passwd\nFAKE LOG LINE")
                    // Geometry the codec must refuse: a hostile name and a ragged wall list.
                    .setMap(MapGeometry.newBuilder()
                            .setFormat(1)
                            .setName("../../etc/passwd\nFAKE LOG LINE")
                            .setWidth(960)
                            .setHeight(540)
                            .setSliceLength(2)
                            .addAllWalls(Collections.nCopies(50_001, 7)))
                    .setPositionScale(0)
                    .setTickRateHz(60)
                    .setSnapshotRateHz(30)
                    .addRoster(RosterEntry.newBuilder().setSlot(3).setTeam(Team.TEAM_RED))
                    .addRoster(
                            RosterEntry.newBuilder().setSlot(Integer.MAX_VALUE).setTeam(Team.TEAM_BLUE))
                    .build();
        }

        private void send(WebSocket conn, ServerMessage.Builder m) {
            conn.send(m.build().toByteArray());
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

        @Override
        public void onError(WebSocket conn, Exception ex) {}

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
