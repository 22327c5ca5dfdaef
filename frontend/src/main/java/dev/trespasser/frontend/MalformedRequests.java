package dev.trespasser.frontend;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request body that is not the method's protobuf message with INVALID_ARGUMENT.
 * grpc-java parses requests on the application thread and, when parsing throws, cancels the
 * call with UNKNOWN and logs a SEVERE stack trace: every garbage request from a client would
 * cost a stack trace in the logs (a cheap way to flood them) and tell the client nothing.
 * Requests are capped at {@code FrontendServer.MAX_REQUEST_BYTES}, so parsing a valid one twice
 * (here, then by the service) costs next to nothing.
 */
final class MalformedRequests {

    private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);

    private MalformedRequests() {}

    /** {@code service} with every request checked before it reaches the service's own parsing. */
    static ServerServiceDefinition refused(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(
                ServerInterceptors.useMarshalledMessages(service, RawBytes.INSTANCE), new ServerInterceptor() {
                    @Override
                    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
                            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
                        ServerMethodDefinition<?, ?> original =
                                service.getMethod(call.getMethodDescriptor().getFullMethodName());
                        return check(call, headers, next, original.getMethodDescriptor());
                    }
                });
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> check(
            ServerCall<ReqT, RespT> call,
            Metadata headers,
            ServerCallHandler<ReqT, RespT> next,
            MethodDescriptor<?, ?> original) {
        AtomicBoolean closed = new AtomicBoolean();
        ServerCall<ReqT, RespT> tracked = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (closed.compareAndSet(false, true)) {
                    super.close(status, trailers);
                }
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(tracked, headers)) {
            private boolean refused;

            @Override
            public void onMessage(ReqT message) {
                if (refused || closed.get()) {
                    return;
                }
                byte[] bytes = (byte[]) message;
                try {
                    original.parseRequest(new ByteArrayInputStream(bytes));
                } catch (RuntimeException e) {
                    refused = true;
                    log.debug("malformed {} request refused: {}", original.getFullMethodName(), e.toString());
                    tracked.close(
                            Status.INVALID_ARGUMENT.withDescription(
                                    "the request is not a valid " + original.getFullMethodName() + " message"),
                            new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
