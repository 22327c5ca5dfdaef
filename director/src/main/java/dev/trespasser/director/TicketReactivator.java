package dev.trespasser.director;

import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc.OpenMatchServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands tickets back to om-core's pools. om-core deactivated every ticket of a match it returned;
 * a ticket the director does not place must be activated again or it sits until its TTL.
 */
public final class TicketReactivator {

    private static final Logger log = LoggerFactory.getLogger(TicketReactivator.class);

    /** om-core's OM_MAX_STATE_UPDATES_PER_CALL default. */
    public static final int MAX_IDS_PER_CALL = 500;

    private static final int ATTEMPTS = 3;

    private final OpenMatchServiceBlockingStub openMatch;
    private final Duration timeout;
    private final DirectorMetrics metrics;

    public TicketReactivator(OpenMatchServiceBlockingStub openMatch, Duration timeout, DirectorMetrics metrics) {
        this.openMatch = Objects.requireNonNull(openMatch, "openMatch");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Activates {@code ticketIds} in calls of at most {@link #MAX_IDS_PER_CALL}; returns those that failed. */
    public List<String> activate(Collection<String> ticketIds) {
        List<String> ids = List.copyOf(ticketIds);
        List<String> failed = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += MAX_IDS_PER_CALL) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_CALL));
            if (activateBatch(batch)) {
                metrics.ticketsReactivated.inc(batch.size());
            } else {
                failed.addAll(batch);
            }
        }
        if (!failed.isEmpty()) {
            metrics.ticketsStranded.inc(failed.size());
        }
        return failed;
    }

    private boolean activateBatch(List<String> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                openMatch
                        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .activateTickets(ActivateTicketsRequest.newBuilder()
                                .addAllTicketIds(batch)
                                .build());
                return true;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code == Status.Code.INVALID_ARGUMENT) {
                    // om-core activates the valid ids and names the others (expired or malformed):
                    // those are gone for good, and the frontend re-queues its players.
                    log.warn(
                            "om-core refused some of {} ticket ids: {}",
                            batch.size(),
                            e.getStatus().getDescription());
                    return true;
                }
                if (attempt >= ATTEMPTS) {
                    log.error(
                            "could not re-activate {} tickets after {} attempts: {}",
                            batch.size(),
                            attempt,
                            e.getStatus());
                    return false;
                }
                log.warn("ActivateTickets failed ({}), retrying", code);
                try {
                    Thread.sleep(100L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    log.error("interrupted while re-activating {} tickets", batch.size());
                    return false;
                }
            }
        }
    }
}
