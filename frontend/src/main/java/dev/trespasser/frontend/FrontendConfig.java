package dev.trespasser.frontend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Configuration from environment variables; every one has a default (see the README table). A
 * port of 0 lets the system pick one.
 */
public record FrontendConfig(
        int port,
        int metricsPort,
        String redisUrl,
        String omCoreTarget,
        List<String> regions,
        Optional<Path> jwtKeyFile,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        Duration ticketTtl,
        double requeueAtFraction,
        Duration queueTimeout,
        Duration statusInterval,
        Duration sweepInterval,
        int findMatchPerMinute,
        int callsPerSecond,
        int anonymousCallsPerMinute,
        Duration resultsClaimIdle,
        Duration shutdownGrace) {

    public static final int DEFAULT_PORT = 50504;
    public static final int DEFAULT_METRICS_PORT = 9104;
    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public FrontendConfig {
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("FRONTEND_REGIONS must name at least one region");
        }
        for (String region : regions) {
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("FRONTEND_REGIONS: '" + region + "' is not a region name (a-z, 0-9, -)");
            }
        }
        if (requeueAtFraction <= 0 || requeueAtFraction >= 1) {
            throw new IllegalArgumentException("FRONTEND_REQUEUE_AT_FRACTION must be between 0 and 1, got " + requeueAtFraction);
        }
    }

    /** When a ticket of this age must be replaced, before om-core forgets it. */
    public Duration requeueAfter() {
        return Duration.ofMillis((long) (ticketTtl.toMillis() * requeueAtFraction));
    }

    public static FrontendConfig fromEnv(Map<String, String> env) {
        return new FrontendConfig(
                port(env, "FRONTEND_PORT", DEFAULT_PORT),
                port(env, "FRONTEND_METRICS_PORT", DEFAULT_METRICS_PORT),
                read(env, "REDIS_URL", "redis://127.0.0.1:6379", Function.identity()),
                read(env, "OM_CORE_TARGET", "127.0.0.1:50581", Function.identity()),
                read(env, "FRONTEND_REGIONS", List.of("eu", "us"), FrontendConfig::regionList),
                Optional.ofNullable(env.get("FRONTEND_JWT_KEY_FILE")).filter(s -> !s.isBlank()).map(Path::of),
                Duration.ofSeconds(positive(env, "FRONTEND_ACCESS_TOKEN_TTL_SECONDS", 900)),
                Duration.ofSeconds(positive(env, "FRONTEND_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600)),
                Duration.ofMillis(positive(env, "FRONTEND_TICKET_TTL_MS", 600_000)),
                read(env, "FRONTEND_REQUEUE_AT_FRACTION", 0.8, Double::parseDouble),
                Duration.ofMillis(positive(env, "FRONTEND_QUEUE_TIMEOUT_MS", 600_000)),
                Duration.ofMillis(positive(env, "FRONTEND_STATUS_INTERVAL_MS", 3_000)),
                Duration.ofMillis(positive(env, "FRONTEND_SWEEP_INTERVAL_MS", 5_000)),
                (int) positive(env, "FRONTEND_FIND_MATCH_PER_MINUTE", 5),
                (int) positive(env, "FRONTEND_CALLS_PER_SECOND", 20),
                (int) positive(env, "FRONTEND_ANONYMOUS_CALLS_PER_MINUTE", 120),
                Duration.ofMillis(positive(env, "FRONTEND_RESULTS_CLAIM_IDLE_MS", 60_000)),
                Duration.ofSeconds(positive(env, "FRONTEND_SHUTDOWN_GRACE_SECONDS", 10)));
    }

    private static List<String> regionList(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        int port = read(env, name, fallback, Integer::parseInt);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number, got " + port);
        }
        return port;
    }

    private static long positive(Map<String, String> env, String name, long fallback) {
        long value = read(env, name, fallback, Long::parseLong);
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static <T> T read(Map<String, String> env, String name, T fallback, Function<String, T> parse) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return parse.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + "='" + raw + "': " + e.getMessage(), e);
        }
    }
}
