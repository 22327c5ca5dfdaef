package dev.trespasser.mmf.matching;

import static dev.trespasser.mmf.matching.Tickets.party;
import static dev.trespasser.mmf.matching.Tickets.solo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TeamBalancerTest {

    private static Set<String> ids(Team team) {
        return team.tickets().stream().map(QueuedTicket::ticketId).collect(Collectors.toSet());
    }

    @Test
    void strongestAndWeakestPlayTogetherAgainstTheMiddle() {
        List<QueuedTicket> tickets = List.of(solo("a", 1000), solo("b", 1100), solo("c", 1200), solo("d", 1300));
        TeamBalancer.Split split = TeamBalancer.balance(tickets, 2).orElseThrow();
        assertEquals(Set.of("a", "d"), ids(split.red()));
        assertEquals(Set.of("b", "c"), ids(split.blue()));
        assertEquals(0, split.gap(), 1e-9);
    }

    @Test
    void aFullTeamPartyFacesTheSolosWhateverTheGap() {
        List<QueuedTicket> tickets =
                List.of(party("squad", 4, 2000), solo("a", 1000), solo("b", 1000), solo("c", 1000), solo("d", 1000));
        TeamBalancer.Split split = TeamBalancer.balance(tickets, 4).orElseThrow();
        assertEquals(Set.of("squad"), ids(split.red()));
        assertEquals(1000, split.gap(), 1e-9);
    }

    @Test
    void partyRatingCountsOncePerPlayer() {
        // Red: trio at 1600 + solo 1200 = mean 1500; blue: four solos at 1500.
        List<QueuedTicket> tickets = List.of(
                party("trio", 3, 1600),
                solo("weak", 1200),
                solo("a", 1500),
                solo("b", 1500),
                solo("c", 1500),
                solo("d", 1500));
        TeamBalancer.Split split = TeamBalancer.balance(tickets, 4).orElseThrow();
        assertEquals(Set.of("trio", "weak"), ids(split.red()));
        assertEquals(1500, split.red().rating(), 1e-9);
        assertEquals(1500, split.blue().rating(), 1e-9);
    }

    @Test
    void partySizesThatCannotFillTwoTeamsGiveNoSplit() {
        // 3 + 3 + 2 = 8 players, but no subset makes exactly 4.
        List<QueuedTicket> tickets = List.of(party("x", 3, 1500), party("y", 3, 1500), party("z", 2, 1500));
        assertTrue(TeamBalancer.balance(tickets, 4).isEmpty());
        assertTrue(TeamBalancer.balance(List.of(solo("a", 1), solo("b", 2), solo("c", 3)), 2)
                .isEmpty());
    }
}
