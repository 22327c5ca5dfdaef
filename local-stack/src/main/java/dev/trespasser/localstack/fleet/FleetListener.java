package dev.trespasser.localstack.fleet;

import dev.trespasser.proto.allocation.v1.MatchAllocation;

/** What the local fleet reports, as its SDK servers see it. Callbacks come from gRPC threads. */
public interface FleetListener {
    /** A slot's match server called Ready for the first time since it (re)started. */
    default void onReady(String slot, int generation) {}

    /** The director allocated a slot to a match (seen through WatchGameServer). */
    default void onAllocated(String slot, MatchAllocation match) {}

    /** A slot went from Allocated back to Ready: returned to the fleet after a match. */
    default void onReturnedToFleet(String slot, String lastMatchId) {}

    /** A slot's match server process exited (killed, crashed, or Shutdown) and is being replaced. */
    default void onReplacing(String slot, int exitCode, String lastState) {}
}
