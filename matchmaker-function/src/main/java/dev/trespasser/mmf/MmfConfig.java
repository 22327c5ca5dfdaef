package dev.trespasser.mmf;

import dev.trespasser.mmf.matching.MatchingRules;
import dev.trespasser.runtime.EnvSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration from environment variables; every one has a default (see the README table). A
 * port of 0 lets the system pick one.
 */
public record MmfConfig(
        int port,
        int metricsPort,
        int maxMessageBytes,
        MatchmakingFunctionService.Settings settings,
        Duration shutdownGrace) {

    static final int DEFAULT_PORT = 50502;
    static final int DEFAULT_METRICS_PORT = 9102;
    /** om-core cuts chunks at 4,000,000 bytes; twice that leaves room for its envelope. */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    static final int DEFAULT_MAX_CHUNKS = 1024;
    static final int DEFAULT_MAX_TICKETS = 250_000;

    public static MmfConfig fromEnv(Map<String, String> variables) {
        EnvSettings env = new EnvSettings(variables);
        MatchingRules defaults = MatchingRules.DEFAULT;
        MatchingRules rules = new MatchingRules(
                env.read("MMF_TOLERANCE_BASE", defaults.baseTolerance(), Double::parseDouble),
                env.read("MMF_TOLERANCE_PER_SECOND", defaults.tolerancePerSecond(), Double::parseDouble),
                env.read("MMF_TOLERANCE_MAX", defaults.maxTolerance(), Double::parseDouble));
        InvalidTicketPolicy policy =
                env.read("MMF_INVALID_TICKETS", InvalidTicketPolicy.SKIP_TICKET, value -> switch (value.toLowerCase(
                        Locale.ROOT)) {
                    case "reject" -> InvalidTicketPolicy.REJECT_RUN;
                    case "skip" -> InvalidTicketPolicy.SKIP_TICKET;
                    default -> throw new IllegalArgumentException("expected reject or skip");
                });
        return new MmfConfig(
                env.port("MMF_PORT", DEFAULT_PORT),
                env.port("MMF_METRICS_PORT", DEFAULT_METRICS_PORT),
                env.positiveInt("MMF_MAX_MESSAGE_BYTES", DEFAULT_MAX_MESSAGE_BYTES),
                new MatchmakingFunctionService.Settings(
                        rules,
                        env.positiveInt("MMF_MAX_CHUNKS", DEFAULT_MAX_CHUNKS),
                        env.positiveInt("MMF_MAX_TICKETS", DEFAULT_MAX_TICKETS),
                        policy),
                Duration.ofSeconds(env.positiveInt("MMF_SHUTDOWN_GRACE_SECONDS", 10)));
    }
}
