package dev.trespasser.bots;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom the bots trust, as a browser would: the frontend over TLS when {@code BOTS_FRONTEND_TLS},
 * and the match server's wss:// whenever an assignment says {@code tls}; both trust {@code
 * BOTS_CA_FILE} (PEM, one or more CA certificates) when given, else the JDK's default trust store.
 * Host names are checked against the certificates either way.
 *
 * @param frontendTls {@code BOTS_FRONTEND_TLS}: gRPC to the frontend over TLS
 * @param caFile      {@code BOTS_CA_FILE}: the CA certificates to trust instead of the JDK's
 */
public record ClientTrust(boolean frontendTls, Optional<Path> caFile) {

    /** Plaintext gRPC; wss:// (when assigned) with the JDK's default trust. */
    public static final ClientTrust DEFAULT = new ClientTrust(false, Optional.empty());

    public ClientTrust {
        Objects.requireNonNull(caFile, "caFile");
    }

    /** The TLS context for wss:// connections; a bad CA file fails here, at start-up, with its name. */
    public SSLContext sslContext() {
        try {
            if (caFile.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : caCertificates(caFile.get())) {
                store.setCertificateEntry("ca-" + n++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("building the TLS trust from " + caFile.orElse(null), e);
        }
    }

    /** How the gRPC channel to the frontend is secured. */
    public ChannelCredentials frontendCredentials() {
        if (!frontendTls) {
            return InsecureChannelCredentials.create();
        }
        if (caFile.isEmpty()) {
            return TlsChannelCredentials.create();
        }
        caCertificates(caFile.get());
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(caFile.get().toFile())
                    .build();
        } catch (IOException e) {
            throw new IllegalArgumentException("BOTS_CA_FILE=" + caFile.get() + ": " + e.getMessage(), e);
        }
    }

    /** The certificates of a PEM file: at least one, and only certificates. */
    static Collection<X509Certificate> caCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) > 1 << 20) {
                throw new IllegalArgumentException("BOTS_CA_FILE=" + file + ": over 1 MiB, not a PEM CA file");
            }
            Collection<? extends Certificate> read =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (read.isEmpty()) {
                throw new IllegalArgumentException("BOTS_CA_FILE=" + file + ": no PEM certificate in it");
            }
            return read.stream().map(c -> (X509Certificate) c).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("BOTS_CA_FILE=" + file + ": cannot be read (" + e + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "BOTS_CA_FILE=" + file + ": not PEM certificates (" + e.getMessage() + ")");
        }
    }
}
