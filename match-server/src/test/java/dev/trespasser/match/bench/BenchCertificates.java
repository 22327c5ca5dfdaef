package dev.trespasser.match.bench;

import dev.trespasser.peers.tls.LocalCertificateAuthority;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS arm's certificate, made in a JVM of its own before the measured server reads it:
 * {@code BenchCertificates <folder>} writes a local CA ({@code ca.crt}) and {@code
 * gameserver.crt}/{@code gameserver.key} (PEM, PKCS#8) for 127.0.0.1 and localhost, the shape
 * cert-manager's Secret has in production. Issuing takes BouncyCastle, which the match process
 * never loads; here it stays out of the measured process's classes and memory.
 */
public final class BenchCertificates {

    private BenchCertificates() {}

    public static void main(String[] args) {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(Path.of(args[0]), "bench-ca");
        ca.issue("gameserver", List.of("localhost"), List.of("127.0.0.1"));
    }
}
