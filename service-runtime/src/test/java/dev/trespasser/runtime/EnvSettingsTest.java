package dev.trespasser.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
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
        assertEquals("MMF_PORT must be a port number, got 70000", failure(() -> env("MMF_PORT", "70000").port("MMF_PORT", 1)));
        assertEquals("MMF_PORT must be a port number, got -1", failure(() -> env("MMF_PORT", "-1").port("MMF_PORT", 1)));
    }

    @Test
    void zeroAndNegativeAreRefusedWhereAPositiveNumberIsNeeded() {
        assertEquals("N must be positive, got 0", failure(() -> env("N", "0").positiveInt("N", 1)));
        assertEquals("N must be positive, got -5", failure(() -> env("N", "-5").positiveLong("N", 1)));
        assertEquals("T must be positive, got 0", failure(() -> env("T", "0").millis("T", 1)));
    }

    @Test
    void unparseableValuesNameTheVariableAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> env("MMF_PORT", "fifty").port("MMF_PORT", 1));
        assertEquals("MMF_PORT='fifty': For input string: \"fifty\"", e.getMessage());
        assertInstanceOf(NumberFormatException.class, e.getCause());

        assertEquals("N='5000000000': For input string: \"5000000000\"",
                failure(() -> env("N", "5000000000").positiveInt("N", 1)));
        assertEquals("MODE=' maybe': expected reject or skip", failure(() -> env("MODE", " maybe").read("MODE", "skip", v -> {
            throw new IllegalArgumentException("expected reject or skip");
        })));
    }
}
