package dev.trespasser.runtime;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's admin HTTP port: Prometheus metrics from a registry on {@code /metrics},
 * {@code /healthz} answering 200 "ok" while the service is serving and 503 "shutting down" once it
 * is not, and 404 for anything else.
 */
public final class AdminEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);

    private final HTTPServer server;
    private final Supplier<String> unhealthyReason;

    private AdminEndpoint(int port, PrometheusRegistry registry, Supplier<String> unhealthyReason) throws IOException {
        this.unhealthyReason = Objects.requireNonNull(unhealthyReason, "unhealthyReason");
        server = HTTPServer.builder()
                .port(port)
                .registry(registry)
                .defaultHandler(this::handle)
                .buildAndStart();
    }

    /**
     * Starts serving on {@code port} (0 lets the system pick one; see {@link #port()}).
     * {@code serving} is asked on every {@code /healthz} request.
     */
    public static AdminEndpoint start(int port, PrometheusRegistry registry, BooleanSupplier serving)
            throws IOException {
        Objects.requireNonNull(serving, "serving");
        return startWithReason(port, registry, () -> serving.getAsBoolean() ? null : "shutting down");
    }

    /**
     * Like {@link #start}, for a service that says why it is unhealthy: {@code unhealthyReason}
     * gives null while healthy, otherwise the text served with the 503.
     */
    public static AdminEndpoint startWithReason(int port, PrometheusRegistry registry, Supplier<String> unhealthyReason)
            throws IOException {
        AdminEndpoint endpoint = new AdminEndpoint(port, registry, unhealthyReason);
        log.debug("admin endpoint: /metrics and /healthz on :{}", endpoint.port());
        return endpoint;
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getPath().equals("/healthz")) {
                String reason = unhealthyReason.get();
                reply(exchange, reason == null ? 200 : 503, (reason == null ? "ok" : reason) + "\n");
            } else {
                reply(exchange, 404, "not found; try /metrics or /healthz\n");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
