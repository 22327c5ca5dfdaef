package dev.trespasser.runtime;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
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
    private final BooleanSupplier serving;

    private AdminEndpoint(int port, PrometheusRegistry registry, BooleanSupplier serving) throws IOException {
        this.serving = Objects.requireNonNull(serving, "serving");
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
    public static AdminEndpoint start(int port, PrometheusRegistry registry, BooleanSupplier serving) throws IOException {
        AdminEndpoint endpoint = new AdminEndpoint(port, registry, serving);
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
                boolean up = serving.getAsBoolean();
                reply(exchange, up ? 200 : 503, up ? "ok\n" : "shutting down\n");
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
