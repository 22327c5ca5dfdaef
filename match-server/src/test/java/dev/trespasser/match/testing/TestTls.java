package dev.trespasser.match.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A player's side of wss:// in tests and benchmarks: a TLS context that trusts one local CA and
 * nothing else (not the JDK's CA store), as a browser given only that CA would. Host names are
 * still checked by the client against the certificate.
 */
public final class TestTls {

    private TestTls() {}

    /** Trusts {@code ca} only. */
    public static SSLContext trusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("a TLS context trusting " + ca.getSubjectX500Principal(), e);
        }
    }

    /** Trusts the (first) certificate of a PEM file, e.g. a local CA's {@code ca.crt}. */
    public static SSLContext trusting(Path caPemFile) {
        try (InputStream in = Files.newInputStream(caPemFile)) {
            return trusting(
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(caPemFile + ": not a PEM certificate", e);
        }
    }
}
