package dev.trespasser.frontend.queue;

import dev.trespasser.frontend.assignments.AssignmentStore;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.QueueStatus;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's WatchAssignment stream. It looks for the assignment when it starts, whenever the
 * pub/sub channel names one of the player's tickets, and on every status tick, so an assignment
 * published before the stream (or while the subscription was down) is still found. All checks of
 * one stream are serialised; they run on the channel's executor, never on a gRPC thread.
 */
final class AssignmentWatch {

    private static final Logger log = LoggerFactory.getLogger(AssignmentWatch.class);
    /** Consecutive Redis failures a stream rides out before it gives up with UNAVAILABLE. */
    private static final int MAX_FAILURES = 3;

    private final String playerId;
    private final ServerCallStreamObserver<WatchAssignmentResponse> stream;
    private final Matchmaking matchmaking;
    private final AssignmentStore assignments;
    private final Clock clock;
    private final Runnable onEnd;
    private QueueEntry lastSeen;
    private int failures;
    private boolean ended;
    private final AtomicBoolean forgotten = new AtomicBoolean();

    AssignmentWatch(
            String playerId,
            ServerCallStreamObserver<WatchAssignmentResponse> stream,
            Matchmaking matchmaking,
            AssignmentStore assignments,
            Clock clock,
            Runnable onEnd) {
        this.playerId = playerId;
        this.stream = stream;
        this.matchmaking = matchmaking;
        this.assignments = assignments;
        this.clock = clock;
        this.onEnd = onEnd;
    }

    String playerId() {
        return playerId;
    }

    /** The client went away: stop quietly; the player stays queued and may watch again. */
    synchronized void clientGone() {
        ended = true;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Looks for the assignment; with {@code sendStatus} also reports the wait. */
    synchronized void check(boolean sendStatus) {
        if (ended) {
            return;
        }
        try {
            step(sendStatus);
            failures = 0;
        } catch (RuntimeException e) {
            failures++;
            log.warn("WatchAssignment check for {} failed ({}/{}): {}", playerId, failures, MAX_FAILURES, e.toString());
            if (failures >= MAX_FAILURES) {
                end(Status.UNAVAILABLE.withDescription(
                        "queue state unavailable (Redis or om-core); you are still queued, watch again shortly"));
            }
        }
    }

    /** A newer stream of the same player took this one's place: the player is still queued there. */
    synchronized void replaced() {
        end(Status.ABORTED.withDescription(
                "replaced by a newer WatchAssignment stream of this player; only the newest is served"));
    }

    /** True the first time only: the channel counts each stream's end once. */
    boolean forget() {
        return forgotten.compareAndSet(false, true);
    }

    /** The process is stopping. */
    synchronized void shutdown() {
        end(Status.UNAVAILABLE.withDescription("frontend shutting down; you are still queued, watch again"));
    }

    private void step(boolean sendStatus) {
        Optional<QueueEntry> found = matchmaking.entry(playerId);
        if (found.isEmpty()) {
            Optional<String> delivered = matchmaking.deliveredTicket(playerId);
            Optional<Assignment> assignment = delivered.flatMap(ticket -> assignments.find(ticket, playerId));
            if (assignment.isPresent()) {
                // Delivered on another stream (or before a reconnect): hand it out again.
                deliver(assignment.get());
            } else if (lastSeen != null && clock.millis() >= deadline(lastSeen)) {
                end(timedOut());
            } else if (lastSeen == null) {
                end(Status.FAILED_PRECONDITION.withDescription("not queued; call FindMatch first"));
            } else {
                end(Status.CANCELLED.withDescription("matchmaking was cancelled (CancelMatch)"));
            }
            return;
        }
        QueueEntry entry = found.get();
        lastSeen = entry;
        for (String ticketId : entry.ticketIds()) {
            Optional<Assignment> assignment = assignments.find(ticketId, playerId);
            if (assignment.isPresent()) {
                if (matchmaking.completeDelivery(playerId, ticketId)) {
                    deliver(assignment.get());
                }
                // Lock busy or the entry changed meanwhile: the next check decides.
                return;
            }
        }
        if (clock.millis() >= deadline(entry)) {
            matchmaking.expire(playerId);
            end(timedOut());
            return;
        }
        if (sendStatus) {
            stream.onNext(WatchAssignmentResponse.newBuilder()
                    .setQueued(QueueStatus.newBuilder()
                            .setWaitingSeconds(Math.max(0, (clock.millis() - entry.enqueuedAtMillis()) / 1000))
                            .setRequeueCount(entry.requeueCount()))
                    .build());
        }
    }

    private long deadline(QueueEntry entry) {
        return entry.enqueuedAtMillis() + matchmaking.settings().queueTimeout().toMillis();
    }

    private Status timedOut() {
        return Status.DEADLINE_EXCEEDED.withDescription(
                "no match found within " + matchmaking.settings().queueTimeout().toSeconds()
                        + " s; you have left the queue, call FindMatch to queue again");
    }

    private void deliver(Assignment assignment) {
        ended = true;
        try {
            stream.onNext(WatchAssignmentResponse.newBuilder()
                    .setAssignment(assignment)
                    .build());
            stream.onCompleted();
            log.info(
                    "delivered match {} at {}:{} to {}",
                    assignment.getMatchId(),
                    assignment.getHost(),
                    assignment.getPort(),
                    playerId);
        } catch (RuntimeException e) {
            log.info("could not send the assignment to {} ({}); it is kept for a new stream", playerId, e.toString());
        } finally {
            onEnd.run();
        }
    }

    private void end(Status status) {
        if (ended) {
            return;
        }
        ended = true;
        try {
            stream.onError(status.asRuntimeException());
        } catch (RuntimeException e) {
            log.debug("stream of {} already closed: {}", playerId, e.toString());
        } finally {
            onEnd.run();
        }
    }
}
