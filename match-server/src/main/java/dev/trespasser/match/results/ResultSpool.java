package dev.trespasser.match.results;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.runtime.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Holds every finished round until its result is on the stream and its replay in the replay
 * store, and retries both with back-off for as long as it takes: a Redis outage delays results,
 * it does not lose them. One thread sends, oldest round first; {@link #submit} never blocks the
 * tick thread that calls it.
 *
 * <p>Bounded in memory. A replay bigger than {@code maxBytesPerReplay} is never kept (its result
 * goes without a replay reference). When the replays held exceed {@code maxReplayBytes}, the
 * oldest replays are dropped, never a result. When more than {@code maxResults} rounds are held,
 * rounds whose result is already out (only a replay left) go first, then the oldest result,
 * logged at ERROR with its JSON. The lifecycle waits for {@link #delivered()} before Ready, so a
 * spool holds one match's rounds and the count bound is a safety net, not a working limit.
 */
public final class ResultSpool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultSpool.class);
    /** A fleet of servers retrying through an outage would otherwise log every few seconds each. */
    private static final Duration RETRY_WARNING_INTERVAL = Duration.ofSeconds(30);

    /** @param maxResults rounds held; @param maxReplayBytes replay bytes held; @param maxBytesPerReplay the largest replay kept */
    public record Limits(int maxResults, long maxReplayBytes, long maxBytesPerReplay) {
        public Limits {
            if (maxResults <= 0 || maxReplayBytes <= 0 || maxBytesPerReplay <= 0) {
                throw new IllegalArgumentException("spool limits must be positive");
            }
            if (maxBytesPerReplay > maxReplayBytes) {
                throw new IllegalArgumentException("a replay of " + maxBytesPerReplay
                        + " bytes could never be held in a spool of " + maxReplayBytes + " bytes");
            }
        }
    }

    /** A round still (partly) to be sent. Fields guarded by the spool. */
    private static final class Round {
        MatchResult result;
        byte[] replay;
        boolean resultPublished;

        Round(MatchResult result, byte[] replay) {
            this.result = result;
            this.replay = replay;
        }

        String name() {
            return "match " + result.getMatchId() + " round " + result.getRound();
        }
    }

    private final ResultPublisher publisher;
    private final Limits limits;
    private final Backoff backoff;
    private final MatchServerMetrics metrics;
    private final Thread sender;

    // Guarded by this.
    private final LinkedList<Round> rounds = new LinkedList<>();
    private long replayBytes;
    private int unpublished;
    private CompletableFuture<Void> allPublished = CompletableFuture.completedFuture(null);
    private boolean closed;
    private long lastRetryWarning;

    public ResultSpool(
            ResultPublisher publisher,
            Limits limits,
            Duration retryBase,
            Duration retryMax,
            MatchServerMetrics metrics) {
        this.publisher = publisher;
        this.limits = limits;
        this.backoff = new Backoff(retryBase, retryMax, Clock.systemUTC());
        this.metrics = metrics;
        this.sender = new Thread(this::send, "results");
        sender.setDaemon(true);
        sender.start();
    }

    /** Takes a finished round (result with game_server set, replay bytes as opaque). */
    public void submit(MatchResult result, byte[] replay) {
        String replayKey = ResultPublisher.replayKey(result.getMatchId(), result.getRound());
        Round round;
        if (replay.length > limits.maxBytesPerReplay()) {
            log.warn(
                    "replay of match {} round {} is {} bytes, over MATCH_REPLAY_MAX_BYTES={}; publishing the result without it",
                    result.getMatchId(),
                    result.getRound(),
                    replay.length,
                    limits.maxBytesPerReplay());
            metrics.replaySkipped("too_large");
            round = new Round(result.toBuilder().clearReplayRef().build(), null);
        } else {
            round = new Round(
                    result.toBuilder().setReplayRef("redis:" + replayKey).build(), replay);
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("result spool closed; " + round.name() + " not taken");
            }
            rounds.addLast(round);
            unpublished++;
            if (allPublished.isDone()) {
                allPublished = new CompletableFuture<>();
            }
            if (round.replay != null) {
                replayBytes += round.replay.length;
            }
            enforceLimits();
            gauges();
            notifyAll();
        }
    }

    /** Completes once every result submitted so far is on the stream (or given up at shutdown). */
    public synchronized CompletableFuture<Void> delivered() {
        return allPublished;
    }

    /** Rounds whose result is not on the stream yet, as "match &lt;id&gt; round &lt;n&gt;". */
    public synchronized List<String> undelivered() {
        List<String> names = new ArrayList<>();
        for (Round round : rounds) {
            if (!round.resultPublished) {
                names.add(round.name());
            }
        }
        return names;
    }

    /**
     * Shutdown with the spool not empty: logs at ERROR what will never arrive (each result with its
     * JSON, so an operator can still append it by hand), counts it, and empties the spool.
     *
     * @return the rounds whose result was given up, as "match &lt;id&gt; round &lt;n&gt;"
     */
    public synchronized List<String> giveUp() {
        List<String> lost = new ArrayList<>();
        for (Round round : rounds) {
            if (!round.resultPublished) {
                log.error(
                        "result of {} NOT DELIVERED (Redis unreachable until shutdown): {}",
                        round.name(),
                        ResultPublisher.toJson(round.result));
                metrics.resultUndelivered("shutdown");
                lost.add(round.name());
            }
            if (round.replay != null) {
                log.error("replay of {} NOT STORED ({} bytes) before shutdown", round.name(), round.replay.length);
                metrics.replaySkipped("shutdown");
                round.replay = null;
            }
        }
        rounds.clear();
        replayBytes = 0;
        unpublished = 0;
        allPublished.complete(null);
        gauges();
        return lost;
    }

    /** Oldest replay bytes go first; a result goes only when the count bound leaves no choice. */
    private void enforceLimits() {
        for (Iterator<Round> it = rounds.iterator(); it.hasNext() && replayBytes > limits.maxReplayBytes(); ) {
            Round round = it.next();
            if (round.replay == null) {
                continue;
            }
            log.warn(
                    "result spool over MATCH_RESULT_SPOOL_MAX_BYTES={}: dropping the replay of {} ({} bytes)",
                    limits.maxReplayBytes(),
                    round.name(),
                    round.replay.length);
            metrics.replaySkipped("spool_full");
            replayBytes -= round.replay.length;
            round.replay = null;
            if (!round.resultPublished) {
                round.result = round.result.toBuilder().clearReplayRef().build();
            }
        }
        for (Iterator<Round> it = rounds.iterator(); it.hasNext() && rounds.size() > limits.maxResults(); ) {
            Round round = it.next();
            if (round.resultPublished) {
                dropReplayOnly(round, it);
            }
        }
        while (rounds.size() > limits.maxResults()) {
            Round oldest = rounds.removeFirst();
            log.error(
                    "result spool over MATCH_RESULT_SPOOL_MAX_RESULTS={}: result of {} DROPPED: {}",
                    limits.maxResults(),
                    oldest.name(),
                    ResultPublisher.toJson(oldest.result));
            metrics.resultUndelivered("spool_full");
            if (oldest.replay != null) {
                replayBytes -= oldest.replay.length;
                oldest.replay = null;
                metrics.replaySkipped("spool_full");
            }
            resultDone();
        }
    }

    private void dropReplayOnly(Round round, Iterator<Round> it) {
        log.warn(
                "result spool over MATCH_RESULT_SPOOL_MAX_RESULTS={}: dropping the replay of {}",
                limits.maxResults(),
                round.name());
        metrics.replaySkipped("spool_full");
        replayBytes -= round.replay.length;
        round.replay = null;
        it.remove();
    }

    private void resultDone() {
        unpublished--;
        if (unpublished == 0) {
            allPublished.complete(null);
        }
    }

    private void gauges() {
        metrics.resultSpool(rounds.size(), replayBytes);
    }

    // ---- the sender thread ----------------------------------------------------------------------

    private void send() {
        while (true) {
            List<Round> pass;
            synchronized (this) {
                while (rounds.isEmpty() && !closed) {
                    waitQuietly(0);
                }
                if (closed) {
                    return;
                }
                pass = new ArrayList<>(rounds);
            }
            JedisException failure = sendPass(pass);
            if (failure == null) {
                backoff.succeeded();
                continue;
            }
            Duration pause = backoff.failed();
            metrics.resultPublishFailed();
            synchronized (this) {
                long now = System.nanoTime();
                if (backoff.failures() == 1 || now - lastRetryWarning >= RETRY_WARNING_INTERVAL.toNanos()) {
                    lastRetryWarning = now;
                    log.warn(
                            "Redis unavailable ({}); {} round(s) held, {} result(s) unpublished ({}); retry {} in {} ms",
                            failure.getMessage(),
                            rounds.size(),
                            unpublished,
                            String.join(", ", undelivered()),
                            backoff.failures(),
                            pause.toMillis());
                }
                long until = System.nanoTime() + pause.toNanos();
                for (long left = pause.toMillis();
                        left > 0 && !closed;
                        left = (until - System.nanoTime()) / 1_000_000) {
                    waitQuietly(left);
                }
            }
        }
    }

    /** One attempt at everything held: replays first (a result names its replay), then results. */
    private JedisException sendPass(List<Round> pass) {
        JedisException failure = null;
        boolean replayStoreDown = false;
        boolean resultStoreDown = false;
        for (Round round : pass) {
            byte[] replay;
            MatchResult result;
            boolean published;
            synchronized (this) {
                replay = round.replay;
                result = round.result;
                published = round.resultPublished;
            }
            if (replay != null && !replayStoreDown) {
                try {
                    publisher.storeReplay(result.getMatchId(), result.getRound(), replay);
                    synchronized (this) {
                        if (round.replay == replay) {
                            round.replay = null;
                            replayBytes -= replay.length;
                        }
                    }
                } catch (JedisException e) {
                    // The replay store may be a different Redis: its outage must not hold back results.
                    replayStoreDown = true;
                    failure = e;
                }
            }
            if (!published && !resultStoreDown) {
                try {
                    String id = publisher.publish(result);
                    log.info(
                            "published result of {} ({}) as {}{}",
                            round.name(),
                            result.getOutcome(),
                            id,
                            backoff.failures() > 0 ? " after " + backoff.failures() + " failed attempts" : "");
                    metrics.resultPublished();
                    synchronized (this) {
                        round.resultPublished = true;
                        if (rounds.contains(round)) {
                            resultDone();
                        }
                    }
                } catch (JedisException e) {
                    resultStoreDown = true;
                    failure = e;
                }
            }
            synchronized (this) {
                if (round.resultPublished && round.replay == null) {
                    rounds.remove(round);
                }
                gauges();
            }
        }
        return failure;
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops the sender; whatever is still held is given up loudly (call after draining). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!rounds.isEmpty()) {
                giveUp();
            }
            closed = true;
            notifyAll();
        }
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
