package dev.trespasser.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchServerLogLevelTest {

    @Test
    void logLevelDefaultsToInfoAndAcceptsSlf4jLevels() {
        assertEquals("info", MatchServer.logLevel(Map.of()));
        assertEquals("info", MatchServer.logLevel(Map.of("MATCH_LOG_LEVEL", " ")));
        assertEquals("debug", MatchServer.logLevel(Map.of("MATCH_LOG_LEVEL", "DEBUG")));
        assertEquals("off", MatchServer.logLevel(Map.of("MATCH_LOG_LEVEL", "off")));
    }

    @Test
    void unknownLogLevelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatchServer.logLevel(Map.of("MATCH_LOG_LEVEL", "verbose")));
        assertEquals("MATCH_LOG_LEVEL must be trace, debug, info, warn, error or off, got verbose", e.getMessage());
    }
}
