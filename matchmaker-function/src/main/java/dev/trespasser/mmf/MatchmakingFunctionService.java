package dev.trespasser.mmf;

import dev.trespasser.mmf.matching.FormedMatch;
import dev.trespasser.mmf.matching.MatchFormer;
import dev.trespasser.mmf.matching.MatchIdGenerator;
import dev.trespasser.mmf.matching.MatchingResult;
import dev.trespasser.mmf.matching.MatchingRules;
import dev.trespasser.mmf.matching.QueuedTicket;
import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MatchMakingFunctionService.Run: reads exactly num_chunks requests (om-core never half-closes),
 * forms matches for the reassembled profile and streams them back, then completes. Nothing is
 * sent until the whole request has been validated, so a rejected Run returns no match and om-core
 * deactivates no ticket.
 */
public final class MatchmakingFunctionService
        extends MatchMakingFunctionServiceGrpc.MatchMakingFunctionServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(MatchmakingFunctionService.class);

    /** How many invalid tickets an error message names; the rest are counted. */
    private static final int ERRORS_SHOWN = 5;

    /** The knobs of one service instance. */
    public record Settings(MatchingRules rules, int maxChunks, int maxTickets, InvalidTicketPolicy invalidTickets) {

        public Settings {
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(invalidTickets, "invalidTickets");
            if (maxChunks < 1 || maxTickets < 1) {
                throw new IllegalArgumentException("maxChunks and maxTickets must be positive");
            }
        }
    }

    private final Settings settings;
    private final MmfMetrics metrics;
    private final Clock clock;

    MatchmakingFunctionService(Settings settings, MmfMetrics metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public StreamObserver<ChunkedMmfRunRequest> run(StreamObserver<StreamedMmfResponse> responses) {
        return new RunCall((ServerCallStreamObserver<StreamedMmfResponse>) responses);
    }

    /** One Run. gRPC delivers its callbacks one at a time, so plain fields suffice. */
    private final class RunCall implements StreamObserver<ChunkedMmfRunRequest> {
        private final ServerCallStreamObserver<StreamedMmfResponse> responses;
        private final ChunkAssembler assembler = new ChunkAssembler(settings.maxChunks(), settings.maxTickets());
        private final long startNanos = System.nanoTime();
        private volatile boolean cancelled;
        private boolean finished;

        RunCall(ServerCallStreamObserver<StreamedMmfResponse> responses) {
            this.responses = responses;
            responses.setOnCancelHandler(() -> cancelled = true);
            metrics.runsInProgress.inc();
        }

        @Override
        public void onNext(ChunkedMmfRunRequest chunk) {
            if (finished) {
                // Anything after the last announced chunk is not part of this Run.
                return;
            }
            metrics.chunksReceived.inc();
            try {
                if (assembler.add(chunk)) {
                    respond(assembler.profile());
                }
            } catch (InvalidRunException e) {
                fail(MmfMetrics.Outcome.INVALID_ARGUMENT, Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            } catch (RuntimeException e) {
                log.error("Run failed", e);
                fail(MmfMetrics.Outcome.INTERNAL, Status.INTERNAL.withDescription("matchmaking failed: " + e));
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!finished) {
                log.debug("Run cancelled by the caller after {} chunks: {}", assembler.received(), t.toString());
                finish(MmfMetrics.Outcome.CANCELLED);
            }
        }

        @Override
        public void onCompleted() {
            if (!finished) {
                fail(
                        MmfMetrics.Outcome.INVALID_ARGUMENT,
                        Status.INVALID_ARGUMENT.withDescription("request stream closed after "
                                + assembler.received()
                                + " of "
                                + assembler.expected()
                                + " chunks"));
            }
        }

        private void respond(AssembledProfile profile) throws InvalidRunException {
            long received = System.nanoTime();
            Instant now = clock.instant();
            List<Ticket> tickets = profile.distinctTickets();
            metrics.ticketsReceived.inc(tickets.size());
            int repeated = profile.repeatedWithinPools();
            if (repeated > 0) {
                metrics.ticketsRepeated.inc(repeated);
                log.warn(
                        "profile '{}': {} ticket copies repeated within a pool over {} chunks (om-core's chunk"
                                + " defect, docs/peers.md); each ticket is matched at most once",
                        profile.name(),
                        repeated,
                        assembler.received());
            }
            Map<String, Ticket> originals = new HashMap<>(tickets.size() * 2);
            List<QueuedTicket> queued = decode(tickets, now, originals);
            long decoded = System.nanoTime();

            MatchIdGenerator ids = MatchIdGenerator.fromTicketIds(profile.name() + "@" + now);
            MatchingResult result = new MatchFormer(settings.rules(), ids).form(queued, now);
            long matched = System.nanoTime();
            // Encode everything before sending anything: a failure here must not leave half a result.
            List<Match> encoded = new ArrayList<>(result.matches().size());
            for (FormedMatch match : result.matches()) {
                encoded.add(MatchEncoder.encode(match, profile.name(), originals));
            }
            long encodedAt = System.nanoTime();
            if (cancelled) {
                finish(MmfMetrics.Outcome.CANCELLED);
                return;
            }
            for (Match match : encoded) {
                responses.onNext(
                        StreamedMmfResponse.newBuilder().setMatch(match).build());
            }
            // Metrics before the terminal signal, so whoever sees the end also sees them.
            record(result, now);
            finish(MmfMetrics.Outcome.OK);
            responses.onCompleted();
            long sent = System.nanoTime();
            if (log.isInfoEnabled()) {
                log.info(
                        "profile '{}': {} tickets in {} chunks -> {} matches, {} tickets left; {} ms"
                                + " (receive {}, decode {}, match {}, encode {}, send {})",
                        profile.name(),
                        tickets.size(),
                        assembler.received(),
                        result.matches().size(),
                        result.unmatched().size(),
                        millis(startNanos, sent),
                        millis(startNanos, received),
                        millis(received, decoded),
                        millis(decoded, matched),
                        millis(matched, encodedAt),
                        millis(encodedAt, sent));
            }
        }

        private List<QueuedTicket> decode(List<Ticket> tickets, Instant now, Map<String, Ticket> originals)
                throws InvalidRunException {
            List<QueuedTicket> queued = new ArrayList<>(tickets.size());
            List<String> errors = new ArrayList<>();
            Map<String, String> ticketOfPlayer = new HashMap<>(tickets.size() * 2);
            for (Ticket ticket : tickets) {
                try {
                    QueuedTicket decoded = TicketDecoder.decode(ticket, now);
                    claimPlayers(decoded, ticketOfPlayer);
                    queued.add(decoded);
                    originals.put(decoded.ticketId(), ticket);
                } catch (InvalidTicketException e) {
                    errors.add(e.getMessage());
                }
            }
            if (errors.isEmpty()) {
                return queued;
            }
            metrics.ticketsInvalid.inc(errors.size());
            String summary = errors.size()
                    + " invalid ticket(s): "
                    + String.join("; ", errors.subList(0, Math.min(ERRORS_SHOWN, errors.size())))
                    + (errors.size() > ERRORS_SHOWN ? "; …" : "");
            if (settings.invalidTickets() == InvalidTicketPolicy.REJECT_RUN) {
                throw new InvalidRunException(summary);
            }
            log.warn("skipping {}", summary);
            return queued;
        }

        /** A player queued in two tickets would be placed in two matches: the later ticket loses. */
        private void claimPlayers(QueuedTicket ticket, Map<String, String> ticketOfPlayer)
                throws InvalidTicketException {
            for (String player : ticket.playerIds()) {
                String other = ticketOfPlayer.get(player);
                if (other != null) {
                    throw new InvalidTicketException(
                            ticket.ticketId(), "player '" + player + "' is already in ticket '" + other + "'");
                }
            }
            for (String player : ticket.playerIds()) {
                ticketOfPlayer.put(player, ticket.ticketId());
            }
        }

        private void record(MatchingResult result, Instant now) {
            for (FormedMatch match : result.matches()) {
                metrics.matches.labelValues(match.mode().label()).inc();
                metrics.teamRatingGap.observe(match.ratingGap());
                for (QueuedTicket ticket : match.tickets()) {
                    metrics.ticketsMatched.inc();
                    Duration waited = Duration.between(ticket.enqueuedAt(), now);
                    metrics.matchedTicketWait.observe(Math.max(0, waited.getSeconds() + waited.getNano() / 1e9));
                }
            }
        }

        private static long millis(long fromNanos, long toNanos) {
            return (toNanos - fromNanos) / 1_000_000;
        }

        private void fail(MmfMetrics.Outcome outcome, Status status) {
            log.warn("Run rejected: {} {}", status.getCode(), status.getDescription());
            if (finish(outcome)) {
                responses.onError(status.asRuntimeException());
            }
        }

        /** Records the outcome once; false when the Run had already ended. */
        private boolean finish(MmfMetrics.Outcome outcome) {
            if (finished) {
                return false;
            }
            finished = true;
            metrics.runsInProgress.dec();
            metrics.runs.labelValues(outcome.label()).inc();
            metrics.runDuration.observe((System.nanoTime() - startNanos) / 1e9);
            return true;
        }
    }
}
