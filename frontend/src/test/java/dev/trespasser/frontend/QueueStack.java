package dev.trespasser.frontend;

import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.RedisServer;
import java.util.Map;

/**
 * What the queue tests run against: a real Redis, a real om-core, a pool probe (an MMF that
 * records the tickets it is offered) and the frontend under test, stopped in reverse order.
 */
public final class QueueStack implements AutoCloseable {
    private RedisServer redis;
    private OmCore omCore;
    private PoolProbe probe;
    private FrontendHarness frontend;

    private QueueStack() {}

    public static QueueStack start(Map<String, String> omCoreSettings, Map<String, String> frontendSettings) {
        QueueStack stack = new QueueStack();
        try {
            stack.redis = RedisServer.start(FrontendHarness.PEER_LOGS);
            stack.omCore = OmCore.start(FrontendHarness.PEER_LOGS, omCoreSettings);
            stack.probe = new PoolProbe(stack.omCore);
            stack.frontend = FrontendHarness.start(stack.redis, stack.omCore.grpcTarget(), frontendSettings);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public RedisServer redis() {
        return redis;
    }

    public OmCore omCore() {
        return omCore;
    }

    public PoolProbe probe() {
        return probe;
    }

    public FrontendHarness frontend() {
        return frontend;
    }

    @Override
    public void close() {
        if (frontend != null) {
            frontend.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (omCore != null) {
            omCore.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
