package dev.trespasser.mmf.matching;

import static dev.trespasser.mmf.matching.Tickets.NOW;
import static dev.trespasser.mmf.matching.Tickets.in;
import static dev.trespasser.mmf.matching.Tickets.party;
import static dev.trespasser.mmf.matching.Tickets.solo;
import static dev.trespasser.mmf.matching.Tickets.solos;
import static dev.trespasser.mmf.matching.Tickets.waited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.GameMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each rule of matchmaking, on a queue small enough to read. */
class MatchFormerRulesTest {

    private final MatchFormer former = new MatchFormer(MatchingRules.DEFAULT);

    private static Set<String> matchedIds(MatchingResult result) {
        return result.matches().stream()
                .flatMap(m -> m.tickets().stream())
                .map(QueuedTicket::ticketId)
                .collect(Collectors.toSet());
    }

    private static Set<String> ids(Team team) {
        return team.tickets().stream().map(QueuedTicket::ticketId).collect(Collectors.toSet());
    }

    @Test
    void sevenPlayersMakeNoMatchAndEightMakeOne() {
        List<QueuedTicket> queue = new ArrayList<>(solos("s", 7, 1500, 1));
        assertTrue(former.form(queue, NOW).matches().isEmpty());
        queue.add(solo("eighth", 1500));
        MatchingResult result = former.form(queue, NOW);
        assertEquals(1, result.matches().size());
        assertTrue(result.unmatched().isEmpty());
    }

    @Test
    void teamSizesFollowTheMode() {
        for (GameMode mode : GameMode.values()) {
            List<QueuedTicket> queue = new ArrayList<>();
            for (QueuedTicket ticket : solos("s", 8, 1500, 1)) {
                queue.add(in(ticket, mode, "eu"));
            }
            MatchingResult result = former.form(queue, NOW);
            assertEquals(8 / mode.matchSize(), result.matches().size(), mode.label());
            for (FormedMatch match : result.matches()) {
                assertEquals(mode.teamSize(), match.red().players());
                assertEquals(mode.teamSize(), match.blue().players());
            }
        }
    }

    @Test
    void modesAndRegionsNeverMix() {
        List<QueuedTicket> queue = new ArrayList<>();
        List<QueuedTicket> base = solos("s", 8, 1500, 1);
        for (int i = 0; i < 8; i++) {
            // Alternating keys: no mode and region pair has a full match.
            queue.add(in(base.get(i), i % 2 == 0 ? GameMode.FOUR_V_FOUR : GameMode.TWO_V_TWO, "eu"));
            queue.add(in(solo("x" + i, 1500), GameMode.FOUR_V_FOUR, i % 2 == 0 ? "na" : "eu"));
        }
        MatchingResult result = former.form(queue, NOW);
        for (FormedMatch match : result.matches()) {
            for (QueuedTicket ticket : match.tickets()) {
                assertEquals(match.mode(), ticket.mode());
                assertEquals(match.region(), ticket.region());
            }
        }
        // 4v4/eu: 4 + 4 = 8 → one match; 2v2/eu: 4 → one match; 4v4/na: 4 → none.
        assertEquals(2, result.matches().size());
        assertEquals(4, result.unmatched().size());
    }

    @Test
    void aFullPartyIsATeamAndATrioGetsASolo() {
        List<QueuedTicket> queue = List.of(party("squad", 4, 1500), party("trio", 3, 1520), solo("a", 1480));
        MatchingResult result = former.form(queue, NOW);
        assertEquals(1, result.matches().size());
        FormedMatch match = result.matches().get(0);
        assertEquals(Set.of(Set.of("squad"), Set.of("trio", "a")), Set.of(ids(match.red()), ids(match.blue())));
    }

    @Test
    void soloTicketsFillAroundPartiesRatherThanSplittingThem() {
        // Eleven players: the tightest eight are the four solos and the squad; the trio waits.
        List<QueuedTicket> queue = List.of(
                party("squad", 4, 1500),
                party("trio", 3, 1520),
                solo("a", 1480),
                solo("b", 1490),
                solo("c", 1510),
                solo("d", 1530));
        MatchingResult result = former.form(queue, NOW);
        assertEquals(1, result.matches().size());
        FormedMatch match = result.matches().get(0);
        assertEquals(Set.of(Set.of("squad"), Set.of("a", "b", "c", "d")), Set.of(ids(match.red()), ids(match.blue())));
        assertEquals(
                List.of("trio"),
                result.unmatched().stream().map(QueuedTicket::ticketId).toList());
    }

    @Test
    void partiesThatCannotFillTeamsExactlyStayQueued() {
        List<QueuedTicket> queue = List.of(party("x", 3, 1500), party("y", 3, 1500), party("z", 2, 1500));
        MatchingResult result = former.form(queue, NOW);
        assertTrue(result.matches().isEmpty());
        assertEquals(3, result.unmatched().size());
    }

    @Test
    void aPartyLargerThanATeamIsRejectedAndNeverMatched() {
        List<QueuedTicket> queue = new ArrayList<>(solos("s", 2, 1500, 0));
        for (int i = 0; i < queue.size(); i++) {
            queue.set(i, in(queue.get(i), GameMode.ONE_V_ONE, "eu"));
        }
        queue.add(Tickets.ticket("duo", GameMode.ONE_V_ONE, "eu", 2, 1500, 60));
        MatchingResult result = former.form(queue, NOW);
        assertEquals(1, result.matches().size());
        assertEquals(
                List.of(new RejectedTicket(queue.get(2), RejectedTicket.Reason.PARTY_TOO_LARGE)), result.rejected());
        assertFalse(matchedIds(result).contains("duo"));
    }

    @Test
    void aTicketListedTwiceIsUsedOnce() {
        List<QueuedTicket> queue = new ArrayList<>(solos("s", 15, 1500, 1));
        queue.add(queue.get(0));
        MatchingResult result = former.form(queue, NOW);
        assertEquals(1, result.matches().size());
        assertEquals(
                RejectedTicket.Reason.DUPLICATE_TICKET, result.rejected().get(0).reason());
    }

    @Test
    void theLongestWaitingTicketIsMatchedEvenWhenFresherOnesFitTighter() {
        List<QueuedTicket> queue = new ArrayList<>(solos("fresh", 8, 1500, 5));
        queue.add(waited(solo("veteran", 1560), 30));
        MatchingResult result = former.form(queue, NOW);
        assertEquals(1, result.matches().size());
        assertTrue(matchedIds(result).contains("veteran"));
        // The one left behind is the fresh ticket farthest from the veteran.
        assertEquals("fresh0", result.unmatched().get(0).ticketId());
    }

    @Test
    void olderTicketsFillTheMatchesWhenThereIsRoomForOnlySome() {
        // 12 equal tickets, room for one match: the 8 that waited longest play.
        List<QueuedTicket> queue = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            queue.add(waited(solo("t" + i, 1500), i));
        }
        MatchingResult result = former.form(queue, NOW);
        assertEquals(Set.of("t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11"), matchedIds(result));
    }

    @Test
    void aLonelyOutlierMatchesOnlyAfterWaitingLongEnough() {
        // Spread 500 needs tolerance 500 = 100 + 20/s × 20 s.
        List<QueuedTicket> queue = new ArrayList<>(solos("pack", 7, 1500, 0));
        queue.add(solo("outlier", 2000));
        for (double seconds : new double[] {0, 10, 19.9}) {
            List<QueuedTicket> waiting =
                    queue.stream().map(t -> waited(t, seconds)).toList();
            assertTrue(former.form(waiting, NOW).matches().isEmpty(), "no match after " + seconds + " s");
        }
        // Only the outlier needs to have waited: the longest waiter's tolerance governs the match.
        List<QueuedTicket> later = new ArrayList<>(queue.subList(0, 7));
        later.add(waited(queue.get(7), 20));
        MatchingResult result = former.form(later, NOW);
        assertEquals(1, result.matches().size());
        assertEquals(500, result.matches().get(0).tolerance(), 1e-9);
    }

    @Test
    void toleranceStopsWideningAtTheCap() {
        List<QueuedTicket> queue = new ArrayList<>(solos("pack", 7, 1500, 0));
        queue.add(waited(solo("outlier", 2101), 3600));
        assertTrue(former.form(queue, NOW).matches().isEmpty(), "601 apart exceeds the 600 cap");
        MatchFormer wider = new MatchFormer(new MatchingRules(100, 20, 700));
        assertEquals(1, wider.form(queue, NOW).matches().size());
    }

    @Test
    void matchIdsComeFromTheTicketsOrFromTheGivenGenerator() {
        List<QueuedTicket> queue = solos("s", 8, 1500, 1);
        String first = former.form(queue, NOW).matches().get(0).matchId();
        assertEquals(
                first, former.form(queue, NOW.plusSeconds(5)).matches().get(0).matchId());
        assertEquals(
                first,
                MatchIdGenerator.fromTicketIds()
                        .idFor(queue.stream().map(QueuedTicket::ticketId).toList()));
        assertNotEquals(first, MatchIdGenerator.fromTicketIds("run-2").idFor(List.of("s0", "s1")));
        MatchFormer named = new MatchFormer(MatchingRules.DEFAULT, ids -> "match-" + ids.size());
        assertEquals("match-8", named.form(queue, NOW).matches().get(0).matchId());
    }

    @Test
    void aTicketFromTheFutureCountsAsJustQueued() {
        List<QueuedTicket> queue = new ArrayList<>(solos("pack", 7, 1500, 0));
        queue.add(waited(solo("skewed", 1650), -30));
        assertTrue(former.form(queue, NOW).matches().isEmpty(), "150 apart exceeds the base 100");
    }
}
