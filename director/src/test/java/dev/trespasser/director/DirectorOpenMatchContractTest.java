package dev.trespasser.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.mmf.MatchmakerFunctionServer;
import dev.trespasser.mmf.MmfConfig;
import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.JoinTokenContract;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.CreateTicketRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import io.grpc.ManagedChannel;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * The director against the real peers: a real om-core (in-memory state), a real Redis, and the
 * real matchmaking function in a Netty gRPC server. Only the fleet is in memory. The test plays
 * the frontend: it creates and activates tickets, listens on the assignment channel, and
 * re-activates tickets that have neither an assignment nor a claim (the frontend's safety net).
 */
class DirectorOpenMatchContractTest {

    private static final Path LOGS = Path.of("target/peer-logs");
    private static final int TICKETS = 64;

    private RedisServer redisServer;
    private OmCore omCore;
    private MatchmakerFunctionServer mmf;
    private ManagedChannel channel;
    private JedisPooled redis;

    @BeforeEach
    void startPeers() throws Exception {
        redisServer = RedisServer.start(LOGS);
        omCore = OmCore.start(LOGS, Map.of("OM_MATCH_TICKET_DEACTIVATION_WAIT", "true"));
        mmf = MatchmakerFunctionServer.start(
                MmfConfig.fromEnv(Map.of("MMF_PORT", "0", "MMF_METRICS_PORT", "0")), new PrometheusRegistry());
        channel = omCore.newChannel();
        redis = new JedisPooled(URI.create(redisServer.url()));
    }

    @AfterEach
    void stopPeers() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (mmf != null) {
            mmf.close();
        }
        if (omCore != null) {
            omCore.close();
        }
        if (redisServer != null) {
            redisServer.close();
        }
    }

    @Test
    void everyTicketGetsExactlyOneAssignmentInARegionPure4v4AfterAnEmptyFleetHandedItsFirstMatchesBack(
            @TempDir Path dir) throws Exception {
        var openMatch = OpenMatchServiceGrpc.newBlockingStub(channel);
        Map<String, String> regionOfPlayer = new HashMap<>();
        Map<String, String> playerOfTicket = new LinkedHashMap<>();
        for (int i = 0; i < TICKETS; i++) {
            String region = i % 2 == 0 ? "eu" : "us";
            String player = "player-" + i;
            double rating = 1400 + (i * 53) % 300;
            String id = openMatch
                    .createTicket(CreateTicketRequest.newBuilder()
                            .setTicket(
                                    TicketAttributes.newTicket(GameMode.FOUR_V_FOUR, region, rating, List.of(player)))
                            .build())
                    .getTicketId();
            regionOfPlayer.put(player, region);
            playerOfTicket.put(id, player);
        }

        Map<String, Integer> announcements = new ConcurrentHashMap<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String ticketId) {
                announcements.merge(ticketId, 1, Integer::sum);
            }
        };
        Thread subscriber = new Thread(
                () -> {
                    try (Jedis jedis = new Jedis(URI.create(redisServer.url()))) {
                        jedis.subscribe(listener, RedisNames.ASSIGNMENTS_CHANNEL);
                    }
                },
                "assignment-listener");
        subscriber.start();
        assertTrue(subscribed.await(5, TimeUnit.SECONDS));

        openMatch.activateTickets(ActivateTicketsRequest.newBuilder()
                .addAllTicketIds(playerOfTicket.keySet())
                .build());

        Path publicKeyFile = dir.resolve("join-token.pub.pem");
        Map<String, String> env = Map.of(
                "OM_CORE_TARGET", omCore.grpcTarget(),
                "MMF_HOST", "127.0.0.1",
                "MMF_PORT", Integer.toString(mmf.port()),
                "REDIS_URL", redisServer.url(),
                "DIRECTOR_PROFILES", "4v4:eu,4v4:us",
                "DIRECTOR_CYCLE_MS", "100",
                "DIRECTOR_BACKOFF_BASE_MS", "200",
                "DIRECTOR_BACKOFF_MAX_MS", "1000",
                "DIRECTOR_METRICS_PORT", "0",
                "JOIN_TOKEN_DEV_KEYS", "true");
        Map<String, String> withKeyOut = new HashMap<>(env);
        withKeyOut.put("JOIN_TOKEN_PUBLIC_KEY_OUT", publicKeyFile.toString());
        InMemoryFleet fleet = new InMemoryFleet();
        PrometheusRegistry registry = new PrometheusRegistry();

        try (DirectorServer director =
                DirectorServer.start(DirectorConfig.fromEnv(withKeyOut), registry, Clock.systemUTC(), fleet)) {
            assertEquals(200, healthz(director.metricsPort()));

            // The fleet is empty: the first matches must come back to the pool.
            awaitTrue(
                    () -> fleet.attempts.get() >= 2,
                    30,
                    "no allocation attempted; om-core log:\n" + omCore.process().logTail(30));
            assertTrue(fleet.granted.isEmpty());
            fleet.addReadyServers(TICKETS / 8);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long nextSafetyNet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (announcements.size() < TICKETS && System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (System.nanoTime() > nextSafetyNet) {
                    reactivateForgottenTickets(openMatch, playerOfTicket.keySet());
                    nextSafetyNet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                }
            }
            assertEquals(
                    TICKETS,
                    announcements.size(),
                    "tickets announced: " + announcements.keySet().size() + "; om-core log:\n"
                            + omCore.process().logTail(20));
            // Anything still in flight would show up as a second announcement now.
            Thread.sleep(1000);
        } finally {
            listener.unsubscribe();
            subscriber.join(5000);
        }

        announcements.forEach(
                (ticket, count) -> assertEquals(1, count, "ticket " + ticket + " announced " + count + " times"));
        assertEquals(TICKETS / 8, fleet.granted.size(), "one server per match, no more");
        assertTrue(fleet.attempts.get() > fleet.granted.size(), "the empty fleet refused allocations first");

        Map<String, InMemoryFleet.Granted> serverOfPlayer = new HashMap<>();
        for (InMemoryFleet.Granted granted : fleet.granted) {
            MatchAllocation match = granted.match();
            assertEquals("4v4", match.getMode());
            assertEquals(
                    4,
                    match.getRosterList().stream()
                            .filter(p -> p.getTeam() == RosterTeam.ROSTER_TEAM_RED)
                            .count(),
                    match.toString());
            assertEquals(
                    4,
                    match.getRosterList().stream()
                            .filter(p -> p.getTeam() == RosterTeam.ROSTER_TEAM_BLUE)
                            .count(),
                    match.toString());
            Set<String> regions = new HashSet<>();
            for (RosterPlayer player : match.getRosterList()) {
                regions.add(regionOfPlayer.get(player.getPlayerId()));
                assertEquals(
                        null,
                        serverOfPlayer.put(player.getPlayerId(), granted),
                        player.getPlayerId() + " placed twice");
            }
            assertEquals(1, regions.size(), "a match mixes regions: " + match);
        }
        assertEquals(regionOfPlayer.keySet(), serverOfPlayer.keySet(), "every player placed");

        PublicKey publicKey = publicKey(publicKeyFile);
        for (Map.Entry<String, String> ticket : playerOfTicket.entrySet()) {
            String player = ticket.getValue();
            Assignment assignment = assignment(RedisNames.assignment(ticket.getKey()));
            assertEquals(assignment, assignment(RedisNames.playerAssignment(ticket.getKey(), player)));
            InMemoryFleet.Granted server = serverOfPlayer.get(player);
            assertEquals(server.match().getMatchId(), assignment.getMatchId());
            assertEquals(server.port(), assignment.getPort());
            Claims claims = Jwts.parser()
                    .verifyWith(publicKey)
                    .build()
                    .parseSignedClaims(assignment.getToken())
                    .getPayload();
            assertEquals(player, claims.getSubject());
            assertEquals(assignment.getMatchId(), claims.get(JoinTokenContract.MATCH_ID, String.class));
            assertEquals(java.util.Set.of(server.gameServerName()), claims.getAudience());
        }
    }

    /** The frontend's safety net: a ticket with neither assignment nor claim goes back into the pools. */
    private void reactivateForgottenTickets(
            OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch, Set<String> tickets) {
        List<String> forgotten = new ArrayList<>();
        for (String ticket : tickets) {
            if (!redis.exists(RedisNames.assignment(ticket)) && !redis.exists(RedisNames.ticketClaim(ticket))) {
                forgotten.add(ticket);
            }
        }
        if (!forgotten.isEmpty()) {
            openMatch.activateTickets(ActivateTicketsRequest.newBuilder()
                    .addAllTicketIds(forgotten)
                    .build());
        }
    }

    private Assignment assignment(String key) throws Exception {
        String json = redis.get(key);
        assertNotNull(json, "no assignment at " + key);
        Assignment.Builder builder = Assignment.newBuilder();
        JsonFormat.parser().merge(json, builder);
        return builder.build();
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        String body = Files.readString(pem)
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static int healthz(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, int seconds, String message)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            Thread.sleep(50);
        }
    }
}
