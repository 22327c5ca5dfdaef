package dev.trespasser.director;

import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.ActivateTicketsResponse;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MmfRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-process stand-in for om-core's OpenMatchService, for unit tests of the director's logic:
 * each Invoke streams the next scripted batch of matches; ActivateTickets calls are recorded. The
 * real om-core is exercised by DirectorOpenMatchContractTest.
 */
final class FakeOpenMatch extends OpenMatchServiceGrpc.OpenMatchServiceImplBase implements AutoCloseable {

    private final ConcurrentLinkedQueue<List<Match>> invocations = new ConcurrentLinkedQueue<>();
    final List<MmfRequest> invokeRequests = new CopyOnWriteArrayList<>();
    final List<List<String>> activateCalls = new CopyOnWriteArrayList<>();
    private final Server server;
    private final ManagedChannel channel;
    private volatile Status invokeFailure;
    private volatile Status breakAfterNext;
    private volatile CountDownLatch holdAfterNext;
    private volatile boolean holdReleased;

    FakeOpenMatch() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(this)
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    OpenMatchServiceGrpc.OpenMatchServiceBlockingStub stub() {
        return OpenMatchServiceGrpc.newBlockingStub(channel);
    }

    /** The matches the next Invoke streams back. */
    void nextInvocationReturns(Match... matches) {
        invocations.add(List.of(matches));
    }

    /** The next Invoke streams these matches, then breaks with {@code status}. */
    void nextInvocationReturnsThenFails(Status status, Match... matches) {
        breakAfterNext = status;
        invocations.add(List.of(matches));
    }

    /**
     * The next Invoke streams these matches, then keeps the stream open until {@code release}
     * opens (at most 10 s), as om-core does while the MMF is still sending or completing.
     */
    void nextInvocationReturnsThenHolds(CountDownLatch release, Match... matches) {
        holdAfterNext = release;
        invocations.add(List.of(matches));
    }

    /** Whether the last held stream was released by the test rather than by the 10 s limit. */
    boolean holdReleased() {
        return holdReleased;
    }

    void failInvocationsWith(Status status) {
        invokeFailure = status;
    }

    List<String> activatedIds() {
        List<String> ids = new ArrayList<>();
        activateCalls.forEach(ids::addAll);
        return ids;
    }

    @Override
    public void invokeMatchmakingFunctions(MmfRequest request, StreamObserver<StreamedMmfResponse> responses) {
        invokeRequests.add(request);
        if (invokeFailure != null) {
            responses.onError(invokeFailure.asRuntimeException());
            return;
        }
        List<Match> matches = invocations.poll();
        if (matches != null) {
            for (Match match : matches) {
                responses.onNext(
                        StreamedMmfResponse.newBuilder().setMatch(match).build());
            }
        }
        CountDownLatch hold = holdAfterNext;
        if (hold != null) {
            holdAfterNext = null;
            // Held on another thread: the in-process transport delivers the matches only once
            // this handler has returned.
            Thread holder = new Thread(
                    () -> {
                        try {
                            holdReleased = hold.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        responses.onCompleted();
                    },
                    "fake-om-core-hold");
            holder.start();
            return;
        }
        Status broken = breakAfterNext;
        if (broken != null) {
            breakAfterNext = null;
            responses.onError(broken.asRuntimeException());
            return;
        }
        responses.onCompleted();
    }

    @Override
    public void activateTickets(ActivateTicketsRequest request, StreamObserver<ActivateTicketsResponse> responses) {
        activateCalls.add(List.copyOf(request.getTicketIdsList()));
        responses.onNext(ActivateTicketsResponse.getDefaultInstance());
        responses.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
