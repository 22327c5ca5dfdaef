package dev.trespasser.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.QueueStatus;
import dev.trespasser.proto.frontend.v1.WatchAssignmentRequest;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** One client's WatchAssignment call, as a player's game client sees it: every message, then how it ended. */
public final class AssignmentStream implements StreamObserver<WatchAssignmentResponse> {

    public final List<WatchAssignmentResponse> messages = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Status> end = new CompletableFuture<>();

    /** Opens WatchAssignment on {@code client} (already carrying the player's token). */
    public static AssignmentStream open(FrontendServiceGrpc.FrontendServiceStub client) {
        AssignmentStream stream = new AssignmentStream();
        client.watchAssignment(WatchAssignmentRequest.getDefaultInstance(), stream);
        return stream;
    }

    @Override
    public void onNext(WatchAssignmentResponse value) {
        messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    /** The one assignment, which must also be the last message. */
    public Assignment assignment() {
        List<WatchAssignmentResponse> assignments =
                messages.stream().filter(WatchAssignmentResponse::hasAssignment).toList();
        assertEquals(1, assignments.size(), "exactly one assignment: " + messages);
        assertTrue(messages.get(messages.size() - 1).hasAssignment(), "the assignment is the last message");
        return assignments.get(0).getAssignment();
    }

    /** The latest QueueStatus received, if any. */
    public Optional<QueueStatus> lastStatus() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).hasQueued()) {
                return Optional.of(messages.get(i).getQueued());
            }
        }
        return Optional.empty();
    }

    public void awaitMessages(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (messages.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(messages.size() >= count, "expected " + count + " messages, got " + messages);
    }
}
