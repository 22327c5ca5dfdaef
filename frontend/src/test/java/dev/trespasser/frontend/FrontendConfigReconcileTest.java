package dev.trespasser.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FRONTEND_RECONCILE_INTERVAL_MS: its documented default, an override, and a refusal by name. */
class FrontendConfigReconcileTest {

    @Test
    void reconcileIntervalDefaultsToTwoSecondsAndCanBeSet() {
        assertEquals(
                Duration.ofSeconds(2),
                FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true")).reconcileInterval());
        assertEquals(
                Duration.ofMillis(500),
                FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_RECONCILE_INTERVAL_MS", "500"))
                        .reconcileInterval());
    }

    @Test
    void aReconcileIntervalThatIsNotAPositiveNumberIsRefusedByName() {
        for (String bad : new String[] {"0", "-5", "soon"}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> FrontendConfig.fromEnv(
                            Map.of("FRONTEND_DEV_MODE", "true", "FRONTEND_RECONCILE_INTERVAL_MS", bad)));
            assertTrue(e.getMessage().contains("FRONTEND_RECONCILE_INTERVAL_MS"), bad + ": " + e.getMessage());
        }
    }
}
