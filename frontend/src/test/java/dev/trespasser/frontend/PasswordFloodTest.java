package dev.trespasser.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchResponse;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.LoginResponse;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A login flood meets the bounded hashing pool: what does not fit in the pool and its queue is
 * refused at once, and a logged-in player's FindMatch (real Redis, real om-core) still works.
 */
class PasswordFloodTest {

    private static final int FLOOD = 50;

    @Test
    void loginFloodBeyondTheQueueIsRefusedAtOnceAndFindMatchStillWorks() throws Exception {
        // One hashing thread, two queued; the costliest hash allowed (64 MiB, 10 passes, ~0.5 s) so
        // all 50 calls arrive before the first hash ends and the flood is still in progress while
        // the player queues.
        try (QueueStack stack = QueueStack.start(Map.of(), Map.of(
                "FRONTEND_PASSWORD_HASH_THREADS", "1",
                "FRONTEND_PASSWORD_HASH_QUEUE", "2",
                "FRONTEND_ARGON2_MEMORY_KIB", "65536",
                "FRONTEND_ARGON2_ITERATIONS", "10"))) {
            FrontendHarness frontend = stack.frontend();
            Session player = frontend.registerFresh();

            List<Status.Code> answers = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(FLOOD);
            FrontendServiceGrpc.FrontendServiceStub async = FrontendServiceGrpc.newStub(frontend.channel())
                    .withDeadlineAfter(60, TimeUnit.SECONDS);
            for (int i = 0; i < FLOOD; i++) {
                async.login(LoginRequest.newBuilder().setUsername("flood" + UUID.randomUUID().toString().substring(0, 8))
                        .setPassword("guess-" + i).build(), new StreamObserver<>() {
                            @Override
                            public void onNext(LoginResponse value) {}

                            @Override
                            public void onError(Throwable t) {
                                answers.add(Status.fromThrowable(t).getCode());
                                done.countDown();
                            }

                            @Override
                            public void onCompleted() {
                                answers.add(Status.Code.OK);
                                done.countDown();
                            }
                        });
            }

            FindMatchResponse queued = frontend.as(player).findMatch(FindMatchRequest.newBuilder().setRegion("eu").build());
            assertFalse(queued.getTicketId().isEmpty());
            assertTrue(done.getCount() > 0, "the flood is still being hashed while FindMatch answers");

            assertTrue(done.await(60, TimeUnit.SECONDS), "every flooded call is answered");
            long refused = answers.stream().filter(c -> c == Status.Code.RESOURCE_EXHAUSTED).count();
            long checked = answers.stream().filter(c -> c == Status.Code.UNAUTHENTICATED).count();
            assertEquals(FLOOD, refused + checked, "only refusals and real checks: " + answers);
            assertEquals(3, checked, "the pool (1) and its queue (2) hashed, the rest was refused: " + answers);
            // Refused at once: every refusal arrived before the first hash finished.
            assertTrue(answers.lastIndexOf(Status.Code.RESOURCE_EXHAUSTED) < answers.indexOf(Status.Code.UNAUTHENTICATED),
                    "refusals do not wait for the hashes: " + answers);
        }
    }
}
