package dev.trespasser.localstack.keys;

import dev.trespasser.bots.ClientTrust;
import dev.trespasser.peers.tls.LocalCertificateAuthority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for one run of the local stack, as production has it: a CA that only this run trusts
 * ({@code <run>/tls/ca.crt}), a {@code frontend} and a {@code gameserver} certificate for
 * localhost and 127.0.0.1, handed to the services as PEM files through the same variables a
 * cluster sets ({@code FRONTEND_TLS_*}, {@code MATCH_TLS_*}).
 */
public final class LocalTls {

    /** Names and addresses every certificate of the run holds: what browsers and bots connect to. */
    private static final List<String> DNS_NAMES = List.of("localhost");

    private static final List<String> IP_ADDRESSES = List.of("127.0.0.1");

    private final LocalCertificateAuthority ca;
    private final LocalCertificateAuthority.IssuedCertificate frontend;
    private final LocalCertificateAuthority.IssuedCertificate gameServer;

    private LocalTls(
            LocalCertificateAuthority ca,
            LocalCertificateAuthority.IssuedCertificate frontend,
            LocalCertificateAuthority.IssuedCertificate gameServer) {
        this.ca = ca;
        this.frontend = frontend;
        this.gameServer = gameServer;
    }

    /** Creates the run's CA in {@code folder} and issues both certificates. */
    public static LocalTls create(Path folder) {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(folder, "Trespasser local stack CA");
        return new LocalTls(
                ca, ca.issue("frontend", DNS_NAMES, IP_ADDRESSES), ca.issue("gameserver", DNS_NAMES, IP_ADDRESSES));
    }

    public Path caFile() {
        return ca.caCertificateFile();
    }

    /** The match servers' wss:// identity. */
    public Map<String, String> matchServerEnv() {
        return Map.of(
                "MATCH_TLS_CERT_FILE", gameServer.certificateFile().toString(),
                "MATCH_TLS_KEY_FILE", gameServer.keyFile().toString());
    }

    /** The frontend's TLS identity (gRPC and the browser port, where the frontend serves them). */
    public Map<String, String> frontendEnv() {
        return Map.of(
                "FRONTEND_TLS_CERT_FILE", frontend.certificateFile().toString(),
                "FRONTEND_TLS_KEY_FILE", frontend.keyFile().toString());
    }

    /**
     * What bots trust: this run's CA for the match servers always, and TLS to the frontend when it
     * serves TLS (a frontend that does not read {@code FRONTEND_TLS_*} stays plaintext).
     */
    public ClientTrust clientTrust(boolean frontendServesTls) {
        return new ClientTrust(frontendServesTls, Optional.of(caFile()));
    }

    /**
     * Whether {@code port} on 127.0.0.1 completes a TLS handshake with this run's certificate: how
     * the stack learns, without knowing the frontend's code, whether it honoured {@code FRONTEND_TLS_*}.
     */
    public boolean servesTls(int port) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca.caCertificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                socket.setSoTimeout(3_000);
                socket.startHandshake();
                return true;
            }
        } catch (IOException plaintextOrNothing) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("building a TLS client for the probe", e);
        }
    }

    /**
     * For Chromium's {@code --ignore-certificate-errors-spki-list}: base64 SHA-256 of each leaf's
     * public key (frontend, game server), comma-separated. Trusts exactly this run's two keys.
     */
    public String spkiHashes() {
        return spki(frontend.certificate()) + "," + spki(gameServer.certificate());
    }

    private static String spki(X509Certificate certificate) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256")
                            .digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
