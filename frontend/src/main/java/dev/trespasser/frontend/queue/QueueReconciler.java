package dev.trespasser.frontend.queue;

import dev.trespasser.frontend.assignments.AssignmentStore;
import dev.trespasser.frontend.assignments.AssignmentStore.TicketState;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps om-core's pools in step with the queue, so no player waits on a ticket om-core lost or
 * left inactive. Every interval, on one replica at a time (a Redis lease), it looks at the queue
 * entries (at most {@link #MAX_ENTRIES_PER_PASS}, round robin over larger queues):
 *
 * <ul>
 *   <li>matched entries (an assignment, or a director claim: being placed) are left to the
 *       director, which publishes or hands back; a claim lapses within the director's lease when
 *       the director dies;
 *   <li>a ticket created before om-core was last seen coming back ({@link OmCoreReconnects}) is
 *       replaced by a new one (the requeue path; at most {@link #MAX_RECREATES_PER_PASS} per pass,
 *       {@link #RECREATE_CONCURRENCY} at once, since each CreateTicket waits for om-core's
 *       replication);
 *   <li>every other ticket is activated again, {@link #MAX_IDS_PER_CALL} ids per call. om-core
 *       deactivates the tickets of every match it returns; if the director died before claiming
 *       them (or om-core v2.0.2 dropped the match), nothing else would ever activate them.
 * </ul>
 *
 * A ticket is activated only once it was free (unclaimed, unassigned) for a whole interval: a
 * match om-core has just returned is claimed within that time, and activating its tickets first
 * would only make a duplicate match that the director's claims then drop.
 */
public final class QueueReconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueReconciler.class);

    /** om-core's OM_MAX_STATE_UPDATES_PER_CALL default. */
    public static final int MAX_IDS_PER_CALL = 500;

    static final int MAX_ENTRIES_PER_PASS = 20 * MAX_IDS_PER_CALL;
    static final int MAX_RECREATES_PER_PASS = 500;
    static final int RECREATE_CONCURRENCY = 16;

    /** What one pass did. */
    public record Pass(boolean led, int looked, int reactivated, int recreated) {}

    private final Matchmaking matchmaking;
    private final QueueStore store;
    private final AssignmentStore assignments;
    private final OpenMatchTickets openMatch;
    private final OmCoreReconnects reconnects;
    private final Duration interval;
    private final Clock clock;
    private final FrontendMetrics metrics;
    private final String replica = UUID.randomUUID().toString();
    private final ExecutorService recreators;
    /** Ticket id → when this replica first saw it free; only the leading replica fills it. */
    private final Map<String, Long> freeSince = new HashMap<>();

    private long cursor;

    public QueueReconciler(
            Matchmaking matchmaking,
            QueueStore store,
            AssignmentStore assignments,
            OpenMatchTickets openMatch,
            OmCoreReconnects reconnects,
            Duration interval,
            Clock clock,
            FrontendMetrics metrics) {
        this.matchmaking = matchmaking;
        this.store = store;
        this.assignments = assignments;
        this.openMatch = openMatch;
        this.reconnects = reconnects;
        this.interval = interval;
        this.clock = clock;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.recreators = Executors.newFixedThreadPool(RECREATE_CONCURRENCY, task -> {
            Thread thread = new Thread(task, "frontend-recreate-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One pass; the scheduler runs it every interval. */
    public synchronized Pass reconcile() {
        reconnects.retryNowIfDown();
        reconnects.record();
        if (!store.leadReconcile(replica, interval.multipliedBy(3))) {
            freeSince.clear();
            return new Pass(false, 0, 0, 0);
        }
        long lostBefore = store.ticketsLostBefore();
        long now = clock.millis();
        long queued = store.queuedCount();
        if (cursor >= queued) {
            cursor = 0;
        }
        Map<String, String> toActivate = new LinkedHashMap<>(); // ticket → player
        // player → their ticket counts as lost if created before this epoch ms
        Map<String, Long> toRecreate = new LinkedHashMap<>();
        Map<String, Long> seen = new HashMap<>();
        int looked = 0;
        while (looked < MAX_ENTRIES_PER_PASS && looked < queued) {
            List<String> page = store.queuedPlayers(cursor, Math.min(MAX_IDS_PER_CALL, MAX_ENTRIES_PER_PASS - looked));
            if (page.isEmpty()) {
                cursor = 0;
                break;
            }
            cursor += page.size();
            looked += page.size();
            List<QueueEntry> entries = store.entries(page);
            List<String> tickets = new ArrayList<>();
            List<String> owners = new ArrayList<>();
            for (QueueEntry entry : entries) {
                for (String ticketId : entry.ticketIds()) {
                    tickets.add(ticketId);
                    owners.add(entry.playerId());
                }
            }
            List<TicketState> states = assignments.states(tickets, owners);
            int next = 0;
            for (QueueEntry entry : entries) {
                boolean matched = !entry.assignedTicketId().isEmpty();
                for (String ticketId : entry.ticketIds()) {
                    TicketState state = states.get(next++);
                    if (state.assigned() && entry.assignedTicketId().isEmpty()) {
                        // Published while nobody was subscribed: never requeue a matched player.
                        matchmaking.markAssigned(entry.playerId(), ticketId);
                    }
                    matched |= state.assigned() || state.claimed();
                }
                if (matched) {
                    continue;
                }
                if (entry.ticketCreatedAtMillis() < lostBefore) {
                    if (toRecreate.size() < MAX_RECREATES_PER_PASS) {
                        toRecreate.put(entry.playerId(), lostBefore);
                    }
                    continue;
                }
                long since = freeSince.getOrDefault(entry.ticketId(), now);
                seen.put(entry.ticketId(), since);
                if (now - since >= interval.toMillis()) {
                    toActivate.put(entry.ticketId(), entry.playerId());
                }
            }
            if (cursor >= queued) {
                cursor = 0;
                break;
            }
        }
        // Entries this pass did not reach keep their state for a while; gone tickets are forgotten.
        long forgetBefore = now - interval.multipliedBy(10).toMillis();
        freeSince.entrySet().removeIf(e -> !seen.containsKey(e.getKey()) && e.getValue() < forgetBefore);
        freeSince.putAll(seen);

        List<String> activated = activate(List.copyOf(toActivate.keySet()), toRecreate);
        if (!activated.isEmpty()) {
            retireReplaced(activated, activated.stream().map(toActivate::get).toList());
        }
        int reactivated = activated.size();
        int recreated = recreate(toRecreate);
        if (reactivated > 0) {
            metrics.tickets("reactivated", reactivated);
        }
        if (recreated > 0) {
            log.info(
                    "reconcile: {} players got new tickets (om-core came back), {} tickets re-activated",
                    recreated,
                    reactivated);
        }
        return new Pass(true, looked, reactivated, recreated);
    }

    /**
     * Activates in calls of at most 500 ids. A call om-core refuses (it names ids it cannot
     * update) sends those players to re-creation, which is always safe; with om-core away the pass
     * stops and the next one tries again.
     */
    private List<String> activate(List<String> ticketIds, Map<String, Long> toRecreate) {
        List<String> activated = new ArrayList<>();
        if (ticketIds.isEmpty()) {
            // Keep the connection up, so that a restart shows as a lost connection.
            try {
                openMatch.ping();
            } catch (PeerUnavailableException e) {
                log.debug("om-core away: {}", e.getMessage());
            }
            return activated;
        }
        for (int from = 0; from < ticketIds.size(); from += MAX_IDS_PER_CALL) {
            List<String> batch = ticketIds.subList(from, Math.min(ticketIds.size(), from + MAX_IDS_PER_CALL));
            try {
                openMatch.activate(batch);
                activated.addAll(batch);
            } catch (PeerUnavailableException e) {
                log.warn(
                        "reconcile: om-core away ({}); {} tickets wait for the next pass",
                        e.getMessage(),
                        ticketIds.size() - from);
                return activated;
            } catch (RuntimeException e) {
                log.warn(
                        "reconcile: om-core refused to activate {} tickets ({}); giving their players new tickets",
                        batch.size(),
                        e.getMessage());
                // The entry is re-read under the player's lock: only the refused ticket is replaced.
                long refusedAt = clock.millis() + 1;
                for (String ticketId : batch) {
                    matchmaking.ticketOwner(ticketId).ifPresent(player -> {
                        if (toRecreate.size() < MAX_RECREATES_PER_PASS) {
                            toRecreate.put(player, refusedAt);
                        }
                    });
                }
            }
        }
        return activated;
    }

    /**
     * A requeue or a cancel may have retired a ticket between this pass's read and its activation:
     * such a ticket is deactivated again, so a player never has two tickets in the pools for long.
     */
    private void retireReplaced(List<String> ticketIds, List<String> playerIds) {
        Map<String, String> current = new HashMap<>();
        for (QueueEntry entry : store.entries(playerIds)) {
            current.put(entry.playerId(), entry.ticketId());
        }
        List<String> retired = new ArrayList<>();
        for (int i = 0; i < ticketIds.size(); i++) {
            if (!ticketIds.get(i).equals(current.get(playerIds.get(i)))) {
                retired.add(ticketIds.get(i));
            }
        }
        if (!retired.isEmpty()) {
            openMatch.deactivateQuietly(retired);
        }
    }

    private int recreate(Map<String, Long> lostBefore) {
        if (lostBefore.isEmpty()) {
            return 0;
        }
        List<String> playerIds = List.copyOf(lostBefore.keySet());
        List<Future<Boolean>> running = new ArrayList<>(playerIds.size());
        for (String playerId : playerIds) {
            long before = lostBefore.get(playerId);
            running.add(recreators.submit(() -> matchmaking.recreateLost(playerId, before)));
        }
        int recreated = 0;
        for (int i = 0; i < running.size(); i++) {
            try {
                if (running.get(i).get()) {
                    recreated++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return recreated;
            } catch (ExecutionException e) {
                log.warn(
                        "reconcile: could not give {} a new ticket ({}); retrying next pass",
                        playerIds.get(i),
                        e.getCause().toString());
            }
        }
        return recreated;
    }

    @Override
    public void close() {
        recreators.shutdownNow();
    }
}
