package dev.trespasser.frontend.queue;

import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.RedisNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/** Queue entries, ticket owners, the sweeper's schedule and per-player locks in Redis. */
public final class QueueStore {

    /*
     * The queued-tickets set of the entry's (mode, region) (RedisNames.queuedTickets) changes in
     * the same script as the entry: KEYS[3] is the set, ARGV[3..5] the tickets that end (or ''),
     * ARGV[6] the ticket that starts (or ''), ARGV[7] its creation ms, ARGV[8] the trim bound:
     * members created before it are older than om-core's ticket TTL, so they are gone there too.
     */
    private static final String QUEUED_TICKETS = """
            redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[8])
            for i = 3, 5 do
              if ARGV[i] ~= '' then redis.call('ZREM', KEYS[3], ARGV[i]) end
            end
            if ARGV[6] ~= '' then redis.call('ZADD', KEYS[3], ARGV[7], ARGV[6]) end
            """;
    private static final String PUT = QUEUED_TICKETS + """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 9))
            redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """;
    /**
     * PUT for a new queue entry: also forgets the last delivered assignment. A player who queues
     * again has left that match (it ended, or its server died), so no stream may hand it out again.
     */
    private static final String PUT_NEW = QUEUED_TICKETS + """
            redis.call('DEL', KEYS[4])
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 9))
            redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """;

    private static final String REMOVE = QUEUED_TICKETS + """
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[2])
            return 1
            """;
    private static final String REMOVE_ORPHAN = """
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1
            """;
    /** Marks the entry only if it still names the ticket, so a stale message cannot touch a newer entry. */
    private static final String MARK_ASSIGNED = """
            local current = redis.call('HGET', KEYS[1], 'ticket_id')
            local previous = redis.call('HGET', KEYS[1], 'previous_ticket_id')
            if current == ARGV[1] or previous == ARGV[1] then
                redis.call('HSET', KEYS[1], 'assigned_ticket_id', ARGV[1])
                return 1
            end
            return 0
            """;
    // KEYS[5], KEYS[6]: the director's assignment keys of the ticket; the memory lives as long as
    // they do (their TTL is the longest match), ARGV[9] only when neither has a TTL.
    private static final String DELIVERED = QUEUED_TICKETS + """
            local remember = math.max(redis.call('PTTL', KEYS[5]), redis.call('PTTL', KEYS[6]))
            if remember <= 0 then remember = tonumber(ARGV[9]) end
            redis.call('SET', KEYS[4], ARGV[10], 'PX', remember)
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[2])
            return 1
            """;
    private static final String UNLOCK = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private static final String RAISE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tonumber(ARGV[1]) > current then
              redis.call('SET', KEYS[1], ARGV[1])
            end
            return 1
            """;
    /** Takes or keeps the reconcile lease; 1 when this replica holds it. */
    private static final String LEAD = """
            local holder = redis.call('GET', KEYS[1])
            if holder == false or holder == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """;

    private final UnifiedJedis redis;
    private final Duration ticketTtl;
    private final Clock clock;

    /** @param ticketTtl om-core's ticket TTL: queued-tickets members older than that are trimmed */
    public QueueStore(UnifiedJedis redis, Duration ticketTtl, Clock clock) {
        this.redis = redis;
        this.ticketTtl = ticketTtl;
        this.clock = clock;
    }

    public Optional<QueueEntry> get(String playerId) {
        return parse(playerId, redis.hgetAll(RedisKeys.queueEntry(playerId)));
    }

    private static Optional<QueueEntry> parse(String playerId, Map<String, String> f) {
        if (f.isEmpty() || !f.containsKey("ticket_id")) {
            return Optional.empty();
        }
        return Optional.of(new QueueEntry(
                playerId,
                f.get("ticket_id"),
                f.getOrDefault("previous_ticket_id", ""),
                GameMode.fromLabel(f.get("mode")).orElse(GameMode.DEFAULT),
                f.get("region"),
                Double.parseDouble(f.get("rating")),
                Long.parseLong(f.get("enqueued_at")),
                Long.parseLong(f.get("ticket_created_at")),
                Integer.parseInt(f.get("requeue_count")),
                f.getOrDefault("assigned_ticket_id", ""),
                f.getOrDefault("display_name", "")));
    }

    /**
     * Writes the whole entry and when the sweeper should next look at it; the entry's ticket
     * replaces its previous one (a requeue) in the queued-tickets set.
     */
    public void put(QueueEntry entry, long dueAtMillis) {
        redis.eval(
                PUT,
                List.of(RedisKeys.queueEntry(entry.playerId()), RedisKeys.QUEUE_DUE, queuedTickets(entry)),
                putArgs(entry, dueAtMillis, ""));
    }

    /** Puts back the entry a failed requeue replaced; its new ticket {@code abandoned} leaves the pool count. */
    public void putBack(QueueEntry entry, String abandoned, long dueAtMillis) {
        redis.eval(
                PUT,
                List.of(RedisKeys.queueEntry(entry.playerId()), RedisKeys.QUEUE_DUE, queuedTickets(entry)),
                putArgs(entry, dueAtMillis, abandoned));
    }

    /**
     * Writes a player's new entry (FindMatch) and, in the same script, forgets the assignment they
     * last received, so a stream of the new wait can never deliver the previous match again.
     */
    public void putNew(QueueEntry entry, long dueAtMillis) {
        redis.eval(
                PUT_NEW,
                List.of(
                        RedisKeys.queueEntry(entry.playerId()),
                        RedisKeys.QUEUE_DUE,
                        queuedTickets(entry),
                        RedisKeys.deliveredAssignment(entry.playerId())),
                putArgs(entry, dueAtMillis, ""));
    }

    private List<String> putArgs(QueueEntry entry, long dueAtMillis, String abandoned) {
        Map<String, String> fields = new HashMap<>();
        fields.put("ticket_id", entry.ticketId());
        fields.put("previous_ticket_id", entry.previousTicketId());
        fields.put("mode", entry.mode().label());
        fields.put("region", entry.region());
        fields.put("rating", Double.toString(entry.rating()));
        fields.put("enqueued_at", Long.toString(entry.enqueuedAtMillis()));
        fields.put("ticket_created_at", Long.toString(entry.ticketCreatedAtMillis()));
        fields.put("requeue_count", Integer.toString(entry.requeueCount()));
        fields.put("assigned_ticket_id", entry.assignedTicketId());
        fields.put("display_name", entry.displayName());
        List<String> args = queuedTicketsArgs(
                dueAtMillis,
                entry.playerId(),
                entry.previousTicketId(),
                abandoned,
                "",
                entry.ticketId(),
                entry.ticketCreatedAtMillis());
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return args;
    }

    /** ARGV[1..8] of the scripts that touch the queued-tickets set (see QUEUED_TICKETS). */
    private List<String> queuedTicketsArgs(
            long dueAtMillis,
            String playerId,
            String ended1,
            String ended2,
            String ended3,
            String started,
            long startedAtMillis) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(dueAtMillis));
        args.add(playerId);
        args.add(ended1);
        args.add(ended2);
        args.add(ended3);
        args.add(started);
        args.add(Long.toString(startedAtMillis));
        args.add(Long.toString(clock.millis() - ticketTtl.toMillis()));
        return args;
    }

    private static String queuedTickets(QueueEntry entry) {
        return RedisNames.queuedTickets(entry.mode().label(), entry.region());
    }

    /** The player left the queue (cancel, timeout, failed FindMatch): the entry and its tickets go. */
    public void remove(QueueEntry entry) {
        redis.eval(
                REMOVE,
                List.of(RedisKeys.queueEntry(entry.playerId()), RedisKeys.QUEUE_DUE, queuedTickets(entry)),
                queuedTicketsArgs(
                        0,
                        entry.playerId(),
                        entry.ticketId(),
                        entry.previousTicketId(),
                        entry.assignedTicketId(),
                        "",
                        0));
    }

    /** A schedule slot whose entry is gone. */
    public void removeOrphan(String playerId) {
        redis.eval(REMOVE_ORPHAN, List.of(RedisKeys.queueEntry(playerId), RedisKeys.QUEUE_DUE), List.of(playerId));
    }

    public void reschedule(String playerId, long dueAtMillis) {
        redis.zadd(RedisKeys.QUEUE_DUE, dueAtMillis, playerId);
    }

    /** How many players are queued. */
    public long queuedCount() {
        return redis.zcard(RedisKeys.QUEUE_DUE);
    }

    /** A page of queued players by rank in the sweeper's schedule (any stable order will do). */
    public List<String> queuedPlayers(long offset, int count) {
        return redis.zrange(RedisKeys.QUEUE_DUE, offset, offset + count - 1);
    }

    /** The entries of these players, read in one round trip; absent players are left out. */
    public List<QueueEntry> entries(List<String> playerIds) {
        List<redis.clients.jedis.Response<Map<String, String>>> replies = new ArrayList<>(playerIds.size());
        try (redis.clients.jedis.AbstractPipeline pipeline = redis.pipelined()) {
            for (String playerId : playerIds) {
                replies.add(pipeline.hgetAll(RedisKeys.queueEntry(playerId)));
            }
            pipeline.sync();
        }
        List<QueueEntry> entries = new ArrayList<>(playerIds.size());
        for (int i = 0; i < playerIds.size(); i++) {
            parse(playerIds.get(i), replies.get(i).get()).ifPresent(entries::add);
        }
        return entries;
    }

    /** Every ticket created before {@code epochMillis} may be lost (om-core came back). */
    public void markTicketsLostBefore(long epochMillis) {
        redis.eval(RAISE, List.of(RedisKeys.OM_CORE_TICKETS_LOST_BEFORE), List.of(Long.toString(epochMillis)));
    }

    /** Tickets created before this epoch ms may be lost; 0 when om-core was never seen coming back. */
    public long ticketsLostBefore() {
        String value = redis.get(RedisKeys.OM_CORE_TICKETS_LOST_BEFORE);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** True when no replica holds the reconcile lease: nobody watched om-core for a while. */
    public boolean reconcileLeaseFree() {
        return !redis.exists(RedisKeys.QUEUE_RECONCILER);
    }

    /** True when this replica holds (took or kept) the reconcile lease. */
    public boolean leadReconcile(String replica, Duration lease) {
        return Long.valueOf(1)
                .equals(redis.eval(
                        LEAD, List.of(RedisKeys.QUEUE_RECONCILER), List.of(replica, Long.toString(lease.toMillis()))));
    }

    /** Players whose entry the sweeper should look at now, oldest first. */
    public List<String> due(long nowMillis, int limit) {
        return redis.zrangeByScore(RedisKeys.QUEUE_DUE, Double.NEGATIVE_INFINITY, nowMillis, 0, limit);
    }

    public boolean markAssigned(String playerId, String ticketId) {
        return Long.valueOf(1)
                .equals(redis.eval(MARK_ASSIGNED, List.of(RedisKeys.queueEntry(playerId)), List.of(ticketId)));
    }

    /**
     * The assignment of {@code ticketId} reached the player: the entry and its tickets go, the
     * ticket is remembered as long as the director keeps its assignment (so a page reload can fetch
     * it until the match is over), or for {@code fallback} when the assignment keys carry no TTL.
     */
    public void delivered(QueueEntry entry, String ticketId, Duration fallback) {
        String playerId = entry.playerId();
        List<String> args = queuedTicketsArgs(0, playerId, entry.ticketId(), entry.previousTicketId(), ticketId, "", 0);
        args.add(Long.toString(fallback.toMillis()));
        args.add(ticketId);
        redis.eval(
                DELIVERED,
                List.of(
                        RedisKeys.queueEntry(playerId),
                        RedisKeys.QUEUE_DUE,
                        queuedTickets(entry),
                        RedisKeys.deliveredAssignment(playerId),
                        RedisNames.playerAssignment(ticketId, playerId),
                        RedisNames.assignment(ticketId)),
                args);
    }

    public Optional<String> deliveredTicket(String playerId) {
        return Optional.ofNullable(redis.get(RedisKeys.deliveredAssignment(playerId)));
    }

    public void setTicketOwner(String ticketId, String playerId, Duration ttl) {
        redis.set(
                RedisKeys.ticketOwner(ticketId), playerId, SetParams.setParams().px(ttl.toMillis()));
    }

    public Optional<String> ticketOwner(String ticketId) {
        return Optional.ofNullable(redis.get(RedisKeys.ticketOwner(ticketId)));
    }

    /** The token to unlock with, or empty when another call holds the player's lock. */
    public Optional<String> tryLock(String playerId, Duration ttl) {
        String token = UUID.randomUUID().toString();
        String ok = redis.set(
                RedisKeys.queueLock(playerId), token, SetParams.setParams().nx().px(ttl.toMillis()));
        return "OK".equals(ok) ? Optional.of(token) : Optional.empty();
    }

    public void unlock(String playerId, String token) {
        redis.eval(UNLOCK, List.of(RedisKeys.queueLock(playerId)), List.of(token));
    }
}
