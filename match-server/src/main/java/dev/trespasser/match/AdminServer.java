package dev.trespasser.match;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin HTTP endpoint: {@code /metrics} (Prometheus text) and {@code /healthz} (200 "ok" while
 * healthy, 503 with the reason otherwise). One small daemon thread; port from
 * {@code MATCH_ADMIN_PORT} (default 8080).
 */
public final class AdminServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8080;

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile String unhealthyReason;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Port from {@code MATCH_ADMIN_PORT}, default {@value #DEFAULT_PORT}. */
    public static int portFromEnv(Map<String, String> env) {
        String raw = env.getOrDefault("MATCH_ADMIN_PORT", "").trim();
        if (raw.isEmpty()) {
            return DEFAULT_PORT;
        }
        int port = Integer.parseInt(raw);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("MATCH_ADMIN_PORT must be 0-65535: " + raw);
        }
        return port;
    }

    /** Starts serving on {@code port} (0: any free port, see {@link #port()}). */
    public static AdminServer start(int port, MatchServerMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admin-http");
            t.setDaemon(true);
            return t;
        });
        AdminServer admin = new AdminServer(server, executor);
        server.createContext("/metrics", new MetricsHandler(metrics.registry()));
        server.createContext("/healthz", admin::health);
        server.setExecutor(executor);
        server.start();
        return admin;
    }

    public int port() {
        return server.getAddress().getPort();
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

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            String reason = unhealthyReason;
            byte[] body = (reason == null ? "ok\n" : reason + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(reason == null ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
