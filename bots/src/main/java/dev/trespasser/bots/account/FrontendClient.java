package dev.trespasser.bots.account;

import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.CancelMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.GameMode;
import dev.trespasser.proto.frontend.v1.LoginGuestRequest;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.RefreshRequest;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.frontend.v1.WatchAssignmentRequest;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One bot's side of the player API: its session (refreshed before the access token expires),
 * FindMatch, WatchAssignment and CancelMatch. Calls that fail with UNAVAILABLE or
 * RESOURCE_EXHAUSTED (a frontend restarting, the anonymous-call limit a crowd of bots on one
 * address hits) are retried with back-off while {@code keepGoing} says so; other failures are
 * the caller's.
 */
public final class FrontendClient {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(20);
    /** Refresh this long before the access token expires, so no call carries a dying token. */
    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Transient failures are retried this long, then surface (a frontend that stays down is an error). */
    private static final Duration RETRY_FOR = Duration.ofSeconds(30);

    private final Channel channel;
    private final Clock clock;
    private final BooleanSupplier keepGoing;
    private volatile Session session;

    public FrontendClient(Channel channel, Clock clock, BooleanSupplier keepGoing) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.clock = clock;
        this.keepGoing = keepGoing;
    }

    public Session session() {
        return session;
    }

    public Session loginGuest() throws InterruptedException {
        session = retrying(() ->
                anonymous().loginGuest(LoginGuestRequest.getDefaultInstance()).getSession());
        return session;
    }

    /**
     * Registers {@code username}, then logs in with the password, as a player would on a new
     * device; a name taken by an earlier run (ALREADY_EXISTS) just logs in.
     */
    public Session registerAndLogin(String username, String password) throws InterruptedException {
        try {
            retrying(() -> anonymous()
                    .register(RegisterRequest.newBuilder()
                            .setUsername(username)
                            .setPassword(password)
                            .build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        }
        session = retrying(() -> anonymous()
                .login(LoginRequest.newBuilder()
                        .setUsername(username)
                        .setPassword(password)
                        .build())
                .getSession());
        return session;
    }

    /** @return the ticket id */
    public String findMatch(GameMode mode, String region) throws InterruptedException {
        return retrying(() -> authenticated()
                .findMatch(FindMatchRequest.newBuilder()
                        .setMode(mode)
                        .setRegion(region)
                        .build())
                .getTicketId());
    }

    /** Leaves the queue; best effort (a bot that stops must not hang on a dead frontend). */
    public void cancelMatch() {
        try {
            authenticated().cancelMatch(CancelMatchRequest.getDefaultInstance());
        } catch (RuntimeException e) {
            // The ticket expires at om-core's TTL anyway.
        }
    }

    /**
     * Watches until the assignment arrives. The first queue status calls {@code onQueued};
     * a stream that ends without one (queue timeout, cancel, frontend restart) throws its status.
     */
    public Assignment awaitAssignment(Runnable onQueued) {
        refreshIfDue();
        // A cancellable context: closing the bot's channel ends the stream, nothing else can hang it.
        Iterator<WatchAssignmentResponse> stream = FrontendServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(bearer())
                .watchAssignment(WatchAssignmentRequest.getDefaultInstance());
        boolean queuedSeen = false;
        while (stream.hasNext()) {
            WatchAssignmentResponse r = stream.next();
            if (r.hasAssignment()) {
                Assignment a = r.getAssignment();
                if (a.getHost().isEmpty()
                        || a.getPort() <= 0
                        || a.getPort() > 65535
                        || a.getToken().isEmpty()) {
                    throw Status.DATA_LOSS
                            .withDescription("assignment without host, port or token: " + a)
                            .asRuntimeException();
                }
                return a;
            }
            if (!queuedSeen) {
                queuedSeen = true;
                onQueued.run();
            }
        }
        throw Status.ABORTED
                .withDescription("WatchAssignment ended without an assignment")
                .asRuntimeException();
    }

    private FrontendServiceGrpc.FrontendServiceBlockingStub anonymous() {
        return FrontendServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private FrontendServiceGrpc.FrontendServiceBlockingStub authenticated() {
        refreshIfDue();
        return anonymous().withCallCredentials(bearer());
    }

    private CallCredentials bearer() {
        String token = session.getAccessToken();
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }

    private void refreshIfDue() {
        Session s = session;
        if (s == null) {
            throw new IllegalStateException("log in first");
        }
        long refreshAt = s.getAccessExpiresAtEpochSeconds() - REFRESH_MARGIN.toSeconds();
        if (clock.instant().getEpochSecond() >= refreshAt) {
            session = anonymous()
                    .refresh(RefreshRequest.newBuilder()
                            .setRefreshToken(s.getRefreshToken())
                            .build())
                    .getSession();
        }
    }

    private <T> T retrying(Call<T> call) throws InterruptedException {
        long backoff = 200;
        long giveUpAt = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                return call.run();
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean transient_ = code == Status.Code.UNAVAILABLE || code == Status.Code.RESOURCE_EXHAUSTED;
                if (!transient_
                        || !keepGoing.getAsBoolean()
                        || Context.current().isCancelled()
                        || System.nanoTime() > giveUpAt) {
                    throw e;
                }
            }
            Thread.sleep(backoff + (long) (Math.random() * backoff));
            backoff = Math.min(MAX_BACKOFF.toMillis(), backoff * 2);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run();
    }
}
