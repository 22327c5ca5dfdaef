package dev.trespasser.frontend;

import dev.trespasser.frontend.auth.PasswordHasher;
import dev.trespasser.frontend.limits.ClientAddress;
import dev.trespasser.frontend.limits.LoginLockout;
import dev.trespasser.runtime.EnvSettings;
import dev.trespasser.runtime.RedisClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Configuration from environment variables; every one has a default (see the README table). A
 * port of 0 lets the system pick one.
 */
public record FrontendConfig(
        int port,
        int metricsPort,
        String redisUrl,
        RedisClientSettings redisClient,
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
        Duration reconcileInterval,
        int findMatchPerMinute,
        int callsPerSecond,
        int anonymousCallsPerMinute,
        Duration resultsClaimIdle,
        Duration shutdownGrace,
        boolean devMode,
        Optional<Path> jwtPreviousKeyFile,
        PasswordHasher.Argon2idCost argon2Cost,
        int passwordHashThreads,
        int passwordHashQueue,
        LoginLockout.Settings loginLockout,
        int unauthenticatedCallsPerMinute,
        int registrationsPerHour,
        GrpcServerSettings grpcServer,
        BrowserSettings browser,
        Optional<TlsFiles> tls) {

    public static final int DEFAULT_PORT = 50504;
    public static final int DEFAULT_METRICS_PORT = 9104;
    public static final int DEFAULT_WEB_PORT = 8080;
    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public FrontendConfig {
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("FRONTEND_REGIONS must name at least one region");
        }
        for (String region : regions) {
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException(
                        "FRONTEND_REGIONS: '" + region + "' is not a region name (a-z, 0-9, -)");
            }
        }
        if (requeueAtFraction <= 0 || requeueAtFraction >= 1) {
            throw new IllegalArgumentException(
                    "FRONTEND_REQUEUE_AT_FRACTION must be between 0 and 1, got " + requeueAtFraction);
        }
        // Production is the default: a per-process key would silently log players out on every restart.
        if (jwtKeyFile.isEmpty() && !devMode) {
            throw new IllegalArgumentException("FRONTEND_JWT_KEY_FILE is required (the key every replica shares); "
                    + "set FRONTEND_DEV_MODE=true to run locally with a random per-process key");
        }
        if (jwtPreviousKeyFile.isPresent() && jwtKeyFile.isEmpty()) {
            throw new IllegalArgumentException("FRONTEND_JWT_PREVIOUS_KEY_FILE needs FRONTEND_JWT_KEY_FILE");
        }
        argon2Cost.checkConfigured();
        if (passwordHashQueue < 0) {
            throw new IllegalArgumentException(
                    "FRONTEND_PASSWORD_HASH_QUEUE must be 0 or more, got " + passwordHashQueue);
        }
    }

    /**
     * The public gRPC server's connection policy. Reflection lists every method to anyone who asks,
     * so it is off unless enabled (the local stack turns it on). A connection lives at most
     * {@code maxConnectionAge} (then gets {@code maxConnectionAgeGrace} to finish its calls, e.g. a
     * WatchAssignment stream, which the client reopens) so that clients spread over new replicas;
     * keepalive pings find dead peers, and clients pinging more often than {@code permitKeepAliveTime}
     * are cut off. {@code trustedProxyHops} HTTP proxies in front of the frontend append to
     * {@code x-forwarded-for}; 0 (the default) keys per-address limits on the transport peer.
     */
    public record GrpcServerSettings(
            boolean reflection,
            Duration maxConnectionAge,
            Duration maxConnectionAgeGrace,
            Duration keepAliveTime,
            Duration keepAliveTimeout,
            Duration permitKeepAliveTime,
            int trustedProxyHops) {

        /** gRPC's own floor for permitted client pings; anything shorter lets clients flood pings. */
        static final Duration MIN_PERMIT_KEEPALIVE = Duration.ofSeconds(10);

        static final Duration MIN_CONNECTION_AGE = Duration.ofMinutes(1);
        static final Duration MAX_CONNECTION_AGE = Duration.ofDays(1);

        public GrpcServerSettings {
            if (maxConnectionAge.compareTo(MIN_CONNECTION_AGE) < 0
                    || maxConnectionAge.compareTo(MAX_CONNECTION_AGE) > 0) {
                throw new IllegalArgumentException("FRONTEND_MAX_CONNECTION_AGE_SECONDS must be between "
                        + MIN_CONNECTION_AGE.toSeconds() + " and " + MAX_CONNECTION_AGE.toSeconds() + ", got "
                        + maxConnectionAge.toSeconds());
            }
            if (maxConnectionAgeGrace.compareTo(maxConnectionAge) > 0) {
                throw new IllegalArgumentException("FRONTEND_MAX_CONNECTION_AGE_GRACE_SECONDS ("
                        + maxConnectionAgeGrace.toSeconds() + ") must not exceed FRONTEND_MAX_CONNECTION_AGE_SECONDS ("
                        + maxConnectionAge.toSeconds() + ")");
            }
            if (keepAliveTime.compareTo(MIN_PERMIT_KEEPALIVE) < 0) {
                throw new IllegalArgumentException("FRONTEND_KEEPALIVE_TIME_SECONDS must be at least "
                        + MIN_PERMIT_KEEPALIVE.toSeconds() + ", got " + keepAliveTime.toSeconds());
            }
            if (keepAliveTimeout.compareTo(keepAliveTime) > 0) {
                throw new IllegalArgumentException(
                        "FRONTEND_KEEPALIVE_TIMEOUT_SECONDS must not exceed FRONTEND_KEEPALIVE_TIME_SECONDS");
            }
            if (permitKeepAliveTime.compareTo(MIN_PERMIT_KEEPALIVE) < 0) {
                throw new IllegalArgumentException("FRONTEND_PERMIT_KEEPALIVE_TIME_SECONDS must be at least "
                        + MIN_PERMIT_KEEPALIVE.toSeconds() + ", got " + permitKeepAliveTime.toSeconds());
            }
            if (trustedProxyHops < 0 || trustedProxyHops > ClientAddress.MAX_TRUSTED_HOPS) {
                throw new IllegalArgumentException("FRONTEND_TRUSTED_PROXY_HOPS must be between 0 and "
                        + ClientAddress.MAX_TRUSTED_HOPS + ", got " + trustedProxyHops);
            }
        }

        static GrpcServerSettings fromEnv(EnvSettings env) {
            return new GrpcServerSettings(
                    env.read("FRONTEND_GRPC_REFLECTION", false, FrontendConfig::strictBoolean),
                    Duration.ofSeconds(env.positiveLong("FRONTEND_MAX_CONNECTION_AGE_SECONDS", 1800)),
                    Duration.ofSeconds(env.read(
                            "FRONTEND_MAX_CONNECTION_AGE_GRACE_SECONDS", 300L, FrontendConfig::nonNegativeLong)),
                    Duration.ofSeconds(env.positiveLong("FRONTEND_KEEPALIVE_TIME_SECONDS", 60)),
                    Duration.ofSeconds(env.positiveLong("FRONTEND_KEEPALIVE_TIMEOUT_SECONDS", 20)),
                    Duration.ofSeconds(env.positiveLong("FRONTEND_PERMIT_KEEPALIVE_TIME_SECONDS", 20)),
                    env.read("FRONTEND_TRUSTED_PROXY_HOPS", 0, Integer::parseInt));
        }
    }

    /**
     * The browser port: the web bundle and the player API over gRPC-Web. {@code allowedOrigins}
     * are the exact origins ({@code scheme://host[:port]}, lower case) whose pages may call the API
     * across origins; empty means only pages served from this port itself.
     */
    public record BrowserSettings(int port, List<String> allowedOrigins) {

        private static final Pattern ORIGIN = Pattern.compile(
                "https?://([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");

        public BrowserSettings {
            allowedOrigins = List.copyOf(allowedOrigins);
            for (String origin : allowedOrigins) {
                if (!ORIGIN.matcher(origin).matches()) {
                    throw new IllegalArgumentException("FRONTEND_ALLOWED_ORIGINS: '" + origin
                            + "' is not an exact origin (http(s)://host[:port], no path, no wildcard)");
                }
            }
        }

        static BrowserSettings fromEnv(EnvSettings env) {
            return new BrowserSettings(
                    env.port("FRONTEND_WEB_PORT", DEFAULT_WEB_PORT),
                    env.read("FRONTEND_ALLOWED_ORIGINS", List.of(), FrontendConfig::originList));
        }
    }

    /**
     * The PEM files both public ports serve TLS with: the certificate chain (leaf first) and its
     * PKCS#8 private key, as cert-manager writes them. Both or neither.
     */
    public record TlsFiles(Path certificateFile, Path keyFile) {

        static Optional<TlsFiles> fromEnv(EnvSettings env) {
            Optional<String> certificate = env.optional("FRONTEND_TLS_CERT_FILE");
            Optional<String> key = env.optional("FRONTEND_TLS_KEY_FILE");
            if (certificate.isPresent() != key.isPresent()) {
                throw new IllegalArgumentException("FRONTEND_TLS_CERT_FILE and FRONTEND_TLS_KEY_FILE go together: "
                        + (certificate.isPresent() ? "FRONTEND_TLS_KEY_FILE" : "FRONTEND_TLS_CERT_FILE")
                        + " is missing (set both for TLS, neither for plaintext)");
            }
            return certificate.map(c -> new TlsFiles(Path.of(c), Path.of(key.orElseThrow())));
        }
    }

    /** When a ticket of this age must be replaced, before om-core forgets it. */
    public Duration requeueAfter() {
        return Duration.ofMillis((long) (ticketTtl.toMillis() * requeueAtFraction));
    }

    public static FrontendConfig fromEnv(Map<String, String> variables) {
        EnvSettings env = new EnvSettings(variables);
        return new FrontendConfig(
                env.port("FRONTEND_PORT", DEFAULT_PORT),
                env.port("FRONTEND_METRICS_PORT", DEFAULT_METRICS_PORT),
                env.string("REDIS_URL", "redis://127.0.0.1:6379"),
                redisClient(env),
                env.string("OM_CORE_TARGET", "127.0.0.1:50581"),
                env.read("FRONTEND_REGIONS", List.of("eu", "us"), FrontendConfig::regionList),
                env.optional("FRONTEND_JWT_KEY_FILE").map(Path::of),
                Duration.ofSeconds(env.positiveLong("FRONTEND_ACCESS_TOKEN_TTL_SECONDS", 900)),
                Duration.ofSeconds(env.positiveLong("FRONTEND_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600)),
                env.millis("FRONTEND_TICKET_TTL_MS", 600_000),
                env.read("FRONTEND_REQUEUE_AT_FRACTION", 0.8, Double::parseDouble),
                env.millis("FRONTEND_QUEUE_TIMEOUT_MS", 600_000),
                env.millis("FRONTEND_STATUS_INTERVAL_MS", 3_000),
                env.millis("FRONTEND_SWEEP_INTERVAL_MS", 5_000),
                env.millis("FRONTEND_RECONCILE_INTERVAL_MS", 2_000),
                env.positiveInt("FRONTEND_FIND_MATCH_PER_MINUTE", 5),
                env.positiveInt("FRONTEND_CALLS_PER_SECOND", 20),
                env.positiveInt("FRONTEND_ANONYMOUS_CALLS_PER_MINUTE", 120),
                env.millis("FRONTEND_RESULTS_CLAIM_IDLE_MS", 60_000),
                Duration.ofSeconds(env.positiveLong("FRONTEND_SHUTDOWN_GRACE_SECONDS", 10)),
                env.read("FRONTEND_DEV_MODE", false, FrontendConfig::strictBoolean),
                env.optional("FRONTEND_JWT_PREVIOUS_KEY_FILE").map(Path::of),
                new PasswordHasher.Argon2idCost(
                        env.positiveInt(
                                "FRONTEND_ARGON2_MEMORY_KIB", PasswordHasher.Argon2idCost.OWASP_MINIMUM.memoryKib()),
                        env.positiveInt(
                                "FRONTEND_ARGON2_ITERATIONS", PasswordHasher.Argon2idCost.OWASP_MINIMUM.iterations()),
                        env.positiveInt(
                                "FRONTEND_ARGON2_PARALLELISM",
                                PasswordHasher.Argon2idCost.OWASP_MINIMUM.parallelism())),
                env.positiveInt("FRONTEND_PASSWORD_HASH_THREADS", 1),
                env.read("FRONTEND_PASSWORD_HASH_QUEUE", 8, Integer::parseInt),
                new LoginLockout.Settings(
                        env.positiveInt("FRONTEND_LOGIN_FAILURES_BEFORE_LOCKOUT", 5),
                        Duration.ofSeconds(env.positiveLong("FRONTEND_LOGIN_LOCKOUT_FIRST_SECONDS", 30)),
                        Duration.ofSeconds(env.positiveLong("FRONTEND_LOGIN_LOCKOUT_MAX_SECONDS", 900)),
                        Duration.ofSeconds(env.positiveLong("FRONTEND_LOGIN_FAILURE_MEMORY_SECONDS", 3600))),
                env.positiveInt("FRONTEND_UNAUTHENTICATED_CALLS_PER_MINUTE", 30),
                env.positiveInt("FRONTEND_REGISTRATIONS_PER_HOUR", 20),
                GrpcServerSettings.fromEnv(env),
                BrowserSettings.fromEnv(env),
                TlsFiles.fromEnv(env));
    }

    /** The results consumer blocks 1 s in XREADGROUP: every reply must be allowed longer than that. */
    private static RedisClientSettings redisClient(EnvSettings env) {
        RedisClientSettings settings = RedisClientSettings.fromEnv(env);
        if (settings.socketTimeout().toMillis() < 1_500) {
            throw new IllegalArgumentException("REDIS_SOCKET_TIMEOUT_MS must be at least 1500 (the results consumer "
                    + "blocks 1000 ms per read), got "
                    + settings.socketTimeout().toMillis());
        }
        return settings;
    }

    private static boolean strictBoolean(String raw) {
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static long nonNegativeLong(String raw) {
        long value = Long.parseLong(raw);
        if (value < 0) {
            throw new IllegalArgumentException("must be 0 or more");
        }
        return value;
    }

    private static List<String> originList(String raw) {
        return Arrays.stream(raw.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
    }

    private static List<String> regionList(String raw) {
        return Arrays.stream(raw.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }
}
