package dev.trespasser.director;

import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.director.allocation.GameServerAllocator;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet of in-memory game servers for tests: each allocation takes a Ready server for good, and
 * no Ready server means NoCapacity, as Agones answers UnAllocated.
 */
final class InMemoryFleet implements GameServerAllocator {

    /** One allocation the fleet granted. */
    record Granted(String gameServerName, int port, MatchAllocation match) {}

    private final Deque<Integer> ready = new ArrayDeque<>();
    private int created;
    final AtomicInteger attempts = new AtomicInteger();
    final List<Granted> granted = new CopyOnWriteArrayList<>();

    synchronized void addReadyServers(int count) {
        for (int i = 0; i < count; i++) {
            ready.add(created++);
        }
    }

    @Override
    public synchronized AllocationResult allocate(MatchAllocation match) {
        attempts.incrementAndGet();
        Integer server = ready.poll();
        if (server == null) {
            return new AllocationResult.NoCapacity("in-memory fleet has no Ready server");
        }
        String name = "gs-" + server;
        granted.add(new Granted(name, 7000 + server, match));
        return new AllocationResult.Allocated(name, "127.0.0.1", 7000 + server);
    }
}
