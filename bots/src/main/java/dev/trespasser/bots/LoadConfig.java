package dev.trespasser.bots;

import dev.trespasser.proto.GameMode;
import dev.trespasser.runtime.EnvSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One load-generator run.
 *
 * @param frontendTarget   the frontend's gRPC address, {@code host:port}
 * @param bots             how many bots play
 * @param arrivalPerSecond how many bots start per second (0: all at once)
 * @param duration         how long the run lasts; then every bot stops, mid-match or not
 * @param matchesPerBot    matches each bot plays before it stops; 0 = until the duration ends
 * @param mode             {@code 4v4}, {@code 2v2} or {@code 1v1}
 * @param region           the region bots queue in (the frontend's {@code FRONTEND_REGIONS})
 * @param guests           true: guest logins; false: each bot registers an account (or logs in to
 *                         the one an earlier run with the same prefix and seed registered)
 * @param behaviour        drops, votes, reconnects, input rate
 * @param seed             seeds every bot's decisions; the same seed gives the same choices
 * @param namePrefix       bots are labelled {@code <prefix>-<n>}; registered names derive from it
 * @param trust            TLS to the frontend and the match servers: {@code BOTS_FRONTEND_TLS}, {@code BOTS_CA_FILE}
 */
public record LoadConfig(
        String frontendTarget,
        int bots,
        double arrivalPerSecond,
        Duration duration,
        int matchesPerBot,
        String mode,
        String region,
        boolean guests,
        BotBehaviour behaviour,
        long seed,
        String namePrefix,
        ClientTrust trust) {

    public static final String DEFAULT_FRONTEND_TARGET = "127.0.0.1:50504";
    public static final int DEFAULT_BOTS = 8;
    public static final double DEFAULT_ARRIVAL_PER_SECOND = 4;
    public static final int DEFAULT_DURATION_SECONDS = 120;
    public static final String DEFAULT_MODE = GameMode.DEFAULT.label();
    public static final String DEFAULT_REGION = "eu";
    public static final long DEFAULT_SEED = 1;
    public static final String DEFAULT_NAME_PREFIX = "bot";

    /** The labels of the queueable modes (the contracts module's {@link GameMode}). */
    public static final Set<String> MODES =
            Arrays.stream(GameMode.values()).map(GameMode::label).collect(Collectors.toUnmodifiableSet());
    /** Registered usernames are {@code <prefix><seed>x<n>}: 3-20 letters, digits, _ or -, a letter first. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,7}");

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}");

    public LoadConfig {
        Objects.requireNonNull(frontendTarget, "frontendTarget");
        if (!HOST_PORT.matcher(frontendTarget).matches()) {
            throw new IllegalArgumentException("frontend target must be host:port, got '" + frontendTarget + "'");
        }
        if (bots < 1 || bots > 100_000) {
            throw new IllegalArgumentException("bots must be 1-100000, got " + bots);
        }
        if (!(arrivalPerSecond >= 0) || Double.isInfinite(arrivalPerSecond)) {
            throw new IllegalArgumentException(
                    "arrival rate must be 0 (all at once) or positive, got " + arrivalPerSecond);
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (matchesPerBot < 0) {
            throw new IllegalArgumentException("matches per bot must be 0 (until the duration ends) or positive");
        }
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("mode must be one of " + new TreeSet<>(MODES) + ", got '" + mode + "'");
        }
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(trust, "trust");
        if (!PREFIX.matcher(namePrefix).matches() || namePrefix.toLowerCase().startsWith("guest")) {
            throw new IllegalArgumentException("name prefix must be 1-8 letters, digits, _ or -, starting with a "
                    + "letter and not with 'guest', got '" + namePrefix + "'");
        }
    }

    /**
     * Reads the run from environment variables; unset or blank ones take the defaults in
     * bots/README.md. A bad value fails with a message that starts with the variable's name.
     */
    public static LoadConfig fromEnvironment(Map<String, String> env) {
        EnvSettings s = new EnvSettings(env);
        BotBehaviour d = BotBehaviour.defaults();
        // Each value is checked as it is read, so a refusal names the variable that holds it.
        BotBehaviour behaviour = new BotBehaviour(
                s.read(
                        "BOTS_DROP_AND_RECONNECT_CHANCE",
                        d.dropAndReconnectChance(),
                        v -> d.withDropAndReconnectChance(Double.parseDouble(v)).dropAndReconnectChance()),
                s.read(
                        "BOTS_VOTE_RESTART_CHANCE",
                        d.voteRestartChance(),
                        v -> d.withVoteRestartChance(Double.parseDouble(v)).voteRestartChance()),
                s.read(
                        "BOTS_RECONNECT_DELAY_MS",
                        d.reconnectDelay(),
                        v -> d.withReconnectDelay(Duration.ofMillis(Long.parseLong(v)))
                                .reconnectDelay()),
                s.read(
                        "BOTS_RECONNECT_ATTEMPTS",
                        d.reconnectAttempts(),
                        v -> d.withReconnectAttempts(Integer.parseInt(v)).reconnectAttempts()),
                s.read(
                        "BOTS_INPUT_RATE_HZ",
                        d.inputRateHz(),
                        v -> d.withInputRateHz(Integer.parseInt(v)).inputRateHz()));
        LoadConfig base = new LoadConfig(
                DEFAULT_FRONTEND_TARGET,
                DEFAULT_BOTS,
                DEFAULT_ARRIVAL_PER_SECOND,
                Duration.ofSeconds(DEFAULT_DURATION_SECONDS),
                0,
                DEFAULT_MODE,
                DEFAULT_REGION,
                true,
                behaviour,
                DEFAULT_SEED,
                DEFAULT_NAME_PREFIX,
                ClientTrust.DEFAULT);
        return new LoadConfig(
                s.read(
                        "BOTS_FRONTEND_TARGET",
                        base.frontendTarget(),
                        v -> base.withFrontendTarget(v).frontendTarget()),
                s.read(
                        "BOTS_COUNT",
                        base.bots(),
                        v -> base.withBots(Integer.parseInt(v)).bots()),
                s.read(
                        "BOTS_ARRIVAL_PER_SECOND",
                        base.arrivalPerSecond(),
                        v -> base.withArrivalPerSecond(Double.parseDouble(v)).arrivalPerSecond()),
                Duration.ofSeconds(s.positiveLong("BOTS_DURATION_SECONDS", DEFAULT_DURATION_SECONDS)),
                s.read(
                        "BOTS_MATCHES_PER_BOT",
                        0,
                        v -> base.withMatchesPerBot(Integer.parseInt(v)).matchesPerBot()),
                s.read("BOTS_MODE", base.mode(), v -> base.withMode(v).mode()),
                s.string("BOTS_REGION", DEFAULT_REGION),
                s.read("BOTS_GUESTS", true, LoadConfig::parseBoolean),
                behaviour,
                s.read("BOTS_SEED", DEFAULT_SEED, Long::parseLong),
                s.read(
                        "BOTS_NAME_PREFIX",
                        base.namePrefix(),
                        v -> base.withNamePrefix(v).namePrefix()),
                new ClientTrust(
                        s.read("BOTS_FRONTEND_TLS", false, LoadConfig::parseBoolean),
                        s.optional("BOTS_CA_FILE").map(Path::of)));
    }

    public LoadConfig withTrust(ClientTrust t) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                mode,
                region,
                guests,
                behaviour,
                seed,
                namePrefix,
                t);
    }

    /** Small defaults that suit a local stack: eight bots, one 4v4 match's worth. */
    public static LoadConfig defaults() {
        return fromEnvironment(Map.of());
    }

    public LoadConfig withBots(int n) {
        return new LoadConfig(
                frontendTarget,
                n,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                mode,
                region,
                guests,
                behaviour,
                seed,
                namePrefix,
                trust);
    }

    public LoadConfig withFrontendTarget(String target) {
        return new LoadConfig(
                target,
                bots,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                mode,
                region,
                guests,
                behaviour,
                seed,
                namePrefix,
                trust);
    }

    public LoadConfig withDuration(Duration d) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                d,
                matchesPerBot,
                mode,
                region,
                guests,
                behaviour,
                seed,
                namePrefix,
                trust);
    }

    public LoadConfig withMatchesPerBot(int n) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                duration,
                n,
                mode,
                region,
                guests,
                behaviour,
                seed,
                namePrefix,
                trust);
    }

    public LoadConfig withBehaviour(BotBehaviour b) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                mode,
                region,
                guests,
                b,
                seed,
                namePrefix,
                trust);
    }

    public LoadConfig withArrivalPerSecond(double rate) {
        return new LoadConfig(
                frontendTarget,
                bots,
                rate,
                duration,
                matchesPerBot,
                mode,
                region,
                guests,
                behaviour,
                seed,
                namePrefix,
                trust);
    }

    public LoadConfig withMode(String m) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                m,
                region,
                guests,
                behaviour,
                seed,
                namePrefix,
                trust);
    }

    public LoadConfig withSeed(long s) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                mode,
                region,
                guests,
                behaviour,
                s,
                namePrefix,
                trust);
    }

    public LoadConfig withNamePrefix(String prefix) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                mode,
                region,
                guests,
                behaviour,
                seed,
                prefix,
                trust);
    }

    public LoadConfig withGuests(boolean g) {
        return new LoadConfig(
                frontendTarget,
                bots,
                arrivalPerSecond,
                duration,
                matchesPerBot,
                mode,
                region,
                g,
                behaviour,
                seed,
                namePrefix,
                trust);
    }

    /** The label of bot {@code n} (0-based). */
    public String botLabel(int n) {
        return namePrefix + "-" + n;
    }

    /** The account name bot {@code n} registers: unique per prefix and seed, within 20 characters. */
    public String accountName(int n) {
        String name = namePrefix + Long.toString(Math.abs(seed % 1_000_000L), 36) + "x" + n;
        if (name.length() > 20) {
            throw new IllegalArgumentException("account name too long for bot " + n + ": " + name);
        }
        return name;
    }

    private static boolean parseBoolean(String v) {
        return switch (v.toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }
}
