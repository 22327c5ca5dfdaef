package dev.trespasser.match.net;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdgeLimitsTest {

    @Test
    void connectionCapsDefaultTo4PerAddressAnd64InAll() {
        EdgeLimits limits = EdgeLimits.fromEnv(Map.of());
        assertEquals(4, limits.connectionsPerAddress());
        assertEquals(64, limits.connectionsTotal());
    }

    @Test
    void connectionCapsComeFromTheEnvironment() {
        EdgeLimits limits = EdgeLimits.fromEnv(Map.of("MATCH_CONNECTIONS_PER_ADDRESS", "8", "MATCH_CONNECTIONS_MAX", "200"));
        assertEquals(8, limits.connectionsPerAddress());
        assertEquals(200, limits.connectionsTotal());
    }

    @Test
    void aBadCapNamesItsVariable() {
        for (Map.Entry<String, String> bad : Map.of("MATCH_CONNECTIONS_PER_ADDRESS", "0",
                "MATCH_CONNECTIONS_MAX", "lots").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EdgeLimits.fromEnv(Map.of(bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }
}
