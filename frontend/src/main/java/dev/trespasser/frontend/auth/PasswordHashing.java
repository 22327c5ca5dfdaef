package dev.trespasser.frontend.auth;

import dev.trespasser.frontend.metrics.FrontendMetrics;
import io.grpc.Context;
import io.grpc.Status;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every password hash on its own small pool with a bounded queue. A hash costs tens of
 * milliseconds of a core and 19 MiB; without a bound a login flood takes every core and the
 * heap. Beyond {@code threads + queueLimit} hashes in flight a call is refused at once with
 * RESOURCE_EXHAUSTED, so the flood costs nothing more and the other calls keep their cores.
 */
public final class PasswordHashing implements AutoCloseable {

    private final PasswordHasher hasher;
    private final ThreadPoolExecutor pool;
    /**
     * Hashes in flight, running or queued. The bound is a semaphore, not the executor's queue: a
     * worker gives its permit back before its caller sees the result, so a caller's next call never
     * finds the pool "full" of its own finished hash (a SynchronousQueue refuses until the worker
     * is back polling it).
     */
    private final Semaphore inFlight;

    private final FrontendMetrics metrics;

    public PasswordHashing(PasswordHasher hasher, int threads, int queueLimit, FrontendMetrics metrics) {
        if (threads < 1 || queueLimit < 0) {
            throw new IllegalArgumentException("at least one hashing thread and a queue limit >= 0");
        }
        this.hasher = hasher;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.inFlight = new Semaphore(threads + queueLimit);
        this.pool = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "password-hashing-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    public String hash(char[] password) {
        return run(() -> hasher.hash(password));
    }

    public PasswordHasher.Verification verify(char[] password, String record) {
        return run(() -> hasher.verify(password, record));
    }

    public void verifyDecoy(char[] password) {
        run(() -> {
            hasher.verifyDecoy(password);
            return null;
        });
    }

    /** Hashes waiting for a thread (for tests and metrics). */
    public int queued() {
        return pool.getQueue().size();
    }

    private <T> T run(Callable<T> work) {
        Context caller = Context.current();
        if (!inFlight.tryAcquire()) {
            metrics.passwordHash("refused");
            throw Status.RESOURCE_EXHAUSTED
                    .withDescription("too many password checks in progress; retry in a few seconds")
                    .asRuntimeException();
        }
        AtomicBoolean permitReturned = new AtomicBoolean();
        Runnable returnPermit = () -> {
            if (permitReturned.compareAndSet(false, true)) {
                inFlight.release();
            }
        };
        Future<T> future;
        try {
            future = pool.submit(() -> {
                try {
                    // A caller that gave up while queued (deadline, disconnect) costs no hash.
                    if (caller.isCancelled()) {
                        throw new CancellationException("caller gone");
                    }
                    T result = work.call();
                    metrics.passwordHash("done");
                    return result;
                } finally {
                    returnPermit.run();
                }
            });
        } catch (RejectedExecutionException e) {
            returnPermit.run();
            metrics.passwordHash("refused");
            throw Status.UNAVAILABLE.withDescription("shutting down").asRuntimeException();
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            returnPermit.run();
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CancellationException) {
                throw Status.CANCELLED
                        .withDescription("call cancelled while waiting for a password check")
                        .asRuntimeException();
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            throw Status.CANCELLED.withDescription("call cancelled").asRuntimeException();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
