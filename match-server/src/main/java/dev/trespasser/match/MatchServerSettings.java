package dev.trespasser.match;

import dev.trespasser.match.agones.GameServerLifecycle;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.net.ServerTls;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.runtime.EnvSettings;
import dev.trespasser.runtime.RedisClientSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the match server reads from its environment, in one place (no other class of the
 * process reads it); each part goes to the component it configures. Documented in
 * docs/configuration.md.
 *
 * @param gamePort       {@code MATCH_PORT}: the players' WebSocket port
 * @param adminPort      {@code MATCH_ADMIN_PORT}: {@code /metrics} and {@code /healthz}
 * @param joinTokenKey   {@code JOIN_TOKEN_PUBLIC_KEY_FILE} or {@code JOIN_TOKEN_PUBLIC_KEY}, and the optional
 *                       {@code JOIN_TOKEN_PREVIOUS_PUBLIC_KEY_FILE}: what join tokens are verified with
 * @param edge           the WebSocket edge's limits
 * @param room           how a room runs its match
 * @param agones         the sidecar and the lifecycle
 * @param results        where results and replays go, and how the result spool retries and how big it may grow
 * @param drain          what SIGTERM does
 * @param gameServerName {@code HOSTNAME}: Agones names the pod after its GameServer
 * @param tls            {@code MATCH_TLS_CERT_FILE} and {@code MATCH_TLS_KEY_FILE}: serve wss:// (both or neither)
 */
public record MatchServerSettings(
        int gamePort,
        int adminPort,
        JoinTokenKey joinTokenKey,
        EdgeLimits edge,
        RoomConfig room,
        Agones agones,
        Results results,
        Drain drain,
        String gameServerName,
        Optional<Tls> tls) {

    public static final int DEFAULT_SDK_HTTP_PORT = 9358;
    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    public static final Duration DEFAULT_REPLAY_TTL = Duration.ofDays(7);
    /** Twice the replay of a 10-minute 4v4 round at full input rate (issue 10: at most 1 MiB). */
    public static final long DEFAULT_REPLAY_MAX_BYTES = 2L << 20;
    /** A match has at most a handful of rounds, and the server waits for them before Ready. */
    public static final int DEFAULT_SPOOL_MAX_RESULTS = 32;
    /** Two full-size replays; a match server runs in a 16 MiB heap. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 4L << 20;

    public static final Duration DEFAULT_RETRY_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESULT_DRAIN = Duration.ofSeconds(20);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /** Health pings must beat the GameServer's health period (Agones default 5 s). */
    public static final Duration DEFAULT_HEALTH_PING = Duration.ofSeconds(2);

    public static final Duration DEFAULT_AGONES_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READY_CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_MATCHES = 50;

    /**
     * Where the join-token public keys come from: a PEM file, else PEM text; the previous key
     * ({@code JOIN_TOKEN_PREVIOUS_PUBLIC_KEY_FILE}, optional) is accepted beside it during a rotation.
     */
    public record JoinTokenKey(Optional<Path> file, String pem, Optional<Path> previousFile) {

        public JoinTokenKey(Optional<Path> file, String pem) {
            this(file, pem, Optional.empty());
        }

        /** The previous key's PEM text, when a rotation is under way. */
        public Optional<String> readPreviousPem() throws IOException {
            if (previousFile.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(previousFile.get(), StandardCharsets.US_ASCII));
        }

        /** The PEM text ({@code BEGIN PUBLIC KEY}); fails when neither variable is set. */
        public String readPem() throws IOException {
            if (file.isPresent()) {
                return Files.readString(file.get(), StandardCharsets.US_ASCII);
            }
            if (pem.isEmpty()) {
                throw new IllegalArgumentException("set JOIN_TOKEN_PUBLIC_KEY_FILE or JOIN_TOKEN_PUBLIC_KEY");
            }
            return pem;
        }
    }

    /**
     * @param sdkHttpPort    {@code AGONES_SDK_HTTP_PORT}: the sidecar's HTTP gateway on localhost
     * @param playerTracking {@code AGONES_PLAYER_TRACKING}: report joins and leaves (alpha SDK)
     * @param lifecycle      {@code MATCH_HEALTH_PING_MS}, {@code AGONES_CONNECT_TIMEOUT_SECONDS},
     *                       {@code MATCH_READY_CONFIRM_TIMEOUT_SECONDS}, {@code MATCH_MAX_MATCHES}
     */
    public record Agones(int sdkHttpPort, boolean playerTracking, GameServerLifecycle.Settings lifecycle) {}

    /**
     * @param redisUrl        {@code REDIS_URL}: where results (the stream) are written
     * @param replayRedisUrl  {@code MATCH_REPLAY_REDIS_URL}: the replay store (default: {@code REDIS_URL})
     * @param replayTtl       {@code MATCH_REPLAY_TTL_SECONDS}: how long a replay is kept
     * @param replayMaxBytes  {@code MATCH_REPLAY_MAX_BYTES}: a bigger replay is not stored (its result still goes)
     * @param spoolMaxResults {@code MATCH_RESULT_SPOOL_MAX_RESULTS}: rounds the result spool holds
     * @param spoolMaxBytes   {@code MATCH_RESULT_SPOOL_MAX_BYTES}: replay bytes the result spool holds
     * @param retryBase       {@code MATCH_RESULT_RETRY_BASE_MS}: the first pause after a failed send
     * @param retryMax        {@code MATCH_RESULT_RETRY_MAX_MS}: the longest pause between sends
     */
    public record Results(
            URI redisUrl,
            URI replayRedisUrl,
            Duration replayTtl,
            long replayMaxBytes,
            int spoolMaxResults,
            long spoolMaxBytes,
            Duration retryBase,
            Duration retryMax,
            RedisClientSettings redisClient) {}

    /**
     * @param policy        {@code MATCH_DRAIN_POLICY}: finish or abandon the current match on SIGTERM
     * @param timeout       {@code MATCH_DRAIN_TIMEOUT_SECONDS}: the longest SIGTERM waits for a match
     * @param resultTimeout {@code MATCH_RESULT_DRAIN_SECONDS}: on SIGTERM, how long held results may take to go out
     */
    public record Drain(DrainPolicy policy, Duration timeout, Duration resultTimeout) {}

    /**
     * The PEM files the players' endpoint serves wss:// with. Only the paths are settings: the files
     * are read when the server starts ({@link #load}), so a configuration can be checked where the
     * files do not exist (the manifests' tests).
     *
     * @param certificateFile {@code MATCH_TLS_CERT_FILE}: the certificate chain, leaf first
     * @param keyFile         {@code MATCH_TLS_KEY_FILE}: its unencrypted PKCS#8 key (EC or RSA)
     */
    public record Tls(Path certificateFile, Path keyFile) {

        /** Reads both files; a bad file fails with the variable names and what is wrong. */
        public ServerTls load() {
            try {
                return ServerTls.fromPemFiles(certificateFile, keyFile);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MATCH_TLS_CERT_FILE / MATCH_TLS_KEY_FILE: " + e.getMessage(), e);
            }
        }
    }

    /** What SIGTERM does to a match in progress. */
    public enum DrainPolicy {
        /** Let it end (up to the drain timeout), publish its result, then shut down. */
        FINISH,
        /** Close it at once with SERVER_SHUTTING_DOWN and shut down. */
        ABANDON
    }

    public static MatchServerSettings fromEnv(Map<String, String> env) {
        EnvSettings settings = new EnvSettings(env);
        return new MatchServerSettings(
                settings.port("MATCH_PORT", GameSocketServer.DEFAULT_PORT),
                settings.port("MATCH_ADMIN_PORT", AdminServer.DEFAULT_PORT),
                new JoinTokenKey(
                        settings.optional("JOIN_TOKEN_PUBLIC_KEY_FILE").map(Path::of),
                        settings.string("JOIN_TOKEN_PUBLIC_KEY", ""),
                        settings.optional("JOIN_TOKEN_PREVIOUS_PUBLIC_KEY_FILE").map(Path::of)),
                edge(settings),
                new RoomConfig(
                        settings.read("MATCH_SNAPSHOT_RATE_HZ", RoomConfig.DEFAULT_SNAPSHOT_RATE_HZ, Integer::parseInt),
                        settings.read("MATCH_SEED", 0L, Long::parseLong),
                        MatchSettings.defaults(),
                        1),
                agones(settings),
                results(settings),
                new Drain(
                        settings.read("MATCH_DRAIN_POLICY", DrainPolicy.FINISH, MatchServerSettings::drainPolicy),
                        settings.duration("MATCH_DRAIN_TIMEOUT_SECONDS", DEFAULT_DRAIN_TIMEOUT),
                        settings.duration("MATCH_RESULT_DRAIN_SECONDS", DEFAULT_RESULT_DRAIN)),
                settings.string("HOSTNAME", "local"),
                tls(settings));
    }

    private static Optional<Tls> tls(EnvSettings settings) {
        Optional<Path> certificate = settings.optional("MATCH_TLS_CERT_FILE").map(Path::of);
        Optional<Path> key = settings.optional("MATCH_TLS_KEY_FILE").map(Path::of);
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException(
                    "set both MATCH_TLS_CERT_FILE and MATCH_TLS_KEY_FILE, or neither (got only "
                            + (certificate.isPresent() ? "MATCH_TLS_CERT_FILE" : "MATCH_TLS_KEY_FILE") + ")");
        }
        return certificate.map(c -> new Tls(c, key.orElseThrow()));
    }

    private static EdgeLimits edge(EnvSettings settings) {
        EdgeLimits defaults = EdgeLimits.defaults();
        return defaults.withHandshakeTimeout(settings.duration(
                        "MATCH_HANDSHAKE_TIMEOUT_MS", "MATCH_HANDSHAKE_TIMEOUT_MILLIS", defaults.handshakeTimeout()))
                .withConnectionCaps(
                        settings.positiveInt("MATCH_CONNECTIONS_PER_ADDRESS", defaults.connectionsPerAddress()),
                        settings.positiveInt("MATCH_CONNECTIONS_MAX", defaults.connectionsTotal()));
    }

    private static Agones agones(EnvSettings settings) {
        return new Agones(
                settings.port("AGONES_SDK_HTTP_PORT", DEFAULT_SDK_HTTP_PORT),
                settings.read("AGONES_PLAYER_TRACKING", false, MatchServerSettings::trueOrFalse),
                new GameServerLifecycle.Settings(
                        settings.duration("MATCH_HEALTH_PING_MS", "MATCH_HEALTH_PING_MILLIS", DEFAULT_HEALTH_PING),
                        settings.duration("AGONES_CONNECT_TIMEOUT_SECONDS", DEFAULT_AGONES_CONNECT_TIMEOUT),
                        settings.duration("MATCH_READY_CONFIRM_TIMEOUT_SECONDS", DEFAULT_READY_CONFIRM_TIMEOUT),
                        // 0 is documented: never retire the server.
                        settings.read("MATCH_MAX_MATCHES", DEFAULT_MAX_MATCHES, Integer::parseInt)));
    }

    private static Results results(EnvSettings settings) {
        URI redisUrl = settings.read("REDIS_URL", URI.create(DEFAULT_REDIS_URL), MatchServerSettings::redisUri);
        long replayMaxBytes = settings.positiveLong("MATCH_REPLAY_MAX_BYTES", DEFAULT_REPLAY_MAX_BYTES);
        long spoolMaxBytes = settings.positiveLong("MATCH_RESULT_SPOOL_MAX_BYTES", DEFAULT_SPOOL_MAX_BYTES);
        if (replayMaxBytes > spoolMaxBytes) {
            throw new IllegalArgumentException(
                    "MATCH_REPLAY_MAX_BYTES=" + replayMaxBytes + " must not exceed MATCH_RESULT_SPOOL_MAX_BYTES="
                            + spoolMaxBytes + " (such a replay could never be held)");
        }
        Duration retryBase =
                settings.duration("MATCH_RESULT_RETRY_BASE_MS", "MATCH_RESULT_RETRY_BASE_MILLIS", DEFAULT_RETRY_BASE);
        Duration retryMax =
                settings.duration("MATCH_RESULT_RETRY_MAX_MS", "MATCH_RESULT_RETRY_MAX_MILLIS", DEFAULT_RETRY_MAX);
        if (retryMax.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("MATCH_RESULT_RETRY_MAX_MS=" + retryMax.toMillis()
                    + " must not be below MATCH_RESULT_RETRY_BASE_MS=" + retryBase.toMillis());
        }
        return new Results(
                redisUrl,
                settings.read("MATCH_REPLAY_REDIS_URL", redisUrl, MatchServerSettings::redisUri),
                settings.duration("MATCH_REPLAY_TTL_SECONDS", "MATCH_REPLAY_TTL_DAYS", DEFAULT_REPLAY_TTL),
                replayMaxBytes,
                settings.positiveInt("MATCH_RESULT_SPOOL_MAX_RESULTS", DEFAULT_SPOOL_MAX_RESULTS),
                spoolMaxBytes,
                retryBase,
                retryMax,
                RedisClientSettings.fromEnv(settings));
    }

    private static URI redisUri(String raw) {
        URI uri = URI.create(raw);
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("expected redis://host:port or rediss://host:port");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host");
        }
        return uri;
    }

    private static DrainPolicy drainPolicy(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "finish" -> DrainPolicy.FINISH;
            case "abandon" -> DrainPolicy.ABANDON;
            default -> throw new IllegalArgumentException("expected finish or abandon");
        };
    }

    private static boolean trueOrFalse(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }
}
