package dev.trespasser.frontend.queue;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import com.google.protobuf.util.Timestamps;
import dev.trespasser.frontend.accounts.AccountStore;
import dev.trespasser.frontend.assignments.AssignmentStore;
import dev.trespasser.frontend.auth.PlayerIdentity;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.MatchLifetime;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue: one ticket per player, created and activated in om-core and recorded in Redis;
 * cancelled, requeued before om-core's TTL forgets it, expired after the queue timeout, and
 * closed when its assignment is delivered. Every change of one player's queue state holds that
 * player's Redis lock, so FindMatch, CancelMatch, the sweeper and delivery never interleave,
 * on one replica or many.
 */
public final class Matchmaking {

    private static final Logger log = LoggerFactory.getLogger(Matchmaking.class);

    /**
     * Ticket extension (Int64Value): how often the player's ticket was re-created. Frontend-owned
     * and informational (the MMF does not read it), so it is not part of TicketAttributes.
     */
    public static final String REQUEUE_COUNT_EXTENSION = "requeue_count";

    private static final Duration LOCK_TTL = Duration.ofSeconds(15);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(3);
    /**
     * How long "you got this assignment" is remembered for a reconnecting stream when the director's
     * assignment keys say nothing (normally their TTL decides): the longest match under the default rules.
     */
    public static final Duration DELIVERED_MEMORY = MatchLifetime.longest(MatchRules.getDefaultInstance());

    /** Queue settings; see FrontendConfig for the environment variables. */
    public record Settings(
            List<String> regions,
            Duration ticketTtl,
            Duration requeueAfter,
            Duration queueTimeout,
            Duration sweepInterval) {}

    /** The answer to FindMatch. */
    public record Queued(String ticketId, boolean alreadyQueued) {}

    private final Settings settings;
    private final QueueStore store;
    private final OpenMatchTickets openMatch;
    private final AccountStore accounts;
    private final AssignmentStore assignments;
    private final Clock clock;
    private final FrontendMetrics metrics;

    public Matchmaking(
            Settings settings,
            QueueStore store,
            OpenMatchTickets openMatch,
            AccountStore accounts,
            AssignmentStore assignments,
            Clock clock,
            FrontendMetrics metrics) {
        this.settings = settings;
        this.store = store;
        this.openMatch = openMatch;
        this.accounts = accounts;
        this.assignments = assignments;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Queues the player. Already queued for the same mode and region: the existing ticket is
     * returned unchanged (retries are safe). Queued for something else: FAILED_PRECONDITION.
     */
    public Queued findMatch(PlayerIdentity player, GameMode mode, String region) {
        if (!settings.regions().contains(region)) {
            throw Status.INVALID_ARGUMENT
                    .withDescription(
                            region.isEmpty()
                                    ? "region is required; one of " + settings.regions()
                                    : "unknown region '" + abbreviate(region) + "'; one of " + settings.regions())
                    .asRuntimeException();
        }
        return withLock(player.playerId(), () -> {
            Optional<QueueEntry> existing = store.get(player.playerId());
            if (existing.isPresent()) {
                QueueEntry entry = existing.get();
                if (entry.mode() == mode && entry.region().equals(region)) {
                    if (lostToOmCoreRestart(entry)) {
                        // om-core came back since this ticket was made: answer with one it has.
                        return new Queued(requeue(entry, clock.millis()).ticketId(), true);
                    }
                    return new Queued(entry.ticketId(), true);
                }
                throw Status.FAILED_PRECONDITION
                        .withDescription("already queued for " + entry.mode().label() + " in " + entry.region()
                                + "; CancelMatch first")
                        .asRuntimeException();
            }
            long now = clock.millis();
            double rating = accounts.rating(player.playerId());
            String ticketId =
                    openMatch.create(ticket(player.playerId(), player.username(), mode, region, rating, now, 0));
            QueueEntry entry = new QueueEntry(
                    player.playerId(), ticketId, "", mode, region, rating, now, now, 0, "", player.username());
            // The entry exists before the ticket is active, so an assignment can never arrive for
            // a ticket the frontend does not know.
            store.setTicketOwner(ticketId, player.playerId(), ownerTtl());
            // Queuing again means the previous match is over for this player, finished or broken
            // (its server died): that assignment must never be handed out again.
            store.putNew(entry, now + settings.requeueAfter().toMillis());
            try {
                openMatch.activate(List.of(ticketId));
            } catch (RuntimeException e) {
                store.remove(entry);
                openMatch.deactivateQuietly(List.of(ticketId));
                throw e;
            }
            metrics.ticket("created");
            log.info(
                    "queued {} for {} in {} with ticket {} (rating {})",
                    player.playerId(),
                    mode.label(),
                    region,
                    ticketId,
                    rating);
            return new Queued(ticketId, false);
        });
    }

    /**
     * Leaves the queue: tickets are deactivated first, then the entry goes, so a failure leaves the
     * player queued (and told UNAVAILABLE) rather than half-cancelled. Not queued: nothing to do.
     */
    public boolean cancel(String playerId) {
        return withLock(playerId, () -> {
            Optional<QueueEntry> entry = store.get(playerId);
            if (entry.isEmpty()) {
                return false;
            }
            openMatch.deactivate(entry.get().ticketIds());
            store.remove(entry.get());
            metrics.ticket("cancelled");
            log.info("{} left the queue (ticket {})", playerId, entry.get().ticketId());
            return true;
        });
    }

    public Optional<QueueEntry> entry(String playerId) {
        return store.get(playerId);
    }

    /** The ticket whose assignment the player last received, for ~10 minutes. */
    public Optional<String> deliveredTicket(String playerId) {
        return store.deliveredTicket(playerId);
    }

    public Optional<String> ticketOwner(String ticketId) {
        return store.ticketOwner(ticketId);
    }

    /**
     * The assignment of {@code ticketId} is being handed to the player: close the entry and
     * deactivate the player's other ticket (a requeue race can leave two). False when the entry no
     * longer names the ticket (cancelled meanwhile), or the lock is busy (try again later).
     */
    public boolean completeDelivery(String playerId, String ticketId) {
        return ifLockFree(playerId, () -> {
            Optional<QueueEntry> entry = store.get(playerId);
            if (entry.isEmpty() || !entry.get().references(ticketId)) {
                return store.deliveredTicket(playerId).filter(ticketId::equals).isPresent();
            }
            store.delivered(entry.get(), ticketId, DELIVERED_MEMORY);
            List<String> others = entry.get().ticketIds().stream()
                    .filter(id -> !id.equals(ticketId))
                    .toList();
            if (!others.isEmpty()) {
                openMatch.deactivateQuietly(others);
            }
            metrics.assignmentDelivered((clock.millis() - entry.get().enqueuedAtMillis()) / 1000.0);
            return true;
        });
    }

    /** The queue timeout passed: leave the queue. True if this call removed the entry. */
    public boolean expire(String playerId) {
        return ifLockFree(playerId, () -> {
            Optional<QueueEntry> entry = store.get(playerId);
            if (entry.isEmpty() || !entry.get().assignedTicketId().isEmpty()) {
                return false;
            }
            openMatch.deactivateQuietly(entry.get().ticketIds());
            store.remove(entry.get());
            metrics.ticket("timed_out");
            log.info("{} timed out of the queue after {}", playerId, settings.queueTimeout());
            return true;
        });
    }

    /**
     * An assignment was published for {@code ticketId}. If its owner is still queued with that
     * ticket the entry is marked (the sweeper must not requeue a matched player); otherwise the
     * player cancelled in a race with the match and the assignment is refused and reported.
     */
    public void assignmentPublished(String ticketId, String playerId) {
        if (store.markAssigned(playerId, ticketId)) {
            return;
        }
        if (store.deliveredTicket(playerId).filter(ticketId::equals).isPresent()) {
            return;
        }
        if (assignments.reportRefusal(ticketId, playerId, "player no longer queued (cancelled or timed out)")) {
            metrics.assignmentRefused();
        }
    }

    /** One pass of the background sweeper over the entries that are due. Returns how many it looked at. */
    public int sweep(int limit) {
        List<String> due = store.due(clock.millis(), limit);
        for (String playerId : due) {
            try {
                ifLockFree(playerId, () -> {
                    sweepLocked(playerId);
                    return true;
                });
            } catch (RuntimeException e) {
                log.warn("sweeping {} failed ({}); retrying next pass", playerId, e.getMessage());
            }
        }
        return due.size();
    }

    private void sweepLocked(String playerId) {
        Optional<QueueEntry> found = store.get(playerId);
        if (found.isEmpty()) {
            store.removeOrphan(playerId);
            return;
        }
        QueueEntry entry = found.get();
        long now = clock.millis();
        if (!entry.assignedTicketId().isEmpty()) {
            // Matched; waiting for a stream to pick it up. Once the assignment itself has
            // expired nobody can deliver it any more.
            if (assignments.exists(entry.assignedTicketId(), playerId)) {
                store.reschedule(playerId, now + settings.sweepInterval().toMillis() * 10);
            } else {
                store.remove(entry);
                log.info("{}'s assignment for ticket {} expired undelivered", playerId, entry.assignedTicketId());
            }
            return;
        }
        for (String ticketId : entry.ticketIds()) {
            if (assignments.exists(ticketId, playerId) && store.markAssigned(playerId, ticketId)) {
                // The publish was missed (no subscriber at the time); do not requeue a matched player.
                store.reschedule(playerId, now + settings.sweepInterval().toMillis());
                return;
            }
            if (assignments.claimed(ticketId)) {
                // Matched and being allocated: the director either publishes an assignment or
                // re-activates the ticket itself. Touching it now could match the player twice.
                store.reschedule(playerId, now + settings.sweepInterval().toMillis());
                return;
            }
        }
        // Streams end the wait at the timeout themselves; the sweeper is the backstop for
        // players who queued without watching, one sweep interval later.
        if (now
                >= entry.enqueuedAtMillis()
                        + settings.queueTimeout().toMillis()
                        + settings.sweepInterval().toMillis()) {
            openMatch.deactivateQuietly(entry.ticketIds());
            store.remove(entry);
            metrics.ticket("timed_out");
            log.info("{} timed out of the queue (no stream watched it)", playerId);
            return;
        }
        if (now >= entry.ticketCreatedAtMillis() + settings.requeueAfter().toMillis()) {
            requeue(entry, now);
        } else {
            // A previous activation failed: make sure the current ticket is in the pools.
            openMatch.activate(List.of(entry.ticketId()));
            store.reschedule(
                    playerId,
                    entry.ticketCreatedAtMillis() + settings.requeueAfter().toMillis());
        }
    }

    /**
     * Gives the player a new ticket if theirs was created before {@code lostBefore} (om-core came
     * back since and may have lost it), unless it is matched: an assignment or a director claim
     * means the director publishes or hands back. True if a new ticket was made; false when
     * nothing was to do or the player's lock is busy (the next reconcile tries again).
     */
    boolean recreateLost(String playerId, long lostBefore) {
        return ifLockFree(playerId, () -> {
            Optional<QueueEntry> found = store.get(playerId);
            if (found.isEmpty()
                    || !found.get().assignedTicketId().isEmpty()
                    || found.get().ticketCreatedAtMillis() >= lostBefore) {
                return false;
            }
            QueueEntry entry = found.get();
            for (String ticketId : entry.ticketIds()) {
                if (assignments.exists(ticketId, playerId)) {
                    store.markAssigned(playerId, ticketId);
                    return false;
                }
                if (assignments.claimed(ticketId)) {
                    return false;
                }
            }
            requeue(entry, clock.millis());
            metrics.ticket("recreated");
            return true;
        });
    }

    /** Created before om-core was last seen coming back, and not matched meanwhile. */
    private boolean lostToOmCoreRestart(QueueEntry entry) {
        if (!entry.assignedTicketId().isEmpty() || entry.ticketCreatedAtMillis() >= store.ticketsLostBefore()) {
            return false;
        }
        for (String ticketId : entry.ticketIds()) {
            if (assignments.exists(ticketId, entry.playerId()) || assignments.claimed(ticketId)) {
                return false;
            }
        }
        return true;
    }

    /** Marks the entry matched (the director published while nobody was subscribed). */
    boolean markAssigned(String playerId, String ticketId) {
        return store.markAssigned(playerId, ticketId);
    }

    /**
     * Replaces a ticket nearing om-core's TTL. Order: create the new one (inactive, harmless if
     * we stop here), point the entry at it (keeping the old id as previous), deactivate the old,
     * activate the new. If the old was matched before its deactivation, its assignment is still
     * delivered and the new ticket is deactivated then.
     */
    private QueueEntry requeue(QueueEntry entry, long now) {
        String newTicket = openMatch.create(ticket(
                entry.playerId(),
                entry.displayName(),
                entry.mode(),
                entry.region(),
                entry.rating(),
                entry.enqueuedAtMillis(),
                entry.requeueCount() + 1));
        QueueEntry requeued = entry.requeuedAs(newTicket, now);
        store.setTicketOwner(newTicket, entry.playerId(), ownerTtl());
        store.put(requeued, now + settings.requeueAfter().toMillis());
        try {
            openMatch.deactivate(List.of(entry.ticketId()));
        } catch (RuntimeException e) {
            // om-core away or refusing: back to the old ticket (the new one stays inactive and
            // expires); the next pass tries again.
            store.putBack(entry, newTicket, now + settings.sweepInterval().toMillis());
            throw e;
        }
        try {
            openMatch.activate(List.of(newTicket));
        } catch (RuntimeException e) {
            // Entry kept, due at once: the next pass activates the new ticket.
            store.reschedule(entry.playerId(), now);
            throw e;
        }
        metrics.ticket("requeued");
        log.info(
                "requeued {}: ticket {} -> {} (requeue #{})",
                entry.playerId(),
                entry.ticketId(),
                newTicket,
                requeued.requeueCount());
        return requeued;
    }

    /**
     * The player's ticket. The display name is the access token's username (signed by this
     * service, checked by CredentialRules at registration, or generated for a guest); the director
     * signs it into the join token. Left out when unknown (an entry from before names).
     */
    private Ticket ticket(
            String playerId,
            String displayName,
            GameMode mode,
            String region,
            double rating,
            long queuedSinceMillis,
            int requeueCount) {
        Ticket.Builder ticket = TicketAttributes.newTicket(mode, region, rating, List.of(playerId)).toBuilder()
                .putExtensions(REQUEUE_COUNT_EXTENSION, Any.pack(Int64Value.of(requeueCount)))
                .putExtensions(TicketAttributes.QUEUED_SINCE, Any.pack(Timestamps.fromMillis(queuedSinceMillis)));
        if (!displayName.isEmpty()) {
            ticket.putExtensions(
                    TicketAttributes.PLAYER_NAMES, TicketAttributes.packPlayerNames(Map.of(playerId, displayName)));
        }
        return ticket.build();
    }

    /** Owners outlive tickets so a late assignment can still be traced to its player. */
    private Duration ownerTtl() {
        return settings.ticketTtl().plus(DELIVERED_MEMORY);
    }

    /**
     * Runs {@code action} under the player's lock if nobody holds it; false when it is busy. The
     * background paths use this: they must not wait, and a later pass or check tries again.
     */
    private boolean ifLockFree(String playerId, BooleanSupplier action) {
        Optional<String> token = store.tryLock(playerId, LOCK_TTL);
        if (token.isEmpty()) {
            return false;
        }
        try {
            return action.getAsBoolean();
        } finally {
            store.unlock(playerId, token.get());
        }
    }

    private <T> T withLock(String playerId, Supplier<T> action) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            Optional<String> token = store.tryLock(playerId, LOCK_TTL);
            if (token.isPresent()) {
                try {
                    return action.get();
                } finally {
                    store.unlock(playerId, token.get());
                }
            }
            if (System.nanoTime() > deadline) {
                throw Status.ABORTED
                        .withDescription("another queue change for this player is in progress; retry")
                        .asRuntimeException();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }
}
