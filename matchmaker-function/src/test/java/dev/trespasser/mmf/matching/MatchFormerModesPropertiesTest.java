package dev.trespasser.mmf.matching;

import static dev.trespasser.mmf.matching.Tickets.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.GameMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The properties MatchFormerPropertiesTest checks on 4v4, for every mode: widening, wait
 * priority, and parties filling teams (whole parties only, never more players than a team).
 */
class MatchFormerModesPropertiesTest {

    private final MatchFormer former = new MatchFormer(MatchingRules.DEFAULT);

    @ParameterizedTest
    @EnumSource(GameMode.class)
    void anOutlierMatchesExactlyOnceItsToleranceCoversTheGap(GameMode mode) {
        Random random = new Random(17 + mode.ordinal());
        int matched = 0;
        for (int trial = 0; trial < 200; trial++) {
            double gap = 100 + random.nextDouble() * 600;
            double waited = random.nextDouble() * 40;
            double tolerance = MatchingRules.DEFAULT.toleranceAfter(waited);
            if (Math.abs(tolerance - gap) < 1e-3) {
                continue;
            }
            List<QueuedTicket> queue = new ArrayList<>();
            for (int i = 0; i < 2 * mode.teamSize() - 1; i++) {
                queue.add(Tickets.ticket("pack" + i, mode, "eu", 1, 1500, 0));
            }
            queue.add(Tickets.ticket("outlier", mode, "eu", 1, 1500 + gap, waited));
            MatchingResult result = former.form(queue, NOW);
            MatchInvariants.check(queue, result, MatchingRules.DEFAULT, NOW);
            assertEquals(
                    tolerance >= gap, !result.matches().isEmpty(), mode + ": gap " + gap + " after " + waited + " s");
            matched += result.matches().isEmpty() ? 0 : 1;
        }
        assertTrue(matched > 20 && matched < 180, "both outcomes occur: " + matched);
    }

    @ParameterizedTest
    @EnumSource(GameMode.class)
    void theLongestWaitingTicketIsMatchedWheneverAMatchWithItExists(GameMode mode) {
        Random random = new Random(5 + mode.ordinal());
        int size = 2 * mode.teamSize();
        int matchedOldest = 0;
        for (int pool = 0; pool < 300; pool++) {
            List<QueuedTicket> input = new PoolGenerator(1500, 300, 0, 1, 15, List.of(mode), List.of("eu"))
                    .generate(random, size + random.nextInt(5 * size));
            QueuedTicket oldest = input.stream()
                    .min(Comparator.comparing(QueuedTicket::enqueuedAt))
                    .orElseThrow();
            double tolerance = MatchingRules.DEFAULT.toleranceAfter(MatchInvariants.waitSeconds(oldest, NOW));
            List<Double> ratings =
                    input.stream().map(QueuedTicket::rating).sorted().toList();
            boolean possible = false;
            for (int low = 0; low + size <= ratings.size(); low++) {
                double lowest = ratings.get(low);
                double highest = ratings.get(low + size - 1);
                possible |= lowest <= oldest.rating() && oldest.rating() <= highest && highest - lowest <= tolerance;
            }
            boolean matched = former.form(input, NOW).matches().stream()
                    .anyMatch(m -> m.tickets().contains(oldest));
            assertEquals(possible, matched, () -> mode + ": oldest " + oldest + " in " + input);
            matchedOldest += matched ? 1 : 0;
        }
        assertTrue(matchedOldest > 30 && matchedOldest < 300, "both cases occur: " + matchedOldest);
    }

    /**
     * Equal ratings, parties of one size that divides the team: any two teams' worth make a match,
     * so at most one match's worth minus one party may be left, and every team is whole parties.
     */
    @ParameterizedTest
    @EnumSource(GameMode.class)
    void partiesOfOneSizeFillTeamsLeavingLessThanAMatch(GameMode mode) {
        Random random = new Random(23 + mode.ordinal());
        for (int partySize = 1; partySize <= mode.teamSize(); partySize++) {
            if (mode.teamSize() % partySize != 0) {
                continue;
            }
            int partiesPerMatch = 2 * mode.teamSize() / partySize;
            for (int pool = 0; pool < 50; pool++) {
                int parties = random.nextInt(6 * partiesPerMatch);
                List<QueuedTicket> input = new ArrayList<>();
                for (int i = 0; i < parties; i++) {
                    input.add(Tickets.ticket("party" + i, mode, "eu", partySize, 1500, random.nextDouble() * 30));
                }
                MatchingResult result = former.form(input, NOW);
                MatchInvariants.check(input, result, MatchingRules.DEFAULT, NOW);
                assertEquals(
                        parties / partiesPerMatch,
                        result.matches().size(),
                        mode + " with " + parties + " parties of " + partySize);
                assertTrue(result.unmatched().size() < partiesPerMatch);
            }
        }
    }

    /** Parties too large for the mode are refused, whatever else is queued; the rest still match. */
    @ParameterizedTest
    @EnumSource(GameMode.class)
    void oversizedPartiesAreRejectedAndTheRestStillMatch(GameMode mode) {
        List<QueuedTicket> input = new ArrayList<>();
        for (int i = 0; i < 2 * mode.teamSize(); i++) {
            input.add(Tickets.ticket("solo" + i, mode, "eu", 1, 1500, 10));
        }
        input.add(Tickets.ticket("too-big", mode, "eu", mode.teamSize() + 1, 1500, 60));
        MatchingResult result = former.form(input, NOW);
        MatchInvariants.check(input, result, MatchingRules.DEFAULT, NOW);
        assertEquals(1, result.matches().size());
        assertEquals(
                List.of("too-big"),
                result.rejected().stream().map(r -> r.ticket().ticketId()).toList());
    }
}
