package dev.trespasser.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public gRPC server's connection policy: reflection off unless enabled, bounded connection life. */
class FrontendGrpcServerTest {

    @Test
    void connectionSettingsDefaultToTheDocumentedOnes() {
        FrontendConfig.GrpcServerSettings settings =
                FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true")).grpcServer();
        assertEquals(
                new FrontendConfig.GrpcServerSettings(
                        false,
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(20),
                        0),
                settings);
        assertTrue(FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_GRPC_REFLECTION", "true"))
                .grpcServer()
                .reflection());
        assertEquals(
                Duration.ZERO,
                settingsWith("FRONTEND_MAX_CONNECTION_AGE_GRACE_SECONDS", "0").maxConnectionAgeGrace());
        assertEquals(
                Duration.ofHours(2),
                settingsWith("FRONTEND_MAX_CONNECTION_AGE_SECONDS", "7200").maxConnectionAge());
    }

    @Test
    void connectionSettingsOutsideTheirBoundsStopStartUpWithTheirName() {
        Map<String, String> bad = Map.of(
                "FRONTEND_GRPC_REFLECTION", "yes",
                "FRONTEND_MAX_CONNECTION_AGE_SECONDS", "30",
                "FRONTEND_MAX_CONNECTION_AGE_GRACE_SECONDS", "-1",
                "FRONTEND_KEEPALIVE_TIME_SECONDS", "5",
                "FRONTEND_KEEPALIVE_TIMEOUT_SECONDS", "61",
                "FRONTEND_PERMIT_KEEPALIVE_TIME_SECONDS", "1",
                "FRONTEND_TRUSTED_PROXY_HOPS", "6");
        bad.forEach((name, value) -> {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> settingsWith(name, value), name);
            assertTrue(e.getMessage().contains(name), e.getMessage());
        });
        IllegalArgumentException tooLong = assertThrows(
                IllegalArgumentException.class,
                () -> settingsWith(
                        "FRONTEND_MAX_CONNECTION_AGE_SECONDS",
                        String.valueOf(Duration.ofDays(2).toSeconds())));
        assertTrue(tooLong.getMessage().contains("FRONTEND_MAX_CONNECTION_AGE_SECONDS"), tooLong.getMessage());
        IllegalArgumentException graceLongerThanAge = assertThrows(
                IllegalArgumentException.class,
                () -> settingsWith("FRONTEND_MAX_CONNECTION_AGE_GRACE_SECONDS", "3600"));
        assertTrue(
                graceLongerThanAge.getMessage().contains("FRONTEND_MAX_CONNECTION_AGE_GRACE_SECONDS"),
                graceLongerThanAge.getMessage());
    }

    @Test
    void reflectionIsUnimplementedByDefault() throws Exception {
        try (RedisServer redis = RedisServer.start(FrontendHarness.PEER_LOGS);
                FrontendHarness frontend = FrontendHarness.start(redis, "127.0.0.1:" + FreePort.pick(), Map.of())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> listServices(frontend));
            assertEquals(
                    Status.Code.UNIMPLEMENTED,
                    Status.fromThrowable(e.getCause()).getCode(),
                    e.getCause().toString());
        }
    }

    @Test
    void reflectionListsThePlayerApiWhenEnabled() throws Exception {
        try (RedisServer redis = RedisServer.start(FrontendHarness.PEER_LOGS);
                FrontendHarness frontend = FrontendHarness.start(
                        redis, "127.0.0.1:" + FreePort.pick(), Map.of("FRONTEND_GRPC_REFLECTION", "true"))) {
            List<String> services = listServices(frontend);
            assertTrue(services.contains("trespasser.frontend.v1.FrontendService"), services.toString());
        }
    }

    private static FrontendConfig.GrpcServerSettings settingsWith(String name, String value) {
        Map<String, String> env = new HashMap<>(Map.of("FRONTEND_DEV_MODE", "true"));
        env.put(name, value);
        return FrontendConfig.fromEnv(env).grpcServer();
    }

    private static List<String> listServices(FrontendHarness frontend) throws Exception {
        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(frontend.channel())
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        services.complete(response.getListServicesResponse().getServiceList().stream()
                                .map(s -> s.getName())
                                .toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        services.completeExceptionally(
                                new IllegalStateException("reflection stream ended without an answer"));
                    }
                });
        requests.onNext(
                ServerReflectionRequest.newBuilder().setListServices("*").build());
        try {
            return services.get(20, TimeUnit.SECONDS);
        } finally {
            requests.onCompleted();
        }
    }
}
