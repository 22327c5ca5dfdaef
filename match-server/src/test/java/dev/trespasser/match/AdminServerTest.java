package dev.trespasser.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.sim.Phase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesMetricsAndHealth() throws Exception {
        MatchServerMetrics metrics = new MatchServerMetrics();
        try (AdminServer admin = AdminServer.start(0, metrics)) {
            metrics.tickDuration(300_000);
            metrics.bytesSent(1200);
            metrics.matchCompleted();
            metrics.phase(Phase.ACTIVE);
            metrics.connectionRefused("bad_token");
            HttpResponse<String> scrape = get(admin, "/metrics");
            assertEquals(200, scrape.statusCode());
            String body = scrape.body();
            assertTrue(body.contains("trespasser_match_tick_duration_seconds_bucket{le=\"5.0E-4\"} 1"), body);
            assertTrue(body.contains("trespasser_match_bytes_sent_total 1200"), body);
            assertTrue(body.contains("trespasser_match_matches_completed_total 1"), body);
            assertTrue(body.contains("trespasser_match_phase{phase=\"active\"} 1"), body);
            assertTrue(body.contains("trespasser_match_phase{phase=\"none\"} 0"), body);
            assertTrue(body.contains("trespasser_match_connections_refused_total{reason=\"bad_token\"} 1"), body);

            assertEquals(200, get(admin, "/healthz").statusCode());
            admin.unhealthy("agones sdk unreachable");
            HttpResponse<String> sick = get(admin, "/healthz");
            assertEquals(503, sick.statusCode());
            assertEquals("agones sdk unreachable\n", sick.body());
            admin.healthy();
            assertEquals(200, get(admin, "/healthz").statusCode());
        }
    }

    private HttpResponse<String> get(AdminServer admin, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
