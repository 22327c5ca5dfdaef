package dev.trespasser.frontend.auth;

import dev.trespasser.frontend.limits.ClientAddress;
import dev.trespasser.frontend.limits.RateLimiter;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates the calls that act for a player ({@code authorization: Bearer <access JWT>}) and
 * applies the per-caller rate limits: per player for authenticated calls, per client address for
 * the login calls, for Register (tighter), and for calls with a missing or bad token (so token
 * guessing and floods of garbage cost a bounded amount). A refused call never reaches the service.
 */
public final class AuthInterceptor implements ServerInterceptor {

    public static final Context.Key<PlayerIdentity> PLAYER = Context.key("trespasser-player");
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final AccessTokens tokens;
    private final Set<String> protectedMethods;
    private final RateLimiter perPlayer;
    private final RateLimiter perAddress;
    private final Map<String, RateLimiter> perAddressByMethod;
    private final RateLimiter badTokensPerAddress;
    private final FrontendMetrics metrics;
    private final ClientAddress clientAddress;

    /**
     * @param perAddressByMethod extra per-address limits of some anonymous methods (full name), on
     *     top of {@code perAddress}
     * @param badTokensPerAddress calls to protected methods without a valid token, per address;
     *     beyond it RESOURCE_EXHAUSTED instead of UNAUTHENTICATED
     * @param clientAddress what the per-address limits are keyed on (the transport peer, or what
     *     trusted proxies forwarded)
     */
    public AuthInterceptor(
            AccessTokens tokens,
            Set<String> protectedMethods,
            RateLimiter perPlayer,
            RateLimiter perAddress,
            Map<String, RateLimiter> perAddressByMethod,
            RateLimiter badTokensPerAddress,
            FrontendMetrics metrics,
            ClientAddress clientAddress) {
        this.tokens = tokens;
        this.protectedMethods = Set.copyOf(protectedMethods);
        this.perPlayer = perPlayer;
        this.perAddress = perAddress;
        this.perAddressByMethod = Map.copyOf(perAddressByMethod);
        this.badTokensPerAddress = badTokensPerAddress;
        this.metrics = metrics;
        this.clientAddress = clientAddress;
    }

    /** The authenticated player of the current call; only valid inside a protected method. */
    public static PlayerIdentity currentPlayer() {
        PlayerIdentity player = PLAYER.get();
        if (player == null) {
            throw new IllegalStateException("no authenticated player in this call");
        }
        return player;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!protectedMethods.contains(method)) {
            String address = address(call, headers);
            RateLimiter methodLimit = perAddressByMethod.get(method);
            if (!perAddress.tryAcquire(address) || (methodLimit != null && !methodLimit.tryAcquire(address))) {
                metrics.rateLimited(call.getMethodDescriptor().getBareMethodName());
                return refuse(
                        call,
                        Status.RESOURCE_EXHAUSTED.withDescription("too many requests from " + address + "; slow down"));
            }
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER)) {
            return refuseBadToken(call, headers, "missing 'authorization: Bearer <access token>' metadata");
        }
        Optional<PlayerIdentity> player =
                tokens.verify(header.substring(BEARER.length()).trim());
        if (player.isEmpty()) {
            return refuseBadToken(call, headers, "invalid or expired access token; log in or refresh");
        }
        if (!perPlayer.tryAcquire(player.get().playerId())) {
            metrics.rateLimited(call.getMethodDescriptor().getBareMethodName());
            return refuse(call, Status.RESOURCE_EXHAUSTED.withDescription("too many requests; slow down"));
        }
        Context context = Context.current().withValue(PLAYER, player.get());
        return Contexts.interceptCall(context, call, headers, next);
    }

    private <Q, A> ServerCall.Listener<Q> refuseBadToken(ServerCall<Q, A> call, Metadata headers, String why) {
        String address = address(call, headers);
        if (!badTokensPerAddress.tryAcquire(address)) {
            metrics.rateLimited(call.getMethodDescriptor().getBareMethodName());
            return refuse(
                    call,
                    Status.RESOURCE_EXHAUSTED.withDescription(
                            "too many calls without a valid token from " + address + "; slow down"));
        }
        return refuse(call, Status.UNAUTHENTICATED.withDescription(why));
    }

    private String address(ServerCall<?, ?> call, Metadata headers) {
        return clientAddress.of(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), headers);
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
