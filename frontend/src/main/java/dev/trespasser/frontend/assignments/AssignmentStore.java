package dev.trespasser.frontend.assignments;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.frontend.v1.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;

/**
 * Reads the assignments the director writes ({@code trespasser:assignment:<ticket id>}, protobuf
 * JSON) and records the ones the frontend refuses to deliver.
 */
public final class AssignmentStore {

    private static final Logger log = LoggerFactory.getLogger(AssignmentStore.class);
    private static final long REFUSALS_KEPT = 10_000;
    private static final long REFUSAL_MARK_SECONDS = 600;

    private final UnifiedJedis redis;

    public AssignmentStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    /**
     * The player's assignment for the ticket: the per-player key first, then the ticket key.
     * Empty when nothing is stored, or what is stored is not a usable assignment (logged).
     */
    public Optional<Assignment> find(String ticketId, String playerId) {
        String json = redis.get(RedisNames.playerAssignment(ticketId, playerId));
        if (json == null) {
            json = redis.get(RedisNames.assignment(ticketId));
        }
        if (json == null) {
            return Optional.empty();
        }
        try {
            Assignment.Builder assignment = Assignment.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(json, assignment);
            if (assignment.getHost().isEmpty()
                    || assignment.getPort() <= 0
                    || assignment.getToken().isEmpty()) {
                log.error("assignment for ticket {} lacks host, port or token; not delivered: {}", ticketId, json);
                return Optional.empty();
            }
            return Optional.of(assignment.build());
        } catch (InvalidProtocolBufferException e) {
            log.error("assignment for ticket {} is not Assignment JSON ({}); not delivered", ticketId, e.getMessage());
            return Optional.empty();
        }
    }

    public boolean exists(String ticketId, String playerId) {
        return redis.exists(RedisNames.playerAssignment(ticketId, playerId))
                || redis.exists(RedisNames.assignment(ticketId));
    }

    /** What the director has done with one player's ticket. */
    public record TicketState(boolean assigned, boolean claimed) {}

    /**
     * The state of each ticket ({@code ticketIds[i]} of {@code playerIds[i]}), in one round trip:
     * an assignment is stored for it, or a match holds its claim (being placed, or placed).
     */
    public List<TicketState> states(List<String> ticketIds, List<String> playerIds) {
        List<Response<Boolean>> playerKeys = new ArrayList<>(ticketIds.size());
        List<Response<Boolean>> ticketKeys = new ArrayList<>(ticketIds.size());
        List<Response<Boolean>> claims = new ArrayList<>(ticketIds.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (int i = 0; i < ticketIds.size(); i++) {
                playerKeys.add(pipeline.exists(RedisNames.playerAssignment(ticketIds.get(i), playerIds.get(i))));
                ticketKeys.add(pipeline.exists(RedisNames.assignment(ticketIds.get(i))));
                claims.add(pipeline.exists(RedisNames.ticketClaim(ticketIds.get(i))));
            }
            pipeline.sync();
        }
        List<TicketState> states = new ArrayList<>(ticketIds.size());
        for (int i = 0; i < ticketIds.size(); i++) {
            states.add(new TicketState(
                    playerKeys.get(i).get() || ticketKeys.get(i).get(),
                    claims.get(i).get()));
        }
        return states;
    }

    /** The director is allocating a server for this ticket's match. */
    public boolean claimed(String ticketId) {
        return redis.exists(RedisNames.ticketClaim(ticketId));
    }

    /**
     * Reports an assignment for a player who is no longer queued, once across all replicas: an
     * entry on {@code trespasser:assignment-refusals} (ticket_id, player_id, match_id, reason).
     */
    public boolean reportRefusal(String ticketId, String playerId, String reason) {
        String marked = redis.set(
                RedisKeys.assignmentRefused(ticketId),
                playerId,
                SetParams.setParams().nx().ex(REFUSAL_MARK_SECONDS));
        if (!"OK".equals(marked)) {
            return false;
        }
        String matchId = find(ticketId, playerId).map(Assignment::getMatchId).orElse("");
        redis.xadd(
                RedisKeys.ASSIGNMENT_REFUSALS,
                XAddParams.xAddParams().maxLen(REFUSALS_KEPT).approximateTrimming(),
                Map.of("ticket_id", ticketId, "player_id", playerId, "match_id", matchId, "reason", reason));
        log.warn("refused assignment of ticket {} (match {}) for player {}: {}", ticketId, matchId, playerId, reason);
        return true;
    }
}
