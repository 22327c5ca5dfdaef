package dev.trespasser.frontend;

import dev.trespasser.frontend.accounts.Accounts;
import dev.trespasser.frontend.accounts.PlayerProfile;
import dev.trespasser.frontend.auth.AuthInterceptor;
import dev.trespasser.frontend.auth.PlayerIdentity;
import dev.trespasser.frontend.limits.RateLimiter;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import dev.trespasser.frontend.queue.AssignmentChannel;
import dev.trespasser.frontend.queue.Matchmaking;
import dev.trespasser.frontend.queue.PeerUnavailableException;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.frontend.v1.CancelMatchRequest;
import dev.trespasser.proto.frontend.v1.CancelMatchResponse;
import dev.trespasser.proto.frontend.v1.ChangePasswordRequest;
import dev.trespasser.proto.frontend.v1.ChangePasswordResponse;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchResponse;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.GetProfileResponse;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsRequest;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsResponse;
import dev.trespasser.proto.frontend.v1.LoginGuestRequest;
import dev.trespasser.proto.frontend.v1.LoginGuestResponse;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.LoginResponse;
import dev.trespasser.proto.frontend.v1.LogoutEverywhereRequest;
import dev.trespasser.proto.frontend.v1.LogoutEverywhereResponse;
import dev.trespasser.proto.frontend.v1.LogoutRequest;
import dev.trespasser.proto.frontend.v1.LogoutResponse;
import dev.trespasser.proto.frontend.v1.QueueMode;
import dev.trespasser.proto.frontend.v1.RefreshRequest;
import dev.trespasser.proto.frontend.v1.RefreshResponse;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.RegisterResponse;
import dev.trespasser.proto.frontend.v1.WatchAssignmentRequest;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/** The player API (trespasser.frontend.v1.FrontendService): thin mapping onto accounts, queue and assignments. */
public final class FrontendService extends FrontendServiceGrpc.FrontendServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(FrontendService.class);

    /**
     * The methods that need an access token. The rest are how a player gets one, and
     * GetQueueOptions (what this deployment queues for: nothing about any player); the auth
     * interceptor limits those per client address (FRONTEND_ANONYMOUS_CALLS_PER_MINUTE).
     */
    public static final Set<String> AUTHENTICATED_METHODS = Set.of(
            FrontendServiceGrpc.getFindMatchMethod().getFullMethodName(),
            FrontendServiceGrpc.getCancelMatchMethod().getFullMethodName(),
            FrontendServiceGrpc.getWatchAssignmentMethod().getFullMethodName(),
            FrontendServiceGrpc.getGetProfileMethod().getFullMethodName(),
            FrontendServiceGrpc.getLogoutEverywhereMethod().getFullMethodName(),
            FrontendServiceGrpc.getChangePasswordMethod().getFullMethodName());

    private final Accounts accounts;
    private final Matchmaking matchmaking;
    private final AssignmentChannel assignments;
    private final RateLimiter findMatchLimit;
    private final FrontendMetrics metrics;
    private final GetQueueOptionsResponse queueOptions;

    public FrontendService(
            Accounts accounts,
            Matchmaking matchmaking,
            AssignmentChannel assignments,
            RateLimiter findMatchLimit,
            FrontendMetrics metrics) {
        this.accounts = accounts;
        this.matchmaking = matchmaking;
        this.assignments = assignments;
        this.findMatchLimit = findMatchLimit;
        this.metrics = metrics;
        this.queueOptions = queueOptions(matchmaking.settings().regions());
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        answer(
                response,
                () -> RegisterResponse.newBuilder()
                        .setSession(accounts.register(request.getUsername(), request.getPassword()))
                        .build());
    }

    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
        answer(
                response,
                () -> LoginResponse.newBuilder()
                        .setSession(accounts.login(request.getUsername(), request.getPassword()))
                        .build());
    }

    @Override
    public void loginGuest(LoginGuestRequest request, StreamObserver<LoginGuestResponse> response) {
        answer(
                response,
                () -> LoginGuestResponse.newBuilder()
                        .setSession(accounts.loginGuest())
                        .build());
    }

    @Override
    public void refresh(RefreshRequest request, StreamObserver<RefreshResponse> response) {
        answer(
                response,
                () -> RefreshResponse.newBuilder()
                        .setSession(accounts.refresh(request.getRefreshToken()))
                        .build());
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> response) {
        answer(response, () -> {
            accounts.logout(request.getRefreshToken());
            return LogoutResponse.getDefaultInstance();
        });
    }

    @Override
    public void getQueueOptions(GetQueueOptionsRequest request, StreamObserver<GetQueueOptionsResponse> response) {
        answer(response, () -> queueOptions);
    }

    @Override
    public void logoutEverywhere(LogoutEverywhereRequest request, StreamObserver<LogoutEverywhereResponse> response) {
        answer(response, () -> {
            accounts.logoutEverywhere(AuthInterceptor.currentPlayer());
            return LogoutEverywhereResponse.getDefaultInstance();
        });
    }

    @Override
    public void changePassword(ChangePasswordRequest request, StreamObserver<ChangePasswordResponse> response) {
        answer(
                response,
                () -> ChangePasswordResponse.newBuilder()
                        .setSession(accounts.changePassword(
                                AuthInterceptor.currentPlayer(),
                                request.getCurrentPassword(),
                                request.getNewPassword()))
                        .build());
    }

    @Override
    public void findMatch(FindMatchRequest request, StreamObserver<FindMatchResponse> response) {
        answer(response, () -> {
            PlayerIdentity player = AuthInterceptor.currentPlayer();
            if (!findMatchLimit.tryAcquire(player.playerId())) {
                metrics.rateLimited("FindMatch");
                throw Status.RESOURCE_EXHAUSTED
                        .withDescription("too many FindMatch calls; wait a minute")
                        .asRuntimeException();
            }
            Matchmaking.Queued queued = matchmaking.findMatch(player, mode(request), request.getRegion());
            return FindMatchResponse.newBuilder()
                    .setTicketId(queued.ticketId())
                    .setAlreadyQueued(queued.alreadyQueued())
                    .build();
        });
    }

    @Override
    public void cancelMatch(CancelMatchRequest request, StreamObserver<CancelMatchResponse> response) {
        answer(response, () -> {
            matchmaking.cancel(AuthInterceptor.currentPlayer().playerId());
            return CancelMatchResponse.getDefaultInstance();
        });
    }

    @Override
    public void watchAssignment(WatchAssignmentRequest request, StreamObserver<WatchAssignmentResponse> response) {
        assignments.watch(
                AuthInterceptor.currentPlayer().playerId(),
                (ServerCallStreamObserver<WatchAssignmentResponse>) response);
    }

    @Override
    public void getProfile(GetProfileRequest request, StreamObserver<GetProfileResponse> response) {
        answer(response, () -> {
            PlayerProfile profile = accounts.profile(AuthInterceptor.currentPlayer());
            return GetProfileResponse.newBuilder()
                    .setPlayerId(profile.playerId())
                    .setUsername(profile.username())
                    .setRating(profile.rating())
                    .setMatchesPlayed(profile.matches())
                    .setWins(profile.wins())
                    .setLosses(profile.losses())
                    .setDraws(profile.draws())
                    .setKills(profile.kills())
                    .setDeaths(profile.deaths())
                    .build();
        });
    }

    /**
     * Exactly what FindMatch checks: the configured regions ({@link Matchmaking#findMatch}) and
     * every mode {@link #mode} accepts, the default (an unspecified mode) first.
     */
    static GetQueueOptionsResponse queueOptions(List<String> regions) {
        GetQueueOptionsResponse.Builder options =
                GetQueueOptionsResponse.newBuilder().addAllRegions(regions);
        options.addModes(queueMode(GameMode.DEFAULT));
        for (GameMode mode : GameMode.values()) {
            if (mode != GameMode.DEFAULT) {
                options.addModes(queueMode(mode));
            }
        }
        return options.build();
    }

    private static QueueMode queueMode(GameMode mode) {
        return QueueMode.newBuilder()
                .setMode(mode.wire())
                .setLabel(mode.label())
                .setTeamSize(mode.teamSize())
                .build();
    }

    static GameMode mode(FindMatchRequest request) {
        return GameMode.fromWire(request.getMode())
                .orElseThrow(() -> Status.INVALID_ARGUMENT
                        .withDescription(
                                "unknown game mode " + request.getModeValue() + "; use GAME_MODE_4V4, _2V2 or _1V1")
                        .asRuntimeException());
    }

    private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        T reply;
        try {
            reply = call.get();
        } catch (RuntimeException e) {
            response.onError(toStatus(e).asRuntimeException());
            return;
        }
        response.onNext(reply);
        response.onCompleted();
    }

    /** What a player is told when something below the API fails. */
    static Status toStatus(RuntimeException e) {
        if (e instanceof StatusRuntimeException status) {
            return status.getStatus();
        }
        if (e instanceof PeerUnavailableException peer) {
            log.warn("{}", peer.getMessage());
            return Status.UNAVAILABLE.withDescription(peer.peer() + " is unavailable; nothing changed, retry shortly");
        }
        if (e instanceof JedisException redis) {
            log.warn("Redis call failed: {}", redis.toString());
            return Status.UNAVAILABLE.withDescription("Redis is unavailable; retry shortly");
        }
        log.error("unexpected failure", e);
        return Status.INTERNAL.withDescription("internal error");
    }
}
