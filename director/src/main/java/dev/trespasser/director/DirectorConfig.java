package dev.trespasser.director;

import dev.trespasser.director.allocation.AgonesAllocator;
import dev.trespasser.director.assignments.HostTemplate;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.director.tokens.SigningKeys;
import dev.trespasser.proto.MatchLifetime;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.runtime.EnvSettings;
import dev.trespasser.runtime.RedisClientSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Configuration from environment variables; every one has a default (README "Configuration"). */
public record DirectorConfig(
        String omCoreTarget,
        MatchmakingFunctionSpec mmf,
        String redisUrl,
        RedisClientSettings redisClient,
        List<MatchProfile> profiles,
        int maxPoolTickets,
        Duration cycle,
        Duration invokeTimeout,
        Duration backoffBase,
        Duration backoffMax,
        int loopThreads,
        int placementConcurrency,
        Agones agones,
        List<String> maps,
        MatchRules rules,
        Duration claimTtl,
        Duration claimLease,
        Duration invokeRetryMax,
        TokenKeys tokenKeys,
        int metricsPort,
        Duration shutdownGrace,
        HostTemplate hostTemplate,
        boolean matchTls) {

    public DirectorConfig {
        if (claimLease.compareTo(claimTtl) > 0) {
            throw new IllegalArgumentException("DIRECTOR_CLAIM_LEASE_SECONDS (" + claimLease.toSeconds()
                    + ") must not exceed DIRECTOR_CLAIM_TTL_SECONDS (" + claimTtl.toSeconds() + ")");
        }
    }

    static final String DEFAULT_PROFILES = "4v4:eu,4v4:us,2v2:eu,1v1:eu";

    // Upper bounds catch typos (a time limit in milliseconds, an extra zero) before a match runs
    // for hours; the benchmark's "endless" match uses a kill limit of 10,000.
    static final int MAX_KILL_LIMIT = 10_000;
    static final int MAX_TIME_LIMIT_SECONDS = 7_200;
    static final int MAX_ROUNDS = 100;
    /**
     * A quarter of the 11,821 tickets measured to fill one om-core chunk (docs/benchmarks.md):
     * tickets with more attributes or longer ids than the measured ones still fit, and a pool that
     * spans chunks meets om-core ac392a0's roster defect (docs/peers.md).
     */
    static final int DEFAULT_MAX_POOL_TICKETS = 3_000;
    /** Above half a measured chunk the margin for larger tickets is gone. */
    static final int MAX_MAX_POOL_TICKETS = 6_000;

    /**
     * Where allocations go: Agones in a cluster; {@code apiUrl} or {@code kubeconfig} override the
     * in-cluster service account. (The local stack runs the director with an allocator of its own.)
     */
    public record Agones(
            AgonesAllocator.Settings settings, Optional<String> apiUrl, Optional<Path> kubeconfig, Duration timeout) {}

    /** Where the join token signing key comes from: a PEM file, PEM text, or dev mode. */
    public record TokenKeys(
            Optional<Path> privateKeyFile,
            Optional<String> privateKeyPem,
            boolean devKeys,
            Optional<Path> publicKeyOut) {

        public TokenKeys {
            int sources =
                    (privateKeyFile.isPresent() ? 1 : 0) + (privateKeyPem.isPresent() ? 1 : 0) + (devKeys ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException(
                        "set exactly one of JOIN_TOKEN_PRIVATE_KEY_FILE, JOIN_TOKEN_PRIVATE_KEY "
                                + "or JOIN_TOKEN_DEV_KEYS=true (got " + sources + ")");
            }
        }

        public PrivateKey load() throws IOException {
            if (devKeys) {
                return SigningKeys.generateForDevelopment(publicKeyOut);
            }
            return privateKeyFile.isPresent()
                    ? SigningKeys.readPrivateKey(privateKeyFile.get())
                    : SigningKeys.parsePrivateKey(privateKeyPem.get());
        }
    }

    public static DirectorConfig fromEnv(Map<String, String> variables) {
        EnvSettings env = new EnvSettings(variables);
        String mmfHost = env.string("MMF_HOST", "127.0.0.1");
        MatchmakingFunctionSpec mmf = MatchmakingFunctionSpec.newBuilder()
                .setName(env.string("DIRECTOR_MMF_NAME", "trespasser-mmf"))
                // om-core parses host:port as a URL and needs a scheme; https would make it fetch an ID token.
                .setHost(mmfHost.contains("://") ? mmfHost : "http://" + mmfHost)
                .setPort(env.port("MMF_PORT", 50502))
                .setType(MatchmakingFunctionSpec.Type.GRPC)
                .build();
        return new DirectorConfig(
                env.string("OM_CORE_TARGET", "127.0.0.1:50581"),
                mmf,
                env.string("REDIS_URL", "redis://127.0.0.1:6379"),
                RedisClientSettings.fromEnv(env),
                env.read("DIRECTOR_PROFILES", MatchProfile.parseAll(DEFAULT_PROFILES), MatchProfile::parseAll),
                bounded(env, "DIRECTOR_MAX_POOL_TICKETS", DEFAULT_MAX_POOL_TICKETS, MAX_MAX_POOL_TICKETS),
                env.millis("DIRECTOR_CYCLE_MS", 250),
                env.millis("DIRECTOR_INVOKE_TIMEOUT_MS", 10_000),
                env.millis("DIRECTOR_BACKOFF_BASE_MS", 1_000),
                env.millis("DIRECTOR_BACKOFF_MAX_MS", 30_000),
                env.positiveInt("DIRECTOR_LOOP_THREADS", 4),
                bounded(env, "DIRECTOR_PLACEMENT_CONCURRENCY", 4, 64),
                agones(env),
                env.read("DIRECTOR_MAPS", List.of("depot", "crossfire"), DirectorConfig::list),
                rules(env),
                Duration.ofSeconds(env.positiveInt("DIRECTOR_CLAIM_TTL_SECONDS", 120)),
                Duration.ofSeconds(env.positiveInt("DIRECTOR_CLAIM_LEASE_SECONDS", 6)),
                env.millis("DIRECTOR_INVOKE_RETRY_MAX_MS", 1_000),
                new TokenKeys(
                        env.optional("JOIN_TOKEN_PRIVATE_KEY_FILE").map(Path::of),
                        env.optional("JOIN_TOKEN_PRIVATE_KEY"),
                        env.read("JOIN_TOKEN_DEV_KEYS", false, DirectorConfig::bool),
                        env.optional("JOIN_TOKEN_PUBLIC_KEY_OUT").map(Path::of)),
                env.port("DIRECTOR_METRICS_PORT", 9103),
                Duration.ofSeconds(env.positiveInt("DIRECTOR_SHUTDOWN_GRACE_SECONDS", 20)),
                env.read("DIRECTOR_HOST_TEMPLATE", HostTemplate.parse(HostTemplate.DEFAULT), HostTemplate::parse),
                env.read("DIRECTOR_MATCH_TLS", true, DirectorConfig::bool));
    }

    /**
     * The rules every match this director places is played with (GAME.md's defaults unless set;
     * the local stack shortens them for demo matches). Always sent explicitly, so a match server
     * never falls back on a default of its own build.
     */
    private static MatchRules rules(EnvSettings env) {
        return MatchRules.newBuilder()
                .setKillLimit(bounded(env, "DIRECTOR_KILL_LIMIT", 50, MAX_KILL_LIMIT))
                .setTimeLimitSeconds(bounded(env, "DIRECTOR_TIME_LIMIT_SECONDS", 600, MAX_TIME_LIMIT_SECONDS))
                .setFriendlyFire(env.read("DIRECTOR_FRIENDLY_FIRE", false, DirectorConfig::bool))
                .setMaxRounds(bounded(env, "DIRECTOR_MAX_ROUNDS", MatchLifetime.DEFAULT_MAX_ROUNDS, MAX_ROUNDS))
                .build();
    }

    /**
     * The longest a match under {@link #rules} can last: the join tokens' lifetime and the
     * assignment keys' TTL, so a player can fetch their assignment and rejoin until the match is over.
     */
    public Duration matchLifetime() {
        return MatchLifetime.longest(rules);
    }

    private static int bounded(EnvSettings env, String name, int fallback, int max) {
        int value = env.positiveInt(name, fallback);
        if (value > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + ", got " + value);
        }
        return value;
    }

    private static Agones agones(EnvSettings env) {
        return new Agones(
                new AgonesAllocator.Settings(
                        env.string("DIRECTOR_NAMESPACE", "default"),
                        env.string("DIRECTOR_FLEET", "trespasser-match"),
                        env.read("DIRECTOR_SELECTOR_LABELS", Map.of(), DirectorConfig::labels),
                        env.string("DIRECTOR_GAME_PORT_NAME", "game"),
                        env.positiveInt("DIRECTOR_CONTENTION_ATTEMPTS", 4),
                        env.millis("DIRECTOR_CONTENTION_BACKOFF_MS", 50)),
                env.optional("DIRECTOR_KUBE_API_URL"),
                env.optional("DIRECTOR_KUBECONFIG").map(Path::of),
                env.millis("DIRECTOR_ALLOCATION_TIMEOUT_MS", 10_000));
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : list(text)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + pair + "'");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return labels;
    }

    private static List<String> list(String text) {
        List<String> items = Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty list");
        }
        return items;
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }
}
