package dev.trespasser.frontend.browser;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses (403) an API request that a browser sent from a page of another origin than this port's
 * own or a configured one, preflights included. Browsers always send {@code Origin} on such
 * requests; native clients send none and pass. CORS alone only stops the page reading the answer;
 * this keeps a foreign page from making the call at all.
 */
final class OriginGuard extends SimpleDecoratingHttpService {

    private final Set<String> allowed;

    OriginGuard(HttpService delegate, List<String> allowedOrigins) {
        super(delegate);
        this.allowed = Set.copyOf(allowedOrigins);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest request) throws Exception {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null
                || allowed.contains(origin.toLowerCase(Locale.ROOT))
                || sameOrigin(origin, request.authority())) {
            return unwrap().serve(ctx, request);
        }
        return HttpResponse.of(HttpStatus.FORBIDDEN, MediaType.PLAIN_TEXT_UTF_8, "origin not allowed");
    }

    /** The page came from this port: its origin's host and port are the request's authority. */
    static boolean sameOrigin(String origin, String authority) {
        if (authority == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            if (uri.getRawAuthority() == null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                return false;
            }
            return withoutDefaultPort(uri.getRawAuthority(), uri.getScheme())
                    .equals(withoutDefaultPort(authority, uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String withoutDefaultPort(String authority, String scheme) {
        String lower = authority.toLowerCase(Locale.ROOT);
        String defaultPort = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
        return lower.endsWith(defaultPort) ? lower.substring(0, lower.length() - defaultPort.length()) : lower;
    }
}
