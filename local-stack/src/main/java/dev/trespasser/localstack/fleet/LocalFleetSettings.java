package dev.trespasser.localstack.fleet;

import dev.trespasser.localstack.fleet.LocalFleetAllocator.LocalGameServer;
import dev.trespasser.runtime.EnvSettings;
import java.util.List;
import java.util.Map;

/** What the local fleet director reads from its environment: the fleet's slots. */
record LocalFleetSettings(List<LocalGameServer> servers) {

    /** {@code FILE:SDK_PORT:HOST:PORT,...}: each slot's GameServer file, SDK server and player port. */
    static final String FLEET_VARIABLE = "DIRECTOR_LOCAL_FLEET";

    static LocalFleetSettings fromEnv(Map<String, String> env) {
        EnvSettings settings = new EnvSettings(env);
        if (settings.optional(FLEET_VARIABLE).isEmpty()) {
            throw new IllegalArgumentException(
                    FLEET_VARIABLE + " must list the local fleet (FILE:SDK_PORT:HOST:PORT,...)");
        }
        return new LocalFleetSettings(settings.read(FLEET_VARIABLE, List.of(), LocalGameServer::parseAll));
    }
}
