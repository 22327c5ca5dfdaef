package dev.trespasser.match.room;

import dev.trespasser.match.protocol.EventCollector;
import dev.trespasser.match.protocol.RosterNames;
import dev.trespasser.match.protocol.SnapshotEncoder;

/** One roster slot as the room serves it: its connection (null while away) and what it has been sent. */
final class Seat {
    final int slot;
    final SnapshotEncoder encoder;
    final EventCollector events;
    ClientLink link;

    Seat(int slot, int tickRate, RosterNames names) {
        this.slot = slot;
        this.encoder = new SnapshotEncoder(slot, tickRate);
        this.events = new EventCollector(slot, tickRate, names);
    }
}
