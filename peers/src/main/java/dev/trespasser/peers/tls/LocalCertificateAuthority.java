package dev.trespasser.peers.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that lives in one folder of this machine: the local stack and the tests
 * use it to serve TLS exactly as production does (certificate and key given as PEM files), with a
 * CA that only this run trusts. Production certificates come from cert-manager instead
 * (docs/operations.md); nothing here is used in a cluster.
 *
 * <p>Keys are ECDSA P-256, private keys are written as unencrypted PKCS#8 PEM readable only by the
 * owner, certificates as PEM. {@link #issue} writes {@code <name>.crt} (leaf then CA) and {@code
 * <name>.key}.
 */
public final class LocalCertificateAuthority {

    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path folder;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final SecureRandom random = new SecureRandom();

    private LocalCertificateAuthority(Path folder, KeyPair caKeys, X509Certificate caCertificate) {
        this.folder = folder;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    /** Creates a new CA in {@code folder} and writes its certificate to {@code ca.crt}. */
    public static LocalCertificateAuthority create(Path folder, String commonName) {
        try {
            Files.createDirectories(folder);
            KeyPair keys = newKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    serial(new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(VALIDITY)),
                    subject,
                    keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys);
            LocalCertificateAuthority ca = new LocalCertificateAuthority(folder, keys, certificate);
            Files.writeString(ca.caCertificateFile(), pem(certificate));
            return ca;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("creating a local CA", e);
        }
    }

    /** The CA's certificate (PEM): what a client trusts to reach the servers of this run. */
    public Path caCertificateFile() {
        return folder.resolve("ca.crt");
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /**
     * Issues a server certificate for the given DNS names and IP addresses (at least one of
     * either) and writes {@code <name>.crt} (leaf, then the CA) and {@code <name>.key}.
     */
    public IssuedCertificate issue(String name, List<String> dnsNames, List<String> ipAddresses) {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("certificate file name must be [a-z0-9-]: " + name);
        }
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one name or address");
        }
        try {
            KeyPair keys = newKeyPair();
            Instant now = Instant.now();
            String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    caCertificate,
                    serial(random),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(VALIDITY)),
                    new X500Name("CN=" + commonName),
                    keys.getPublic());
            List<GeneralName> alternativeNames = new ArrayList<>();
            for (String dns : dnsNames) {
                alternativeNames.add(new GeneralName(GeneralName.dNSName, dns));
            }
            for (String ip : ipAddresses) {
                // Literal addresses only: InetAddress.getByName would resolve a host name.
                if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                    throw new IllegalArgumentException("not an IP address: " + ip);
                }
                alternativeNames.add(new GeneralName(
                        GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
            }
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate certificate = sign(builder, caKeys);
            Path certificateFile = folder.resolve(name + ".crt");
            Path keyFile = folder.resolve(name + ".key");
            Files.writeString(certificateFile, pem(certificate) + pem(caCertificate));
            Files.deleteIfExists(keyFile);
            Files.createFile(
                    keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, pem(keys.getPrivate()));
            return new IssuedCertificate(certificateFile, keyFile, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("issuing a certificate for " + dnsNames + " " + ipAddresses, e);
        }
    }

    /** A certificate chain file and its key file, both PEM. */
    public record IssuedCertificate(Path certificateFile, Path keyFile, X509Certificate certificate) {}

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(64, random).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        }
        return out.toString();
    }
}
