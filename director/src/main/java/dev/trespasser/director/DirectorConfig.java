package dev.trespasser.director;

import dev.trespasser.director.allocation.AgonesAllocator;
import dev.trespasser.director.allocation.LocalFleetAllocator.LocalGameServer;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.director.tokens.SigningKeys;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
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
import java.util.function.Function;

/** Configuration from environment variables; every one has a default (README "Configuration"). */
public record DirectorConfig(
        String omCoreTarget,
        MatchmakingFunctionSpec mmf,
        String redisUrl,
        List<MatchProfile> profiles,
        Duration cycle,
        Duration invokeTimeout,
        Duration backoffBase,
        Duration backoffMax,
        int loopThreads,
        Allocator allocator,
        List<String> maps,
        Duration claimTtl,
        Duration assignmentTtl,
        TokenKeys tokenKeys,
        Duration tokenTtl,
        int metricsPort,
        Duration shutdownGrace) {

    static final String DEFAULT_PROFILES = "4v4:eu,4v4:us,2v2:eu,1v1:eu";

    /** Which fleet allocations go to. */
    public sealed interface Allocator {}

    /** Agones in a cluster; {@code apiUrl} or {@code kubeconfig} override the in-cluster service account. */
    public record Agones(
            AgonesAllocator.Settings settings, Optional<String> apiUrl, Optional<Path> kubeconfig, Duration timeout)
            implements Allocator {}

    /** The local stack's SDK servers and GameServer files. */
    public record Local(List<LocalGameServer> servers) implements Allocator {}

    /** Where the join token signing key comes from: a PEM file, PEM text, or dev mode. */
    public record TokenKeys(Optional<Path> privateKeyFile, Optional<String> privateKeyPem, boolean devKeys, Optional<Path> publicKeyOut) {

        public TokenKeys {
            int sources = (privateKeyFile.isPresent() ? 1 : 0) + (privateKeyPem.isPresent() ? 1 : 0) + (devKeys ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException("set exactly one of JOIN_TOKEN_PRIVATE_KEY_FILE, JOIN_TOKEN_PRIVATE_KEY "
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

    public static DirectorConfig fromEnv(Map<String, String> env) {
        String mmfHost = read(env, "MMF_HOST", "127.0.0.1", Function.identity());
        MatchmakingFunctionSpec mmf = MatchmakingFunctionSpec.newBuilder()
                .setName(read(env, "DIRECTOR_MMF_NAME", "trespasser-mmf", Function.identity()))
                // om-core parses host:port as a URL and needs a scheme; https would make it fetch an ID token.
                .setHost(mmfHost.contains("://") ? mmfHost : "http://" + mmfHost)
                .setPort(port(env, "MMF_PORT", 50502))
                .setType(MatchmakingFunctionSpec.Type.GRPC)
                .build();
        return new DirectorConfig(
                read(env, "OM_CORE_TARGET", "127.0.0.1:50581", Function.identity()),
                mmf,
                read(env, "REDIS_URL", "redis://127.0.0.1:6379", Function.identity()),
                read(env, "DIRECTOR_PROFILES", MatchProfile.parseAll(DEFAULT_PROFILES), MatchProfile::parseAll),
                millis(env, "DIRECTOR_CYCLE_MS", 250),
                millis(env, "DIRECTOR_INVOKE_TIMEOUT_MS", 10_000),
                millis(env, "DIRECTOR_BACKOFF_BASE_MS", 1_000),
                millis(env, "DIRECTOR_BACKOFF_MAX_MS", 30_000),
                positive(env, "DIRECTOR_LOOP_THREADS", 4),
                allocator(env),
                read(env, "DIRECTOR_MAPS", List.of("depot", "crossfire"), DirectorConfig::list),
                Duration.ofSeconds(positive(env, "DIRECTOR_CLAIM_TTL_SECONDS", 120)),
                Duration.ofSeconds(positive(env, "DIRECTOR_ASSIGNMENT_TTL_SECONDS", 600)),
                new TokenKeys(
                        optional(env, "JOIN_TOKEN_PRIVATE_KEY_FILE").map(Path::of),
                        optional(env, "JOIN_TOKEN_PRIVATE_KEY"),
                        read(env, "JOIN_TOKEN_DEV_KEYS", false, DirectorConfig::bool),
                        optional(env, "JOIN_TOKEN_PUBLIC_KEY_OUT").map(Path::of)),
                Duration.ofSeconds(positive(env, "JOIN_TOKEN_TTL_SECONDS", 900)),
                port(env, "DIRECTOR_METRICS_PORT", 9103),
                Duration.ofSeconds(positive(env, "DIRECTOR_SHUTDOWN_GRACE_SECONDS", 20)));
    }

    private static Allocator allocator(Map<String, String> env) {
        String kind = read(env, "DIRECTOR_ALLOCATOR", "agones", value -> value.toLowerCase(Locale.ROOT));
        switch (kind) {
            case "agones":
                return new Agones(
                        new AgonesAllocator.Settings(
                                read(env, "DIRECTOR_NAMESPACE", "default", Function.identity()),
                                read(env, "DIRECTOR_FLEET", "trespasser-match", Function.identity()),
                                read(env, "DIRECTOR_SELECTOR_LABELS", Map.of(), DirectorConfig::labels),
                                read(env, "DIRECTOR_GAME_PORT_NAME", "game", Function.identity()),
                                positive(env, "DIRECTOR_CONTENTION_ATTEMPTS", 4),
                                millis(env, "DIRECTOR_CONTENTION_BACKOFF_MS", 50)),
                        optional(env, "DIRECTOR_KUBE_API_URL"),
                        optional(env, "DIRECTOR_KUBECONFIG").map(Path::of),
                        millis(env, "DIRECTOR_ALLOCATION_TIMEOUT_MS", 10_000));
            case "local":
                if (optional(env, "DIRECTOR_LOCAL_FLEET").isEmpty()) {
                    throw new IllegalArgumentException("DIRECTOR_ALLOCATOR=local needs DIRECTOR_LOCAL_FLEET (FILE:SDK_PORT:HOST:PORT,...)");
                }
                return new Local(read(env, "DIRECTOR_LOCAL_FLEET", List.of(), LocalGameServer::parseAll));
            default:
                throw new IllegalArgumentException("DIRECTOR_ALLOCATOR='" + kind + "': expected agones or local");
        }
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
        List<String> items = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
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

    private static Optional<String> optional(Map<String, String> env, String name) {
        String raw = env.get(name);
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.trim());
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        int port = read(env, name, fallback, Integer::parseInt);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number, got " + port);
        }
        return port;
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        int value = read(env, name, fallback, Integer::parseInt);
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static Duration millis(Map<String, String> env, String name, int fallback) {
        return Duration.ofMillis(positive(env, name, fallback));
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
