package dev.trespasser.frontend;

import dev.trespasser.frontend.metrics.FrontendMetrics;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Counts and times every call by method and final status, including ones refused by later interceptors. */
final class CallMetricsInterceptor implements ServerInterceptor {

    private final FrontendMetrics metrics;

    CallMetricsInterceptor(FrontendMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getBareMethodName();
        ServerCall<Q, A> measured = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                metrics.request(method, status.getCode().name(), (System.nanoTime() - start) / 1e9);
                super.close(status, trailers);
            }
        };
        return next.startCall(measured, headers);
    }
}
