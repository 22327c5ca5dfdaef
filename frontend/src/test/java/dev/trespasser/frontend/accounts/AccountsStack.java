package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.Session;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the account API tests run against, once per test class (a static
 * {@code @RegisterExtension} field): a real Redis and a frontend on it. Account calls never reach
 * om-core: its target is a closed port, which proves it.
 */
final class AccountsStack implements BeforeAllCallback, AfterAllCallback {

    private RedisServer redis;
    private FrontendHarness frontend;

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = RedisServer.startWithUsers(FrontendHarness.PEER_LOGS, RedisServer.RESULTS_USERS);
        frontend = frontendWith(Map.of());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (frontend != null) {
            frontend.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    FrontendHarness frontend() {
        return frontend;
    }

    /** Another frontend on the same Redis with these settings; the caller closes it. */
    FrontendHarness frontendWith(Map<String, String> overrides) {
        return FrontendHarness.start(redis, "127.0.0.1:" + FreePort.pick(), overrides);
    }

    Session register(String username, String password) {
        return frontend.anonymous()
                .register(RegisterRequest.newBuilder()
                        .setUsername(username)
                        .setPassword(password)
                        .build())
                .getSession();
    }

    static String uniqueName() {
        return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }
}
