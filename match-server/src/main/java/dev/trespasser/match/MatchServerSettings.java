package dev.trespasser.match;

import dev.trespasser.runtime.EnvSettings;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The process-level settings of the match server that no component parses for itself: where
 * results and replays go, how the result spool retries and how big it may grow, and what SIGTERM
 * does. Documented in docs/configuration.md.
 *
 * @param redisUrl          {@code REDIS_URL}: where results (the stream) are written
 * @param replayRedisUrl    {@code MATCH_REPLAY_REDIS_URL}: the replay store (default: {@code REDIS_URL})
 * @param replayTtl         {@code MATCH_REPLAY_TTL_DAYS}: how long a replay is kept
 * @param replayMaxBytes    {@code MATCH_REPLAY_MAX_BYTES}: a bigger replay is not stored (its result still goes)
 * @param spoolMaxResults   {@code MATCH_RESULT_SPOOL_MAX_RESULTS}: rounds the result spool holds
 * @param spoolMaxBytes     {@code MATCH_RESULT_SPOOL_MAX_BYTES}: replay bytes the result spool holds
 * @param retryBase         {@code MATCH_RESULT_RETRY_BASE_MILLIS}: the first pause after a failed send
 * @param retryMax          {@code MATCH_RESULT_RETRY_MAX_MILLIS}: the longest pause between sends
 * @param resultDrainTimeout {@code MATCH_RESULT_DRAIN_SECONDS}: on SIGTERM, how long held results may take to go out
 * @param gameServerName    {@code HOSTNAME}: Agones names the pod after its GameServer
 * @param drainPolicy       {@code MATCH_DRAIN_POLICY}: finish or abandon the current match on SIGTERM
 * @param drainTimeout      {@code MATCH_DRAIN_TIMEOUT_SECONDS}: the longest SIGTERM waits for a match
 */
public record MatchServerSettings(URI redisUrl, URI replayRedisUrl, Duration replayTtl, long replayMaxBytes,
                                  int spoolMaxResults, long spoolMaxBytes, Duration retryBase, Duration retryMax,
                                  Duration resultDrainTimeout, String gameServerName,
                                  DrainPolicy drainPolicy, Duration drainTimeout) {

    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    public static final long DEFAULT_REPLAY_TTL_DAYS = 7;
    /** Twice the replay of a 10-minute 4v4 round at full input rate (issue 10: at most 1 MiB). */
    public static final long DEFAULT_REPLAY_MAX_BYTES = 2L << 20;
    /** A match has at most a handful of rounds, and the server waits for them before Ready. */
    public static final int DEFAULT_SPOOL_MAX_RESULTS = 32;
    /** Two full-size replays; a match server runs in a 16 MiB heap. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 4L << 20;
    public static final long DEFAULT_RETRY_BASE_MILLIS = 100;
    public static final long DEFAULT_RETRY_MAX_MILLIS = 5_000;
    public static final long DEFAULT_RESULT_DRAIN_SECONDS = 20;
    public static final long DEFAULT_DRAIN_TIMEOUT_SECONDS = 60;

    /** What SIGTERM does to a match in progress. */
    public enum DrainPolicy {
        /** Let it end (up to the drain timeout), publish its result, then shut down. */
        FINISH,
        /** Close it at once with SERVER_SHUTTING_DOWN and shut down. */
        ABANDON
    }

    public static MatchServerSettings fromEnv(Map<String, String> env) {
        EnvSettings settings = new EnvSettings(env);
        URI redisUrl = settings.read("REDIS_URL", URI.create(DEFAULT_REDIS_URL), MatchServerSettings::redisUri);
        long replayMaxBytes = settings.positiveLong("MATCH_REPLAY_MAX_BYTES", DEFAULT_REPLAY_MAX_BYTES);
        long spoolMaxBytes = settings.positiveLong("MATCH_RESULT_SPOOL_MAX_BYTES", DEFAULT_SPOOL_MAX_BYTES);
        if (replayMaxBytes > spoolMaxBytes) {
            throw new IllegalArgumentException("MATCH_REPLAY_MAX_BYTES=" + replayMaxBytes
                    + " must not exceed MATCH_RESULT_SPOOL_MAX_BYTES=" + spoolMaxBytes + " (such a replay could never be held)");
        }
        Duration retryBase = settings.millis("MATCH_RESULT_RETRY_BASE_MILLIS", DEFAULT_RETRY_BASE_MILLIS);
        Duration retryMax = settings.millis("MATCH_RESULT_RETRY_MAX_MILLIS", DEFAULT_RETRY_MAX_MILLIS);
        if (retryMax.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("MATCH_RESULT_RETRY_MAX_MILLIS=" + retryMax.toMillis()
                    + " must not be below MATCH_RESULT_RETRY_BASE_MILLIS=" + retryBase.toMillis());
        }
        return new MatchServerSettings(
                redisUrl,
                settings.read("MATCH_REPLAY_REDIS_URL", redisUrl, MatchServerSettings::redisUri),
                Duration.ofDays(settings.positiveLong("MATCH_REPLAY_TTL_DAYS", DEFAULT_REPLAY_TTL_DAYS)),
                replayMaxBytes,
                settings.positiveInt("MATCH_RESULT_SPOOL_MAX_RESULTS", DEFAULT_SPOOL_MAX_RESULTS),
                spoolMaxBytes,
                retryBase,
                retryMax,
                Duration.ofSeconds(settings.positiveLong("MATCH_RESULT_DRAIN_SECONDS", DEFAULT_RESULT_DRAIN_SECONDS)),
                settings.string("HOSTNAME", "local"),
                settings.read("MATCH_DRAIN_POLICY", DrainPolicy.FINISH, MatchServerSettings::drainPolicy),
                Duration.ofSeconds(settings.positiveLong("MATCH_DRAIN_TIMEOUT_SECONDS", DEFAULT_DRAIN_TIMEOUT_SECONDS)));
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
}
