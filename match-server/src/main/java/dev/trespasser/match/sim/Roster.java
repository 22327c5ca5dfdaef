package dev.trespasser.match.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The players matchmaking put in this match, fixed for its lifetime. A player's slot is their
 * index in {@link #entries()}: the small number snapshots and events use.
 */
public record Roster(List<Entry> entries) {

    public static final int MAX_PER_TEAM = 4;

    public Roster {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a roster needs at least one player");
        }
        Set<String> ids = new HashSet<>();
        int red = 0;
        int blue = 0;
        for (Entry e : entries) {
            if (!ids.add(e.playerId())) {
                throw new IllegalArgumentException("player " + e.playerId() + " is on the roster twice");
            }
            if (e.team() == Team.RED) {
                red++;
            } else {
                blue++;
            }
        }
        if (red > MAX_PER_TEAM || blue > MAX_PER_TEAM) {
            throw new IllegalArgumentException("at most " + MAX_PER_TEAM + " players per team");
        }
    }

    public static Roster of(Entry... entries) {
        return new Roster(List.of(entries));
    }

    public int size() {
        return entries.size();
    }

    public Entry get(int slot) {
        return entries.get(slot);
    }

    /** Slot of the player, or -1 when they are not on the roster. */
    public int slotOf(String playerId) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).playerId().equals(playerId)) {
                return i;
            }
        }
        return -1;
    }

    public record Entry(String playerId, Team team) {
        public Entry {
            if (playerId == null || playerId.isEmpty() || playerId.length() > 256) {
                throw new IllegalArgumentException("player id must be 1-256 characters");
            }
            if (team == null) {
                throw new IllegalArgumentException("team is required");
            }
        }
    }
}
