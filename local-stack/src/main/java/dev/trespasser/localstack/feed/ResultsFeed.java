package dev.trespasser.localstack.feed;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.results.v1.MatchResult;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Follows the match results stream ({@code trespasser:match-results}, written by the match
 * servers) from its start and hands every result to a consumer, in stream order. Read-only: the
 * frontend's consumer group is untouched.
 */
public final class ResultsFeed implements AutoCloseable {
    /** The match servers' own name for the stream, so the two cannot drift apart. */
    private static final String STREAM = RedisNames.MATCH_RESULTS_STREAM;

    private static final Logger log = LoggerFactory.getLogger(ResultsFeed.class);

    private final JedisPooled redis;
    private final Consumer<MatchResult> consumer;
    private final List<MatchResult> seen = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    public ResultsFeed(String redisUrl, Consumer<MatchResult> consumer) {
        this.redis = new JedisPooled(URI.create(redisUrl));
        this.consumer = consumer;
        this.reader = new Thread(this::read, "results-feed");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Every result read so far. */
    public List<MatchResult> results() {
        return List.copyOf(seen);
    }

    private void read() {
        StreamEntryID after = new StreamEntryID(0, 0);
        while (!closed) {
            try {
                List<Map.Entry<String, List<StreamEntry>>> batch =
                        redis.xread(XReadParams.xReadParams().block(1000).count(100), Map.of(STREAM, after));
                if (batch == null) {
                    continue;
                }
                for (Map.Entry<String, List<StreamEntry>> stream : batch) {
                    for (StreamEntry entry : stream.getValue()) {
                        after = entry.getID();
                        parse(entry).ifPresent(result -> {
                            seen.add(result);
                            consumer.accept(result);
                        });
                    }
                }
            } catch (JedisException e) {
                if (!closed) {
                    log.warn("reading {} failed ({}); retrying", STREAM, e.getMessage());
                    sleep();
                }
            }
        }
    }

    static java.util.Optional<MatchResult> parse(StreamEntry entry) {
        String json = entry.getFields().get("result");
        if (json == null) {
            log.warn("result entry {} has no result field", entry.getID());
            return java.util.Optional.empty();
        }
        try {
            MatchResult.Builder result = MatchResult.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(json, result);
            return java.util.Optional.of(result.build());
        } catch (InvalidProtocolBufferException e) {
            log.warn("result entry {} is not a MatchResult: {}", entry.getID(), e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            reader.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
    }
}
