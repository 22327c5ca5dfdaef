package dev.trespasser.mmf;

import dev.trespasser.mmf.matching.MatchingRules;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

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

  public static MmfConfig fromEnv(Map<String, String> env) {
    MatchingRules rules =
        new MatchingRules(
            number(env, "MMF_TOLERANCE_BASE", MatchingRules.DEFAULT.baseTolerance()),
            number(env, "MMF_TOLERANCE_PER_SECOND", MatchingRules.DEFAULT.tolerancePerSecond()),
            number(env, "MMF_TOLERANCE_MAX", MatchingRules.DEFAULT.maxTolerance()));
    InvalidTicketPolicy policy =
        read(
            env,
            "MMF_INVALID_TICKETS",
            InvalidTicketPolicy.SKIP_TICKET,
            value ->
                switch (value.toLowerCase(Locale.ROOT)) {
                  case "reject" -> InvalidTicketPolicy.REJECT_RUN;
                  case "skip" -> InvalidTicketPolicy.SKIP_TICKET;
                  default -> throw new IllegalArgumentException("expected reject or skip");
                });
    return new MmfConfig(
        port(env, "MMF_PORT", DEFAULT_PORT),
        port(env, "MMF_METRICS_PORT", DEFAULT_METRICS_PORT),
        positive(env, "MMF_MAX_MESSAGE_BYTES", DEFAULT_MAX_MESSAGE_BYTES),
        new MatchmakingFunctionService.Settings(
            rules,
            positive(env, "MMF_MAX_CHUNKS", DEFAULT_MAX_CHUNKS),
            positive(env, "MMF_MAX_TICKETS", DEFAULT_MAX_TICKETS),
            policy,
            Duration.ofMillis(read(env, "MMF_COMPLETION_LINGER_MILLIS", 300, Integer::parseInt))),
        Duration.ofSeconds(positive(env, "MMF_SHUTDOWN_GRACE_SECONDS", 10)));
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

  private static double number(Map<String, String> env, String name, double fallback) {
    return read(env, name, fallback, Double::parseDouble);
  }

  private static <T> T read(
      Map<String, String> env, String name, T fallback, Function<String, T> parse) {
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
