package dev.trespasser.match.room;

import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.match.sim.Roster;
import dev.trespasser.match.sim.Team;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import java.util.ArrayList;
import java.util.List;

/** What an allocation asks of the simulation: its rules over the base settings, and its roster. */
final class AllocationRules {

    /** Bounds on a private match's rules. */
    static final int MAX_KILL_LIMIT = 10_000;

    static final int MAX_TIME_LIMIT_SECONDS = 3 * 60 * 60;

    private AllocationRules() {}

    /**
     * The allocation's rules over the base settings: 0 (unset) keeps the base's value (GAME.md: 50
     * kills, 600 s, friendly fire off). Values no match could mean are refused, so the lifecycle
     * gives the server back instead of hosting a match that would never end.
     */
    static MatchSettings settings(MatchSettings base, MatchRules rules) {
        MatchSettings.Flow flow = base.flow();
        // uint32 on the wire: read unsigned, or 2^32-1 would arrive as -1.
        long killLimit = Integer.toUnsignedLong(rules.getKillLimit());
        long timeLimit = Integer.toUnsignedLong(rules.getTimeLimitSeconds());
        if (killLimit > MAX_KILL_LIMIT) {
            throw new IllegalArgumentException("kill limit " + killLimit + " is over " + MAX_KILL_LIMIT);
        }
        if (timeLimit > MAX_TIME_LIMIT_SECONDS) {
            throw new IllegalArgumentException(
                    "time limit " + timeLimit + " s is over " + MAX_TIME_LIMIT_SECONDS + " s");
        }
        return base.withPrivateRules(
                killLimit != 0 ? (int) killLimit : flow.killLimit(),
                timeLimit != 0 ? (int) timeLimit : flow.timeLimitSeconds(),
                rules.getFriendlyFire() || flow.friendlyFire());
    }

    static Roster roster(MatchAllocation allocation) {
        List<Roster.Entry> entries = new ArrayList<>();
        for (RosterPlayer p : allocation.getRosterList()) {
            Team team = switch (p.getTeam()) {
                case ROSTER_TEAM_RED -> Team.RED;
                case ROSTER_TEAM_BLUE -> Team.BLUE;
                default -> throw new IllegalArgumentException("player " + p.getPlayerId() + " has no team");
            };
            entries.add(new Roster.Entry(p.getPlayerId(), team));
        }
        return new Roster(entries);
    }
}
