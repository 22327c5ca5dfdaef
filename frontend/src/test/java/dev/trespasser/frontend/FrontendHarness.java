package dev.trespasser.frontend;

import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.LoginGuestRequest;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisPooled;

/**
 * A real FrontendServer on a free port, talking to a real Redis (and om-core where given),
 * with a client channel and a direct Redis connection for the test's director-side writes.
 */
public final class FrontendHarness implements AutoCloseable {

    public static final Path PEER_LOGS = Path.of("target/peer-logs");

    private final FrontendServer server;
    private final ManagedChannel channel;
    private final JedisPooled redis;
    private final PrometheusRegistry registry = new PrometheusRegistry();

    private FrontendHarness(FrontendConfig config, String testRedisUrl) {
        try {
            server = FrontendServer.start(config, registry, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .build();
        // The test's own client (assertions, set-up) is the harness's user, not the frontend's.
        redis = new JedisPooled(java.net.URI.create(testRedisUrl));
    }

    /** Generous limits unless the test sets its own: rate limits have their own tests. */
    public static FrontendHarness start(RedisServer redisServer, String omCoreTarget, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                "FRONTEND_PORT", "0",
                "FRONTEND_METRICS_PORT", "0",
                "REDIS_URL", redisServer.serviceUrl("frontend"),
                "OM_CORE_TARGET", omCoreTarget,
                "FRONTEND_REGIONS", "eu,us",
                "FRONTEND_CALLS_PER_SECOND", "1000",
                "FRONTEND_FIND_MATCH_PER_MINUTE", "1000",
                "FRONTEND_ANONYMOUS_CALLS_PER_MINUTE", "100000",
                "FRONTEND_DEV_MODE", "true"));
        env.putAll(Map.of(
                "FRONTEND_UNAUTHENTICATED_CALLS_PER_MINUTE", "100000",
                "FRONTEND_REGISTRATIONS_PER_HOUR", "100000",
                "FRONTEND_PASSWORD_HASH_QUEUE", "1000",
                "FRONTEND_WEB_PORT", "0"));
        env.putAll(overrides);
        return new FrontendHarness(FrontendConfig.fromEnv(env), redisServer.adminUrl());
    }

    public FrontendServiceGrpc.FrontendServiceBlockingStub anonymous() {
        return FrontendServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public FrontendServiceGrpc.FrontendServiceBlockingStub as(Session session) {
        return withToken(session.getAccessToken());
    }

    public FrontendServiceGrpc.FrontendServiceBlockingStub withToken(String accessToken) {
        return FrontendServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(accessToken)))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public FrontendServiceGrpc.FrontendServiceStub asyncAs(Session session) {
        return FrontendServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(session.getAccessToken())));
    }

    public FrontendServiceGrpc.FrontendServiceFutureStub futureAs(Session session) {
        return FrontendServiceGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(session.getAccessToken())))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public FrontendServiceGrpc.FrontendServiceFutureStub futureAnonymous() {
        return FrontendServiceGrpc.newFutureStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public Session guest() {
        return anonymous().loginGuest(LoginGuestRequest.getDefaultInstance()).getSession();
    }

    public Session registerFresh() {
        String name = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return anonymous()
                .register(RegisterRequest.newBuilder()
                        .setUsername(name)
                        .setPassword("correct horse 1")
                        .build())
                .getSession();
    }

    public FrontendServer server() {
        return server;
    }

    public JedisPooled redis() {
        return redis;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return headers;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
        redis.close();
    }
}
