package dev.trespasser.mmf.matching;

import static dev.trespasser.mmf.matching.Tickets.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.GameMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random queues: the invariants must hold for every one of them. */
class MatchFormerPropertiesTest {

    private static final int POOLS = 300;
    private final MatchFormer former = new MatchFormer(MatchingRules.DEFAULT);

    @Test
    void everyRandomQueueGivesFullTeamsDistinctTicketsWholePartiesAndTheBestSplit() {
        Random random = new Random(20261121);
        int matches = 0;
        for (int pool = 0; pool < POOLS; pool++) {
            PoolGenerator shape = PoolGenerator.mixed().withRatingSd(50 + random.nextInt(400));
            List<QueuedTicket> input = shape.generate(random, random.nextInt(400));
            // Hostile extras: a party too big for 1v1 and a duplicated ticket id.
            input.add(Tickets.ticket("big" + pool, GameMode.ONE_V_ONE, "eu", 2, 1500, 50));
            if (!input.isEmpty()) {
                input.add(input.get(random.nextInt(input.size())));
            }
            MatchingResult result = former.form(input, NOW);
            MatchInvariants.check(input, result, MatchingRules.DEFAULT, NOW);
            matches += result.matches().size();
        }
        assertTrue(matches > POOLS, "the generated queues do form matches: " + matches);
    }

    @Test
    void resultDoesNotDependOnInputOrder() {
        Random random = new Random(7);
        for (int pool = 0; pool < 100; pool++) {
            List<QueuedTicket> input = PoolGenerator.mixed().generate(random, random.nextInt(300));
            MatchingResult first = former.form(input, NOW);
            List<QueuedTicket> shuffled = new ArrayList<>(input);
            Collections.shuffle(shuffled, random);
            MatchingResult second = former.form(shuffled, NOW);
            assertEquals(first, second);
        }
    }

    @Test
    void leftoverSoloTicketsCouldNotFormAnotherValidMatch() {
        Random random = new Random(99);
        for (int pool = 0; pool < POOLS; pool++) {
            PoolGenerator shape = PoolGenerator.mixed()
                    .solosOnly()
                    .withRatingSd(100 + random.nextInt(300))
                    .withMaxWait(30);
            List<QueuedTicket> input = shape.generate(random, random.nextInt(200));
            MatchingResult result = former.form(input, NOW);
            assertNoMatchAmong(result.unmatched());
        }
    }

    /**
     * For solos a match exists among the leftovers iff some leftover's tolerance spans a rating
     * window holding a full match of leftovers of its mode and region.
     */
    private static void assertNoMatchAmong(List<QueuedTicket> leftovers) {
        for (QueuedTicket ticket : leftovers) {
            double tolerance = MatchingRules.DEFAULT.toleranceAfter(MatchInvariants.waitSeconds(ticket, NOW));
            List<Double> ratings = leftovers.stream()
                    .filter(t -> t.mode() == ticket.mode() && t.region().equals(ticket.region()))
                    .map(QueuedTicket::rating)
                    .sorted()
                    .toList();
            int need = ticket.mode().matchSize();
            for (int low = 0; low + need <= ratings.size(); low++) {
                double lowest = ratings.get(low);
                double highest = ratings.get(low + need - 1);
                boolean containsTicket = lowest <= ticket.rating() && ticket.rating() <= highest;
                assertFalse(
                        containsTicket && highest - lowest <= tolerance,
                        () -> "leftovers could still match around " + ticket);
            }
        }
    }

    @Test
    void theLongestWaitingTicketIsMatchedWheneverAMatchWithItExists() {
        Random random = new Random(5);
        int matchedOldest = 0;
        for (int pool = 0; pool < POOLS; pool++) {
            List<QueuedTicket> input =
                    PoolGenerator.realistic4v4().solosOnly().withMaxWait(15).generate(random, 8 + random.nextInt(40));
            QueuedTicket oldest = input.stream()
                    .min(Comparator.comparing(QueuedTicket::enqueuedAt))
                    .orElseThrow();
            double tolerance = MatchingRules.DEFAULT.toleranceAfter(MatchInvariants.waitSeconds(oldest, NOW));
            List<Double> ratings =
                    input.stream().map(QueuedTicket::rating).sorted().toList();
            boolean possible = false;
            for (int low = 0; low + 8 <= ratings.size(); low++) {
                double lowest = ratings.get(low);
                double highest = ratings.get(low + 7);
                possible |= lowest <= oldest.rating() && oldest.rating() <= highest && highest - lowest <= tolerance;
            }
            boolean matched = former.form(input, NOW).matches().stream()
                    .anyMatch(m -> m.tickets().contains(oldest));
            assertEquals(possible, matched, () -> "oldest " + oldest + " in " + input);
            matchedOldest += matched ? 1 : 0;
        }
        assertTrue(matchedOldest > POOLS / 10 && matchedOldest < POOLS, "both cases occur: " + matchedOldest);
    }

    @Test
    void anOutlierMatchesExactlyOnceItsToleranceCoversTheGap() {
        Random random = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            double gap = 100 + random.nextDouble() * 600;
            double waited = random.nextDouble() * 40;
            double tolerance = MatchingRules.DEFAULT.toleranceAfter(waited);
            if (Math.abs(tolerance - gap) < 1e-3) {
                continue;
            }
            List<QueuedTicket> queue = new ArrayList<>(Tickets.solos("pack", 7, 1500, 0));
            queue.add(Tickets.waited(Tickets.solo("outlier", 1500 + gap), waited));
            boolean matched = !former.form(queue, NOW).matches().isEmpty();
            assertEquals(tolerance >= gap, matched, "gap " + gap + " after " + waited + " s");
        }
    }

    @Test
    void soloTeamsDifferByAtMostTheSpreadOverTheTeamSize() {
        Random random = new Random(3);
        for (int pool = 0; pool < 100; pool++) {
            List<QueuedTicket> input = PoolGenerator.mixed().solosOnly().generate(random, 200);
            for (FormedMatch match : former.form(input, NOW).matches()) {
                assertTrue(
                        match.ratingGap() <= match.ratingSpread() / match.mode().teamSize() + 1e-9,
                        () -> "gap above spread / team size: " + match);
            }
        }
    }

    @Test
    void balancedTeamsAreCloserThanFirstComeFirstServedTeams() {
        Random random = new Random(11);
        double balanced = 0;
        double naive = 0;
        int matches = 0;
        for (int pool = 0; pool < 50; pool++) {
            List<QueuedTicket> input = PoolGenerator.realistic4v4().solosOnly().generate(random, 400);
            for (FormedMatch match : former.form(input, NOW).matches()) {
                // Naive: the first four to queue play red, the next four blue.
                List<QueuedTicket> byQueueOrder = new ArrayList<>(match.tickets());
                byQueueOrder.sort(Comparator.comparing(QueuedTicket::enqueuedAt));
                double red = 0;
                double blue = 0;
                for (int i = 0; i < byQueueOrder.size(); i++) {
                    if (i < 4) {
                        red += byQueueOrder.get(i).rating();
                    } else {
                        blue += byQueueOrder.get(i).rating();
                    }
                }
                double naiveGap = Math.abs(red - blue) / 4;
                assertTrue(match.ratingGap() <= naiveGap + 1e-9, () -> "worse than naive: " + match);
                balanced += match.ratingGap();
                naive += naiveGap;
                matches++;
            }
        }
        assertTrue(matches > 1000, "enough matches to compare: " + matches);
        assertTrue(
                balanced < naive / 5,
                "mean gap " + balanced / matches + " should be far below naive " + naive / matches);
    }

    @Test
    void aRealisticQueueOfTenThousandPlacesAtLeast99PercentOfMatchablePlayers() {
        Random random = new Random(42);
        List<QueuedTicket> input = PoolGenerator.realistic4v4().generate(random, 10_000);
        MatchingResult result = former.form(input, NOW);
        MatchInvariants.check(input, result, MatchingRules.DEFAULT, NOW);
        int matchable = PoolGenerator.matchablePlayers(input);
        double placed = (double) result.matchedPlayers() / matchable;
        assertTrue(placed >= 0.99, "placed " + placed + " of matchable players");
    }
}
