package dev.trespasser.director;

import dev.trespasser.director.ValidatedMatch.InvalidMatchException;
import dev.trespasser.director.ValidatedMatch.MatchTicket;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.director.allocation.GameServerAllocator;
import dev.trespasser.director.assignments.AssignmentPublisher;
import dev.trespasser.director.assignments.AssignmentPublisher.TicketAssignment;
import dev.trespasser.director.assignments.TicketClaims;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.director.tokens.JoinTokenSigner;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.openmatch2.Match;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Places one match om-core returned: validate, claim its tickets, sign a join token per player,
 * allocate a game server, publish the assignments. Whatever fails, every ticket that is not
 * owned by another match goes back to om-core's pools, so no player is lost.
 */
public final class MatchPlacer {

    private static final Logger log = LoggerFactory.getLogger(MatchPlacer.class);

    private final TicketClaims claims;
    private final GameServerAllocator allocator;
    private final JoinTokenSigner tokens;
    private final AssignmentPublisher assignments;
    private final TicketReactivator reactivator;
    private final DirectorMetrics metrics;
    private final Clock clock;
    private final List<String> maps;
    private final MatchRules rules;

    // Players of matches being placed by this process, so two profiles cannot place one player
    // twice at the same time (e.g. through a stale second ticket). Guarded by itself.
    private final Map<String, String> playersInFlight = new HashMap<>();

    public MatchPlacer(
            TicketClaims claims,
            GameServerAllocator allocator,
            JoinTokenSigner tokens,
            AssignmentPublisher assignments,
            TicketReactivator reactivator,
            DirectorMetrics metrics,
            Clock clock,
            List<String> maps,
            MatchRules rules) {
        this.claims = Objects.requireNonNull(claims, "claims");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.assignments = Objects.requireNonNull(assignments, "assignments");
        this.reactivator = Objects.requireNonNull(reactivator, "reactivator");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("at least one map is needed");
        }
        this.maps = List.copyOf(maps);
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** Places {@code match}; on any failure its tickets go back to the pools. */
    public PlacementOutcome place(Match match, MatchProfile profile) throws InterruptedException {
        return record(profile, placeValidated(match, profile));
    }

    /**
     * Hands a match back without trying to place it (the cycle already failed, or the director is
     * stopping): its tickets that no other match owns are activated again.
     */
    public PlacementOutcome giveBack(Match match, MatchProfile profile) {
        reactivateUnclaimed(ValidatedMatch.rosterTicketIds(match));
        return record(profile, PlacementOutcome.RETURNED);
    }

    private PlacementOutcome placeValidated(Match match, MatchProfile profile) throws InterruptedException {
        ValidatedMatch valid;
        try {
            valid = ValidatedMatch.validate(match, profile);
        } catch (InvalidMatchException e) {
            log.warn("dropping an invalid match, its tickets go back to the pool: {}", e.getMessage());
            reactivateUnclaimed(ValidatedMatch.rosterTicketIds(match));
            return PlacementOutcome.INVALID;
        }
        if (!reservePlayers(valid)) {
            reactivateUnclaimed(valid.ticketIds());
            return PlacementOutcome.DUPLICATE;
        }
        try {
            return claimAndPlace(valid);
        } finally {
            releasePlayers(valid);
        }
    }

    private PlacementOutcome claimAndPlace(ValidatedMatch match) throws InterruptedException {
        Map<String, String> taken;
        try {
            taken = claims.claim(match.id(), match.ticketIds(), match.waitsByTicket());
        } catch (JedisException e) {
            log.error("match {}: cannot claim its tickets in Redis ({}); handing them back", match.id(), e.toString());
            reactivator.activate(match.ticketIds());
            return PlacementOutcome.CLAIM_FAILED;
        }
        if (!taken.isEmpty()) {
            // om-core's replication lag let a ticket, or a player's wait through a re-created
            // ticket, into two matches: the first claim wins. The taken tickets stay inactive: their
            // player is seated elsewhere, and the frontend retires the spare ticket.
            log.warn(
                    "match {}: tickets already claimed (directly or through their player's wait) {}; dropping it as a duplicate",
                    match.id(),
                    taken);
            List<String> mine = new ArrayList<>(match.ticketIds());
            mine.removeAll(taken.keySet());
            reactivateUnclaimed(mine);
            return PlacementOutcome.DUPLICATE;
        }
        try {
            return allocateAndPublish(match);
        } catch (InterruptedException | RuntimeException e) {
            handBack(match);
            throw e;
        }
    }

    private PlacementOutcome allocateAndPublish(ValidatedMatch match) throws InterruptedException {
        Instant now = clock.instant();
        MatchAllocation allocation = allocationFor(match, now);
        long start = System.nanoTime();
        AllocationResult result = allocator.allocate(allocation);
        metrics.allocationSeconds.labelValues(resultLabel(result)).observe((System.nanoTime() - start) / 1e9);
        if (!(result instanceof AllocationResult.Allocated server)) {
            log.warn("match {}: allocation failed, tickets go back to the pool: {}", match.id(), result);
            handBack(match);
            if (result instanceof AllocationResult.NoCapacity) {
                return PlacementOutcome.NO_CAPACITY;
            }
            return result instanceof AllocationResult.Contention
                    ? PlacementOutcome.CONTENTION
                    : PlacementOutcome.ALLOCATION_FAILED;
        }
        boolean kept;
        try {
            kept = claims.keep(match.id(), match.ticketIds(), match.waits());
        } catch (JedisException e) {
            kept = false;
            log.error("match {}: cannot keep its claims ({})", match.id(), e.toString());
        }
        if (!kept) {
            // This process stalled past the claim lease: the frontend may already have put these
            // tickets back in the pools, so publishing now could seat a player twice.
            log.error(
                    "match {}: allocated {} but its claims lapsed; not publishing, handing tickets back",
                    match.id(),
                    server.gameServerName());
            handBack(match);
            return PlacementOutcome.PUBLISH_FAILED;
        }
        try {
            // Signed after the allocation: each token names the one server that may accept it.
            List<TicketAssignment> signed = sign(match, server.gameServerName(), now);
            assignments.recordMatch(
                    match.id(),
                    server.gameServerName(),
                    allocation.getRosterList(),
                    allocation.getRules().getMaxRounds());
            assignments.publish(match.id(), server, signed);
        } catch (RuntimeException e) {
            // The server waits for players who will never come; its waiting phase abandons the
            // match and it returns to the fleet. The players are matched again.
            log.error(
                    "match {}: allocated {} but publishing assignments failed; handing tickets back",
                    match.id(),
                    server.gameServerName(),
                    e);
            handBack(match);
            return PlacementOutcome.PUBLISH_FAILED;
        }
        log.info(
                "match {} ({} {}): {} players on {} at {}:{}",
                match.id(),
                match.mode().label(),
                match.region(),
                match.playerIds().size(),
                server.gameServerName(),
                server.host(),
                server.port());
        return PlacementOutcome.PLACED;
    }

    private MatchAllocation allocationFor(ValidatedMatch match, Instant now) {
        MatchAllocation.Builder allocation = MatchAllocation.newBuilder()
                .setMatchId(match.id())
                .setMode(match.mode().label())
                // Chosen from the match id, so a retried match lands on the same map.
                .setMapName(maps.get(Math.floorMod(match.id().hashCode(), maps.size())))
                .setRules(rules)
                .setAllocatedAtEpochSeconds(now.getEpochSecond());
        for (MatchTicket ticket : match.tickets()) {
            for (String player : ticket.playerIds()) {
                allocation.addRoster(
                        RosterPlayer.newBuilder().setPlayerId(player).setTeam(ticket.team()));
            }
        }
        return allocation.build();
    }

    private List<TicketAssignment> sign(ValidatedMatch match, String gameServer, Instant now) {
        List<TicketAssignment> signed = new ArrayList<>(match.tickets().size());
        for (MatchTicket ticket : match.tickets()) {
            Map<String, String> tokenByPlayer = new LinkedHashMap<>();
            for (String player : ticket.playerIds()) {
                tokenByPlayer.put(player, tokens.sign(player, ticket.displayName(player), match.id(), gameServer, now));
            }
            signed.add(new TicketAssignment(ticket.ticketId(), tokenByPlayer));
        }
        return signed;
    }

    /** Releases this match's claims, then activates its tickets again (in that order, so a rematch can claim them). */
    private void handBack(ValidatedMatch match) {
        try {
            claims.release(match.id(), match.ticketIds(), match.waits());
        } catch (JedisException e) {
            log.error(
                    "match {}: could not release its claims ({}); they expire with their TTL",
                    match.id(),
                    e.toString());
        }
        reactivator.activate(match.ticketIds());
    }

    /** Activates the tickets no match has claimed; a claimed ticket belongs to its match. */
    private void reactivateUnclaimed(List<String> ticketIds) {
        List<String> free = new ArrayList<>(ticketIds);
        try {
            free.removeAll(claims.owners(ticketIds).keySet());
        } catch (JedisException e) {
            // Without Redis nothing can be placed anyway; a ticket activated twice is harmless.
            log.warn("cannot read ticket claims ({}); re-activating all {} tickets", e.toString(), ticketIds.size());
        }
        if (!free.isEmpty()) {
            reactivator.activate(free);
        }
    }

    private boolean reservePlayers(ValidatedMatch match) {
        synchronized (playersInFlight) {
            for (String player : match.playerIds()) {
                String other = playersInFlight.get(player);
                if (other != null) {
                    log.warn("match {}: player {} is being placed in match {}; dropping it", match.id(), player, other);
                    return false;
                }
            }
            for (String player : match.playerIds()) {
                playersInFlight.put(player, match.id());
            }
            return true;
        }
    }

    private void releasePlayers(ValidatedMatch match) {
        synchronized (playersInFlight) {
            for (String player : match.playerIds()) {
                playersInFlight.remove(player, match.id());
            }
        }
    }

    private PlacementOutcome record(MatchProfile profile, PlacementOutcome outcome) {
        metrics.matches.labelValues(profile.name(), outcome.label()).inc();
        if (outcome.failed()) {
            metrics.allocationFailures.labelValues(outcome.failureReason()).inc();
        }
        return outcome;
    }

    private static String resultLabel(AllocationResult result) {
        if (result instanceof AllocationResult.Allocated) {
            return "allocated";
        }
        if (result instanceof AllocationResult.NoCapacity) {
            return "no_capacity";
        }
        return result instanceof AllocationResult.Contention ? "contention" : "error";
    }
}
