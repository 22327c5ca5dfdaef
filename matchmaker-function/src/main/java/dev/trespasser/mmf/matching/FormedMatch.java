package dev.trespasser.mmf.matching;

import dev.trespasser.proto.GameMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A full match: two teams of exactly {@code mode.teamSize()} players each.
 *
 * @param ratingSpread max − min ticket rating over both teams
 * @param tolerance the tolerance that allowed this spread (that of the longest-waiting ticket)
 */
public record FormedMatch(
        String matchId, GameMode mode, String region, Team red, Team blue, double ratingSpread, double tolerance) {

    /** |red − blue| in mean player rating. */
    public double ratingGap() {
        return Math.abs(red.rating() - blue.rating());
    }

    public List<QueuedTicket> tickets() {
        List<QueuedTicket> all = new ArrayList<>(red.tickets());
        all.addAll(blue.tickets());
        return all;
    }
}
