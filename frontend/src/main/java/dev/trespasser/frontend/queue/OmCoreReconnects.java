package dev.trespasser.frontend.queue;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices om-core coming back. om-core with in-memory state forgets every ticket when it restarts,
 * and its API cannot tell a lost ticket from a live one (ActivateTickets answers OK for any
 * well-formed id). A restart always breaks the connection, so when this frontend's channel becomes
 * READY again after it was lost, every ticket created before that moment may be gone: the time is
 * recorded in Redis (shared by the replicas, only ever raised) and the reconcile gives those
 * players new tickets. A connection lost without a restart (network, a replica of a Redis-backed
 * om-core) costs one needless re-creation per queued player, which is safe.
 *
 * <p>A frontend that starts while no replica was watching (the reconcile lease was free: every
 * replica was down too, e.g. a cluster restart) cannot know what om-core went through meanwhile,
 * so its first connection counts as a reconnect as well.
 */
public final class OmCoreReconnects {

    private static final Logger log = LoggerFactory.getLogger(OmCoreReconnects.class);

    private final ManagedChannel channel;
    private final QueueStore store;
    private final Clock clock;
    private boolean wasReady;
    private boolean lost;
    /** A reconnect not yet recorded in Redis (it was away too): written by the next reconcile. */
    private final AtomicLong unrecorded = new AtomicLong();

    public OmCoreReconnects(ManagedChannel channel, QueueStore store, Clock clock) {
        this.channel = channel;
        this.store = store;
        this.clock = clock;
    }

    /** @param unwatched no replica watched om-core before this one started */
    public void start(boolean unwatched) {
        synchronized (this) {
            wasReady = unwatched;
            lost = unwatched;
        }
        watch(channel.getState(false));
    }

    private void watch(ConnectivityState seen) {
        channel.notifyWhenStateChanged(seen, this::changed);
    }

    private void changed() {
        ConnectivityState state = channel.getState(false);
        synchronized (this) {
            if (state == ConnectivityState.READY) {
                if (wasReady && lost) {
                    reconnected();
                }
                wasReady = true;
                lost = false;
            } else if (wasReady && state != ConnectivityState.SHUTDOWN) {
                lost = true;
            }
        }
        if (state != ConnectivityState.SHUTDOWN) {
            watch(state);
        }
    }

    private void reconnected() {
        long now = clock.millis();
        log.warn("om-core connection is back after a loss: tickets created before now may be gone; re-creating them");
        unrecorded.accumulateAndGet(now, Math::max);
        record();
    }

    /**
     * While om-core is unreachable, gRPC waits ever longer between connection attempts (up to
     * 2 minutes); the reconcile calls this every pass so the frontend reconnects within a pass of
     * om-core's return, however long it was away.
     */
    public void retryNowIfDown() {
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
    }

    /** Writes a reconnect that Redis did not take yet; the reconcile calls this every pass. */
    public void record() {
        long pending = unrecorded.get();
        if (pending == 0) {
            return;
        }
        try {
            store.markTicketsLostBefore(pending);
            unrecorded.compareAndSet(pending, 0);
        } catch (RuntimeException e) {
            log.warn("could not record the om-core reconnect in Redis ({}); retrying next reconcile", e.toString());
        }
    }
}
