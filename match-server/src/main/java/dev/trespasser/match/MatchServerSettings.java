package dev.trespasser.match;

import dev.trespasser.runtime.EnvSettings;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The process-level settings of the match server that no component parses for itself: where
 * results go, and what SIGTERM does. Documented in docs/configuration.md.
 *
 * @param redisUrl          {@code REDIS_URL}: where results and replays are written
 * @param replayTtl         {@code MATCH_REPLAY_TTL_DAYS}: how long a replay is kept
 * @param resultRetry       {@code MATCH_RESULT_RETRY_SECONDS}: how long publishing a result retries
 * @param gameServerName    {@code HOSTNAME}: Agones names the pod after its GameServer
 * @param drainPolicy       {@code MATCH_DRAIN_POLICY}: finish or abandon the current match on SIGTERM
 * @param drainTimeout      {@code MATCH_DRAIN_TIMEOUT_SECONDS}: the longest SIGTERM waits for a match
 */
public record MatchServerSettings(URI redisUrl, Duration replayTtl, Duration resultRetry, String gameServerName,
                                  DrainPolicy drainPolicy, Duration drainTimeout) {

    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    public static final long DEFAULT_REPLAY_TTL_DAYS = 7;
    public static final long DEFAULT_RESULT_RETRY_SECONDS = 60;
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
        return new MatchServerSettings(
                settings.read("REDIS_URL", URI.create(DEFAULT_REDIS_URL), MatchServerSettings::redisUri),
                Duration.ofDays(settings.positiveLong("MATCH_REPLAY_TTL_DAYS", DEFAULT_REPLAY_TTL_DAYS)),
                Duration.ofSeconds(settings.positiveLong("MATCH_RESULT_RETRY_SECONDS", DEFAULT_RESULT_RETRY_SECONDS)),
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
