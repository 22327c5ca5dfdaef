package dev.trespasser.director.assignments;

import dev.trespasser.proto.RedisNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Claims of tickets by matches, in Redis: {@code trespasser:claim:<ticketId>} = match id.
 *
 * <p>om-core replicates deactivations in batches, so the same ticket can come back in a second
 * match before the first one's deactivation is visible. Whoever claims a ticket first owns it;
 * a match that finds any of its tickets claimed by another match is a duplicate and is dropped.
 * Claiming is all-or-nothing (one Lua script), so a rejected match holds no claims.
 *
 * <p>A player's wait is claimed too: {@code trespasser:wait-claim:<player>@<queued since ms>}.
 * The frontend re-creates a ticket that nears om-core's TTL; if the old one is matched in the
 * same moment, the new one (same wait, other id) can be matched before its deactivation
 * replicates. The wait claim makes that second match a duplicate, so a player is never seated in
 * two matches, while a player who queues again later (a new wait) is not held back.
 *
 * <p>While a match is being placed its claims are a lease: they live {@code lease} and this
 * process renews them ({@link #renewLeases()}, every third of the lease). A director that dies
 * mid-placement stops renewing, its claims lapse within the lease, and the frontend's reconcile
 * re-activates the tickets (frontend/README.md "Queue"). A placed match keeps its claims for the
 * full TTL ({@link #keep}), which also fences a director that stalled past its lease: it finds
 * its claims gone and publishes nothing.
 *
 * <p>The claim keys of one match live in different hash slots: this needs a single Redis (or a
 * primary with replicas), not Redis Cluster.
 */
public final class TicketClaims {

    // Returns the KEYS indexes (1-based) held by another match, and claims nothing if there are any.
    private static final String CLAIM = """
            local taken = {}
            for i, key in ipairs(KEYS) do
              local owner = redis.call('GET', key)
              if owner and owner ~= ARGV[1] then
                table.insert(taken, i)
                table.insert(taken, owner)
              end
            end
            if #taken > 0 then
              return taken
            end
            for _, key in ipairs(KEYS) do
              redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
            end
            return taken
            """;

    // Deletes only the claims this match holds: after a TTL expiry another match may own them.
    private static final String RELEASE = """
            local released = 0
            for _, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[1] then
                redis.call('DEL', key)
                released = released + 1
              end
            end
            return released
            """;

    // Extends the claims this match holds (a lease renewal); returns how many it held.
    private static final String RENEW = """
            local held = 0
            for _, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[1] then
                redis.call('PEXPIRE', key, ARGV[2])
                held = held + 1
              end
            end
            return held
            """;

    // Extends every claim to the full TTL if this match still holds them all; otherwise nothing.
    private static final String KEEP = """
            for _, key in ipairs(KEYS) do
              if redis.call('GET', key) ~= ARGV[1] then
                return 0
              end
            end
            for _, key in ipairs(KEYS) do
              redis.call('PEXPIRE', key, ARGV[2])
            end
            return 1
            """;

    private static final Logger log = LoggerFactory.getLogger(TicketClaims.class);

    /** The claims of one match being placed: renewed until it is kept or released. */
    private record Lease(List<String> ticketIds, List<String> waits) {}

    private final UnifiedJedis redis;
    private final Duration ttl;
    private final Duration lease;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    /** Claims without a lease: they live {@code ttl} from the start (tests of the claim rules). */
    public TicketClaims(UnifiedJedis redis, Duration ttl) {
        this(redis, ttl, ttl);
    }

    /**
     * @param ttl how long a placed match's claims outlive it: longer than replication lag
     * @param lease how long the claims of a match being placed live without renewal
     */
    public TicketClaims(UnifiedJedis redis, Duration ttl, Duration lease) {
        this.redis = Objects.requireNonNull(redis, "redis");
        if (ttl.toMillis() <= 0 || lease.toMillis() <= 0 || lease.compareTo(ttl) > 0) {
            throw new IllegalArgumentException("need 0 < claim lease <= claim TTL, got " + lease + " and " + ttl);
        }
        this.ttl = ttl;
        this.lease = lease;
    }

    public Duration lease() {
        return lease;
    }

    /**
     * Claims every ticket for {@code matchId}, or none.
     *
     * @return the tickets already claimed by other matches, with their owners; empty on success
     */
    public Map<String, String> claim(String matchId, List<String> ticketIds) {
        return claim(matchId, ticketIds, Map.of());
    }

    /**
     * Claims every ticket and every player wait of {@code waitsByTicket} for {@code matchId}, or
     * nothing.
     *
     * @return each ticket whose own claim, or one of whose waits, another match holds, with that
     *     match; empty on success
     */
    public Map<String, String> claim(String matchId, List<String> ticketIds, Map<String, List<String>> waitsByTicket) {
        if (ticketIds.isEmpty()) {
            return Map.of();
        }
        List<String> keys = keys(ticketIds);
        List<String> ticketOfKey = new ArrayList<>(ticketIds);
        for (String ticketId : ticketIds) {
            for (String wait : waitsByTicket.getOrDefault(ticketId, List.of())) {
                keys.add(RedisNames.waitClaim(wait));
                ticketOfKey.add(ticketId);
            }
        }
        Object reply = redis.eval(CLAIM, keys, List.of(matchId, Long.toString(lease.toMillis())));
        List<?> taken = (List<?>) reply;
        Map<String, String> owners = new LinkedHashMap<>();
        for (int i = 0; i < taken.size(); i += 2) {
            int index = ((Long) taken.get(i)).intValue() - 1;
            owners.putIfAbsent(ticketOfKey.get(index), String.valueOf(taken.get(i + 1)));
        }
        if (owners.isEmpty()) {
            List<String> waits = new ArrayList<>();
            waitsByTicket.values().forEach(waits::addAll);
            leases.put(matchId, new Lease(List.copyOf(ticketIds), List.copyOf(waits)));
        }
        return owners;
    }

    /**
     * The match is placed: its claims live the full TTL from now, if it still holds every one.
     * False when a lease lapsed (this process stalled longer than the lease): the tickets may be
     * back in the pools, so the match must not be published.
     */
    public boolean keep(String matchId, Collection<String> ticketIds, Collection<String> waits) {
        leases.remove(matchId);
        List<String> keys = keys(ticketIds);
        waits.forEach(wait -> keys.add(RedisNames.waitClaim(wait)));
        if (keys.isEmpty()) {
            return true;
        }
        return Long.valueOf(1).equals(redis.eval(KEEP, keys, List.of(matchId, Long.toString(ttl.toMillis()))));
    }

    /** Renews the lease of every match being placed; run every third of the lease. */
    public void renewLeases() {
        for (Map.Entry<String, Lease> entry : leases.entrySet()) {
            Lease held = entry.getValue();
            List<String> keys = keys(held.ticketIds());
            held.waits().forEach(wait -> keys.add(RedisNames.waitClaim(wait)));
            try {
                long renewed = (Long) redis.eval(RENEW, keys, List.of(entry.getKey(), Long.toString(lease.toMillis())));
                if (renewed < keys.size()) {
                    log.warn(
                            "match {}: {} of {} claims lapsed before renewal; it will not be published",
                            entry.getKey(),
                            keys.size() - renewed,
                            keys.size());
                }
            } catch (JedisException e) {
                log.warn(
                        "could not renew the claims of match {} ({}); they lapse within {}",
                        entry.getKey(),
                        e.toString(),
                        lease);
            }
        }
    }

    /** Drops the claims {@code matchId} holds on these tickets; returns how many it held. */
    public long release(String matchId, Collection<String> ticketIds) {
        return release(matchId, ticketIds, List.of());
    }

    /** Drops the claims {@code matchId} holds on these tickets and player waits; returns how many it held. */
    public long release(String matchId, Collection<String> ticketIds, Collection<String> waits) {
        leases.remove(matchId);
        if (ticketIds.isEmpty() && waits.isEmpty()) {
            return 0;
        }
        List<String> keys = keys(ticketIds);
        waits.forEach(wait -> keys.add(RedisNames.waitClaim(wait)));
        return (Long) redis.eval(RELEASE, keys, List.of(matchId));
    }

    /** The owning match of each claimed ticket among {@code ticketIds}. */
    public Map<String, String> owners(List<String> ticketIds) {
        if (ticketIds.isEmpty()) {
            return Map.of();
        }
        List<String> values = redis.mget(keys(ticketIds).toArray(String[]::new));
        Map<String, String> owners = new LinkedHashMap<>();
        for (int i = 0; i < ticketIds.size(); i++) {
            if (values.get(i) != null) {
                owners.put(ticketIds.get(i), values.get(i));
            }
        }
        return owners;
    }

    private static List<String> keys(Collection<String> ticketIds) {
        List<String> keys = new ArrayList<>(ticketIds.size());
        for (String id : ticketIds) {
            keys.add(RedisNames.ticketClaim(id));
        }
        return keys;
    }
}
