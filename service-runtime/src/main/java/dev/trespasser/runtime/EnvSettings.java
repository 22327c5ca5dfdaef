package dev.trespasser.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings read from environment variables (or any name-to-text map). A variable that is unset or
 * blank takes its default; a value that does not parse or is out of range fails with an
 * {@link IllegalArgumentException} whose message starts with the variable's name, so a service
 * can refuse to start with a message that says what to fix.
 */
public final class EnvSettings {

    private final Map<String, String> env;

    public EnvSettings(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
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
