package dev.trespasser.director.allocation;

import dev.trespasser.proto.allocation.v1.MatchAllocation;

/**
 * Finds a Ready game server for one match and marks it Allocated with the match's metadata
 * ({@link AllocationMetadata}). Two implementations: {@link AgonesAllocator} in a cluster, and
 * local-stack's {@code LocalFleetAllocator}, which that module's own main class passes to
 * {@code DirectorServer.run}; the director's jar carries no local-fleet code. Implementations are
 * thread-safe.
 */
public interface GameServerAllocator extends AutoCloseable {

    /**
     * Allocates a server for {@code match}. Never throws for an answer from the fleet: "no Ready
     * server" and "API error" are results, so the caller can hand the tickets back.
     */
    AllocationResult allocate(MatchAllocation match) throws InterruptedException;

    @Override
    default void close() {}
}
