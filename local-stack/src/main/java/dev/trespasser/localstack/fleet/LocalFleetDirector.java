package dev.trespasser.localstack.fleet;

import dev.trespasser.director.DirectorServer;
import dev.trespasser.localstack.fleet.LocalFleetAllocator.LocalGameServer;
import dev.trespasser.runtime.EnvSettings;
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
    public static final String FLEET_VARIABLE = "DIRECTOR_LOCAL_FLEET";

    private LocalFleetDirector() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        DirectorServer.run(env, config -> LocalFleetAllocator.connect(servers(env)));
    }

    static List<LocalGameServer> servers(Map<String, String> env) {
        EnvSettings settings = new EnvSettings(env);
        if (settings.optional(FLEET_VARIABLE).isEmpty()) {
            throw new IllegalArgumentException(FLEET_VARIABLE + " must list the local fleet (FILE:SDK_PORT:HOST:PORT,...)");
        }
        return settings.read(FLEET_VARIABLE, List.of(), LocalGameServer::parseAll);
    }
}
