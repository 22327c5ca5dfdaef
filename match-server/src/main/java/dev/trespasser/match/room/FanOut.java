package dev.trespasser.match.room;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ServerMessages;
import dev.trespasser.match.protocol.SliceJournal;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.proto.game.v1.ServerMessage;

/**
 * What each seated player is sent: their own events and delta snapshots at the snapshot rate,
 * and the scoreboard and round ends everyone sees. Tick thread only.
 */
final class FanOut {

    private final Match match;
    private final Seat[] seats;
    private final MatchServerMetrics metrics;
    private final SliceJournal journal;
    private final int tickRate;
    private final int snapshotRateHz;
    private int snapshotCredit;
    private int lastScoreboardSeconds = -1;

    FanOut(Match match, Seat[] seats, MatchServerMetrics metrics, int snapshotRateHz) {
        this.match = match;
        this.seats = seats;
        this.metrics = metrics;
        this.journal = new SliceJournal(match.slices().count());
        this.tickRate = match.settings().timing().tickRateHz();
        this.snapshotRateHz = snapshotRateHz;
    }

    /** Takes in one tick's outcome: slice changes for snapshots, events for those seated. */
    void collect(TickResult r) {
        journal.record(r);
        for (Seat seat : seats) {
            if (seat.link != null) {
                seat.events.collect(r);
            }
        }
    }

    /** Each player's collected events, as one message. */
    void flushEvents(int tick) {
        for (Seat seat : seats) {
            if (seat.link != null && !seat.events.isEmpty()) {
                send(
                        seat,
                        ServerMessage.newBuilder()
                                .setEvents(seat.events.drain(tick))
                                .build(),
                        false);
            }
        }
    }

    /** Events, then snapshots, on the ticks the snapshot rate falls on. */
    void snapshotIfDue(int tick) {
        snapshotCredit += snapshotRateHz;
        if (snapshotCredit >= tickRate) {
            snapshotCredit -= tickRate;
            flushEvents(tick);
            sendSnapshots();
        }
    }

    private void sendSnapshots() {
        for (Seat seat : seats) {
            if (seat.link == null) {
                continue;
            }
            var snapshot = seat.encoder.encode(match, journal);
            if (snapshot == null) {
                continue;
            }
            if (send(seat, ServerMessage.newBuilder().setSnapshot(snapshot).build(), true)) {
                seat.encoder.commit();
                metrics.snapshotSent();
            } else {
                metrics.snapshotDropped();
            }
        }
    }

    /** The scoreboard with its countdown, sent when something changed or the shown second did. */
    void scoreboard(boolean changed) {
        int seconds = (match.phaseTicksLeft() + tickRate - 1) / tickRate;
        if (!changed && seconds == lastScoreboardSeconds) {
            return;
        }
        lastScoreboardSeconds = seconds;
        broadcast(ServerMessages.scoreboard(match));
    }

    /** Not on the scoreboard: the next scoreboard is sent in full. */
    void scoreboardOver() {
        lastScoreboardSeconds = -1;
    }

    void broadcast(ServerMessage message) {
        byte[] frame = message.toByteArray();
        for (Seat seat : seats) {
            if (seat.link != null && seat.link.send(frame, false)) {
                metrics.bytesSent(frame.length);
            }
        }
    }

    boolean send(Seat seat, ServerMessage message, boolean droppable) {
        byte[] frame = message.toByteArray();
        boolean sent = seat.link.send(frame, droppable);
        if (sent) {
            metrics.bytesSent(frame.length);
        }
        return sent;
    }

    /** One hand-over to the network for everything sent since the last. */
    void flushLinks() {
        for (Seat seat : seats) {
            if (seat.link != null) {
                seat.link.flush();
            }
        }
    }
}
