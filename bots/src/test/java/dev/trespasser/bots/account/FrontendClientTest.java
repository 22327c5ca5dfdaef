package dev.trespasser.bots.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.bots.FrontendStack;
import dev.trespasser.bots.game.GameConnection;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.director.assignments.HostTemplate;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.GameMode;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bots' player-API client against the real frontend, with a real Redis and om-core; the
 * test plays the director with its own AssignmentPublisher.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FrontendClientTest {

    private static FrontendStack stack;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        // A long status interval: the assignment must arrive through the pub/sub, not a poll.
        stack = FrontendStack.start(Map.of("FRONTEND_STATUS_INTERVAL_MS", "20000"));
        channel = NettyChannelBuilder.forTarget(stack.target()).usePlaintext().build();
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (stack != null) {
            stack.close();
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
        assertEquals(ticket, stack.ticketOf(session.getPlayerId()));

        CountDownLatch watching = new CountDownLatch(1);
        CompletableFuture<Assignment> received =
                CompletableFuture.supplyAsync(() -> bot.awaitAssignment(watching::countDown));
        // The stream's first status says it is watching; then the director publishes.
        assertTrue(watching.await(10, TimeUnit.SECONDS), "queue status on WatchAssignment");
        stack.publish(
                "m-front", "10.0.0.7", 7777, Map.of(ticket, "join-token-1"), Map.of(ticket, session.getPlayerId()));

        Assignment a = received.get(10, TimeUnit.SECONDS);
        assertEquals(
                Assignment.newBuilder()
                        .setHost("10.0.0.7")
                        .setPort(7777)
                        .setToken("join-token-1")
                        .setMatchId("m-front")
                        .build(),
                a);
    }

    @Test
    void theTlsFlagAndTheTemplatedHostArriveInWatchAssignment() throws Exception {
        FrontendClient bot = client();
        Session session = bot.loginGuest();
        String ticket = bot.findMatch(GameMode.GAME_MODE_4V4, "eu");
        CountDownLatch watching = new CountDownLatch(1);
        CompletableFuture<Assignment> received =
                CompletableFuture.supplyAsync(() -> bot.awaitAssignment(watching::countDown));
        assertTrue(watching.await(10, TimeUnit.SECONDS), "queue status on WatchAssignment");
        stack.publishAllocated(
                "m-tls",
                new AllocationResult.Allocated("gs-9", "10.1.2.3", 7777),
                HostTemplate.parse("{ip-dashed}.gs.example.com"),
                true,
                Map.of(ticket, "join-token-tls"),
                Map.of(ticket, session.getPlayerId()));

        Assignment a = received.get(10, TimeUnit.SECONDS);
        assertTrue(a.getTls(), "the director's DIRECTOR_MATCH_TLS travels through Redis and the frontend");
        assertEquals("10-1-2-3.gs.example.com", a.getHost());
        assertEquals(
                URI.create("wss://10-1-2-3.gs.example.com:7777/"),
                GameConnection.uri(a.getHost(), a.getPort(), a.getTls()),
                "the bot connects with wss://");
        assertEquals(URI.create("ws://[2001:db8::1]:7777/"), GameConnection.uri("2001:db8::1", 7777, false));
    }

    @Test
    void registeredBotsRegisterOnceAndLogInAfterwards() throws Exception {
        String name = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Session first = client().registerAndLogin(name, "bot-password-1");
        assertEquals(name, first.getUsername());
        Session again = client().registerAndLogin(name, "bot-password-1");
        assertEquals(first.getPlayerId(), again.getPlayerId(), "the name exists: the second run logs in");
        StatusRuntimeException wrong =
                assertThrows(StatusRuntimeException.class, () -> client().registerAndLogin(name, "another-password"));
        assertEquals(Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode());

        FrontendClient bot = client();
        bot.registerAndLogin(name, "bot-password-1");
        String ticket = bot.findMatch(GameMode.GAME_MODE_2V2, "us");
        assertFalse(ticket.isEmpty());
        bot.cancelMatch();
        assertTrue(stack.queueEntryGone(first.getPlayerId()), "cancelled: no queue entry");
    }

    @Test
    void aQueueThatEndsWithoutAnAssignmentThrowsItsStatus() throws Exception {
        FrontendClient bot = client();
        bot.loginGuest();
        StatusRuntimeException notQueued =
                assertThrows(StatusRuntimeException.class, () -> bot.awaitAssignment(() -> {}));
        assertEquals(Status.Code.FAILED_PRECONDITION, notQueued.getStatus().getCode());
        StatusRuntimeException badRegion =
                assertThrows(StatusRuntimeException.class, () -> bot.findMatch(GameMode.GAME_MODE_4V4, "mars"));
        assertEquals(Status.Code.INVALID_ARGUMENT, badRegion.getStatus().getCode());
    }
}
