package dev.trespasser.runtime;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings read from environment variables (or any name-to-text map). A variable that is unset or
 * blank takes its default; a value that does not parse or is out of range fails with an
 * {@link IllegalArgumentException} whose message starts with the variable's name, so a service
 * can refuse to start with a message that says what to fix.
 */
public final class EnvSettings {

    private static final Logger log = LoggerFactory.getLogger(EnvSettings.class);

    private final Map<String, String> env;
    private final Consumer<String> warnings;

    /** Warnings (a deprecated name in use) go to the log at WARN. */
    public EnvSettings(Map<String, String> env) {
        this(env, log::warn);
    }

    /** Warnings go to {@code warnings} (tests). */
    public EnvSettings(Map<String, String> env, Consumer<String> warnings) {
        this.env = Objects.requireNonNull(env, "env");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** A TCP port, 0 to 65535 (0 lets the system pick one). */
    public int port(String name, int fallback) {
        int port = read(name, fallback, Integer::parseInt);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number, got " + port);
        }
        return port;
    }

    /** A whole number above zero. */
    public int positiveInt(String name, int fallback) {
        int value = read(name, fallback, Integer::parseInt);
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /** A whole number above zero that may exceed an {@code int}. */
    public long positiveLong(String name, long fallback) {
        long value = read(name, fallback, Long::parseLong);
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /** A positive number of milliseconds. */
    public Duration millis(String name, long fallback) {
        return Duration.ofMillis(positiveLong(name, fallback));
    }

    /**
     * A positive duration from a variable whose name says its unit, the platform's rule: {@code _MS}
     * for whole milliseconds, {@code _SECONDS} for whole seconds. Any other name is refused.
     */
    public Duration duration(String name, Duration fallback) {
        ChronoUnit unit = unitOf(name, false);
        return positiveDuration(name, unit, fallback);
    }

    /**
     * {@link #duration(String, Duration)}, also reading {@code deprecatedName}, the variable's old
     * name, in the unit its suffix names ({@code _MILLIS}, {@code _MS}, {@code _SECONDS} or
     * {@code _DAYS}): the old name counts only when {@code name} is unset, and using it, or
     * setting both, logs a warning that names the replacement.
     */
    public Duration duration(String name, String deprecatedName, Duration fallback) {
        ChronoUnit unit = unitOf(name, false);
        ChronoUnit oldUnit = unitOf(deprecatedName, true);
        String value = env.get(name);
        String old = env.get(deprecatedName);
        boolean oldSet = old != null && !old.isBlank();
        if (value == null || value.isBlank()) {
            if (!oldSet) {
                return fallback;
            }
            warnings.accept(deprecatedName + " is deprecated and will be removed: set " + name + " instead");
            return positiveDuration(deprecatedName, oldUnit, fallback);
        }
        if (oldSet) {
            warnings.accept("both " + name + " and the deprecated " + deprecatedName + " are set: " + name
                    + " wins; remove " + deprecatedName);
        }
        return positiveDuration(name, unit, fallback);
    }

    private static ChronoUnit unitOf(String name, boolean deprecated) {
        if (name.endsWith("_MS") || deprecated && name.endsWith("_MILLIS")) {
            return ChronoUnit.MILLIS;
        }
        if (name.endsWith("_SECONDS")) {
            return ChronoUnit.SECONDS;
        }
        if (deprecated && name.endsWith("_DAYS")) {
            return ChronoUnit.DAYS;
        }
        throw new IllegalArgumentException(
                name + ": a duration variable ends in _MS (milliseconds) or _SECONDS (seconds)");
    }

    private Duration positiveDuration(String name, ChronoUnit unit, Duration fallback) {
        Long amount = read(name, null, Long::parseLong);
        if (amount == null) {
            return fallback;
        }
        if (amount <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + amount);
        }
        try {
            return Duration.of(amount, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " is too long: " + amount, e);
        }
    }

    /** The trimmed value, or empty when the variable is unset or blank. */
    public Optional<String> optional(String name) {
        String raw = env.get(name);
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.trim());
    }

    /** The trimmed value, or {@code fallback} when the variable is unset or blank. */
    public String string(String name, String fallback) {
        return read(name, fallback, Function.identity());
    }

    /**
     * The trimmed value through {@code parse}, or {@code fallback} when the variable is unset or
     * blank. Whatever {@code parse} throws becomes {@code NAME='value': reason}.
     */
    public <T> T read(String name, T fallback, Function<String, T> parse) {
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
