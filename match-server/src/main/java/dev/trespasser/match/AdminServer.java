package dev.trespasser.match;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.runtime.AdminEndpoint;
import java.io.IOException;

/**
 * The match server's admin port: {@code /metrics} (Prometheus text) and {@code /healthz} (200
 * "ok" while healthy, 503 with the reason otherwise), served by the shared {@link AdminEndpoint}.
 * Port from {@code MATCH_ADMIN_PORT} (default 8080).
 */
public final class AdminServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8080;

    private final AdminEndpoint endpoint;
    private volatile String unhealthyReason;

    private AdminServer(int port, MatchServerMetrics metrics) throws IOException {
        this.endpoint = AdminEndpoint.startWithReason(port, metrics.registry(), () -> unhealthyReason);
    }

    /** Starts serving on {@code port} (0: any free port, see {@link #port()}). */
    public static AdminServer start(int port, MatchServerMetrics metrics) throws IOException {
        return new AdminServer(port, metrics);
    }

    public int port() {
        return endpoint.port();
    }

    public void healthy() {
        unhealthyReason = null;
    }

    public void unhealthy(String reason) {
        unhealthyReason = reason == null || reason.isBlank() ? "unhealthy" : reason;
    }

    public boolean isHealthy() {
        return unhealthyReason == null;
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
