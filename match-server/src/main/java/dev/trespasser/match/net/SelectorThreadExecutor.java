package dev.trespasser.match.net;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the TLS engine's delegated tasks (key exchange, signing: about a millisecond per handshake)
 * right where the library submits them, on the selector thread. The library's default is a thread
 * of its own that nothing wakes the selector after: a handshake whose task finished there would wait
 * for the client's next bytes. A match server has a handful of handshakes per match, so inline is
 * both lighter (no thread) and never stalls.
 */
final class SelectorThreadExecutor extends AbstractExecutorService {

    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
