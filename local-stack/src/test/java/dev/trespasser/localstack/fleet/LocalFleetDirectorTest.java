package dev.trespasser.localstack.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.localstack.fleet.LocalFleetAllocator.LocalGameServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalFleetDirectorTest {

    @Test
    void theLocalDirectorNeedsItsFleet() {
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> LocalFleetDirector.servers(Map.of()));
        assertTrue(missing.getMessage().contains(LocalFleetDirector.FLEET_VARIABLE), missing.getMessage());

        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> LocalFleetDirector.servers(Map.of(LocalFleetDirector.FLEET_VARIABLE, "/tmp/gs-0.yaml:7777")));
        assertTrue(bad.getMessage().contains(LocalFleetDirector.FLEET_VARIABLE), bad.getMessage());

        assertEquals(
                List.of(new LocalGameServer(Path.of("/tmp/gs-0.yaml"), 9357, "127.0.0.1", 7777)),
                LocalFleetDirector.servers(
                        Map.of(LocalFleetDirector.FLEET_VARIABLE, "/tmp/gs-0.yaml:9357:127.0.0.1:7777")));
    }
}
