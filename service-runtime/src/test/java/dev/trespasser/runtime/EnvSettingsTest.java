package dev.trespasser.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvSettingsTest {

    private static EnvSettings env(String name, String value) {
        return new EnvSettings(Map.of(name, value));
    }

    private static String failure(Runnable read) {
        return assertThrows(IllegalArgumentException.class, read::run).getMessage();
    }

    @Test
    void unsetOrBlankTakesTheDefault() {
        EnvSettings empty = new EnvSettings(Map.of("BLANK", "  "));
        assertEquals(9100, empty.port("UNSET", 9100));
        assertEquals(9100, empty.port("BLANK", 9100));
        assertEquals(4, empty.positiveInt("UNSET", 4));
        assertEquals(30L * 24 * 3600, empty.positiveLong("BLANK", 30L * 24 * 3600));
        assertEquals(Duration.ofMillis(250), empty.millis("UNSET", 250));
        assertEquals(Optional.empty(), empty.optional("UNSET"));
        assertEquals(Optional.empty(), empty.optional("BLANK"));
        assertEquals("fallback", empty.string("BLANK", "fallback"));
        assertEquals(List.of("a"), empty.read("UNSET", List.of("a"), List::of));
    }

    @Test
    void valuesAreTrimmedAndParsed() {
        assertEquals(0, env("P", " 0 ").port("P", 1), "0 lets the system pick a port");
        assertEquals(65535, env("P", "65535").port("P", 1));
        assertEquals(7, env("N", "7").positiveInt("N", 1));
        assertEquals(5_000_000_000L, env("N", "5000000000").positiveLong("N", 1));
        assertEquals(Duration.ofMillis(40), env("T", " 40").millis("T", 1));
        assertEquals(Optional.of("/run/key.pem"), env("F", " /run/key.pem ").optional("F"));
        assertEquals("redis://cache:6379", env("S", "redis://cache:6379 ").string("S", "x"));
        assertEquals(0.5, env("D", "0.5").read("D", 0.8, Double::parseDouble));
    }

    @Test
    void portsOutOfRangeAreRefusedByName() {
        assertEquals(
                "MMF_PORT must be a port number, got 70000",
                failure(() -> env("MMF_PORT", "70000").port("MMF_PORT", 1)));
        assertEquals(
                "MMF_PORT must be a port number, got -1",
                failure(() -> env("MMF_PORT", "-1").port("MMF_PORT", 1)));
    }

    @Test
    void zeroAndNegativeAreRefusedWhereAPositiveNumberIsNeeded() {
        assertEquals("N must be positive, got 0", failure(() -> env("N", "0").positiveInt("N", 1)));
        assertEquals("N must be positive, got -5", failure(() -> env("N", "-5").positiveLong("N", 1)));
        assertEquals("T must be positive, got 0", failure(() -> env("T", "0").millis("T", 1)));
    }

    @Test
    void unparseableValuesNameTheVariableAndTheValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> env("MMF_PORT", "fifty").port("MMF_PORT", 1));
        assertEquals("MMF_PORT='fifty': For input string: \"fifty\"", e.getMessage());
        assertInstanceOf(NumberFormatException.class, e.getCause());

        assertEquals(
                "N='5000000000': For input string: \"5000000000\"",
                failure(() -> env("N", "5000000000").positiveInt("N", 1)));
        assertEquals(
                "MODE=' maybe': expected reject or skip",
                failure(() -> env("MODE", " maybe").read("MODE", "skip", v -> {
                    throw new IllegalArgumentException("expected reject or skip");
                })));
    }

    @Test
    void aDurationsUnitIsItsNamesSuffix() {
        assertEquals(Duration.ofMillis(40), env("X_PING_MS", " 40").duration("X_PING_MS", Duration.ofSeconds(1)));
        assertEquals(
                Duration.ofSeconds(40), env("X_WAIT_SECONDS", "40").duration("X_WAIT_SECONDS", Duration.ofSeconds(1)));
        assertEquals(
                Duration.ofSeconds(1), new EnvSettings(Map.of()).duration("X_WAIT_SECONDS", Duration.ofSeconds(1)));
        assertEquals(
                "X_WAIT_SECONDS must be positive, got 0",
                failure(() -> env("X_WAIT_SECONDS", "0").duration("X_WAIT_SECONDS", Duration.ofSeconds(1))));
        assertEquals(
                "X_WAIT_MILLIS: a duration variable ends in _MS (milliseconds) or _SECONDS (seconds)",
                failure(() -> new EnvSettings(Map.of()).duration("X_WAIT_MILLIS", Duration.ofSeconds(1))));
        assertEquals(
                "X_WAIT: a duration variable ends in _MS (milliseconds) or _SECONDS (seconds)",
                failure(() -> new EnvSettings(Map.of()).duration("X_WAIT", Duration.ofSeconds(1))));
    }

    @Test
    void aDeprecatedNameIsReadInItsOwnUnitOnlyWhenTheNewOneIsUnsetAndWarns() {
        List<String> warnings = new ArrayList<>();
        EnvSettings old = new EnvSettings(Map.of("X_PING_MILLIS", "1500"), warnings::add);
        assertEquals(Duration.ofMillis(1500), old.duration("X_PING_MS", "X_PING_MILLIS", Duration.ofSeconds(2)));
        assertEquals(List.of("X_PING_MILLIS is deprecated and will be removed: set X_PING_MS instead"), warnings);

        warnings.clear();
        EnvSettings days = new EnvSettings(Map.of("X_TTL_DAYS", "2"), warnings::add);
        assertEquals(Duration.ofDays(2), days.duration("X_TTL_SECONDS", "X_TTL_DAYS", Duration.ofDays(7)));
        assertEquals(1, warnings.size());

        warnings.clear();
        EnvSettings both = new EnvSettings(Map.of("X_PING_MS", "700", "X_PING_MILLIS", "1500"), warnings::add);
        assertEquals(Duration.ofMillis(700), both.duration("X_PING_MS", "X_PING_MILLIS", Duration.ofSeconds(2)));
        assertEquals(
                List.of(
                        "both X_PING_MS and the deprecated X_PING_MILLIS are set: X_PING_MS wins; remove X_PING_MILLIS"),
                warnings);

        warnings.clear();
        EnvSettings neither = new EnvSettings(Map.of("X_PING_MILLIS", " "), warnings::add);
        assertEquals(Duration.ofSeconds(2), neither.duration("X_PING_MS", "X_PING_MILLIS", Duration.ofSeconds(2)));
        EnvSettings onlyNew = new EnvSettings(Map.of("X_PING_MS", "900"), warnings::add);
        assertEquals(Duration.ofMillis(900), onlyNew.duration("X_PING_MS", "X_PING_MILLIS", Duration.ofSeconds(2)));
        assertEquals(List.of(), warnings, "no warning without the old name");
    }

    @Test
    void aBadValueUnderTheDeprecatedNameNamesThatName() {
        assertEquals(
                "X_PING_MILLIS must be positive, got -3",
                failure(() -> new EnvSettings(Map.of("X_PING_MILLIS", "-3"), w -> {})
                        .duration("X_PING_MS", "X_PING_MILLIS", Duration.ofSeconds(2))));
        assertEquals(
                "X_TTL_DAYS is too long: 9223372036854775807",
                failure(() -> new EnvSettings(Map.of("X_TTL_DAYS", String.valueOf(Long.MAX_VALUE)), w -> {})
                        .duration("X_TTL_SECONDS", "X_TTL_DAYS", Duration.ofDays(7))));
    }
}
