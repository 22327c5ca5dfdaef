package dev.trespasser.frontend;

import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the queue tests run against: a real Redis, a real om-core, a pool probe (an MMF that
 * records the tickets it is offered) and the frontend under test, stopped in reverse order.
 * Started at once ({@link #start}), or once per test class as a static
 * {@code @RegisterExtension} field ({@link #perClass}).
 */
public final class QueueStack implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> omCoreSettings;
    private final Map<String, String> frontendSettings;
    private RedisServer redis;
    private OmCore omCore;
    private PoolProbe probe;
    private FrontendHarness frontend;

    private QueueStack(Map<String, String> omCoreSettings, Map<String, String> frontendSettings) {
        this.omCoreSettings = Map.copyOf(omCoreSettings);
        this.frontendSettings = Map.copyOf(frontendSettings);
    }

    public static QueueStack start(Map<String, String> omCoreSettings, Map<String, String> frontendSettings) {
        QueueStack stack = new QueueStack(omCoreSettings, frontendSettings);
        stack.startAll();
        return stack;
    }

    /** A stack started before the class's first test and stopped after its last. */
    public static QueueStack perClass(Map<String, String> omCoreSettings, Map<String, String> frontendSettings) {
        return new QueueStack(omCoreSettings, frontendSettings);
    }

    private void startAll() {
        try {
            redis = RedisServer.startWithUsers(FrontendHarness.PEER_LOGS, RedisServer.RESULTS_USERS);
            omCore = OmCore.start(FrontendHarness.PEER_LOGS, omCoreSettings);
            probe = new PoolProbe(omCore);
            frontend = FrontendHarness.start(redis, omCore.grpcTarget(), frontendSettings);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
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
