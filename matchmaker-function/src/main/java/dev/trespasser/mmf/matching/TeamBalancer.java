package dev.trespasser.mmf.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits the tickets of one match into two teams of exactly {@code teamSize} players, keeping
 * parties whole and minimising the gap between the teams' mean player ratings.
 *
 * <p>Exhaustive: a 4v4 match has at most 8 tickets, so at most 2^7 = 128 splits (the first
 * ticket is pinned to red, which halves the mirror-image splits).
 */
public final class TeamBalancer {

    /** Enough for any mode we have and small enough to enumerate. */
    static final int MAX_TICKETS = 16;

    /** Two teams with their mean player ratings. */
    public record Split(Team red, Team blue) {
        public double gap() {
            return Math.abs(red.rating() - blue.rating());
        }
    }

    private TeamBalancer() {}

    /**
     * The best split, or empty when the party sizes cannot fill two teams of {@code teamSize}
     * exactly. Ties go to the first split in enumeration order, so the result is deterministic for
     * a given ticket order.
     */
    public static Optional<Split> balance(List<QueuedTicket> tickets, int teamSize) {
        int n = tickets.size();
        if (n == 0 || n > MAX_TICKETS) {
            return Optional.empty();
        }
        int[] size = new int[n];
        double[] weight = new double[n];
        int totalPlayers = 0;
        double totalWeight = 0;
        for (int i = 0; i < n; i++) {
            QueuedTicket ticket = tickets.get(i);
            size[i] = ticket.partySize();
            weight[i] = ticket.rating() * size[i];
            totalPlayers += size[i];
            totalWeight += weight[i];
        }
        if (totalPlayers != 2 * teamSize) {
            return Optional.empty();
        }
        int bestMask = -1;
        double bestGap = Double.POSITIVE_INFINITY;
        // Bit i-1 of mask puts ticket i on red; ticket 0 is always red.
        for (int mask = 0; mask < 1 << (n - 1); mask++) {
            int redPlayers = size[0];
            double redWeight = weight[0];
            for (int i = 1; i < n; i++) {
                if ((mask & (1 << (i - 1))) != 0) {
                    redPlayers += size[i];
                    redWeight += weight[i];
                }
            }
            if (redPlayers != teamSize) {
                continue;
            }
            double gap = Math.abs(redWeight - (totalWeight - redWeight)) / teamSize;
            if (gap < bestGap) {
                bestGap = gap;
                bestMask = mask;
            }
        }
        if (bestMask < 0) {
            return Optional.empty();
        }
        List<QueuedTicket> red = new ArrayList<>();
        List<QueuedTicket> blue = new ArrayList<>();
        double redWeight = 0;
        red.add(tickets.get(0));
        redWeight += weight[0];
        for (int i = 1; i < n; i++) {
            if ((bestMask & (1 << (i - 1))) != 0) {
                red.add(tickets.get(i));
                redWeight += weight[i];
            } else {
                blue.add(tickets.get(i));
            }
        }
        return Optional.of(
                new Split(new Team(red, redWeight / teamSize), new Team(blue, (totalWeight - redWeight) / teamSize)));
    }
}
