package dev.trespasser.director.allocation;

/** What became of one allocation request. */
public sealed interface AllocationResult {

    /** A server is now Allocated to the match; players connect to {@code host:port}. */
    record Allocated(String gameServerName, String host, int port) implements AllocationResult {}

    /** No Ready server matched the selectors (Agones: status.state UnAllocated). */
    record NoCapacity(String detail) implements AllocationResult {}

    /** The allocator kept losing races for the same servers (Agones: Contention) and gave up. */
    record Contention(String detail) implements AllocationResult {}

    /** The request itself failed: API error, unreachable fleet, malformed reply. */
    record Failure(String detail) implements AllocationResult {}
}
