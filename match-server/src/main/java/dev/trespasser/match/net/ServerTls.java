package dev.trespasser.match.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The match server's TLS identity, read from the PEM files cert-manager (or the local stack's CA)
 * writes: a certificate chain (leaf first) and its unencrypted PKCS#8 key, EC or RSA. Read with the
 * JDK alone (Base64, {@link CertificateFactory}, {@link KeyFactory}): the match process stays
 * small (issue 14), so no BouncyCastle or Netty. Every problem with the files is an {@link
 * IllegalArgumentException} naming the file and what is wrong, thrown at start-up.
 *
 * <p>The files are read once: a match server retires after {@code MATCH_MAX_MATCHES} matches and
 * its replacement reads the renewed certificate, well before the old one expires.
 */
public final class ServerTls {

    /** TLS 1.3 only: every browser that runs the game's client speaks it. */
    static final String[] PROTOCOLS = {"TLSv1.3"};
    /** The one suite every TLS 1.3 client must implement (RFC 8446, 9.1). */
    static final String[] CIPHER_SUITES = {"TLS_AES_128_GCM_SHA256"};
    /** A chain of a few certificates or one key is a few KiB; anything far larger is not one. */
    static final long MAX_PEM_BYTES = 256 * 1024;

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);

    private final SSLContext context;
    private final List<X509Certificate> chain;

    private ServerTls(SSLContext context, List<X509Certificate> chain) {
        this.context = context;
        this.chain = chain;
    }

    /** Reads and checks both files and builds the context; see the class comment for the errors. */
    public static ServerTls fromPemFiles(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certificateFile, readPem(certificateFile));
        PrivateKey key = privateKey(keyFile, readPem(keyFile));
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException(certificateFile + ": the certificate expired on " + leaf.getNotAfter());
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException(
                    certificateFile + ": the certificate is not valid before " + leaf.getNotBefore());
        }
        if (!keyMatches(key, leaf)) {
            throw new IllegalArgumentException(
                    keyFile + ": this key does not belong to the first certificate of " + certificateFile);
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("match-server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("NewSunX509");
            keyManagers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keyManagers.getKeyManagers(), new TrustManager[] {new NoClientCertificates()}, new SecureRandom());
            return new ServerTls(context, List.copyOf(chain));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("building the TLS context from " + certificateFile + " and " + keyFile, e);
        }
    }

    public SSLContext context() {
        return context;
    }

    /** What every connection offers: {@link #PROTOCOLS} and {@link #CIPHER_SUITES}, no client certificates. */
    public SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        parameters.setCipherSuites(CIPHER_SUITES.clone());
        parameters.setNeedClientAuth(false);
        return parameters;
    }

    /** The served chain, leaf first (for logs and tests). */
    public List<X509Certificate> chain() {
        return chain;
    }

    private static String readPem(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": no such file (or not a regular file)");
            }
            if (Files.size(file) > MAX_PEM_BYTES) {
                throw new IllegalArgumentException(
                        file + ": over " + MAX_PEM_BYTES + " bytes, not a PEM certificate or key");
            }
            // Byte for byte: stray non-ASCII bytes are simply not PEM, not a decoding failure.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static List<X509Certificate> certificates(Path file, String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlock block : blocks(file, pem)) {
                if (!block.type().equals("CERTIFICATE")) {
                    throw new IllegalArgumentException(
                            file + ": expected only CERTIFICATE blocks (leaf first), found " + block.type());
                }
                try {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(
                            file + ": certificate " + (chain.size() + 1) + " is not a valid X.509 certificate");
                }
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 certificate factory", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, String pem) {
        List<PemBlock> blocks = blocks(file, pem);
        if (blocks.size() != 1) {
            throw new IllegalArgumentException(
                    file + ": expected exactly one PEM private key, found " + blocks.size() + " PEM blocks");
        }
        PemBlock block = blocks.get(0);
        switch (block.type()) {
            case "PRIVATE KEY" -> {}
            case "EC PRIVATE KEY", "RSA PRIVATE KEY" ->
                throw new IllegalArgumentException(file + ": a " + block.type()
                        + " (SEC1/PKCS#1) needs converting to PKCS#8: openssl pkcs8 -topk8 -nocrypt");
            case "ENCRYPTED PRIVATE KEY" ->
                throw new IllegalArgumentException(
                        file + ": the key is encrypted; give the unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
            default ->
                throw new IllegalArgumentException(
                        file + ": expected a PKCS#8 private key (BEGIN PRIVATE KEY), found " + block.type());
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
            } catch (InvalidKeySpecException | RuntimeException e) {
                // Not this algorithm (or not a key at all): try the next one.
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no " + algorithm + " key factory", e);
            }
        }
        throw new IllegalArgumentException(file + ": not a PKCS#8 EC or RSA private key");
    }

    /** Signs a random message with the key and verifies it with the certificate: they belong together. */
    private static boolean keyMatches(PrivateKey key, X509Certificate leaf) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        if (!key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            byte[] message = new byte[32];
            new SecureRandom().nextBytes(message);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Players present no certificate, so the server trusts none. Given no trust manager, {@link
     * SSLContext#init} would load the JDK's whole CA store (cacerts) for nothing: measured in
     * docs/benchmarks.md ("TLS (wss)"). Should client authentication ever be asked for, every
     * client certificate is refused.
     */
    static final class NoClientCertificates extends X509ExtendedTrustManager {

        private static CertificateException refused() {
            return new CertificateException("the match server trusts no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw refused();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw refused();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw refused();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private record PemBlock(String type, byte[] der) {}

    private static List<PemBlock> blocks(Path file, String pem) {
        List<PemBlock> blocks = new ArrayList<>();
        Matcher matcher = PEM_BLOCK.matcher(pem);
        while (matcher.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(matcher.group(2).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": a " + matcher.group(1) + " block is not valid Base64");
            }
            if (der.length == 0) {
                throw new IllegalArgumentException(file + ": an empty " + matcher.group(1) + " block");
            }
            blocks.add(new PemBlock(matcher.group(1), der));
        }
        return blocks;
    }
}
