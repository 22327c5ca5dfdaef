package dev.trespasser.frontend.results;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.results.v1.MatchResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Reads {@code trespasser:match-results} in consumer group {@code frontend-ratings} and applies
 * every result once (see {@link ResultLedger}). An entry is acknowledged only after it has been
 * applied (or found applied, or found unusable); entries a dead consumer left pending are
 * claimed with XAUTOCLAIM at start and then periodically.
 */
public final class ResultsConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultsConsumer.class);
    private static final int BATCH = 32;
    /** Below the pooled connection's 2 s socket timeout. */
    private static final int BLOCK_MILLIS = 1_000;
    /** A result names at most two teams of four; anything much larger is not a Trespasser result. */
    static final int MAX_PLAYERS = 64;

    private final UnifiedJedis redis;
    private final ResultLedger ledger;
    private final MatchRecords records;
    private final ResultsStreamTrimmer trimmer;
    private final String consumer;
    private final Duration claimIdle;
    private final FrontendMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;

    public ResultsConsumer(
            UnifiedJedis redis, ResultLedger ledger, String consumer, Duration claimIdle, FrontendMetrics metrics) {
        this.redis = redis;
        this.ledger = ledger;
        this.records = new MatchRecords(redis);
        this.trimmer = new ResultsStreamTrimmer(redis);
        this.consumer = consumer;
        this.claimIdle = claimIdle;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "results-consumer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long nextClaim = System.nanoTime();
        boolean groupReady = false;
        while (running) {
            try {
                if (!groupReady) {
                    ensureGroup();
                    // Our own unacknowledged entries first (same consumer name after a restart).
                    drainOwnPending();
                    groupReady = true;
                }
                if (System.nanoTime() - nextClaim >= 0) {
                    claimAbandoned();
                    trim();
                    nextClaim = System.nanoTime() + claimIdle.toNanos();
                }
                handle(readNew());
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("results consumer: {}; retrying in 1 s", e.toString());
                groupReady = false;
                sleep(1_000);
            }
        }
    }

    private void ensureGroup() {
        try {
            // From the start of the stream: a new group applies what is already there, once.
            redis.xgroupCreate(RedisNames.MATCH_RESULTS_STREAM, RedisKeys.RESULTS_GROUP, new StreamEntryID(0, 0), true);
            log.info("created consumer group {} on {}", RedisKeys.RESULTS_GROUP, RedisNames.MATCH_RESULTS_STREAM);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void drainOwnPending() {
        while (running) {
            List<StreamEntry> pending = read(new StreamEntryID(0, 0), false);
            if (pending.isEmpty()) {
                return;
            }
            handle(pending);
        }
    }

    /** Takes over entries another consumer received but never acknowledged (it died). */
    private void claimAbandoned() {
        StreamEntryID cursor = new StreamEntryID(0, 0);
        do {
            Map.Entry<StreamEntryID, List<StreamEntry>> claimed = redis.xautoclaim(
                    RedisNames.MATCH_RESULTS_STREAM,
                    RedisKeys.RESULTS_GROUP,
                    consumer,
                    claimIdle.toMillis(),
                    cursor,
                    XAutoClaimParams.xAutoClaimParams().count(BATCH));
            List<StreamEntry> entries = claimed.getValue();
            if (!entries.isEmpty()) {
                log.info("claimed {} abandoned result entries", entries.size());
            }
            handle(entries);
            cursor = claimed.getKey();
        } while (running && !cursor.equals(new StreamEntryID(0, 0)));
    }

    /** Drops what every group has acknowledged, never an unread or pending entry. */
    private void trim() {
        long removed = trimmer.trim();
        long remaining = trimmer.length();
        metrics.resultsTrimmed(removed, remaining);
        if (removed > 0) {
            log.debug("trimmed {} acknowledged result entries; {} remain", removed, remaining);
        }
    }

    private List<StreamEntry> readNew() {
        return read(StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY, true);
    }

    private List<StreamEntry> read(StreamEntryID from, boolean block) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(BATCH);
        if (block) {
            params.block(BLOCK_MILLIS);
        }
        List<Map.Entry<String, List<StreamEntry>>> reply = redis.xreadGroup(
                RedisKeys.RESULTS_GROUP, consumer, params, Map.of(RedisNames.MATCH_RESULTS_STREAM, from));
        if (reply == null || reply.isEmpty()) {
            return List.of();
        }
        return reply.get(0).getValue();
    }

    private void handle(List<StreamEntry> entries) {
        for (StreamEntry entry : entries) {
            // Claimed entries whose data was trimmed from the stream arrive without fields.
            if (entry.getFields() != null) {
                String outcome = apply(entry.getID(), entry.getFields());
                metrics.result(outcome);
            }
            redis.xack(RedisNames.MATCH_RESULTS_STREAM, RedisKeys.RESULTS_GROUP, entry.getID());
        }
    }

    /** Applies one entry; returns what happened, for the metric. Redis failures propagate (no XACK). */
    String apply(StreamEntryID id, Map<String, String> fields) {
        String json = fields.get("result");
        if (json == null) {
            log.error("result entry {} has no 'result' field; skipped: {}", id, fields.keySet());
            return "malformed";
        }
        MatchResult result;
        try {
            MatchResult.Builder builder = MatchResult.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
            result = builder.build();
        } catch (InvalidProtocolBufferException e) {
            log.error("result entry {} is not MatchResult JSON ({}); skipped", id, e.getMessage());
            return "malformed";
        }
        String matchId = result.getMatchId().isEmpty() ? fields.getOrDefault("match_id", "") : result.getMatchId();
        if (matchId.isEmpty() || result.getPlayersCount() > MAX_PLAYERS) {
            log.error("result entry {} has no match id or {} players; skipped", id, result.getPlayersCount());
            return "malformed";
        }
        Optional<MatchRecords.Mismatch> forged = records.check(matchId, result);
        if (forged.isPresent()) {
            metrics.forgedResult(forged.get().label());
            log.warn(
                    "result entry {} rejected, {}: match {} round {} from server '{}' naming players {}; no rating changed",
                    id,
                    forged.get().label(),
                    printable(matchId),
                    result.getRound(),
                    printable(result.getGameServer()),
                    result.getPlayersList().stream()
                            .map(p -> printable(p.getPlayerId()) + "=" + p.getTeam())
                            .toList());
            return "rejected";
        }
        List<PlayerUpdate> updates = EloRating.updates(result, ledger::rating);
        if (!ledger.apply(matchId, result.getRound(), updates)) {
            log.info(
                    "result of match {} round {} was already applied; entry {} acknowledged",
                    matchId,
                    result.getRound(),
                    id);
            return "duplicate";
        }
        if (updates.isEmpty()) {
            log.info(
                    "match {} round {}: {}; no rating or stats change",
                    matchId,
                    result.getRound(),
                    result.getOutcome());
            return "no_change";
        }
        log.info(
                "applied match {} round {}: {}, {} players, rating change {}",
                matchId,
                result.getRound(),
                result.getOutcome(),
                updates.size(),
                String.format("%+.1f", updates.get(0).ratingDelta()));
        return "applied";
    }

    /** A value a match server wrote, fit for one log line: control characters escaped, at most 64 characters. */
    static String printable(String value) {
        String capped = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        StringBuilder out = new StringBuilder(capped.length());
        capped.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(BLOCK_MILLIS * 3L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
