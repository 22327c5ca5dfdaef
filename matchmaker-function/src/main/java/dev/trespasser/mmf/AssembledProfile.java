package dev.trespasser.mmf;

import dev.trespasser.proto.openmatch2.Ticket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile put back together from its chunks.
 *
 * @param pools each pool's tickets, concatenated over the chunks in arrival order
 */
record AssembledProfile(String name, Map<String, List<Ticket>> pools) {

    AssembledProfile {
        pools = Map.copyOf(pools);
    }

    /**
     * Every ticket once, so no ticket id can be matched twice within a Run. om-core puts a ticket in
     * each pool whose filters it passes, so pools of one profile can overlap; and its chunk defect
     * (docs/peers.md) repeats a pool's tickets in every chunk. The first copy in pool-name order wins.
     */
    List<Ticket> distinctTickets() {
        List<Ticket> tickets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String pool : pools.keySet().stream().sorted().toList()) {
            for (Ticket ticket : pools.get(pool)) {
                if (seen.add(ticket.getId())) {
                    tickets.add(ticket);
                }
            }
        }
        return tickets;
    }

    /**
     * Copies of a ticket id beyond its first within the same pool. om-core sends each ticket once
     * per pool, so any copy is its chunk defect at work (every chunk carries the last chunk's
     * roster: open-match2 since a6f30df, docs/peers.md).
     */
    int repeatedWithinPools() {
        int repeated = 0;
        for (List<Ticket> pool : pools.values()) {
            Set<String> seen = new HashSet<>();
            for (Ticket ticket : pool) {
                if (!seen.add(ticket.getId())) {
                    repeated++;
                }
            }
        }
        return repeated;
    }
}
