package dev.trespasser.match.protocol;

import dev.trespasser.match.sim.Roster;
import dev.trespasser.proto.DisplayNames;

/**
 * What every player of one match is called on the wire (RosterEntry.display_name and
 * PlayerConnectionEvent.display_name), by slot: the name from the join token the slot's player
 * last joined with, and until they join a short form of their id. Names are presentation, so
 * they live beside the simulation, not in it. Tick thread only.
 */
public final class RosterNames {

    private final String[] names;

    public RosterNames(Roster roster) {
        names = new String[roster.size()];
        for (int slot = 0; slot < names.length; slot++) {
            names[slot] = DisplayNames.fallbackFor(roster.get(slot).playerId());
        }
    }

    public String of(int slot) {
        return names[slot];
    }

    /** The slot's player joined under {@code displayName}, verified by {@code JoinTokenVerifier}. */
    public void joined(int slot, String displayName) {
        names[slot] = displayName;
    }
}
