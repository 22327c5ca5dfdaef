package dev.trespasser.bots.account;

import dev.trespasser.director.assignments.AssignmentPublisher;
import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.frontend.FrontendConfig;
import dev.trespasser.frontend.FrontendServer;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.GameMode;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bots' player-API client against the real frontend, with a real Redis and om-core; the
 * test plays the director with its own AssignmentPublisher.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FrontendClientTest {

    private static final Path PEER_LOGS = Path.of("target/peer-logs");
    private static RedisServer redis;
    private static OmCore omCore;
    private static FrontendServer frontend;
    private static JedisPooled jedis;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(PEER_LOGS);
        omCore = OmCore.start(PEER_LOGS, Map.of());
        frontend = FrontendServer.start(FrontendConfig.fromEnv(Map.of(
                "FRONTEND_PORT", "0", "FRONTEND_METRICS_PORT", "0", "REDIS_URL", redis.url(),
                "OM_CORE_TARGET", omCore.grpcTarget(), "FRONTEND_REGIONS", "eu,us",
                // A long status interval: the assignment must arrive through the pub/sub, not a poll.
                "FRONTEND_STATUS_INTERVAL_MS", "20000")), new PrometheusRegistry(), Clock.systemUTC());
        jedis = new JedisPooled(URI.create(redis.url()));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", frontend.port()).usePlaintext().build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frontend.assignmentChannel().subscriptions() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (jedis != null) {
            jedis.close();
        }
        if (frontend != null) {
            frontend.close();
        }
        if (omCore != null) {
            omCore.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static FrontendClient client() {
        return new FrontendClient(channel, Clock.systemUTC(), () -> true);
    }

    @Test
    void guestQueuesAndReceivesTheAssignmentTheDirectorPublishes() throws Exception {
        FrontendClient bot = client();
        Session session = bot.loginGuest();
        assertFalse(session.getPlayerId().isEmpty());
        String ticket = bot.findMatch(GameMode.GAME_MODE_4V4, "eu");
        assertEquals(ticket, jedis.hget("trespasser:queue:" + session.getPlayerId(), "ticket_id"));

        CountDownLatch watching = new CountDownLatch(1);
        CompletableFuture<Assignment> received = CompletableFuture.supplyAsync(() -> bot.awaitAssignment(watching::countDown));
        // The stream's first status says it is watching; then the director publishes.
        assertTrue(watching.await(10, TimeUnit.SECONDS), "queue status on WatchAssignment");
        new AssignmentPublisher(jedis, Duration.ofSeconds(600)).publish("m-front", "10.0.0.7", 7777,
                List.of(new AssignmentPublisher.TicketAssignment(ticket, Map.of(session.getPlayerId(), "join-token-1"))));

        Assignment a = received.get(10, TimeUnit.SECONDS);
        assertEquals(Assignment.newBuilder().setHost("10.0.0.7").setPort(7777).setToken("join-token-1")
                .setMatchId("m-front").build(), a);
    }

    @Test
    void registeredBotsRegisterOnceAndLogInAfterwards() throws Exception {
        String name = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Session first = client().registerAndLogin(name, "bot-password-1");
        assertEquals(name, first.getUsername());
        Session again = client().registerAndLogin(name, "bot-password-1");
        assertEquals(first.getPlayerId(), again.getPlayerId(), "the name exists: the second run logs in");
        StatusRuntimeException wrong = assertThrows(StatusRuntimeException.class,
                () -> client().registerAndLogin(name, "another-password"));
        assertEquals(Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode());

        FrontendClient bot = client();
        bot.registerAndLogin(name, "bot-password-1");
        String ticket = bot.findMatch(GameMode.GAME_MODE_2V2, "us");
        assertFalse(ticket.isEmpty());
        bot.cancelMatch();
        assertTrue(jedis.hgetAll("trespasser:queue:" + first.getPlayerId()).isEmpty(), "cancelled: no queue entry");
    }

    @Test
    void aQueueThatEndsWithoutAnAssignmentThrowsItsStatus() throws Exception {
        FrontendClient bot = client();
        bot.loginGuest();
        StatusRuntimeException notQueued = assertThrows(StatusRuntimeException.class, () -> bot.awaitAssignment(() -> {
        }));
        assertEquals(Status.Code.FAILED_PRECONDITION, notQueued.getStatus().getCode());
        StatusRuntimeException badRegion = assertThrows(StatusRuntimeException.class,
                () -> bot.findMatch(GameMode.GAME_MODE_4V4, "mars"));
        assertEquals(Status.Code.INVALID_ARGUMENT, badRegion.getStatus().getCode());
    }
}
