package dev.trespasser.frontend.browser;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;

/**
 * Headers on every response of the browser port. The policy allows scripts, styles and API calls
 * from this origin only, no inline script, and WebSockets to any host ({@code wss:}, and
 * {@code ws:} for plaintext local stacks): match servers are assigned at run time, one host each.
 */
final class SecurityHeaders extends SimpleDecoratingHttpService {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; media-src 'self' blob: data:; connect-src 'self' wss: ws:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final boolean tls;

    SecurityHeaders(HttpService delegate, boolean tls) {
        super(delegate);
        this.tls = tls;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest request) throws Exception {
        ctx.mutateAdditionalResponseHeaders(headers -> {
            headers.set("content-security-policy", CONTENT_SECURITY_POLICY);
            headers.set("x-content-type-options", "nosniff");
            headers.set("referrer-policy", "no-referrer");
            headers.set("x-frame-options", "DENY");
            if (tls) {
                headers.set("strict-transport-security", "max-age=31536000");
            }
        });
        return unwrap().serve(ctx, request);
    }
}
