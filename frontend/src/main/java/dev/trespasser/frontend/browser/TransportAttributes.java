package dev.trespasser.frontend.browser;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Attributes;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Gives Armeria's calls the transport attributes grpc-java's own server sets: Armeria leaves
 * {@link ServerCall#getAttributes()} empty, and the per-address limits key on
 * {@link Grpc#TRANSPORT_ATTR_REMOTE_ADDR} (then on {@code x-forwarded-for}, by the same trusted-hops
 * rule as the native port). The address is the TCP peer, never Armeria's own guess from headers.
 */
final class TransportAttributes implements ServerInterceptor {

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx == null) {
            return next.startCall(call, headers);
        }
        Attributes attributes = call.getAttributes().toBuilder()
                .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, ctx.remoteAddress())
                .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, ctx.localAddress())
                .build();
        return next.startCall(
                new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public Attributes getAttributes() {
                        return attributes;
                    }
                },
                headers);
    }
}
