package dev.trespasser.bots;

import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.director.assignments.AssignmentPublisher;
import dev.trespasser.director.assignments.HostTemplate;
import dev.trespasser.frontend.FrontendConfig;
import dev.trespasser.frontend.FrontendServer;
import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.RedisServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisPooled;

/**
 * The real frontend on a free port with a real Redis and om-core, plus the director's
 * AssignmentPublisher on the same Redis so a test can play the director.
 */
public final class FrontendStack implements AutoCloseable {

    private static final Path PEER_LOGS = Path.of("target/peer-logs");

    private RedisServer redis;
    private OmCore omCore;
    private FrontendServer frontend;
    private JedisPooled jedis;
    private AssignmentPublisher publisher;

    public static FrontendStack start() throws Exception {
        return start(Map.of());
    }

    /** @param extraEnv frontend settings on top of the ports, Redis, om-core and regions */
    public static FrontendStack start(Map<String, String> extraEnv) throws Exception {
        FrontendStack s = new FrontendStack();
        try {
            s.redis = RedisServer.start(PEER_LOGS);
            s.omCore = OmCore.start(PEER_LOGS, Map.of());
            Map<String, String> env = new HashMap<>(Map.of(
                    "FRONTEND_PORT", "0",
                    "FRONTEND_METRICS_PORT", "0",
                    "REDIS_URL", s.redis.url(),
                    "OM_CORE_TARGET", s.omCore.grpcTarget(),
                    "FRONTEND_REGIONS", "eu,us",
                    "FRONTEND_DEV_MODE", "true"));
            env.put("FRONTEND_WEB_PORT", "0");
            env.putAll(extraEnv);
            s.frontend = FrontendServer.start(FrontendConfig.fromEnv(env), new PrometheusRegistry(), Clock.systemUTC());
            s.jedis = new JedisPooled(URI.create(s.redis.url()));
            s.publisher = new AssignmentPublisher(s.jedis, Duration.ofSeconds(600));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.frontend.assignmentChannel().subscriptions() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    public String target() {
        return "127.0.0.1:" + frontend.port();
    }

    /** The ticket the frontend recorded for a queued player (its queue entry in Redis). */
    public String ticketOf(String playerId) {
        return jedis.hget("trespasser:queue:" + playerId, "ticket_id");
    }

    /** Publishes one single-player ticket per player, as the director does for a placed match. */
    public void publish(
            String matchId,
            String host,
            int port,
            Map<String, String> tokenByTicket,
            Map<String, String> playerByTicket) {
        List<AssignmentPublisher.TicketAssignment> tickets = tokenByTicket.keySet().stream()
                .map(t -> new AssignmentPublisher.TicketAssignment(
                        t, Map.of(playerByTicket.get(t), tokenByTicket.get(t))))
                .toList();
        publisher.publish(matchId, host, port, tickets);
    }

    /**
     * Publishes as the director does with {@code DIRECTOR_HOST_TEMPLATE} and {@code
     * DIRECTOR_MATCH_TLS}: the host from the template, the TLS flag in the assignment.
     */
    public void publishAllocated(
            String matchId,
            AllocationResult.Allocated server,
            HostTemplate hosts,
            boolean tls,
            Map<String, String> tokenByTicket,
            Map<String, String> playerByTicket) {
        List<AssignmentPublisher.TicketAssignment> tickets = tokenByTicket.keySet().stream()
                .map(t -> new AssignmentPublisher.TicketAssignment(
                        t, Map.of(playerByTicket.get(t), tokenByTicket.get(t))))
                .toList();
        new AssignmentPublisher(jedis, Duration.ofSeconds(600), hosts, tls).publish(matchId, server, tickets);
    }

    /** True once the queue entry of the player is gone (cancelled or assigned). */
    public boolean queueEntryGone(String playerId) {
        return jedis.hgetAll("trespasser:queue:" + playerId).isEmpty();
    }

    @Override
    public void close() {
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
}
