package dev.trespasser.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.trespasser.frontend.metrics.FrontendMetrics;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool's bound, as logic: the hasher is a Mockito stand-in, so only the accounting is under test. */
class PasswordHashingTest {

    private final FrontendMetrics metrics = new FrontendMetrics(new PrometheusRegistry());

    @Test
    void aCallersNextCallIsNeverRefusedBecauseOfItsOwnFinishedHash() {
        PasswordHasher hasher = mock(PasswordHasher.class);
        when(hasher.hash(any())).thenReturn("$argon2id$stand-in");
        try (PasswordHashing hashing = new PasswordHashing(hasher, 1, 0, metrics)) {
            // One caller, one call at a time, no queue: every call must find the one thread free.
            for (int i = 0; i < 20_000; i++) {
                assertEquals("$argon2id$stand-in", hashing.hash("pw".toCharArray()), "call " + i);
            }
        }
    }

    @Test
    void beyondThreadsPlusQueueACallIsRefusedAtOnce() throws Exception {
        PasswordHasher hasher = mock(PasswordHasher.class);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        doAnswer(inv -> {
                    started.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return "$argon2id$slow";
                })
                .when(hasher)
                .hash(any());
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (PasswordHashing hashing = new PasswordHashing(hasher, 1, 1, metrics)) {
            Future<String> running = callers.submit(() -> hashing.hash("a".toCharArray()));
            started.await(10, TimeUnit.SECONDS);
            Future<String> queued = callers.submit(() -> hashing.hash("b".toCharArray()));
            while (hashing.queued() < 1) {
                Thread.onSpinWait();
            }
            StatusRuntimeException refused =
                    assertThrows(StatusRuntimeException.class, () -> hashing.hash("c".toCharArray()));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
            release.countDown();
            assertEquals("$argon2id$slow", running.get(10, TimeUnit.SECONDS));
            assertEquals("$argon2id$slow", queued.get(10, TimeUnit.SECONDS));
            assertEquals("$argon2id$slow", hashing.hash("d".toCharArray()), "permits come back after the flood");
        } finally {
            callers.shutdownNow();
        }
    }
}
