package dev.trespasser.match.room;

import dev.trespasser.game.wire.MapGeometryCodec;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.match.protocol.RosterNames;
import dev.trespasser.match.protocol.ServerMessages;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.proto.game.v1.ErrorReason;
import dev.trespasser.proto.game.v1.MapGeometry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who sits where: a verified player's connection takes the seat of their roster slot, a newer
 * connection of theirs replaces the older one (a reconnect), and leaving frees the seat for the
 * simulation's reconnect window. Tick thread only, except {@link #closeAll} under the room's lock.
 */
final class Seating {

    private static final Logger log = LoggerFactory.getLogger(Seating.class);

    private final String matchId;
    private final Match match;
    private final RosterNames names;
    private final Seat[] seats;
    private final FanOut fanOut;
    private final RoomListener listener;
    private final MatchServerMetrics metrics;
    private final int snapshotRateHz;
    /** Welcome.map, encoded once: every join of this room gets the same geometry. */
    private final MapGeometry mapGeometry;

    private boolean closed;

    Seating(
            String matchId,
            Match match,
            RosterNames names,
            Seat[] seats,
            FanOut fanOut,
            RoomListener listener,
            MatchServerMetrics metrics,
            int snapshotRateHz) {
        this.matchId = matchId;
        this.match = match;
        this.names = names;
        this.seats = seats;
        this.fanOut = fanOut;
        this.listener = listener;
        this.metrics = metrics;
        this.snapshotRateHz = snapshotRateHz;
        this.mapGeometry = MapGeometryCodec.encode(match.map());
    }

    /** Applies what the edge queued since the last tick; a vote counts only while {@code votesOpen}. */
    void drain(Inbox inbox, boolean votesOpen) {
        Inbox.Command c;
        while ((c = inbox.poll()) != null) {
            if (c instanceof Inbox.Command.Join j) {
                seat(j.slot(), j.link(), j.displayName());
            } else if (c instanceof Inbox.Command.Leave l) {
                unseat(l.slot(), l.link());
            } else if (c instanceof Inbox.Command.Receive m) {
                apply(m.slot(), m.link(), m.command(), votesOpen);
            }
        }
    }

    private void seat(int slot, ClientLink link, String displayName) {
        Seat seat = seats[slot];
        boolean wasConnected = seat.link != null;
        if (seat.link != null && seat.link != link) {
            // Documented: a newer connection of the same player wins; the old one is told why.
            seat.link.close(ErrorReason.ERROR_REASON_REPLACED, "replaced by a newer connection of this player");
            seat.link = null;
            metrics.playerDisconnected();
        }
        if (!match.player(slot).connected() && !match.connect(slot)) {
            link.close(ErrorReason.ERROR_REASON_MATCH_OVER, "this player's slot was given up");
            if (wasConnected) {
                playerDisconnected(slot);
            }
            return;
        }
        // Before this tick's connection event and the Welcome below, which both carry it.
        names.joined(slot, displayName);
        seat.link = link;
        metrics.playerConnected();
        if (!wasConnected) {
            try {
                listener.onPlayerConnected(match.player(slot).playerId());
            } catch (RuntimeException e) {
                log.error("room {}: player listener failed", matchId, e);
            }
        }
        seat.encoder.reset();
        seat.events.drain(0);
        fanOut.send(seat, ServerMessages.welcome(match, names, slot, matchId, snapshotRateHz, mapGeometry), false);
        if (match.phase() == Phase.SCOREBOARD) {
            fanOut.send(seat, ServerMessages.scoreboard(match), false);
        }
    }

    private void unseat(int slot, ClientLink link) {
        Seat seat = seats[slot];
        if (seat.link != link) {
            return;
        }
        seat.link = null;
        metrics.playerDisconnected();
        match.disconnect(slot);
        playerDisconnected(slot);
    }

    private void apply(int slot, ClientLink link, ClientCommand command, boolean votesOpen) {
        Seat seat = seats[slot];
        if (seat.link != link) {
            return;
        }
        if (command instanceof ClientCommand.Input in) {
            match.submitInput(slot, in.input());
            if (in.ack() != null) {
                seat.encoder.acknowledge(in.ack().snapshotTick());
            }
        } else if (command instanceof ClientCommand.Ack ack) {
            seat.encoder.acknowledge(ack.snapshotTick());
        } else if (command instanceof ClientCommand.Vote && votesOpen) {
            match.vote(slot);
        }
    }

    private void playerDisconnected(int slot) {
        try {
            listener.onPlayerDisconnected(match.player(slot).playerId());
        } catch (RuntimeException e) {
            log.error("room {}: player listener failed", matchId, e);
        }
    }

    /** Closes every seated connection once; later calls do nothing. */
    void closeAll(ErrorReason reason, String message) {
        if (closed) {
            return;
        }
        closed = true;
        for (Seat seat : seats) {
            if (seat.link != null) {
                seat.link.close(reason, message);
                seat.link = null;
                metrics.playerDisconnected();
                playerDisconnected(seat.slot);
            }
        }
        metrics.phase(null);
    }
}
