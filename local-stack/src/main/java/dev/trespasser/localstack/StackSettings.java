package dev.trespasser.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the local stack looks like. Every setting has a command-line option and an
 * environment variable (the option wins); the defaults make a run that shows several matches in
 * about two minutes on a 2-core machine.
 *
 * @param matchServers     K slots in the local fleet
 * @param bots             B bots (two full 4v4 matches per 16)
 * @param duration         how long the bots play; then the stack prints its summary and stops
 * @param killLimit        match rule: kills that win a round (GAME.md: 50; short for a demo)
 * @param timeLimitSeconds match rule: the longest round (GAME.md: 600)
 * @param maxMatchesPerServer a match server calls Shutdown after this many and the fleet replaces it
 * @param runDir           where logs, keys, certificates and GameServer files of this run go
 * @param humans           seats left for people playing in a browser: the bots alone cannot fill
 *                         the last match, so it starts once the people queue; with humans the run
 *                         lasts until Ctrl-C unless a duration is given
 */
public record StackSettings(
        int matchServers,
        int bots,
        Duration duration,
        int killLimit,
        int timeLimitSeconds,
        int maxMatchesPerServer,
        Path runDir,
        int humans) {

    public static final int DEFAULT_MATCH_SERVERS = 4;
    public static final int DEFAULT_BOTS = 16;
    public static final int DEFAULT_DURATION_SECONDS = 150;
    public static final int DEFAULT_KILL_LIMIT = 5;
    public static final int DEFAULT_TIME_LIMIT_SECONDS = 45;
    public static final int DEFAULT_MAX_MATCHES_PER_SERVER = 3;
    /** With people playing, the run lasts until Ctrl-C: a day stands for that. */
    public static final Duration UNTIL_CTRL_C = Duration.ofDays(1);
    /** Players in a match of the local stack (its one profile is 4v4). */
    public static final int MATCH_SIZE = 8;

    static final String USAGE = """
            usage: scripts/run [options]        (each option also reads the environment variable shown)
              --match-servers K    match servers in the local fleet            LOCAL_MATCH_SERVERS     (4)
              --bots B             bots that play                              LOCAL_BOTS              (16)
              --duration S         seconds the bots play                       LOCAL_DURATION_SECONDS  (150)
              --kill-limit N       kills that win a round                      LOCAL_KILL_LIMIT        (5)
              --time-limit S       longest round in seconds                    LOCAL_TIME_LIMIT_SECONDS (45)
              --max-matches N      matches before a server is replaced         LOCAL_MAX_MATCHES       (3)
              --run-dir DIR        logs, keys, certificates, GameServer files  LOCAL_RUN_DIR           (a new temp dir)
              --humans N           seats left for people in a browser          LOCAL_HUMANS            (0)
                                   e.g. --humans 1 --bots 7: one 4v4 that starts when you queue;
                                   with humans the run lasts until Ctrl-C unless --duration is given
            """;

    public StackSettings {
        requireRange("match servers", matchServers, 1, 64);
        requireRange("bots", bots, 0, 4096);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        requireRange("kill limit", killLimit, 1, 10_000);
        requireRange("time limit", timeLimitSeconds, 10, 7_200);
        requireRange("max matches", maxMatchesPerServer, 0, 1_000_000);
        requireRange("humans", humans, 0, 64);
    }

    /** Seats the bots and the people leave empty in the last match (0 when they fill whole matches). */
    public int seatsLeftOpen() {
        int players = bots + humans;
        return players % MATCH_SIZE == 0 ? 0 : MATCH_SIZE - players % MATCH_SIZE;
    }

    /** Reads options over environment variables over defaults; a bad value names the option. */
    public static StackSettings parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> envNames = Map.of(
                "--match-servers",
                "LOCAL_MATCH_SERVERS",
                "--bots",
                "LOCAL_BOTS",
                "--duration",
                "LOCAL_DURATION_SECONDS",
                "--kill-limit",
                "LOCAL_KILL_LIMIT",
                "--time-limit",
                "LOCAL_TIME_LIMIT_SECONDS",
                "--max-matches",
                "LOCAL_MAX_MATCHES",
                "--run-dir",
                "LOCAL_RUN_DIR",
                "--humans",
                "LOCAL_HUMANS");
        envNames.forEach((option, variable) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                values.put(option, value.strip());
            }
        });
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            String inline = null;
            int eq = option.indexOf('=');
            if (eq > 0) {
                inline = option.substring(eq + 1);
                option = option.substring(0, eq);
            }
            if (!envNames.containsKey(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (inline == null) {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                inline = rest.remove(0);
            }
            values.put(option, inline);
        }
        int humans = integer(values, "--humans", 0);
        Duration duration = values.containsKey("--duration") || humans == 0
                ? Duration.ofSeconds(integer(values, "--duration", DEFAULT_DURATION_SECONDS))
                : UNTIL_CTRL_C;
        return new StackSettings(
                integer(values, "--match-servers", DEFAULT_MATCH_SERVERS),
                integer(values, "--bots", DEFAULT_BOTS),
                duration,
                integer(values, "--kill-limit", DEFAULT_KILL_LIMIT),
                integer(values, "--time-limit", DEFAULT_TIME_LIMIT_SECONDS),
                integer(values, "--max-matches", DEFAULT_MAX_MATCHES_PER_SERVER),
                values.containsKey("--run-dir") ? Path.of(values.get("--run-dir")) : null,
                humans);
    }

    public StackSettings withRunDir(Path dir) {
        return new StackSettings(
                matchServers, bots, duration, killLimit, timeLimitSeconds, maxMatchesPerServer, dir, humans);
    }

    private static int integer(Map<String, String> values, String option, int fallback) {
        String value = values.get(option);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected a whole number, got '" + value + "'");
        }
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + "-" + max + ", got " + value);
        }
    }
}
