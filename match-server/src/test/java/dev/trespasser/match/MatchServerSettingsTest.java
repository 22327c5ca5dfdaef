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
        assertEquals(URI.create("redis://127.0.0.1:6379"), s.replayRedisUrl(), "replays default to the results Redis");
        assertEquals(Duration.ofDays(7), s.replayTtl());
        assertEquals(2L << 20, s.replayMaxBytes());
        assertEquals(32, s.spoolMaxResults());
        assertEquals(4L << 20, s.spoolMaxBytes());
        assertEquals(Duration.ofMillis(100), s.retryBase());
        assertEquals(Duration.ofSeconds(5), s.retryMax());
        assertEquals(Duration.ofSeconds(20), s.resultDrainTimeout());
        assertEquals("local", s.gameServerName());
        assertEquals(MatchServerSettings.DrainPolicy.FINISH, s.drainPolicy());
        assertEquals(Duration.ofSeconds(60), s.drainTimeout());
    }

    @Test
    void everyVariableIsRead() {
        MatchServerSettings s = MatchServerSettings.fromEnv(Map.ofEntries(
                Map.entry("REDIS_URL", "rediss://results.example:6380"),
                Map.entry("MATCH_REPLAY_REDIS_URL", "redis://replays.example:6379"),
                Map.entry("MATCH_REPLAY_TTL_DAYS", "2"),
                Map.entry("MATCH_REPLAY_MAX_BYTES", "65536"),
                Map.entry("MATCH_RESULT_SPOOL_MAX_RESULTS", "8"),
                Map.entry("MATCH_RESULT_SPOOL_MAX_BYTES", "131072"),
                Map.entry("MATCH_RESULT_RETRY_BASE_MILLIS", "50"),
                Map.entry("MATCH_RESULT_RETRY_MAX_MILLIS", "500"),
                Map.entry("MATCH_RESULT_DRAIN_SECONDS", "25"),
                Map.entry("HOSTNAME", "trespasser-abc12-xyz"),
                Map.entry("MATCH_DRAIN_POLICY", " Abandon "),
                Map.entry("MATCH_DRAIN_TIMEOUT_SECONDS", "650")));
        assertEquals(URI.create("rediss://results.example:6380"), s.redisUrl());
        assertEquals(URI.create("redis://replays.example:6379"), s.replayRedisUrl());
        assertEquals(Duration.ofDays(2), s.replayTtl());
        assertEquals(65536, s.replayMaxBytes());
        assertEquals(8, s.spoolMaxResults());
        assertEquals(131072, s.spoolMaxBytes());
        assertEquals(Duration.ofMillis(50), s.retryBase());
        assertEquals(Duration.ofMillis(500), s.retryMax());
        assertEquals(Duration.ofSeconds(25), s.resultDrainTimeout());
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
        assertRefused("MATCH_RESULT_RETRY_MAX_MILLIS", "99999999999999999999");
        assertRefused("MATCH_RESULT_SPOOL_MAX_RESULTS", "0");
        assertRefused("MATCH_REPLAY_MAX_BYTES", "-5");
        assertRefused("MATCH_REPLAY_REDIS_URL", "http://replays:6379");
        assertRefused("MATCH_RESULT_DRAIN_SECONDS", "0");
        assertRefused("REDIS_URL", "http://127.0.0.1:6379");
        assertRefused("REDIS_URL", "redis://");
        assertRefused("REDIS_URL", "::not a uri::");
    }

    @Test
    void aReplayTheSpoolCouldNeverHoldIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatchServerSettings.fromEnv(Map.of(
                "MATCH_REPLAY_MAX_BYTES", "2000000", "MATCH_RESULT_SPOOL_MAX_BYTES", "1000000")));
        assertTrue(e.getMessage().startsWith("MATCH_REPLAY_MAX_BYTES"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatchServerSettings.fromEnv(Map.of(
                "MATCH_RESULT_RETRY_BASE_MILLIS", "1000", "MATCH_RESULT_RETRY_MAX_MILLIS", "500")));
        assertTrue(e.getMessage().startsWith("MATCH_RESULT_RETRY_MAX_MILLIS"), e.getMessage());
    }

    private static void assertRefused(String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatchServerSettings.fromEnv(Map.of(name, value)), name + "=" + value);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
