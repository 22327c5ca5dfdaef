package dev.trespasser.match.testing;

import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.peers.doubles.AgonesSdkDouble;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link MatchServerChild} serves a match with: the Agones sidecar double, a real Redis,
 * free match and admin ports, and the environment that points the server at them.
 */
public final class MatchServerPeers implements AutoCloseable {

    public final AgonesSdkDouble sidecar;
    public final RedisServer redis;
    public final int matchPort = FreePort.pick();
    public final int adminPort = FreePort.pick();

    private MatchServerPeers(AgonesSdkDouble sidecar, RedisServer redis) {
        this.sidecar = sidecar;
        this.redis = redis;
    }

    /** Starts the sidecar double and a Redis logging under {@code dir}. */
    public static MatchServerPeers start(Path dir) throws Exception {
        AgonesSdkDouble sidecar = new AgonesSdkDouble().start();
        try {
            return new MatchServerPeers(sidecar, RedisServer.start(dir));
        } catch (RuntimeException e) {
            sidecar.close();
            throw e;
        }
    }

    /** The server's environment for these peers and this join-token key; the test adds its own. */
    public Map<String, String> env(TestKeys keys) {
        Map<String, String> env = new HashMap<>();
        env.put("AGONES_SDK_HTTP_PORT", "" + sidecar.httpPort());
        env.put("MATCH_PORT", "" + matchPort);
        env.put("MATCH_ADMIN_PORT", "" + adminPort);
        env.put("JOIN_TOKEN_PUBLIC_KEY", keys.publicKeyPem());
        env.put("REDIS_URL", redis.url());
        env.put("HOSTNAME", "gs-test");
        return env;
    }

    @Override
    public void close() throws Exception {
        redis.close();
        sidecar.close();
    }
}
