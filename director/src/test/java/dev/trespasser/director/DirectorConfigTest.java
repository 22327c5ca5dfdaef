package dev.trespasser.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DirectorConfigTest {

    private static final Map<String, String> DEV_KEYS = Map.of("JOIN_TOKEN_DEV_KEYS", "true");

    @Test
    void defaultsMatchTheReadme() {
        DirectorConfig config = DirectorConfig.fromEnv(DEV_KEYS);

        assertEquals("127.0.0.1:50581", config.omCoreTarget());
        assertEquals(
                MatchmakingFunctionSpec.newBuilder()
                        .setName("trespasser-mmf")
                        .setHost("http://127.0.0.1")
                        .setPort(50502)
                        .setType(MatchmakingFunctionSpec.Type.GRPC)
                        .build(),
                config.mmf());
        assertEquals("redis://127.0.0.1:6379", config.redisUrl());
        assertEquals(
                List.of("4v4.eu", "4v4.us", "2v2.eu", "1v1.eu"),
                config.profiles().stream().map(MatchProfile::name).toList());
        assertEquals(3_000, config.maxPoolTickets());
        assertEquals(Duration.ofMillis(250), config.cycle());
        assertEquals(4, config.placementConcurrency());
        assertEquals(9103, config.metricsPort());
        assertEquals(
                MatchRules.newBuilder()
                        .setKillLimit(50)
                        .setTimeLimitSeconds(600)
                        .setFriendlyFire(false)
                        .setMaxRounds(5)
                        .build(),
                config.rules(),
                "GAME.md's rules, 5 rounds at most");
        // 30 s waiting + 5 rounds x (5 s warmup + 600 s + 3 s ending + 15 s scoreboard) + 5 min margin.
        assertEquals(
                Duration.ofSeconds(30 + 5 * 623 + 300),
                config.matchLifetime(),
                "join tokens and assignment keys outlive the longest match");
        assertEquals(Duration.ofSeconds(120), config.claimTtl());
        assertEquals(Duration.ofSeconds(6), config.claimLease());
        assertEquals(Duration.ofMillis(1000), config.invokeRetryMax());
        DirectorConfig.Agones agones = config.agones();
        assertEquals("default", agones.settings().namespace());
        assertEquals("trespasser-match", agones.settings().fleet());
        assertEquals("game", agones.settings().gamePortName());
        assertEquals(Optional.empty(), agones.apiUrl(), "in-cluster service account by default");
        assertEquals("{ip}", config.hostTemplate().toString());
        assertTrue(config.matchTls(), "match servers speak wss:// unless told otherwise");
    }

    @Test
    void theHostTemplateAndMatchTlsComeFromTheEnvironment() {
        DirectorConfig config = DirectorConfig.fromEnv(Map.of(
                "JOIN_TOKEN_DEV_KEYS",
                "true",
                "DIRECTOR_HOST_TEMPLATE",
                "{ip-dashed}.gs.example.com",
                "DIRECTOR_MATCH_TLS",
                "false"));
        assertEquals("10-1-2-3.gs.example.com", config.hostTemplate().hostFor("10.1.2.3", "gs-1"));
        assertFalse(config.matchTls());
    }

    @Test
    void aClaimLeaseLongerThanTheClaimTtlIsRefusedByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DirectorConfig.fromEnv(Map.of(
                        "JOIN_TOKEN_DEV_KEYS",
                        "true",
                        "DIRECTOR_CLAIM_TTL_SECONDS",
                        "30",
                        "DIRECTOR_CLAIM_LEASE_SECONDS",
                        "60")));
        assertTrue(e.getMessage().contains("DIRECTOR_CLAIM_LEASE_SECONDS"), e.getMessage());
    }

    @Test
    void mmfHostWithASchemeIsKeptAndSelectorLabelsAreParsed() {
        DirectorConfig config = DirectorConfig.fromEnv(Map.of(
                "JOIN_TOKEN_DEV_KEYS", "true",
                "MMF_HOST", "http://mmf.open-match.svc",
                "DIRECTOR_SELECTOR_LABELS", "trespasser.dev/build=b17, tier=standard"));

        assertEquals("http://mmf.open-match.svc", config.mmf().getHost());
        assertEquals(
                Map.of("trespasser.dev/build", "b17", "tier", "standard"),
                config.agones().settings().extraLabels());
    }

    @Test
    void matchRulesComeFromTheEnvironment() {
        DirectorConfig config = DirectorConfig.fromEnv(Map.of(
                "JOIN_TOKEN_DEV_KEYS", "true",
                "DIRECTOR_KILL_LIMIT", "5",
                "DIRECTOR_TIME_LIMIT_SECONDS", " 90 ",
                "DIRECTOR_FRIENDLY_FIRE", "TRUE",
                "DIRECTOR_MAX_ROUNDS", "3"));

        assertEquals(
                MatchRules.newBuilder()
                        .setKillLimit(5)
                        .setTimeLimitSeconds(90)
                        .setFriendlyFire(true)
                        .setMaxRounds(3)
                        .build(),
                config.rules());
        assertEquals(
                Duration.ofSeconds(30 + 3 * (5 + 90 + 3 + 15) + 300),
                config.matchLifetime(),
                "the lifetime follows the rules");
    }

    @Test
    void exactlyOneSigningKeySourceIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> DirectorConfig.fromEnv(Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> DirectorConfig.fromEnv(Map.of(
                        "JOIN_TOKEN_DEV_KEYS", "true", "JOIN_TOKEN_PRIVATE_KEY_FILE", "/run/secrets/join-token.pem")));
        assertFalse(DirectorConfig.fromEnv(Map.of("JOIN_TOKEN_PRIVATE_KEY_FILE", "/run/secrets/join-token.pem"))
                .tokenKeys()
                .devKeys());
    }

    @Test
    void badValuesNameTheirVariable() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("DIRECTOR_CYCLE_MS", "0"),
                Map.entry("MMF_PORT", "70000"),
                Map.entry("DIRECTOR_PROFILES", "4v4"),
                Map.entry("DIRECTOR_MAX_ROUNDS", "0"),
                Map.entry("DIRECTOR_MAX_ROUNDS", "101"),
                Map.entry("DIRECTOR_KILL_LIMIT", "0"),
                Map.entry("DIRECTOR_KILL_LIMIT", "-5"),
                Map.entry("DIRECTOR_KILL_LIMIT", "10001"),
                Map.entry("DIRECTOR_KILL_LIMIT", "fifty"),
                Map.entry("DIRECTOR_TIME_LIMIT_SECONDS", "0"),
                Map.entry("DIRECTOR_TIME_LIMIT_SECONDS", "600000"),
                Map.entry("DIRECTOR_TIME_LIMIT_SECONDS", "99999999999"),
                Map.entry("DIRECTOR_TIME_LIMIT_SECONDS", "10m"),
                Map.entry("DIRECTOR_FRIENDLY_FIRE", "maybe"),
                Map.entry("DIRECTOR_PLACEMENT_CONCURRENCY", "0"),
                Map.entry("DIRECTOR_PLACEMENT_CONCURRENCY", "65"),
                Map.entry("DIRECTOR_MAX_POOL_TICKETS", "0"),
                Map.entry("DIRECTOR_MAX_POOL_TICKETS", "6001"),
                Map.entry("DIRECTOR_MAX_POOL_TICKETS", "3k"),
                Map.entry("DIRECTOR_HOST_TEMPLATE", "{ip_dashed}.gs.example.com"),
                Map.entry("DIRECTOR_HOST_TEMPLATE", "gs.example.com"),
                Map.entry("DIRECTOR_HOST_TEMPLATE", "{ip}:7777"),
                Map.entry("DIRECTOR_MATCH_TLS", "on"))) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> DirectorConfig.fromEnv(Map.of("JOIN_TOKEN_DEV_KEYS", "true", bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }
}
