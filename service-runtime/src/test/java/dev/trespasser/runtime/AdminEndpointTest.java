package dev.trespasser.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdminEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(AdminEndpoint admin, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzFollowsTheServingFlag() throws Exception {
        AtomicBoolean serving = new AtomicBoolean(true);
        try (AdminEndpoint admin = AdminEndpoint.start(0, new PrometheusRegistry(), serving::get)) {
            HttpResponse<String> up = get(admin, "/healthz");
            assertEquals(200, up.statusCode());
            assertEquals("ok\n", up.body());
            assertEquals(
                    "text/plain; charset=utf-8",
                    up.headers().firstValue("Content-Type").orElse(""));

            serving.set(false);
            HttpResponse<String> down = get(admin, "/healthz");
            assertEquals(503, down.statusCode());
            assertEquals("shutting down\n", down.body());
        }
    }

    /** A registry with one counter, {@code trespasser_test_events}, at 3. */
    static PrometheusRegistry registryWithThreeEvents() {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> CounterSnapshot.builder()
                .name("trespasser_test_events")
                .help("Events seen by the test")
                .dataPoint(CounterDataPointSnapshot.builder().value(3).build())
                .build());
        return registry;
    }

    @Test
    void metricsServesTheGivenRegistry() throws Exception {
        try (AdminEndpoint admin = AdminEndpoint.start(0, registryWithThreeEvents(), () -> true)) {
            HttpResponse<String> metrics = get(admin, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("trespasser_test_events_total 3.0"), metrics.body());
        }
    }

    @Test
    void anythingElseIsNotFound() throws Exception {
        try (AdminEndpoint admin = AdminEndpoint.start(0, new PrometheusRegistry(), () -> true)) {
            for (String path : new String[] {"/", "/nothing-here", "/healthz/extra"}) {
                HttpResponse<String> response = get(admin, path);
                assertEquals(404, response.statusCode(), path);
                assertEquals("not found; try /metrics or /healthz\n", response.body(), path);
            }
        }
    }

    @Test
    void portZeroPicksAPortAndCloseStopsServing() throws Exception {
        AdminEndpoint admin = AdminEndpoint.start(0, new PrometheusRegistry(), () -> true);
        assertTrue(admin.port() > 0, "port " + admin.port());
        assertEquals(200, get(admin, "/healthz").statusCode());
        admin.close();
        assertThrows(IOException.class, () -> get(admin, "/healthz"));
    }
}
