package dev.trespasser.localstack.feed;

import dev.trespasser.proto.MetricNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bandwidth per player, from the match servers' own metrics: every second it scrapes each
 * server's bytes sent and connected players, and divides the bytes by the player-seconds. A
 * counter that goes down is a replaced process starting from zero, not negative traffic.
 */
public final class FleetTraffic implements AutoCloseable {
    private static final String BYTES_SENT = MetricNames.MATCH_BYTES_SENT + "_total";
    private static final String BYTES_RECEIVED = MetricNames.MATCH_BYTES_RECEIVED + "_total";
    private static final String CONNECTED = MetricNames.MATCH_CONNECTED_PLAYERS;
    private static final Duration EVERY = Duration.ofSeconds(1);

    private final Supplier<List<Integer>> adminPorts;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private final ScheduledExecutorService scraper;
    private final Map<Integer, double[]> lastCounters = new HashMap<>();
    private double bytesSent;
    private double bytesReceived;
    private double playerSeconds;
    private long lastScrapeNanos;

    public FleetTraffic(Supplier<List<Integer>> adminPorts) {
        this.adminPorts = adminPorts;
        this.scraper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fleet-traffic");
            thread.setDaemon(true);
            return thread;
        });
        lastScrapeNanos = System.nanoTime();
        scraper.scheduleAtFixedRate(this::scrape, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Bytes per second sent to each connected player (downstream), averaged over the run. */
    public synchronized double downstreamBytesPerPlayerSecond() {
        return playerSeconds == 0 ? 0 : bytesSent / playerSeconds;
    }

    public synchronized double upstreamBytesPerPlayerSecond() {
        return playerSeconds == 0 ? 0 : bytesReceived / playerSeconds;
    }

    public synchronized double playerSeconds() {
        return playerSeconds;
    }

    private synchronized void scrape() {
        long now = System.nanoTime();
        double seconds = (now - lastScrapeNanos) / 1e9;
        lastScrapeNanos = now;
        for (int port : adminPorts.get()) {
            Map<String, Double> values;
            try {
                values = parse(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .timeout(Duration.ofMillis(500))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
            } catch (IOException e) {
                continue; // a server being replaced: nothing to count this second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            double sent = values.getOrDefault(BYTES_SENT, 0.0);
            double received = values.getOrDefault(BYTES_RECEIVED, 0.0);
            double[] last = lastCounters.put(port, new double[] {sent, received});
            if (last != null) {
                bytesSent += sent >= last[0] ? sent - last[0] : sent;
                bytesReceived += received >= last[1] ? received - last[1] : received;
            }
            playerSeconds += values.getOrDefault(CONNECTED, 0.0) * seconds;
        }
    }

    /** The unlabelled samples of a Prometheus text exposition that we need. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> values = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name = line.substring(0, space);
            if (name.equals(BYTES_SENT) || name.equals(BYTES_RECEIVED) || name.equals(CONNECTED)) {
                try {
                    values.put(
                            name,
                            Double.parseDouble(line.substring(space + 1).trim().split(" ")[0]));
                } catch (NumberFormatException ignored) {
                    // not a sample we can use
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        scraper.shutdownNow();
    }
}
