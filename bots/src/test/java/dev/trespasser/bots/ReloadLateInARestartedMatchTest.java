package dev.trespasser.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.director.DirectorConfig;
import dev.trespasser.director.assignments.AssignmentPublisher;
import dev.trespasser.director.assignments.AssignmentPublisher.TicketAssignment;
import dev.trespasser.director.tokens.JoinTokenSigner;
import dev.trespasser.director.tokens.SigningKeys;
import dev.trespasser.frontend.assignments.AssignmentStore;
import dev.trespasser.frontend.queue.Matchmaking;
import dev.trespasser.frontend.queue.QueueEntry;
import dev.trespasser.frontend.queue.QueueStore;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.net.JoinTokenVerifier;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.peers.doubles.MutableClock;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.JoinRequest;
import dev.trespasser.proto.game.v1.RestartVote;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Welcome;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * A player reloads the page 25 minutes into a restarted match: the frontend still knows which
 * assignment it delivered, the director's assignment key still holds their join token, and the
 * match server still accepts that token and gives back their slot. The pieces are the real ones
 * (director's signer and publisher with the director's default rules, the frontend's stores, the
 * match server's edge and room) on one real Redis; the 25 minutes pass on a fake clock for the
 * token check and, for Redis, by taking 25 minutes off every key's TTL, which is all the passing
 * of time does to keys.
 */
class ReloadLateInARestartedMatchTest {

    private static final String MATCH = "m-late";
    private static final String SERVER = "gs-late";
    private static final Duration RELOAD_AT = Duration.ofMinutes(25);

    @TempDir
    Path dir;

    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private RedisServer redisServer;
    private JedisPooled redis;
    private GameSocketServer edge;
    private MatchRoom room;

    @AfterEach
    void stop() {
        if (room != null) {
            room.close();
        }
        if (edge != null) {
            edge.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (redisServer != null) {
            redisServer.close();
        }
    }

    @Test
    void aReloadAtMinute25OfARestartedMatchFetchesTheAssignmentAndRejoins() throws Exception {
        redisServer = RedisServer.start(dir);
        redis = new JedisPooled(redisServer.host(), redisServer.port());
        Instant allocatedAt = Instant.now();
        MutableClock clock = new MutableClock(allocatedAt);

        // The match server, its token clock on the fake one; rounds short and fast in wall time.
        KeyPair keys = SigningKeys.generate();
        edge = new GameSocketServer(
                0,
                new JoinTokenVerifier(
                        JoinTokenVerifier.publicKeyFromPem(SigningKeys.publicKeyPem(keys.getPublic())), clock),
                metrics,
                EdgeLimits.defaults());
        edge.start();
        CountDownLatch restarted = new CountDownLatch(1);
        room = MatchRoom.open(
                allocation(),
                RoomConfig.defaults().withBaseSettings(quickRounds()).withTimeScale(5),
                new RoomListener() {
                    @Override
                    public void onRoundEnded(RoundResult result) {
                        if (result.restarting()) {
                            restarted.countDown();
                        }
                    }

                    @Override
                    public void onRoomFinished() {}
                },
                metrics);
        edge.host(room, SERVER);

        // The director, with its default rules (10-minute rounds, at most 5 of them).
        Duration lifetime =
                DirectorConfig.fromEnv(Map.of("JOIN_TOKEN_DEV_KEYS", "true")).matchLifetime();
        JoinTokenSigner signer = new JoinTokenSigner(keys.getPrivate(), lifetime);
        new AssignmentPublisher(redis, lifetime)
                .publish(
                        MATCH,
                        "127.0.0.1",
                        edge.port(),
                        List.of(
                                new TicketAssignment(
                                        "t-alice", Map.of("alice", signer.sign("alice", MATCH, SERVER, allocatedAt))),
                                new TicketAssignment(
                                        "t-bob", Map.of("bob", signer.sign("bob", MATCH, SERVER, allocatedAt)))));

        // The frontend delivers each player's assignment.
        QueueStore queue = new QueueStore(redis, Duration.ofMinutes(10), Clock.systemUTC());
        AssignmentStore assignments = new AssignmentStore(redis);
        queue.delivered(queued("alice", "t-alice"), "t-alice", Matchmaking.DELIVERED_MEMORY);
        queue.delivered(queued("bob", "t-bob"), "t-bob", Matchmaking.DELIVERED_MEMORY);

        Player alice = new Player(edge.port());
        Player bob = new Player(edge.port());
        int aliceSlot =
                alice.join(fetch(queue, assignments, "alice").getToken()).getSlot();
        bob.join(fetch(queue, assignments, "bob").getToken());
        assertTrue(restarted.await(30, TimeUnit.SECONDS), "both voted: the match restarted");

        clock.advance(RELOAD_AT);
        advanceRedis(RELOAD_AT);

        alice.closeBlocking(); // the page reload drops the socket
        Assignment again = fetch(queue, assignments, "alice");
        Player reloaded = new Player(edge.port());
        assertEquals(aliceSlot, reloaded.join(again.getToken()).getSlot(), "back in her slot");
        int snapshots = reloaded.snapshots.get();
        Thread.sleep(500);
        assertTrue(reloaded.snapshots.get() > snapshots, "and playing again");
        reloaded.closeBlocking();
        bob.closeBlocking();
    }

    /** What the frontend's assignment watch does for a reconnecting page (AssignmentWatch). */
    private static Assignment fetch(QueueStore queue, AssignmentStore assignments, String player) {
        Optional<String> ticket = queue.deliveredTicket(player);
        assertTrue(ticket.isPresent(), "the frontend still remembers " + player + "'s delivered assignment");
        Optional<Assignment> assignment = assignments.find(ticket.get(), player);
        assertTrue(assignment.isPresent(), "the director's assignment key for " + player + " is still there");
        return assignment.get();
    }

    /** Time passing, as far as Redis keys are concerned: every TTL is that much shorter, or over. */
    private void advanceRedis(Duration by) {
        for (String key : redis.keys("*")) {
            long left = redis.pttl(key);
            if (left < 0) {
                continue;
            }
            if (left <= by.toMillis()) {
                redis.del(key);
            } else {
                redis.pexpire(key, left - by.toMillis());
            }
        }
    }

    private static MatchAllocation allocation() {
        return MatchAllocation.newBuilder()
                .setMatchId(MATCH)
                .setMode("1v1")
                .setMapName("depot")
                .setRules(MatchRules.newBuilder().setKillLimit(50).setTimeLimitSeconds(10))
                .addRoster(RosterPlayer.newBuilder().setPlayerId("alice").setTeam(RosterTeam.ROSTER_TEAM_RED))
                .addRoster(RosterPlayer.newBuilder().setPlayerId("bob").setTeam(RosterTeam.ROSTER_TEAM_BLUE))
                .build();
    }

    /** No warmup or ending, a 1 s scoreboard: a round is its time limit (2 s of wall time at 5x). */
    private static MatchSettings quickRounds() {
        return MatchSettings.defaults().withFlow(new MatchSettings.Flow(4, 50, 600, false, 20, 0, 0, 1, 60, 2, 2));
    }

    /** A page's game socket: joins, counts snapshots, votes on its first scoreboard. */
    private static final class Player extends WebSocketClient {
        private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
        private final AtomicInteger snapshots = new AtomicInteger();
        private boolean voted;

        Player(int port) {
            super(URI.create("ws://127.0.0.1:" + port + "/"));
        }

        Welcome join(String token) throws Exception {
            assertTrue(connectBlocking(5, TimeUnit.SECONDS));
            send(ClientMessage.newBuilder()
                    .setJoin(JoinRequest.newBuilder().setToken(token))
                    .build()
                    .toByteArray());
            return welcome.get(5, TimeUnit.SECONDS);
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            ServerMessage m;
            try {
                m = ServerMessage.parseFrom(bytes);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            switch (m.getKindCase()) {
                case WELCOME -> welcome.complete(m.getWelcome());
                case SNAPSHOT -> snapshots.incrementAndGet();
                case SCOREBOARD -> {
                    if (!voted) {
                        voted = true;
                        send(ClientMessage.newBuilder()
                                .setVote(RestartVote.getDefaultInstance())
                                .build()
                                .toByteArray());
                    }
                }
                case ERROR -> welcome.completeExceptionally(new AssertionError("refused: " + m.getError()));
                default -> {}
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {}

        @Override
        public void onMessage(String message) {}

        @Override
        public void onClose(int code, String reason, boolean remote) {
            welcome.completeExceptionally(new AssertionError("closed " + code + " " + reason));
        }

        @Override
        public void onError(Exception ex) {}
    }

    private static QueueEntry queued(String playerId, String ticketId) {
        return new QueueEntry(playerId, ticketId, "", GameMode.DEFAULT, "eu", 1000, 0, 0, 0, ticketId, "");
    }
}
