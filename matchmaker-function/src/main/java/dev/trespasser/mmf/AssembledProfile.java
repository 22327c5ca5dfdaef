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
   * Every ticket once: om-core puts a ticket in each pool whose filters it passes, so pools of
   * one profile can overlap. The first copy in pool-name order wins.
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
}
