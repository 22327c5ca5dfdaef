package dev.trespasser.mmf.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules every matching result must obey, checked independently of how it was formed. */
final class MatchInvariants {

    private static final double EPSILON = 1e-9;

    private MatchInvariants() {}

    static void check(List<QueuedTicket> input, MatchingResult result, MatchingRules rules, Instant now) {
        Map<String, QueuedTicket> byId = new HashMap<>();
        for (QueuedTicket ticket : input) {
            byId.putIfAbsent(ticket.ticketId(), ticket);
        }
        Set<String> accounted = new HashSet<>();
        Set<String> players = new HashSet<>();
        for (FormedMatch match : result.matches()) {
            int teamSize = match.mode().teamSize();
            assertEquals(teamSize, match.red().players(), () -> "red team size in " + match);
            assertEquals(teamSize, match.blue().players(), () -> "blue team size in " + match);
            double minRating = Double.POSITIVE_INFINITY;
            double maxRating = Double.NEGATIVE_INFINITY;
            double longestWait = 0;
            for (QueuedTicket ticket : match.tickets()) {
                assertTrue(accounted.add(ticket.ticketId()), () -> "ticket used twice: " + ticket);
                assertEquals(byId.get(ticket.ticketId()), ticket, "a match holds the input ticket");
                assertEquals(match.mode(), ticket.mode(), "modes never mix");
                assertEquals(match.region(), ticket.region(), "regions never mix");
                assertTrue(ticket.partySize() <= teamSize, "an oversized party is never matched");
                for (String player : ticket.playerIds()) {
                    assertTrue(players.add(player), () -> "player placed twice: " + player);
                }
                minRating = Math.min(minRating, ticket.rating());
                maxRating = Math.max(maxRating, ticket.rating());
                longestWait = Math.max(longestWait, waitSeconds(ticket, now));
            }
            assertEquals(maxRating - minRating, match.ratingSpread(), EPSILON);
            assertEquals(rules.toleranceAfter(longestWait), match.tolerance(), 1e-6);
            assertTrue(
                    match.ratingSpread() <= match.tolerance() + EPSILON,
                    () -> "spread above the longest waiter's tolerance: " + match);
            assertEquals(meanRating(match.red()), match.red().rating(), 1e-6);
            assertEquals(meanRating(match.blue()), match.blue().rating(), 1e-6);
            assertEquals(bestGap(match.tickets(), teamSize), match.ratingGap(), 1e-6, "split is the best one");
        }
        for (QueuedTicket ticket : result.unmatched()) {
            assertTrue(accounted.add(ticket.ticketId()), () -> "unmatched ticket also used: " + ticket);
        }
        for (RejectedTicket rejected : result.rejected()) {
            QueuedTicket ticket = rejected.ticket();
            if (rejected.reason() == RejectedTicket.Reason.PARTY_TOO_LARGE) {
                assertTrue(ticket.partySize() > ticket.mode().teamSize());
                assertTrue(accounted.add(ticket.ticketId()), "a rejected ticket is nowhere else");
            } else {
                assertTrue(accounted.contains(ticket.ticketId()), "a duplicate's first copy is kept");
            }
        }
        assertEquals(byId.keySet(), accounted, "every ticket is matched, unmatched or rejected");
    }

    static double waitSeconds(QueuedTicket ticket, Instant now) {
        Duration wait = Duration.between(ticket.enqueuedAt(), now);
        return Math.max(0, wait.getSeconds() + wait.getNano() / 1e9);
    }

    static double meanRating(Team team) {
        double sum = 0;
        int players = 0;
        for (QueuedTicket ticket : team.tickets()) {
            sum += ticket.rating() * ticket.partySize();
            players += ticket.partySize();
        }
        return sum / players;
    }

    /** Brute force by recursion, independent of {@link TeamBalancer}'s bitmask enumeration. */
    static double bestGap(List<QueuedTicket> tickets, int teamSize) {
        double best = bestGap(tickets, 0, teamSize, 0, 0, 0, 0);
        if (Double.isInfinite(best)) {
            fail("no valid split of " + tickets);
        }
        return best;
    }

    private static double bestGap(
            List<QueuedTicket> tickets,
            int index,
            int teamSize,
            int redPlayers,
            int bluePlayers,
            double redSum,
            double blueSum) {
        if (redPlayers > teamSize || bluePlayers > teamSize) {
            return Double.POSITIVE_INFINITY;
        }
        if (index == tickets.size()) {
            return redPlayers == teamSize && bluePlayers == teamSize
                    ? Math.abs(redSum - blueSum) / teamSize
                    : Double.POSITIVE_INFINITY;
        }
        QueuedTicket ticket = tickets.get(index);
        int size = ticket.partySize();
        double weight = ticket.rating() * size;
        return Math.min(
                bestGap(tickets, index + 1, teamSize, redPlayers + size, bluePlayers, redSum + weight, blueSum),
                bestGap(tickets, index + 1, teamSize, redPlayers, bluePlayers + size, redSum, blueSum + weight));
    }
}
