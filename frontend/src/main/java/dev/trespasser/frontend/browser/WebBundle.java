package dev.trespasser.frontend.browser;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.encoding.EncodingService;
import com.linecorp.armeria.server.file.FileService;

/**
 * The browser client's bundle (module {@code web}: {@code /web/} on the classpath). Vite names
 * every file under {@code assets/} by its content hash, so those are cached for a year and never
 * revalidated; {@code index.html} (served at {@code /}) and the other top-level files are
 * revalidated on every load, so a deploy reaches players at their next reload. Unknown paths are
 * 404: there is no client-side routing to fall back for.
 */
final class WebBundle {

    static final String ROOT = "web";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    /** Small files gain nothing from gzip; text above this size shrinks several times. */
    private static final int MIN_GZIP_BYTES = 512;

    private WebBundle() {}

    static void addTo(ServerBuilder builder) {
        ClassLoader classLoader = WebBundle.class.getClassLoader();
        builder.serviceUnder(
                "/assets/",
                gzipped(FileService.builder(classLoader, ROOT + "/assets")
                        .cacheControl(IMMUTABLE)
                        .build()));
        builder.serviceUnder(
                "/",
                gzipped(FileService.builder(classLoader, ROOT)
                        .cacheControl(REVALIDATE)
                        .build()));
    }

    private static HttpService gzipped(HttpService files) {
        return files.decorate(EncodingService.builder()
                .minBytesToForceChunkedEncoding(MIN_GZIP_BYTES)
                .newDecorator());
    }
}
