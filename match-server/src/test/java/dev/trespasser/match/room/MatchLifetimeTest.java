package dev.trespasser.match.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.proto.MatchLifetime;
import dev.trespasser.proto.allocation.v1.MatchRules;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The director and frontend size token and assignment lifetimes with {@link MatchLifetime}; the
 * match server plays with {@link MatchSettings}. If a phase here grew, tokens would expire inside
 * a legitimate match: the two must agree.
 */
class MatchLifetimeTest {

    @Test
    void theLifetimesPhasesAreAtLeastTheGamesPhases() {
        MatchSettings.Flow flow = MatchSettings.defaults().flow();
        assertTrue(MatchLifetime.WAITING_SECONDS >= flow.waitingSeconds());
        assertTrue(MatchLifetime.WARMUP_SECONDS >= flow.warmupSeconds());
        assertTrue(MatchLifetime.ENDING_SECONDS * 1000 >= flow.endingMillis());
        assertTrue(MatchLifetime.SCOREBOARD_SECONDS >= flow.scoreboardSeconds());
        assertEquals(MatchLifetime.DEFAULT_TIME_LIMIT_SECONDS, flow.timeLimitSeconds());
    }

    @Test
    void theLongestMatchOutlastsEveryRoundTheRoomWillPlay() {
        MatchRules rules =
                MatchRules.newBuilder().setTimeLimitSeconds(600).setMaxRounds(5).build();
        MatchSettings settings = AllocationRules.settings(MatchSettings.defaults(), rules);
        MatchSettings.Flow flow = settings.flow();
        long playedSeconds = flow.waitingSeconds()
                + 5L
                        * (flow.warmupSeconds()
                                + flow.timeLimitSeconds()
                                + (flow.endingMillis() + 999) / 1000
                                + flow.scoreboardSeconds());
        Duration lifetime = MatchLifetime.longest(rules);
        assertTrue(lifetime.compareTo(Duration.ofSeconds(playedSeconds)) > 0, lifetime + " vs " + playedSeconds + " s");
        assertTrue(lifetime.compareTo(Duration.ofMinutes(25)) > 0, "a reload at minute 25 of a restarted match");
        assertEquals(
                MatchLifetime.longest(rules),
                MatchLifetime.longest(rules.toBuilder().setMaxRounds(0).build()),
                "0 rounds means the default, 5");
    }
}
