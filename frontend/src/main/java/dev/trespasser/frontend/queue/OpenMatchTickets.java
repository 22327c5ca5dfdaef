package dev.trespasser.frontend.queue;

import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.CreateTicketRequest;
import dev.trespasser.proto.openmatch2.DeactivateTicketsRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three om-core calls the frontend makes. Activate and deactivate are idempotent, and a
 * created ticket that is never activated is never matched (it expires), so every call is retried
 * on transient failures; when om-core stays away the caller gets {@link PeerUnavailableException}.
 */
public final class OpenMatchTickets {

    private static final Logger log = LoggerFactory.getLogger(OpenMatchTickets.class);

    private final OpenMatchServiceGrpc.OpenMatchServiceBlockingStub stub;
    private final Duration deadline;
    private final int attempts;
    private final Duration backoff;

    public OpenMatchTickets(Channel channel, Duration deadline, int attempts, Duration backoff) {
        this.stub = OpenMatchServiceGrpc.newBlockingStub(channel);
        this.deadline = deadline;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    public String create(Ticket ticket) {
        return call(
                "CreateTicket",
                () -> stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .createTicket(CreateTicketRequest.newBuilder()
                                .setTicket(ticket)
                                .build())
                        .getTicketId());
    }

    public void activate(List<String> ticketIds) {
        call(
                "ActivateTickets",
                () -> stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .activateTickets(ActivateTicketsRequest.newBuilder()
                                .addAllTicketIds(ticketIds)
                                .build()));
    }

    public void deactivate(List<String> ticketIds) {
        call(
                "DeactivateTickets",
                () -> stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .deactivateTickets(DeactivateTicketsRequest.newBuilder()
                                .addAllTicketIds(ticketIds)
                                .build()));
    }

    /**
     * One cheap round trip that keeps the connection up, so a restart of om-core shows as a lost
     * connection even while nothing else is called. om-core answers an empty activation with
     * INVALID_ARGUMENT itself.
     */
    public void ping() {
        try {
            stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .activateTickets(ActivateTicketsRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                throw new PeerUnavailableException("om-core", "ping: " + e.getStatus(), e);
            }
        }
    }

    /** For clean-up paths whose failure is harmless (the ticket expires at om-core's TTL). */
    public void deactivateQuietly(List<String> ticketIds) {
        try {
            deactivate(ticketIds);
        } catch (RuntimeException e) {
            log.warn("could not deactivate {} ({}); they expire at om-core's ticket TTL", ticketIds, e.getMessage());
        }
    }

    private <T> T call(String method, Supplier<T> rpc) {
        StatusRuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return rpc.get();
            } catch (StatusRuntimeException e) {
                if (!isTransient(e.getStatus().getCode())) {
                    // om-core's own verdicts are not the player's business: they surface as INTERNAL.
                    throw new IllegalStateException("om-core refused " + method + ": " + e.getStatus(), e);
                }
                last = e;
                if (attempt < attempts) {
                    sleep(backoff.toMillis() << (attempt - 1));
                }
            }
        }
        throw new PeerUnavailableException(
                "om-core", method + " failed after " + attempts + " attempts: " + last.getStatus(), last);
    }

    private static boolean isTransient(Status.Code code) {
        return code == Status.Code.UNAVAILABLE
                || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.RESOURCE_EXHAUSTED
                || code == Status.Code.ABORTED;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerUnavailableException("om-core", "interrupted while retrying", e);
        }
    }
}
