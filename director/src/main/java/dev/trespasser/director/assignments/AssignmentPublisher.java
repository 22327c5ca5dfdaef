package dev.trespasser.director.assignments;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.frontend.v1.Assignment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;

/**
 * Hands assignments to the frontend through Redis (director/README.md "Assignment channel").
 *
 * <p>For every ticket of a placed match, and every player {@code p} of that ticket:
 * {@code trespasser:assignment:<ticketId>:<p>} = protobuf JSON of {@link Assignment} carrying
 * {@code p}'s own join token. A single-player ticket also gets {@code
 * trespasser:assignment:<ticketId>} with the same value. Then the ticket id is PUBLISHed on
 * {@link RedisNames#ASSIGNMENTS_CHANNEL}. Keys and messages are written by one Lua script: a subscriber that reads the
 * keys on a message always finds them, and a failure writes nothing.
 */
public final class AssignmentPublisher {

    /** One ticket of the match: its players in ticket order, each with their own token. */
    public record TicketAssignment(String ticketId, Map<String, String> tokenByPlayer) {
        public TicketAssignment {
            Objects.requireNonNull(ticketId, "ticketId");
            if (tokenByPlayer.isEmpty()) {
                throw new IllegalArgumentException("ticket " + ticketId + " has no players");
            }
            tokenByPlayer = Collections.unmodifiableMap(new LinkedHashMap<>(tokenByPlayer));
        }
    }

    // KEYS = assignment keys; ARGV[1..#KEYS] = their values; ARGV[#KEYS+1] = TTL in seconds;
    // ARGV after that = ticket ids to announce.
    private static final String PUBLISH = """
            local n = #KEYS
            local ttl = ARGV[n + 1]
            for i = 1, n do
              redis.call('SET', KEYS[i], ARGV[i], 'EX', ttl)
            end
            for i = n + 2, #ARGV do
              redis.call('PUBLISH', '%s', ARGV[i])
            end
            return n
            """.formatted(RedisNames.ASSIGNMENTS_CHANNEL);

    // KEYS[1] = the match record; ARGV[1] = TTL in seconds, then field, value pairs.
    private static final String RECORD = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            return 1
            """;

    /**
     * A match record outlives the match by a day, so the results consumer can check a result that
     * waited in the stream (the frontend was down) long after the match ended.
     */
    static final Duration RECORD_EXTRA_TTL = Duration.ofDays(1);

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final UnifiedJedis redis;
    private final Duration ttl;
    private final HostTemplate hosts;
    private final boolean tls;

    /** Assignments to plaintext match servers at the address allocated (tests and tools). */
    public AssignmentPublisher(UnifiedJedis redis, Duration ttl) {
        this(redis, ttl, HostTemplate.parse(HostTemplate.DEFAULT), false);
    }

    /**
     * @param hosts {@code DIRECTOR_HOST_TEMPLATE}: the host players get, from the allocated GameServer
     * @param tls   {@code DIRECTOR_MATCH_TLS}: match servers speak wss:// ({@link Assignment#getTls()})
     */
    public AssignmentPublisher(UnifiedJedis redis, Duration ttl, HostTemplate hosts, boolean tls) {
        this.redis = Objects.requireNonNull(redis, "redis");
        if (ttl.getSeconds() <= 0) {
            throw new IllegalArgumentException("assignment TTL must be at least a second: " + ttl);
        }
        this.ttl = ttl;
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.tls = tls;
    }

    /**
     * Publishes the assignments to an allocated server: its host through the host template (an
     * address the template cannot turn into a host throws, and nothing is written), and whether it
     * speaks TLS.
     */
    public void publish(String matchId, AllocationResult.Allocated server, List<TicketAssignment> tickets) {
        publish(matchId, hosts.hostFor(server.host(), server.gameServerName()), server.port(), tickets);
    }

    /** Writes every key and announces every ticket of one match, atomically; {@code host} as given. */
    public void publish(String matchId, String host, int port, List<TicketAssignment> tickets) {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (TicketAssignment ticket : tickets) {
            for (Map.Entry<String, String> player : ticket.tokenByPlayer().entrySet()) {
                String json = toJson(Assignment.newBuilder()
                        .setHost(host)
                        .setPort(port)
                        .setToken(player.getValue())
                        .setMatchId(matchId)
                        .setTls(tls)
                        .build());
                keys.add(RedisNames.playerAssignment(ticket.ticketId(), player.getKey()));
                args.add(json);
                if (ticket.tokenByPlayer().size() == 1) {
                    keys.add(RedisNames.assignment(ticket.ticketId()));
                    args.add(json);
                }
            }
        }
        args.add(Long.toString(ttl.getSeconds()));
        for (TicketAssignment ticket : tickets) {
            args.add(ticket.ticketId());
        }
        redis.eval(PUBLISH, keys, args);
    }

    /**
     * Records what this match was allocated as ({@link RedisNames#matchRecord}): the frontend applies
     * a result only when its server, roster and round agree with this record. Written before the
     * assignments, so no player can reach the server before its record exists.
     */
    public void recordMatch(String matchId, String gameServerName, List<RosterPlayer> roster, int maxRounds) {
        if (roster.isEmpty()) {
            throw new IllegalArgumentException("match " + matchId + " has no roster");
        }
        StringBuilder players = new StringBuilder();
        for (RosterPlayer player : roster) {
            if (players.length() > 0) {
                players.append(',');
            }
            players.append(player.getPlayerId()).append('=').append(player.getTeamValue());
        }
        redis.eval(
                RECORD,
                List.of(RedisNames.matchRecord(matchId)),
                List.of(
                        Long.toString(ttl.plus(RECORD_EXTRA_TTL).getSeconds()),
                        RedisNames.MATCH_RECORD_GAME_SERVER,
                        gameServerName,
                        RedisNames.MATCH_RECORD_ROSTER,
                        players.toString(),
                        RedisNames.MATCH_RECORD_MAX_ROUNDS,
                        Integer.toString(maxRounds)));
    }

    private static String toJson(Assignment assignment) {
        try {
            return JSON.print(assignment);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Assignment does not print as JSON", e);
        }
    }
}
