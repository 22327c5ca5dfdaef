package dev.trespasser.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchServerLogLevelTest {

    @Test
    void logLevelDefaultsToInfoAndAcceptsSlf4jLevels() {
        assertEquals("info", MatchServer.logLevel(Map.of()));
        assertEquals("info", MatchServer.logLevel(Map.of("LOG_LEVEL", " ")));
        assertEquals("debug", MatchServer.logLevel(Map.of("LOG_LEVEL", "DEBUG")));
        assertEquals("off", MatchServer.logLevel(Map.of("LOG_LEVEL", "off")));
    }

    @Test
    void theDeprecatedNameIsReadOnlyWhenTheSharedOneIsUnset() {
        assertEquals("warn", MatchServer.logLevel(Map.of("MATCH_LOG_LEVEL", "WARN")));
        assertEquals("error", MatchServer.logLevel(Map.of("MATCH_LOG_LEVEL", "WARN", "LOG_LEVEL", "error")));
    }

    @Test
    void unknownLogLevelIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> MatchServer.logLevel(Map.of("LOG_LEVEL", "verbose")));
        assertEquals("LOG_LEVEL must be trace, debug, info, warn, error or off, got verbose", e.getMessage());
    }

    @Test
    void logTargetIsStdoutOrStderr() {
        assertEquals("System.out", MatchServer.logTarget(Map.of()));
        assertEquals("System.err", MatchServer.logTarget(Map.of("LOG_TARGET", "System.err")));
        assertThrows(IllegalArgumentException.class, () -> MatchServer.logTarget(Map.of("LOG_TARGET", "/etc/passwd")));
    }
}
