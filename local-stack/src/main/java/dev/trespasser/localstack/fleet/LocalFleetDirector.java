package dev.trespasser.localstack.fleet;

import dev.trespasser.director.DirectorServer;
import dev.trespasser.localstack.fleet.LocalFleetAllocator.LocalGameServer;
import java.util.List;
import java.util.Map;

/**
 * The director process as the local stack runs it: the production director ({@link
 * DirectorServer#run}), configured by the same variables, placing matches on the local fleet
 * through {@link LocalFleetAllocator} instead of through Agones. This main class, the allocator
 * and SnakeYAML live here, so none of them ships in the director's jar.
 */
public final class LocalFleetDirector {

    /** {@code FILE:SDK_PORT:HOST:PORT,...}: each slot's GameServer file, SDK server and player port. */
    public static final String FLEET_VARIABLE = LocalFleetSettings.FLEET_VARIABLE;

    private LocalFleetDirector() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        DirectorServer.run(env, config -> LocalFleetAllocator.connect(servers(env)));
    }

    static List<LocalGameServer> servers(Map<String, String> env) {
        return LocalFleetSettings.fromEnv(env).servers();
    }
}
