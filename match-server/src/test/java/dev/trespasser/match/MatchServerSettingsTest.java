package dev.trespasser.match;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchServerSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        MatchServerSettings s = MatchServerSettings.fromEnv(Map.of());
        assertEquals(URI.create("redis://127.0.0.1:6379"), s.redisUrl());
        assertEquals(Duration.ofDays(7), s.replayTtl());
        assertEquals(Duration.ofSeconds(60), s.resultRetry());
        assertEquals("local", s.gameServerName());
        assertEquals(MatchServerSettings.DrainPolicy.FINISH, s.drainPolicy());
        assertEquals(Duration.ofSeconds(60), s.drainTimeout());
    }

    @Test
    void everyVariableIsRead() {
        MatchServerSettings s = MatchServerSettings.fromEnv(Map.of(
                "REDIS_URL", "rediss://results.example:6380",
                "MATCH_REPLAY_TTL_DAYS", "2",
                "MATCH_RESULT_RETRY_SECONDS", "15",
                "HOSTNAME", "trespasser-abc12-xyz",
                "MATCH_DRAIN_POLICY", " Abandon ",
                "MATCH_DRAIN_TIMEOUT_SECONDS", "650"));
        assertEquals(URI.create("rediss://results.example:6380"), s.redisUrl());
        assertEquals(Duration.ofDays(2), s.replayTtl());
        assertEquals(Duration.ofSeconds(15), s.resultRetry());
        assertEquals("trespasser-abc12-xyz", s.gameServerName());
        assertEquals(MatchServerSettings.DrainPolicy.ABANDON, s.drainPolicy());
        assertEquals(Duration.ofSeconds(650), s.drainTimeout());
    }

    @Test
    void badValuesNameTheVariable() {
        assertRefused("MATCH_DRAIN_POLICY", "finsh");
        assertRefused("MATCH_DRAIN_TIMEOUT_SECONDS", "ten");
        assertRefused("MATCH_DRAIN_TIMEOUT_SECONDS", "0");
        assertRefused("MATCH_REPLAY_TTL_DAYS", "-1");
        assertRefused("MATCH_RESULT_RETRY_SECONDS", "99999999999999999999");
        assertRefused("REDIS_URL", "http://127.0.0.1:6379");
        assertRefused("REDIS_URL", "redis://");
        assertRefused("REDIS_URL", "::not a uri::");
    }

    private static void assertRefused(String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatchServerSettings.fromEnv(Map.of(name, value)), name + "=" + value);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
