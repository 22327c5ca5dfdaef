package dev.trespasser.mmf.matching;

import java.util.List;

/**
 * Everything one matching run decided: each input ticket is in exactly one of the three lists.
 */
public record MatchingResult(List<FormedMatch> matches, List<QueuedTicket> unmatched, List<RejectedTicket> rejected) {

    public MatchingResult {
        matches = List.copyOf(matches);
        unmatched = List.copyOf(unmatched);
        rejected = List.copyOf(rejected);
    }

    public int matchedPlayers() {
        int players = 0;
        for (FormedMatch match : matches) {
            players += match.red().players() + match.blue().players();
        }
        return players;
    }
}
