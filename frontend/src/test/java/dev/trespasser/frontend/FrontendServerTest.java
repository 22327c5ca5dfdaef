package dev.trespasser.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.auth.PasswordHasher;
import dev.trespasser.frontend.limits.LoginLockout;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The process around the API: configuration, health, metrics. */
class FrontendServerTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        FrontendConfig config = FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true"));
        assertEquals(50504, config.port());
        assertEquals(9104, config.metricsPort());
        assertEquals("redis://127.0.0.1:6379", config.redisUrl());
        assertEquals("127.0.0.1:50581", config.omCoreTarget());
        assertEquals(List.of("eu", "us"), config.regions());
        assertEquals(Duration.ofMillis(480_000), config.requeueAfter());
        assertEquals(Duration.ofMinutes(10), config.queueTimeout());
        assertEquals(PasswordHasher.Argon2idCost.OWASP_MINIMUM, config.argon2Cost());
        assertEquals(1, config.passwordHashThreads());
        assertEquals(8, config.passwordHashQueue());
        assertEquals(
                new LoginLockout.Settings(5, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1)),
                config.loginLockout());
        assertEquals(30, config.unauthenticatedCallsPerMinute());
        assertEquals(20, config.registrationsPerHour());
    }

    /** Production is the default: without the shared key file the frontend does not start. */
    @Test
    void missingJwtKeyFileStopsStartUpOutsideDevMode() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FrontendConfig.fromEnv(Map.of()));
        assertTrue(e.getMessage().contains("FRONTEND_JWT_KEY_FILE is required"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "yes")));
        assertEquals(
                true,
                FrontendConfig.fromEnv(Map.of("FRONTEND_JWT_KEY_FILE", "/run/secrets/jwt"))
                        .jwtKeyFile()
                        .isPresent());
        // Settings outside the safe bounds stop start-up too.
        assertThrows(
                IllegalArgumentException.class,
                () -> FrontendConfig.fromEnv(
                        Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_ARGON2_MEMORY_KIB", "1024")));
        assertThrows(
                IllegalArgumentException.class,
                () -> FrontendConfig.fromEnv(
                        Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_ARGON2_MEMORY_KIB", "2097152")));
        assertThrows(
                IllegalArgumentException.class,
                () -> FrontendConfig.fromEnv(
                        Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_PASSWORD_HASH_QUEUE", "-1")));
    }

    @Test
    void badSettingsStopStartUpWithTheirName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_TICKET_TTL_MS", "-5")));
        assertTrue(e.getMessage().contains("FRONTEND_TICKET_TTL_MS"));
        assertThrows(
                IllegalArgumentException.class,
                () -> FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_REGIONS", "EU West")));
        assertThrows(
                IllegalArgumentException.class,
                () -> FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_PORT", "70000")));
    }

    @Test
    void servesHealthAndPrometheusMetrics() throws Exception {
        try (RedisServer redis = RedisServer.start(FrontendHarness.PEER_LOGS);
                FrontendHarness frontend = FrontendHarness.start(redis, "127.0.0.1:" + FreePort.pick(), Map.of())) {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(frontend.channel())
                    .check(HealthCheckRequest.newBuilder()
                            .setService("trespasser.frontend.v1.FrontendService")
                            .build());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
            frontend.guest();

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + frontend.server().metricsPort();
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(
                    metrics.body().contains("trespasser_frontend_requests_total{code=\"OK\",method=\"LoginGuest\"} 1"),
                    metrics.body());
            assertTrue(metrics.body().contains("trespasser_frontend_logins_total{kind=\"guest\",result=\"ok\"} 1"));
            HttpResponse<String> healthz = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, healthz.statusCode());
        }
    }
}
