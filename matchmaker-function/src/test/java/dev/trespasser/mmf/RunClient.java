package dev.trespasser.mmf;

import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls Run the way om-core does: sends the chunks and never half-closes, then reads matches
 * until the function completes or fails.
 */
final class RunClient {

    /** What came back: the matches, and OK or the error status. */
    record Outcome(List<Match> matches, Status status) {}

    private final Channel channel;

    RunClient(Channel channel) {
        this.channel = channel;
    }

    Outcome run(List<ChunkedMmfRunRequest> chunks) throws Exception {
        return run(chunks, false);
    }

    Outcome run(List<ChunkedMmfRunRequest> chunks, boolean halfClose) throws Exception {
        List<Match> matches = new ArrayList<>();
        CompletableFuture<Status> done = new CompletableFuture<>();
        StreamObserver<ChunkedMmfRunRequest> requests = MatchMakingFunctionServiceGrpc.newStub(channel)
                .run(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamedMmfResponse response) {
                        synchronized (matches) {
                            matches.add(response.getMatch());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(Status.OK);
                    }
                });
        for (ChunkedMmfRunRequest chunk : chunks) {
            requests.onNext(chunk);
        }
        if (halfClose) {
            requests.onCompleted();
        }
        Status status = done.get(30, TimeUnit.SECONDS);
        synchronized (matches) {
            return new Outcome(List.copyOf(matches), status);
        }
    }
}
