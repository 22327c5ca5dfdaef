package dev.trespasser.frontend.queue;

import static dev.trespasser.frontend.GrpcAssertions.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.QueueStack;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.frontend.v1.CancelMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsRequest;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsResponse;
import dev.trespasser.proto.frontend.v1.QueueMode;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GetQueueOptions over real gRPC, against a real Redis and om-core: it lists exactly what FindMatch
 * accepts on this deployment, answers without a token, and is limited per client address.
 */
class QueueOptionsTest {

    private static final List<String> REGIONS = List.of("us-east", "eu", "ap-south-1");

    @RegisterExtension
    static final QueueStack stack =
            QueueStack.perClass(Map.of(), Map.of("FRONTEND_REGIONS", String.join(",", REGIONS)));

    private static GetQueueOptionsResponse options() {
        return stack.frontend().anonymous().getQueueOptions(GetQueueOptionsRequest.getDefaultInstance());
    }

    @Test
    void listsTheConfiguredRegionsInOrderAndEveryModeWithItsTeamSize() {
        GetQueueOptionsResponse options = options();

        assertEquals(REGIONS, options.getRegionsList());
        assertEquals(
                List.of(
                        mode(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_4V4, "4v4", 4),
                        mode(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_2V2, "2v2", 2),
                        mode(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_1V1, "1v1", 1)),
                options.getModesList());
        // The first is what FindMatch makes of an unspecified mode.
        assertEquals(GameMode.DEFAULT.wire(), options.getModes(0).getMode());
        assertEquals(GameMode.values().length, options.getModesCount());
    }

    @Test
    void findMatchAcceptsEveryOfferedChoiceAndRefusesARegionNotOffered() {
        GetQueueOptionsResponse options = options();
        for (String region : options.getRegionsList()) {
            for (QueueMode mode : options.getModesList()) {
                Session player = stack.frontend().guest();
                var queued = stack.frontend()
                        .as(player)
                        .findMatch(FindMatchRequest.newBuilder()
                                .setMode(mode.getMode())
                                .setRegion(region)
                                .build());
                assertFalse(queued.getAlreadyQueued(), region + " " + mode.getLabel());
                stack.frontend().as(player).cancelMatch(CancelMatchRequest.getDefaultInstance());
            }
        }

        Session player = stack.frontend().guest();
        StatusRuntimeException refused = assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> stack.frontend()
                        .as(player)
                        .findMatch(FindMatchRequest.newBuilder()
                                .setRegion("eu-west")
                                .build()));
        assertTrue(
                refused.getStatus().getDescription().contains(REGIONS.toString()),
                refused.getStatus().getDescription());
    }

    @Test
    void answersWithAnyOrNoTokenAndCountsAgainstTheAddressLimit() throws Exception {
        Session guest = stack.frontend().guest();
        assertEquals(
                REGIONS,
                stack.frontend()
                        .as(guest)
                        .getQueueOptions(GetQueueOptionsRequest.getDefaultInstance())
                        .getRegionsList());
        // A stale or forged token does not matter to a public call (the page may hold an expired one).
        assertEquals(
                REGIONS,
                stack.frontend()
                        .withToken("expired-or-garbage")
                        .getQueueOptions(GetQueueOptionsRequest.getDefaultInstance())
                        .getRegionsList());

        try (FrontendHarness limited = FrontendHarness.start(
                stack.redis(),
                stack.omCore().grpcTarget(),
                Map.of(
                        "FRONTEND_REGIONS", "eu",
                        "FRONTEND_ANONYMOUS_CALLS_PER_MINUTE", "5",
                        "FRONTEND_UNAUTHENTICATED_CALLS_PER_MINUTE", "1"))) {
            // Public calls are not protected ones: a bad token does not draw on the budget of calls
            // without a valid token (1 here), only on the address's (5).
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        List.of("eu"),
                        limited.withToken("garbage")
                                .getQueueOptions(GetQueueOptionsRequest.getDefaultInstance())
                                .getRegionsList());
            }
            // 20 at once, so they meet what is left of the 5-per-minute budget however slow this
            // machine is.
            List<ListenableFuture<GetQueueOptionsResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(limited.futureAnonymous().getQueueOptions(GetQueueOptionsRequest.getDefaultInstance()));
            }
            int answered = 0;
            int refused = 0;
            for (ListenableFuture<GetQueueOptionsResponse> call : calls) {
                try {
                    assertEquals(List.of("eu"), call.get().getRegionsList());
                    answered++;
                } catch (ExecutionException e) {
                    Status status = Status.fromThrowable(e.getCause());
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());
                    refused++;
                }
            }
            assertTrue(answered >= 1, "answered none of what was left of the budget");
            assertTrue(refused >= 15, "refused only " + refused + " of 20");
        }
    }

    private static QueueMode mode(dev.trespasser.proto.frontend.v1.GameMode wire, String label, int teamSize) {
        return QueueMode.newBuilder()
                .setMode(wire)
                .setLabel(label)
                .setTeamSize(teamSize)
                .build();
    }
}
