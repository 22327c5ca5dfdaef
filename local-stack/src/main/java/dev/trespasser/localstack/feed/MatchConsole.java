package dev.trespasser.localstack.feed;

import dev.trespasser.localstack.fleet.FleetListener;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.ResultTeam;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the run command prints while the stack runs: each match as it is made (server, teams),
 * started (first player in), ended (score, per-player kills/deaths), servers returning to the
 * fleet or being replaced; and the figures for the summary. Player ids are shown as the bots'
 * labels once the bots have said who is who.
 */
public final class MatchConsole implements FleetListener, Consumer<MatchResult> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final Map<String, String> labelOfPlayerId = new ConcurrentHashMap<>();
    private final Set<String> startedMatches = ConcurrentHashMap.newKeySet();
    private final Set<String> finishedMatches = ConcurrentHashMap.newKeySet();
    private final Map<String, String> serverOfMatch = new ConcurrentHashMap<>();
    private volatile int rounds;
    private volatile int abandoned;

    public MatchConsole(PrintStream out) {
        this.out = out;
    }

    // --- from the bots ---

    public void loggedIn(String label, String playerId) {
        labelOfPlayerId.put(playerId, label);
    }

    public void welcomed(String matchId) {
        if (startedMatches.add(matchId)) {
            print("match %s started on %s (first player in)", matchId, serverOfMatch.getOrDefault(matchId, "?"));
        }
    }

    public void note(String format, Object... args) {
        print(format, args);
    }

    // --- from the fleet ---

    @Override
    public void onAllocated(String slot, MatchAllocation match) {
        serverOfMatch.put(match.getMatchId(), slot);
        print(
                "match %s made → %s: map %s, %s, first to %d kills or %d s%n           red  %s%n           blue %s",
                match.getMatchId(),
                slot,
                match.getMapName(),
                match.getMode(),
                match.getRules().getKillLimit(),
                match.getRules().getTimeLimitSeconds(),
                team(match, RosterTeam.ROSTER_TEAM_RED),
                team(match, RosterTeam.ROSTER_TEAM_BLUE));
    }

    @Override
    public void onReturnedToFleet(String slot, String lastMatchId) {
        print("%s back in the fleet (Ready) after match %s", slot, lastMatchId);
    }

    @Override
    public void onReplacing(String slot, int exitCode, String lastState) {
        String why = exitCode == 0 && "Shutdown".equals(lastState)
                ? "called Shutdown (served its matches)"
                : "exited with code " + exitCode + " while " + (lastState.isEmpty() ? "starting" : lastState);
        print("%s: match server %s; the fleet replaces it", slot, why);
    }

    @Override
    public void onReady(String slot, int generation) {
        if (generation > 1) {
            print("%s: replacement match server #%d is Ready", slot, generation);
        }
    }

    // --- from the results stream ---

    @Override
    public void accept(MatchResult result) {
        rounds++;
        if (result.getOutcome() == Outcome.OUTCOME_ABANDONED) {
            abandoned++;
            print("match %s abandoned on %s: too few players came", result.getMatchId(), result.getGameServer());
            finishedMatches.add(result.getMatchId());
            return;
        }
        finishedMatches.add(result.getMatchId());
        String verdict = switch (result.getOutcome()) {
            case OUTCOME_RED_WON -> "RED won";
            case OUTCOME_BLUE_WON -> "BLUE won";
            default -> "draw";
        };
        print(
                "match %s ended on %s: %s %d–%d in %d s (round %d)%n           red  %s%n           blue %s",
                result.getMatchId(),
                result.getGameServer(),
                verdict,
                result.getRedKills(),
                result.getBlueKills(),
                result.getDurationSeconds(),
                result.getRound(),
                scores(result, ResultTeam.RESULT_TEAM_RED),
                scores(result, ResultTeam.RESULT_TEAM_BLUE));
    }

    // --- figures ---

    /** Matches with at least one result (a restarted match counts once). */
    public int matchesPlayed() {
        return finishedMatches.size();
    }

    public int rounds() {
        return rounds;
    }

    public int abandoned() {
        return abandoned;
    }

    private String team(MatchAllocation match, RosterTeam team) {
        return match.getRosterList().stream()
                .filter(p -> p.getTeam() == team)
                .map(RosterPlayer::getPlayerId)
                .map(this::label)
                .collect(Collectors.joining(" "));
    }

    private String scores(MatchResult result, ResultTeam team) {
        return result.getPlayersList().stream()
                .filter(p -> p.getTeam() == team)
                .map(p -> String.format(
                        Locale.ROOT,
                        "%s %d/%d%s",
                        label(p.getPlayerId()),
                        p.getKills(),
                        p.getDeaths(),
                        p.getPresentAtEnd() ? "" : " (left)"))
                .collect(Collectors.joining(", "));
    }

    private String label(String playerId) {
        return labelOfPlayerId.getOrDefault(playerId, playerId);
    }

    /** Kills/deaths per player are "k/d"; one line per event, prefixed with the wall clock. */
    private void print(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        synchronized (out) {
            out.println(LocalTime.now().format(CLOCK) + "  " + line);
        }
    }
}
